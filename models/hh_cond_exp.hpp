// HH_cond_exp: single-compartment Hodgkin-Huxley neuron with the Traub &
// Miles (1991) sodium and potassium kinetics as PyNN defines them (and NEST's
// hh_cond_exp_traub implements), with exponentially decaying conductance
// synapses.
//
//   cm dV/dt = -g_leak (V - e_rev_leak) - gbar_Na m^3 h (V - e_rev_Na)
//              - gbar_K n^4 (V - e_rev_K) + g_e (e_rev_E - V) + g_i (e_rev_I - V) + i_offset
//   dx/dt = alpha_x(u) (1 - x) - beta_x(u) x  for x in m, h, n;  u = V - v_offset
//   alpha_m = 0.32 (13 - u)/(exp((13 - u)/4) - 1)   beta_m = 0.28 (u - 40)/(exp((u - 40)/5) - 1)
//   alpha_h = 0.128 exp((17 - u)/18)                beta_h = 4/(1 + exp((40 - u)/5))
//   alpha_n = 0.032 (15 - u)/(exp((15 - u)/5) - 1)  beta_n = 0.5 exp((10 - u)/40)
//
// There is no reset. Spike detection follows NEST's hh_cond_exp_traub: a
// spike is emitted at the end of a step in which V ends at or above
// v_offset + 30 mV and lower than at the start of the step (the first step
// past the peak of an action potential), after which detection pauses for
// 2 ms (NEST's default t_ref; PyNN has no parameter for it). So the spike
// steps are NEST's, one to three steps after an upward crossing of 0 mV.
//
// Integrator: adaptive RKF45 per cell (models/rkf45.hpp); no events.
// Measured error: docs/models/HH_cond_exp.md.
#pragma once

#include <cmath>
#include <memory>

#include "engine/kernel.hpp"
#include "models/rkf45.hpp"
#include "models/lif_parameters.hpp"
#include "pineal/model.hpp"

namespace pineal::models {

inline constexpr double kHhDetectionPause = 2.0;     // ms (NEST's t_ref default)
inline constexpr double kHhDetectionAbove = 30.0;    // mV above v_offset

// x / (exp(x) - 1), exact as x -> 0 (the limit of the rate expressions).
inline double x_over_expm1(double x) {
    if (std::abs(x) < 1e-6) return 1.0 - 0.5 * x;
    return x / std::expm1(x);
}

class HhCondExpKernel final : public NeuronKernel {
public:
    enum Param {
        gbar_Na, gbar_K, g_leak, cm, v_offset, e_rev_Na, e_rev_K, e_rev_leak, e_rev_E, e_rev_I,
        tau_syn_E, tau_syn_I, i_offset
    };
    enum State { v, gsyn_exc, gsyn_inh, h, m, n };

    HhCondExpKernel() {
        tol_.rtol = 1e-9;
        tol_.atol = {1e-8, 1e-11, 1e-11, 1e-11, 1e-12, 1e-12};  // V, m, h, n, g_e, g_i
    }

    void prepare(const Population& pop, const KernelEnv& env) override {
        h_.resize(pop.size(), env.dt);
        pause_left_.resize(pop.size(), 0);
        pause_steps_ = static_cast<int>(std::lround(kHhDetectionPause / env.dt));
    }

    void reset(const Population&) override {
        h_.clear();
        pause_left_.clear();
    }

    void update(StepContext& ctx) override {
        const Population& pop = *ctx.population;
        StateArrays& s = *ctx.state;
        auto P = [&](int k, std::size_t i) { return pop.parameter(k)[i]; };
        for (std::size_t i = ctx.begin; i < ctx.end; ++i) {
            const double gna = P(gbar_Na, i), gk = P(gbar_K, i), gl = P(g_leak, i), C = P(cm, i),
                         vt = P(v_offset, i), ena = P(e_rev_Na, i), ek = P(e_rev_K, i),
                         el = P(e_rev_leak, i), ee = P(e_rev_E, i), ei = P(e_rev_I, i),
                         te = P(tau_syn_E, i), ti = P(tau_syn_I, i), I = P(i_offset, i) + injected_current(ctx, i);
            auto rhs = [&](const StateVec<6>& x, StateVec<6>& d) {
                const double V = x[0], mm = x[1], hh = x[2], nn = x[3], u = V - vt;
                const double m3 = mm * mm * mm, n2 = nn * nn;
                d[0] = (-gl * (V - el) - gna * m3 * hh * (V - ena) - gk * n2 * n2 * (V - ek) +
                        x[4] * (ee - V) + x[5] * (ei - V) + I) / C;
                const double am = 1.28 * x_over_expm1((13.0 - u) / 4.0);
                const double bm = 1.4 * x_over_expm1((u - 40.0) / 5.0);
                const double ah = 0.128 * std::exp((17.0 - u) / 18.0);
                const double bh = 4.0 / (1.0 + std::exp((40.0 - u) / 5.0));
                const double an = 0.16 * x_over_expm1((15.0 - u) / 5.0);
                const double bn = 0.5 * std::exp((10.0 - u) / 40.0);
                d[1] = am * (1.0 - mm) - bm * mm;
                d[2] = ah * (1.0 - hh) - bh * hh;
                d[3] = an * (1.0 - nn) - bn * nn;
                d[4] = -x[4] / te;
                d[5] = -x[5] / ti;
            };
            StateVec<6> y{s[v][i], s[m][i], s[h][i], s[n][i], s[gsyn_exc][i], s[gsyn_inh][i]};
            const double v_start = y[0];
            rkf45_advance(y, ctx.dt, h_[i], tol_, rhs, [](const StateVec<6>&) { return -1.0; },
                          [](StateVec<6>&) {});
            s[v][i] = y[0], s[m][i] = y[1], s[h][i] = y[2], s[n][i] = y[3];
            s[gsyn_exc][i] = y[4] + ctx.input[0][i];
            s[gsyn_inh][i] = y[5] + ctx.input[1][i];
            if (pause_left_[i] > 0) {
                --pause_left_[i];
            } else if (y[0] >= vt + kHhDetectionAbove && y[0] < v_start) {
                pause_left_[i] = pause_steps_;
                ctx.spikes->push_back({static_cast<std::uint32_t>(i), ctx.step + 1, 0.0});
            }
        }
    }

private:
    Tolerance<6> tol_;
    std::vector<double> h_;       // RKF45 substep length per cell (ms)
    std::vector<int> pause_left_;  // steps until spike detection resumes
    int pause_steps_ = 20;
};

inline ModelInfo hh_cond_exp_info() {
    ModelInfo m;
    m.name = "HH_cond_exp";
    using P = ParameterShape;
    // PyNN 0.13 defaults (shared reference §4.2).
    m.parameters = {
        {"gbar_Na", 20.0, "uS", Check::non_negative, P::scalar, "maximal sodium conductance"},
        {"gbar_K", 6.0, "uS", Check::non_negative, P::scalar, "maximal potassium conductance"},
        {"g_leak", 0.01, "uS", Check::non_negative, P::scalar, "leak conductance"},
        {"cm", 0.2, "nF", Check::positive, P::scalar, "membrane capacitance"},
        {"v_offset", -63.0, "mV", Check::any, P::scalar, "V_T: offset of the rate functions"},
        {"e_rev_Na", 50.0, "mV", Check::any, P::scalar, "sodium reversal potential"},
        {"e_rev_K", -90.0, "mV", Check::any, P::scalar, "potassium reversal potential"},
        {"e_rev_leak", -65.0, "mV", Check::any, P::scalar, "leak reversal potential"},
        lif::e_rev_E(),
        {"e_rev_I", -80.0, "mV", Check::any, P::scalar, "inhibitory reversal potential"},
        lif::tau_syn("tau_syn_E", 0.2, "excitatory conductance decay"),
        lif::tau_syn("tau_syn_I", 2.0, "inhibitory conductance decay"),
        lif::i_offset(),
    };
    m.state = {{"v", -65.0, "mV"}, {"gsyn_exc", 0.0, "uS"}, {"gsyn_inh", 0.0, "uS"},
               {"h", 1.0, ""},     {"m", 0.0, ""},        {"n", 0.0, ""}};
    m.recordable = {"spikes", "v", "gsyn_exc", "gsyn_inh", "h", "m", "n"};
    m.receptor_types = {"excitatory", "inhibitory"};
    m.conductance_based = true;
    m.doc =
        "Single-compartment Hodgkin-Huxley neuron with Traub & Miles (1991) Na and K kinetics "
        "and exponentially decaying synaptic conductances.\n"
        "cm dV/dt = -g_leak (V - e_rev_leak) - gbar_Na m^3 h (V - e_rev_Na) - gbar_K n^4 "
        "(V - e_rev_K) + I_syn + i_offset. Spike: first step past a peak above v_offset + 30 mV "
        "(as NEST's hh_cond_exp_traub), detection paused 2 ms. Adaptive RKF45.";
    m.make_kernel = [] { return std::make_unique<HhCondExpKernel>(); };
    return m;
}

}  // namespace pineal::models
