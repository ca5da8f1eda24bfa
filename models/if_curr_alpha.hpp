// IF_curr_alpha: leaky integrate-and-fire neuron with alpha-function
// current-based synapses, integrated exactly (Rotter & Diesmann 1999).
//
//   cm dV/dt = cm (v_rest - V)/tau_m + I_exc + I_inh + i_offset
//   I_x(t) = sum_spikes w (t - t_s)/tau_x e^{1 - (t - t_s)/tau_x}   (peak w nA at tau_x)
// written as the linear system dI_x/dt = y_x - I_x/tau_x, dy_x/dt = -y_x/tau_x,
// with y_x += w e/tau_x at spike arrival.
//   V >= v_thresh: spike, V <- v_reset, V clamped for round(tau_refrac/dt) steps
//
// Parameters, defaults and units: PyNN 0.13 standardmodels (shared reference §4.1).
// Per step, following NEST's iaf_psc_alpha: V is propagated with the synaptic
// variables of the start of the step (unless refractory), the synaptic
// variables propagate, the input arriving at the end of the step is added to
// y, then threshold is checked. The propagators (models/propagators.hpp) stay
// exact at tau_x == tau_m and nearby values.
#pragma once

#include <cmath>
#include <memory>

#include "engine/kernel.hpp"
#include "models/propagators.hpp"
#include "models/lif_parameters.hpp"
#include "pineal/model.hpp"

namespace pineal::models {

class IfCurrAlphaKernel final : public NeuronKernel {
public:
    enum Param { v_rest, cm, tau_m, tau_refrac, tau_syn_E, tau_syn_I, i_offset, v_reset, v_thresh };
    enum State { v, isyn_exc, isyn_inh };

    void prepare(const Population& pop, const KernelEnv& env) override {
        const std::size_t n = pop.size();
        const double dt = env.dt;
        c_.resize(n);
        refractory_left_.resize(n, 0);
        ye_.resize(n, 0.0);
        yi_.resize(n, 0.0);
        for (std::size_t i = 0; i < n; ++i) {
            Constants& k = c_[i];
            const double c = pop.parameter(cm)[i], tm = pop.parameter(tau_m)[i];
            const double te = pop.parameter(tau_syn_E)[i], ti = pop.parameter(tau_syn_I)[i];
            k.p22 = std::exp(-dt / tm);
            k.p20 = -std::expm1(-dt / tm) * tm / c;
            k.de = std::exp(-dt / te);
            k.di = std::exp(-dt / ti);
            k.p21e = exp_current_to_voltage(dt, tm, te, c);
            k.p21i = exp_current_to_voltage(dt, tm, ti, c);
            k.p2ye = alpha_aux_to_voltage(dt, tm, te, c);
            k.p2yi = alpha_aux_to_voltage(dt, tm, ti, c);
            k.we = std::exp(1.0) / te;  // y jump per nA of weight: peak of I is w
            k.wi = std::exp(1.0) / ti;
            k.refractory_steps = static_cast<int>(std::lround(pop.parameter(tau_refrac)[i] / dt));
        }
        dt_ = dt;
    }

    void reset(const Population& pop) override {
        refractory_left_.assign(pop.size(), 0);
        ye_.assign(pop.size(), 0.0);
        yi_.assign(pop.size(), 0.0);
    }

    void update(StepContext& ctx) override {
        const Population& pop = *ctx.population;
        auto& V = (*ctx.state)[v];
        auto& Ie = (*ctx.state)[isyn_exc];
        auto& Ii = (*ctx.state)[isyn_inh];
        const auto& rest = pop.parameter(v_rest);
        const auto& offset = pop.parameter(i_offset);
        const auto& reset_v = pop.parameter(v_reset);
        const auto& thresh = pop.parameter(v_thresh);
        for (std::size_t i = ctx.begin; i < ctx.end; ++i) {
            const Constants& k = c_[i];
            if (refractory_left_[i] == 0) {
                V[i] = rest[i] + k.p22 * (V[i] - rest[i]) + k.p21e * Ie[i] + k.p21i * Ii[i] +
                       k.p2ye * ye_[i] + k.p2yi * yi_[i] + k.p20 * (offset[i] + injected_current(ctx, i));
            } else {
                --refractory_left_[i];
            }
            // I(h) = e^{-h/tau} (I0 + h y0), y(h) = e^{-h/tau} y0.
            Ie[i] = k.de * (Ie[i] + dt_ * ye_[i]);
            Ii[i] = k.di * (Ii[i] + dt_ * yi_[i]);
            ye_[i] = k.de * ye_[i] + k.we * ctx.input[0][i];
            yi_[i] = k.di * yi_[i] + k.wi * ctx.input[1][i];
            if (V[i] >= thresh[i]) {
                refractory_left_[i] = k.refractory_steps;
                V[i] = reset_v[i];
                ctx.spikes->push_back({static_cast<std::uint32_t>(i), ctx.step + 1, 0.0});
            }
        }
    }

private:
    struct Constants {
        double p22, p20, de, di, p21e, p21i, p2ye, p2yi, we, wi;
        int refractory_steps;
    };
    std::vector<Constants> c_;
    std::vector<int> refractory_left_;
    std::vector<double> ye_, yi_;  // auxiliary alpha variables (nA/ms), kernel-private
    double dt_ = 0.1;
};

inline ModelInfo if_curr_alpha_info() {
    ModelInfo m;
    m.name = "IF_curr_alpha";
    m.parameters = {
        lif::v_rest(),
        lif::cm(),
        lif::tau_m(),
        lif::tau_refrac(),
        lif::tau_syn("tau_syn_E", 0.5, "rise time of the excitatory synaptic alpha function"),
        lif::tau_syn("tau_syn_I", 0.5, "rise time of the inhibitory synaptic alpha function"),
        lif::i_offset(),
        lif::v_reset(),
        lif::v_thresh(),
    };
    m.state = {{"v", -65.0, "mV"}, {"isyn_exc", 0.0, "nA"}, {"isyn_inh", 0.0, "nA"}};
    m.recordable = {"spikes", "v"};
    m.receptor_types = {"excitatory", "inhibitory"};
    m.conductance_based = false;
    m.doc =
        "Leaky integrate-and-fire model with fixed threshold and alpha-function shaped "
        "post-synaptic current. Exact integration (Rotter & Diesmann 1999).\n"
        "cm dV/dt = cm (v_rest - V)/tau_m + I_exc + I_inh + i_offset;  "
        "I_x(t) = w (t - t_s)/tau_syn_x exp(1 - (t - t_s)/tau_syn_x)";
    m.make_kernel = [] { return std::make_unique<IfCurrAlphaKernel>(); };
    return m;
}

}  // namespace pineal::models
