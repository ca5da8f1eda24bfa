// IF_curr_delta: leaky integrate-and-fire neuron whose synaptic input makes V
// jump by the weight (mV) at arrival; integrated exactly.
//
//   cm dV/dt = cm (v_rest - V)/tau_m + i_offset,  V += w at arrival (w in mV)
//   V >= v_thresh: spike, V <- v_reset, V clamped for round(tau_refrac/dt) steps
//
// Parameters, defaults and units: PyNN 0.13 (shared reference §4.1).
// Per step, following NEST's iaf_psc_delta with its default
// refractory_input = false: if not refractory, V is propagated and the input
// arriving at the end of the step is added to it (so V recorded at the
// arrival time already shows the jump, as in NEST); input arriving while the
// cell is refractory is discarded. Then threshold is checked, so an input
// that lifts V over threshold makes the cell fire at the arrival time.
#pragma once

#include <cmath>
#include <memory>

#include "engine/kernel.hpp"
#include "models/lif_parameters.hpp"
#include "pineal/model.hpp"

namespace pineal::models {

class IfCurrDeltaKernel final : public NeuronKernel {
public:
    enum Param { v_rest, cm, tau_m, tau_refrac, i_offset, v_reset, v_thresh };
    enum State { v };

    void prepare(const Population& pop, const KernelEnv& env) override {
        const std::size_t n = pop.size();
        const double dt = env.dt;
        p22_.resize(n), p20_.resize(n), refractory_steps_.resize(n);
        refractory_left_.resize(n, 0);
        for (std::size_t i = 0; i < n; ++i) {
            const double tm = pop.parameter(tau_m)[i];
            p22_[i] = std::exp(-dt / tm);
            p20_[i] = -std::expm1(-dt / tm) * tm / pop.parameter(cm)[i];
            refractory_steps_[i] = static_cast<int>(std::lround(pop.parameter(tau_refrac)[i] / dt));
        }
    }

    void reset(const Population& pop) override { refractory_left_.assign(pop.size(), 0); }

    void update(StepContext& ctx) override {
        const Population& pop = *ctx.population;
        auto& V = (*ctx.state)[v];
        const auto& rest = pop.parameter(v_rest);
        const auto& offset = pop.parameter(i_offset);
        const auto& reset_v = pop.parameter(v_reset);
        const auto& thresh = pop.parameter(v_thresh);
        for (std::size_t i = ctx.begin; i < ctx.end; ++i) {
            if (refractory_left_[i] == 0) {
                V[i] = rest[i] + p22_[i] * (V[i] - rest[i]) + p20_[i] * (offset[i] + injected_current(ctx, i)) +
                       ctx.input[0][i] + ctx.input[1][i];
            } else {
                --refractory_left_[i];  // input of this step is discarded
            }
            if (V[i] >= thresh[i]) {
                refractory_left_[i] = refractory_steps_[i];
                V[i] = reset_v[i];
                ctx.spikes->push_back({static_cast<std::uint32_t>(i), ctx.step + 1, 0.0});
            }
        }
    }

private:
    std::vector<double> p22_, p20_;
    std::vector<int> refractory_steps_, refractory_left_;
};

inline ModelInfo if_curr_delta_info() {
    ModelInfo m;
    m.name = "IF_curr_delta";
    m.parameters = {
        lif::v_rest(),
        lif::cm(),
        lif::tau_m(),
        lif::tau_refrac(),
        lif::i_offset(),
        lif::v_reset(),
        lif::v_thresh(),
    };
    m.state = {{"v", -65.0, "mV"}};
    m.recordable = {"spikes", "v"};
    m.receptor_types = {"excitatory", "inhibitory"};
    m.conductance_based = false;
    m.doc =
        "Leaky integrate-and-fire model with fixed threshold and delta-function synapses: "
        "a spike of weight w (mV) makes V jump by w. Exact integration; input arriving "
        "during the refractory period is discarded (as NEST's iaf_psc_delta).\n"
        "cm dV/dt = cm (v_rest - V)/tau_m + i_offset";
    m.make_kernel = [] { return std::make_unique<IfCurrDeltaKernel>(); };
    return m;
}

}  // namespace pineal::models
