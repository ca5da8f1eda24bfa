// PyNN's PointNeuron(neuron, **post_synaptic_receptors): a model composed at
// run time from a neuron body (LIF or AdExp) and any number of named
// post-synaptic responses (CurrExp, CondExp, CondAlpha, CondBeta). The
// description (body + receptors) is turned into a ModelInfo and a kernel by
// compose_point_neuron (include/pineal/model.hpp); this file is the kernel.
//
// Layout. Parameters: the body's (PyNN order), then per receptor in sorted
// name order "<name>.<parameter>". State: v (, w), then per receptor
// "<name>.gsyn" (uS) or "<name>.isyn" (nA). Receptor port k = k-th name.
//
// Post-synaptic responses, with known closed forms over a step from (x0, aux0):
//   CurrExp   i(s) = i0 e^{-s/tau};                      i += w (nA)
//   CondExp   g(s) = g0 e^{-s/tau};                      g += w (uS)
//   CondAlpha g(s) = (g0 + y0 s) e^{-s/tau};             y += w e/tau  (peak w at tau)
//   CondBeta  g(s) = D0 e^{-s/tau_decay} - R0 e^{-s/tau_rise}, R0 = D0 - g0;
//             D += f w, R += f w, f = 1/(e^{-tp/tau_decay} - e^{-tp/tau_rise}),
//             tp = tau_d tau_r ln(tau_d/tau_r)/(tau_d - tau_r)   (peak w at tp)
// y and D are private to the kernel (reset by reset()); g is the state.
//
// LIF: cm dV/dt = g_L (v_rest - V) + sum_j g_j (e_j - V) + sum_j i_j + i_offset
// is linear in V with known coefficients, so the exponential integrator of
// models/if_cond_exp.hpp applies unchanged to any number of receptors:
// V(h) = e^{-B(h)} V0 + int_0^h a(s) e^{-(B(h)-B(s))} ds, B exact (integrals of
// the waveforms), the integral by 3-point Gauss-Legendre. Threshold V >= v_thresh,
// reset and refractoriness as IF_cond_exp.
//
// AdExp: (V, w) by the adaptive RKF45 of models/rkf45.hpp, as in
// models/adex.hpp, with the conductances/currents evaluated in closed form at
// the substep's time (carried as a third component dt/dt = 1), so the RK
// state has three components whatever the number of receptors.
#pragma once

#include <cmath>
#include <memory>
#include <numbers>
#include <string>
#include <vector>

#include "engine/kernel.hpp"
#include "models/rkf45.hpp"
#include "pineal/errors.hpp"
#include "pineal/model.hpp"

namespace pineal::models {

enum class PsrKind { curr_exp, cond_exp, cond_alpha, cond_beta };

struct PsrLayout {
    std::string name;
    PsrKind kind;
    int param0;  // index of its first parameter
    int state;   // index of its state variable (gsyn or isyn)
};

class PointNeuronKernel final : public NeuronKernel {
    static constexpr int kNodes = 3;
    static constexpr double kWeights[kNodes] = {5.0 / 9.0, 8.0 / 9.0, 5.0 / 9.0};

public:
    // Parameter indices of the bodies (PyNN order, shared reference §5.1).
    enum Lif { l_cm, l_tau_refrac, l_v_reset, l_v_rest, l_tau_m, l_i_offset, l_v_thresh };
    enum Adex {
        a_cm, a_tau_refrac, a_v_spike, a_v_reset, a_v_rest, a_tau_m, a_i_offset, a_a, a_b,
        a_delta_T, a_tau_w, a_v_thresh
    };

    PointNeuronKernel(std::string name, bool adex, std::vector<PsrLayout> psrs)
        : name_(std::move(name)), adex_(adex), psrs_(std::move(psrs)) {
        tol_.rtol = 1e-9;
        tol_.atol = {1e-8, 1e-11, 1.0};  // mV, nA, ms (t is integrated exactly)
    }

    void prepare(const Population& pop, const KernelEnv& env) override;
    void reset(const Population& pop) override {
        refractory_left_.assign(pop.size(), 0);
        for (auto& a : aux_) a.assign(pop.size(), 0.0);
        h_.assign(pop.size(), env_dt_);
    }
    void update(StepContext& ctx) override;

private:
    // Per cell and receptor: time constants (tau1 = tau_syn or tau_decay,
    // tau2 = tau_rise), reversal, beta normalisation, and the exponentials at
    // the quadrature nodes and at h (index 3), computed once in prepare():
    // e = e^{-s/tau}, m = tau (1 - e^{-s/tau}) = int_0^s e^{-u/tau} du.
    struct Psr {
        double tau1 = 1.0, tau2 = 1.0, e = 0.0, f = 1.0;
        double e1[kNodes + 1]{}, m1[kNodes + 1]{}, e2[kNodes + 1]{}, m2[kNodes + 1]{};
    };
    struct Decay {
        double e1, m1, e2, m2;
    };
    static Decay decay(const Psr& p, double s) {
        return {std::exp(-s / p.tau1), -p.tau1 * std::expm1(-s / p.tau1), std::exp(-s / p.tau2),
                -p.tau2 * std::expm1(-s / p.tau2)};
    }
    // g(s) (or i(s)) and its integral G(s) from the start-of-step values.
    static void wave(PsrKind kind, const Psr& p, const Decay& d, double x0, double aux0,
                     double s, double& g, double& G);
    void step_lif(StepContext& ctx, std::size_t i);
    void step_adex(StepContext& ctx, std::size_t i);
    void advance_synapses(StepContext& ctx, std::size_t i);

    std::string name_;
    bool adex_;
    std::vector<PsrLayout> psrs_;
    std::vector<std::vector<Psr>> psr_;     // [receptor][cell]
    std::vector<std::vector<double>> aux_;  // [receptor][cell]: alpha y, beta D
    std::vector<int> refractory_steps_, refractory_left_;
    std::vector<double> h_;  // AdExp: RKF45 substep per cell
    double env_dt_ = 0.1;
    Tolerance<3> tol_;
};

}  // namespace pineal::models
