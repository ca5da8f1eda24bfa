// The adaptive exponential integrate-and-fire neuron (Brette & Gerstner
// 2005, J. Neurophysiol. 94:3637) with conductance synapses: the kernel and
// descriptor shared by EIF_cond_exp_isfa_ista and EIF_cond_alpha_isfa_ista,
// which differ only in the synaptic conductance kernel.
//
//   cm dV/dt = -g_L (V - v_rest) + g_L delta_T exp((V - v_thresh)/delta_T) - w
//              + g_e (e_rev_E - V) + g_i (e_rev_I - V) + i_offset,   g_L = cm/tau_m
//   tau_w dw/dt = a (V - v_rest) - w                                  (a in nS: x 1e-3 to uS)
//   V reaches v_spike: spike; V <- v_reset; w <- w + b; V held at v_reset
//   for the rest of the step and round(tau_refrac/dt) further steps.
//   delta_T = 0: no exponential term, and v_thresh is the spike threshold.
//
// Conductances (uS): exp: dg/dt = -g/tau_syn, g += w at arrival; alpha:
// g = w (t/tau) e^{1 - t/tau}, as dg/dt = (e y - g)/tau, dy/dt = -y/tau,
// y += w at arrival (y is private to the kernel).
//
// As NEST's aeif_cond_exp/alpha: the right-hand side uses min(V, v_spike),
// so the exponential term stays bounded (at most
// g_L delta_T exp((v_spike - v_thresh)/delta_T)) at any step length, and
// during refractoriness dV/dt = 0 with V = v_reset while w and g evolve.
// Unlike NEST, which resets at the end of the adaptive substep that passed
// v_spike, the crossing time is located (models/rkf45.hpp), so the
// trajectory after a reset matches a continuous solution.
//
// Integrator: adaptive RKF45 per cell (models/rkf45.hpp); tolerances below;
// measured error and cost in docs/models/EIF_cond_exp_isfa_ista.md.
#pragma once

#include <cmath>
#include <memory>
#include <numbers>

#include "engine/kernel.hpp"
#include "models/rkf45.hpp"
#include "pineal/errors.hpp"
#include "models/lif_parameters.hpp"
#include "pineal/model.hpp"

namespace pineal::models {

template <bool Alpha>
class AdexKernel final : public NeuronKernel {
    static constexpr std::size_t N = Alpha ? 6 : 4;  // V, w, g_e, g_i (, y_e, y_i)

public:
    enum Param {
        cm, tau_refrac, v_spike, v_reset, v_rest, tau_m, i_offset, a, b, delta_T, tau_w,
        v_thresh, e_rev_E, tau_syn_E, e_rev_I, tau_syn_I
    };
    enum State { v, w, gsyn_exc, gsyn_inh };

    explicit AdexKernel(const char* name) : name_(name) {
        tol_.rtol = 1e-9;
        tol_.atol = {};
        tol_.atol[0] = 1e-8;   // mV
        tol_.atol[1] = 1e-11;  // nA
        for (std::size_t k = 2; k < N; ++k) tol_.atol[k] = 1e-12;  // uS
    }

    void prepare(const Population& pop, const KernelEnv& env) override {
        const std::size_t n = pop.size();
        dt_ = env.dt;
        for (std::size_t i = 0; i < n; ++i) {
            const double dT = pop.parameter(delta_T)[i];
            const double peak = dT > 0.0 ? pop.parameter(v_spike)[i] : pop.parameter(v_thresh)[i];
            if (!(pop.parameter(v_reset)[i] < peak))
                fail(ErrorKind::invalid_parameter_value, name_, "v_reset", name_, ".v_reset (",
                     pop.parameter(v_reset)[i], " mV) must be below the spike detection level ",
                     dT > 0.0 ? "v_spike (" : "v_thresh (", peak, " mV) of cell ", i);
            if (dT > 0.0 && (pop.parameter(v_spike)[i] - pop.parameter(v_thresh)[i]) / dT > 600.0)
                fail(ErrorKind::invalid_parameter_value, name_, "delta_T", name_,
                     ": (v_spike - v_thresh)/delta_T must be <= 600 so that the exponential "
                     "term stays finite; got delta_T = ",
                     dT, " mV for cell ", i);
        }
        refractory_steps_.resize(n);
        for (std::size_t i = 0; i < n; ++i)
            refractory_steps_[i] =
                static_cast<int>(std::lround(pop.parameter(tau_refrac)[i] / env.dt));
        refractory_left_.resize(n, 0);
        h_.resize(n, env.dt);
        if (Alpha) {
            y_e_.resize(n, 0.0);
            y_i_.resize(n, 0.0);
        }
    }

    void reset(const Population&) override {
        refractory_left_.clear();
        h_.clear();
        y_e_.clear();
        y_i_.clear();
    }

    void update(StepContext& ctx) override {
        const Population& pop = *ctx.population;
        StateArrays& s = *ctx.state;
        auto P = [&](int k, std::size_t i) { return pop.parameter(k)[i]; };
        for (std::size_t i = ctx.begin; i < ctx.end; ++i) {
            const double C = P(cm, i), g_l = C / P(tau_m, i), el = P(v_rest, i),
                         dT = P(delta_T, i), vt = P(v_thresh, i), ee = P(e_rev_E, i),
                         ei = P(e_rev_I, i), I = P(i_offset, i) + injected_current(ctx, i), a_us = 1e-3 * P(a, i),
                         tw = P(tau_w, i), te = P(tau_syn_E, i), ti = P(tau_syn_I, i),
                         vr = P(v_reset, i), bb = P(b, i);
            const double peak = dT > 0.0 ? P(v_spike, i) : vt;
            bool clamped = refractory_left_[i] > 0;
            if (clamped) --refractory_left_[i];
            StateVec<N> y{};
            y[0] = s[v][i], y[1] = s[w][i], y[2] = s[gsyn_exc][i], y[3] = s[gsyn_inh][i];
            if constexpr (Alpha) y[4] = y_e_[i], y[5] = y_i_[i];
            auto rhs = [&](const StateVec<N>& x, StateVec<N>& d) {
                const double V = clamped ? vr : std::min(x[0], peak);
                const double spike_current = dT > 0.0 ? g_l * dT * std::exp((V - vt) / dT) : 0.0;
                d[0] = clamped ? 0.0
                               : (-g_l * (V - el) + spike_current - x[1] + x[2] * (ee - V) +
                                  x[3] * (ei - V) + I) / C;
                d[1] = (a_us * (V - el) - x[1]) / tw;
                if constexpr (Alpha) {
                    d[2] = (std::numbers::e * x[4] - x[2]) / te;
                    d[3] = (std::numbers::e * x[5] - x[3]) / ti;
                    d[4] = -x[4] / te;
                    d[5] = -x[5] / ti;
                } else {
                    d[2] = -x[2] / te;
                    d[3] = -x[3] / ti;
                }
            };
            auto event = [&](const StateVec<N>& x) { return clamped ? -1.0 : x[0] - peak; };
            const int steps = refractory_steps_[i];
            auto on_spike = [&](StateVec<N>& x) {
                x[0] = vr;
                x[1] += bb;
                if (steps > 0) {
                    clamped = true;
                    refractory_left_[i] = steps;
                }
            };
            const int n = rkf45_advance(y, ctx.dt, h_[i], tol_, rhs, event, on_spike);
            for (int k = 0; k < n; ++k)
                ctx.spikes->push_back({static_cast<std::uint32_t>(i), ctx.step + 1, 0.0});
            s[v][i] = y[0], s[w][i] = y[1];
            if constexpr (Alpha) {
                s[gsyn_exc][i] = y[2], s[gsyn_inh][i] = y[3];
                y_e_[i] = y[4] + ctx.input[0][i];
                y_i_[i] = y[5] + ctx.input[1][i];
            } else {
                s[gsyn_exc][i] = y[2] + ctx.input[0][i];
                s[gsyn_inh][i] = y[3] + ctx.input[1][i];
            }
        }
    }

private:
    const char* name_;
    Tolerance<N> tol_;
    double dt_ = 0.1;
    std::vector<int> refractory_steps_, refractory_left_;
    std::vector<double> h_;         // RKF45 substep length per cell (ms)
    std::vector<double> y_e_, y_i_;  // alpha kernels' auxiliary variables (uS)
};

inline ModelInfo adex_info(const char* name, bool alpha) {
    ModelInfo m;
    m.name = name;
    using P = ParameterShape;
    // PyNN 0.13 defaults (shared reference §4.3).
    m.parameters = {
        {"cm", 0.281, "nF", Check::positive, P::scalar, "membrane capacitance"},
        lif::tau_refrac(),
        {"v_spike", -40.0, "mV", Check::any, P::scalar, "spike detection threshold"},
        {"v_reset", -70.6, "mV", Check::any, P::scalar, "reset value for V after a spike"},
        {"v_rest", -70.6, "mV", Check::any, P::scalar, "resting potential (leak reversal)"},
        {"tau_m", 9.3667, "ms", Check::positive, P::scalar, "membrane time constant"},
        lif::i_offset(),
        {"a", 4.0, "nS", Check::any, P::scalar, "subthreshold adaptation conductance"},
        {"b", 0.0805, "nA", Check::any, P::scalar, "spike-triggered adaptation increment"},
        {"delta_T", 2.0, "mV", Check::non_negative, P::scalar, "slope factor"},
        {"tau_w", 144.0, "ms", Check::positive, P::scalar, "adaptation time constant"},
        {"v_thresh", -50.4, "mV", Check::any, P::scalar, "spike initiation threshold V_T"},
        lif::e_rev_E(),
        {"tau_syn_E", 5.0, "ms", Check::positive, P::scalar,
         alpha ? "rise time of the excitatory alpha conductance" : "excitatory conductance decay"},
        {"e_rev_I", -80.0, "mV", Check::any, P::scalar, "inhibitory reversal potential"},
        {"tau_syn_I", 5.0, "ms", Check::positive, P::scalar,
         alpha ? "rise time of the inhibitory alpha conductance" : "inhibitory conductance decay"},
    };
    m.state = {{"v", -70.6, "mV"}, {"w", 0.0, "nA"}, {"gsyn_exc", 0.0, "uS"},
               {"gsyn_inh", 0.0, "uS"}};
    m.recordable = {"spikes", "v", "w", "gsyn_exc", "gsyn_inh"};
    m.receptor_types = {"excitatory", "inhibitory"};
    m.conductance_based = true;
    m.doc = std::string(
                "Adaptive exponential integrate-and-fire neuron (Brette & Gerstner 2005) with ") +
            (alpha ? "alpha-function" : "exponentially decaying") +
            " synaptic conductances.\n"
            "cm dV/dt = -g_L (V - v_rest) + g_L delta_T exp((V - v_thresh)/delta_T) - w + "
            "g_e (e_rev_E - V) + g_i (e_rev_I - V) + i_offset;  tau_w dw/dt = a (V - v_rest) - w;"
            "  at V = v_spike: V <- v_reset, w <- w + b. Adaptive RKF45 with located threshold "
            "crossings.";
    if (alpha)
        m.make_kernel = [] { return std::make_unique<AdexKernel<true>>("EIF_cond_alpha_isfa_ista"); };
    else
        m.make_kernel = [] { return std::make_unique<AdexKernel<false>>("EIF_cond_exp_isfa_ista"); };
    return m;
}

}  // namespace pineal::models
