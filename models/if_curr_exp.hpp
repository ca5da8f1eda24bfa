// IF_curr_exp: leaky integrate-and-fire neuron with exponentially decaying
// current-based synapses, integrated exactly (Rotter & Diesmann 1999).
//
//   cm dV/dt = cm (v_rest - V)/tau_m + I_exc + I_inh + i_offset
//   dI_x/dt  = -I_x / tau_syn_x,  I_x += w at spike arrival (w in nA, <= 0 for inhibitory)
//   V >= v_thresh: spike, V <- v_reset, V clamped for round(tau_refrac/dt) steps
//
// Parameters, defaults and units: PyNN 0.13 standardmodels (shared reference §4.1).
// Per step, following NEST's iaf_psc_exp: V is propagated with the currents of
// the start of the step (unless refractory), the currents decay, the input
// arriving at the end of the step is added, then threshold is checked.
#pragma once

#include <cmath>
#include <memory>

#include "engine/kernel.hpp"
#include "models/propagators.hpp"
#include "models/lif_parameters.hpp"
#include "pineal/model.hpp"

namespace pineal::models {

class IfCurrExpKernel final : public NeuronKernel {
public:
    enum Param { v_rest, cm, tau_m, tau_refrac, tau_syn_E, tau_syn_I, i_offset, v_reset, v_thresh };
    enum State { v, isyn_exc, isyn_inh };

    void prepare(const Population& pop, const KernelEnv& env) override {
        const std::size_t n = pop.size();
        const double dt = env.dt;
        p22_.resize(n), p11e_.resize(n), p11i_.resize(n), p21e_.resize(n), p21i_.resize(n);
        p20_.resize(n), refractory_steps_.resize(n), refractory_left_.resize(n, 0);
        for (std::size_t i = 0; i < n; ++i) {
            const double c = pop.parameter(cm)[i], tm = pop.parameter(tau_m)[i];
            p22_[i] = std::exp(-dt / tm);
            p11e_[i] = std::exp(-dt / pop.parameter(tau_syn_E)[i]);
            p11i_[i] = std::exp(-dt / pop.parameter(tau_syn_I)[i]);
            p21e_[i] = exp_current_to_voltage(dt, tm, pop.parameter(tau_syn_E)[i], c);
            p21i_[i] = exp_current_to_voltage(dt, tm, pop.parameter(tau_syn_I)[i], c);
            p20_[i] = -std::expm1(-dt / tm) * tm / c;
            refractory_steps_[i] = static_cast<int>(std::lround(pop.parameter(tau_refrac)[i] / dt));
        }
    }

    void reset(const Population& pop) override { refractory_left_.assign(pop.size(), 0); }

    void update(StepContext& ctx) override {
        const Population& pop = *ctx.population;
        double* __restrict V = (*ctx.state)[v].data();
        double* __restrict Ie = (*ctx.state)[isyn_exc].data();
        double* __restrict Ii = (*ctx.state)[isyn_inh].data();
        const double* __restrict in_e = ctx.input[0];
        const double* __restrict in_i = ctx.input[1];
        const double* __restrict rest = pop.parameter(v_rest).data();
        const double* __restrict offset = pop.parameter(i_offset).data();
        const double* __restrict reset_v = pop.parameter(v_reset).data();
        const double* __restrict thresh = pop.parameter(v_thresh).data();
        const double* __restrict injected = ctx.injected;
        const double* __restrict p22 = p22_.data();
        const double* __restrict p21e = p21e_.data();
        const double* __restrict p21i = p21i_.data();
        const double* __restrict p20 = p20_.data();
        const double* __restrict p11e = p11e_.data();
        const double* __restrict p11i = p11i_.data();
        int* __restrict left = refractory_left_.data();
        for (std::size_t i = ctx.begin; i < ctx.end; ++i) {
            const double drive = offset[i] + (injected ? injected[i] : 0.0);
            const double next = rest[i] + p22[i] * (V[i] - rest[i]) + p21e[i] * Ie[i] +
                                p21i[i] * Ii[i] + p20[i] * drive;
            V[i] = left[i] == 0 ? next : V[i];
            left[i] = left[i] == 0 ? 0 : left[i] - 1;
            Ie[i] = p11e[i] * Ie[i] + in_e[i];
            Ii[i] = p11i[i] * Ii[i] + in_i[i];
        }
        for (std::size_t i = ctx.begin; i < ctx.end; ++i) {
            if (V[i] >= thresh[i]) {
                left[i] = refractory_steps_[i];
                V[i] = reset_v[i];
                ctx.spikes->push_back({static_cast<std::uint32_t>(i), ctx.step + 1, 0.0});
            }
        }
    }

private:
    std::vector<double> p22_, p11e_, p11i_, p21e_, p21i_, p20_;
    std::vector<int> refractory_steps_, refractory_left_;
};

inline ModelInfo if_curr_exp_info() {
    ModelInfo m;
    m.name = "IF_curr_exp";
    m.parameters = {
        lif::v_rest(),
        lif::cm(),
        lif::tau_m(),
        lif::tau_refrac(),
        lif::tau_syn("tau_syn_E", 5.0, "decay time of excitatory synaptic current"),
        lif::tau_syn("tau_syn_I", 5.0, "decay time of inhibitory synaptic current"),
        lif::i_offset(),
        lif::v_reset(),
        lif::v_thresh(),
    };
    m.state = {{"v", -65.0, "mV"}, {"isyn_exc", 0.0, "nA"}, {"isyn_inh", 0.0, "nA"}};
    m.recordable = {"spikes", "v"};
    m.receptor_types = {"excitatory", "inhibitory"};
    m.conductance_based = false;
    m.doc =
        "Leaky integrate-and-fire model with fixed threshold and decaying-exponential "
        "post-synaptic current. Exact integration (Rotter & Diesmann 1999).\n"
        "cm dV/dt = cm (v_rest - V)/tau_m + I_exc + I_inh + i_offset;  "
        "dI_x/dt = -I_x/tau_syn_x";
    m.make_kernel = [] { return std::make_unique<IfCurrExpKernel>(); };
    return m;
}

}  // namespace pineal::models
