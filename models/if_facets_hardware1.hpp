// IF_facets_hardware1: the leaky integrate-and-fire model of the FACETS
// stage-1 neuromorphic hardware neuron (PyNN 0.13, shared reference §4.1):
// IF_cond_exp with fixed cm = 0.2 nF, tau_refrac = 1.0 ms, e_rev_E = 0 mV,
// i_offset = 0, and the leak given as a conductance g_leak (nS), so that
// tau_m = 0.2 nF / g_leak = 200/g_leak ms. Integrated by
// models/cond_exp_channels.hpp (exponential integrator).
#pragma once

#include <memory>

#include "models/cond_exp_channels.hpp"

namespace pineal::models {

namespace facets {
enum Param { g_leak, tau_syn_E, tau_syn_I, v_reset, e_rev_I, v_rest, v_thresh };
enum State { v, gsyn_exc, gsyn_inh };

inline void params(const Population& pop, std::size_t i, CondCellParams& p) {
    p.cm = 0.2;                                   // nF, fixed by the hardware
    p.g_l = 0.001 * pop.parameter(g_leak)[i];     // nS -> uS
    p.e_l = pop.parameter(v_rest)[i];
    p.i_offset = 0.0;
    p.v_thresh = pop.parameter(v_thresh)[i];
    p.v_reset = pop.parameter(v_reset)[i];
    p.tau_refrac = 1.0;
    p.tau = {pop.parameter(tau_syn_E)[i], pop.parameter(tau_syn_I)[i]};
    p.e_rev = {0.0, pop.parameter(e_rev_I)[i]};
    p.q = {0.0, 0.0};
}
}  // namespace facets

inline ModelInfo if_facets_hardware1_info() {
    ModelInfo m;
    m.name = "IF_facets_hardware1";
    using P = ParameterShape;
    m.parameters = {
        {"g_leak", 40.0, "nS", Check::positive, P::scalar, "leak conductance"},
        lif::tau_syn("tau_syn_E", 30.0, "excitatory conductance decay"),
        lif::tau_syn("tau_syn_I", 30.0, "inhibitory conductance decay"),
        {"v_reset", -80.0, "mV", Check::any, P::scalar, "reset potential after a spike"},
        {"e_rev_I", -80.0, "mV", Check::any, P::scalar, "inhibitory reversal potential"},
        lif::v_rest(),
        {"v_thresh", -55.0, "mV", Check::any, P::scalar, "spike threshold"},
    };
    m.state = {{"v", -65.0, "mV"}, {"gsyn_exc", 0.0, "uS"}, {"gsyn_inh", 0.0, "uS"}};
    m.recordable = {"spikes", "v", "gsyn_exc", "gsyn_inh"};
    m.receptor_types = {"excitatory", "inhibitory"};
    m.conductance_based = true;
    m.doc =
        "Leaky integrate-and-fire model with conductance-based exponential synapses, as the "
        "FACETS stage-1 hardware neuron: cm = 0.2 nF, tau_refrac = 1 ms, e_rev_E = 0 mV and "
        "i_offset = 0 are fixed.\n"
        "0.2 dV/dt = g_leak (v_rest - V) + g_e (0 - V) + g_i (e_rev_I - V);  "
        "dg_x/dt = -g_x/tau_syn_x. Exponential integrator with exact conductance integrals.";
    m.make_kernel = [] {
        CondChannelLayout l;
        l.count = 2;
        l.v_state = facets::v;
        l.state = {facets::gsyn_exc, facets::gsyn_inh};
        l.port = {0, 1};
        l.scale = {1.0, 1.0};
        return std::make_unique<CondExpChannelsKernel>(l, &facets::params);
    };
    return m;
}

}  // namespace pineal::models
