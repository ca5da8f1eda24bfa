// Izhikevich: the simple spiking model of Izhikevich (2003), IEEE Trans.
// Neural Netw. 14:1569.
//
//   dv/dt = 0.04 v^2 + 5 v + 140 - u + I,   du/dt = a (b v - u)      (v mV, t ms)
//   I (mV/ms) = 1000 i_offset (nA): an implicit capacitance of 1 pF, as PyNN
//   v reaches 30 mV: spike; v <- c; u <- u + d
//   synaptic input: v <- v + w (w in mV; inhibitory weights are negative)
//
// Integrator: adaptive RKF45 per cell (models/rkf45.hpp). The crossing of
// 30 mV inside a step is located and the reset applied there, so v never
// runs into the finite-time blow-up of the quadratic term, whatever dt.
// Input arriving at the end of the step is added to v after integration and
// v is then checked again (as NEST's izhikevich adds its input before the
// threshold test); a spike is stamped at the end of the step.
// Measured error: docs/models/Izhikevich.md.
#pragma once

#include <memory>

#include "engine/kernel.hpp"
#include "models/rkf45.hpp"
#include "pineal/errors.hpp"
#include "pineal/model.hpp"

namespace pineal::models {

inline constexpr double kIzhikevichPeak = 30.0;  // mV

class IzhikevichKernel final : public NeuronKernel {
public:
    enum Param { a, b, c, d, i_offset };
    enum State { v, u };

    IzhikevichKernel() {
        tol_.rtol = 1e-10;
        tol_.atol = {1e-9, 1e-10};  // mV, mV/ms
    }

    void prepare(const Population& pop, const KernelEnv& env) override {
        for (std::size_t i = 0; i < pop.size(); ++i)
            if (!(pop.parameter(c)[i] < kIzhikevichPeak))  // else the reset fires again at once
                fail(ErrorKind::invalid_parameter_value, "Izhikevich", "c",
                     "Izhikevich.c (reset potential) must be below the spike peak of 30 mV, got ",
                     pop.parameter(c)[i], " mV for cell ", i);
        h_.resize(pop.size(), env.dt);
    }

    void reset(const Population&) override { h_.clear(); }

    void update(StepContext& ctx) override {
        const Population& pop = *ctx.population;
        StateArrays& s = *ctx.state;
        const auto& pa = pop.parameter(a);
        const auto& pb = pop.parameter(b);
        const auto& pc = pop.parameter(c);
        const auto& pd = pop.parameter(d);
        const auto& pi = pop.parameter(i_offset);
        for (std::size_t i = ctx.begin; i < ctx.end; ++i) {
            const double A = pa[i], B = pb[i], reset_v = pc[i], jump_u = pd[i], I = 1000.0 * (pi[i] + injected_current(ctx, i));
            StateVec<2> y{s[v][i], s[u][i]};
            auto rhs = [&](const StateVec<2>& x, StateVec<2>& dx) {
                dx[0] = 0.04 * x[0] * x[0] + 5.0 * x[0] + 140.0 - x[1] + I;
                dx[1] = A * (B * x[0] - x[1]);
            };
            auto event = [](const StateVec<2>& x) { return x[0] - kIzhikevichPeak; };
            auto on_spike = [&](StateVec<2>& x) {
                x[0] = reset_v;
                x[1] += jump_u;
            };
            int n = rkf45_advance(y, ctx.dt, h_[i], tol_, rhs, event, on_spike);
            y[0] += ctx.input[0][i] + ctx.input[1][i];
            if (event(y) >= 0.0) {
                on_spike(y);
                ++n;
            }
            for (int k = 0; k < n; ++k)
                ctx.spikes->push_back({static_cast<std::uint32_t>(i), ctx.step + 1, 0.0});
            s[v][i] = y[0], s[u][i] = y[1];
        }
    }

private:
    Tolerance<2> tol_;
    std::vector<double> h_;  // RKF45 substep length per cell (ms)
};

inline ModelInfo izhikevich_info() {
    ModelInfo m;
    m.name = "Izhikevich";
    using P = ParameterShape;
    // PyNN 0.13 defaults (shared reference §4.4).
    m.parameters = {
        {"a", 0.02, "1/ms", Check::any, P::scalar, "time scale of the recovery variable u"},
        {"b", 0.2, "1/ms", Check::any, P::scalar, "sensitivity of u to v"},
        {"c", -65.0, "mV", Check::any, P::scalar, "after-spike reset value of v"},
        {"d", 2.0, "mV/ms", Check::any, P::scalar, "after-spike increment of u"},
        {"i_offset", 0.0, "nA", Check::any, P::scalar, "offset current (1 nA = 1000 mV/ms)"},
    };
    m.state = {{"v", -70.0, "mV"}, {"u", -14.0, "mV/ms"}};
    m.recordable = {"spikes", "v", "u"};
    m.receptor_types = {"excitatory", "inhibitory"};
    m.conductance_based = false;
    m.doc =
        "Izhikevich (2003) simple spiking model.\n"
        "dv/dt = 0.04 v^2 + 5 v + 140 - u + 1000 i_offset;  du/dt = a (b v - u);  at v = 30 mV: "
        "v <- c, u <- u + d. Synaptic weights are voltage jumps in mV. Adaptive RKF45 with "
        "located threshold crossings.";
    m.make_kernel = [] { return std::make_unique<IzhikevichKernel>(); };
    return m;
}

}  // namespace pineal::models
