// IF_cond_exp_gsfa_grr: IF_cond_exp with spike-frequency adaptation and
// relative refractoriness (Muller, Buesing, Schemmel & Meier 2007, Neural
// Computation 19:2958; PyNN 0.13, shared reference §4.1; NEST's
// iaf_cond_exp_sfa_rr):
//
//   cm dV/dt = g_L (v_rest - V) + g_e (e_rev_E - V) + g_i (e_rev_I - V)
//              + g_s (e_rev_sfa - V) + g_r (e_rev_rr - V) + i_offset
//   dg_s/dt = -g_s/tau_sfa,  dg_r/dt = -g_r/tau_rr   (g_s, g_r in nS)
//   on a spike: V <- v_reset, g_s += q_sfa, g_r += q_rr (nS)
//
// Integrated by models/cond_exp_channels.hpp (exponential integrator).
#pragma once

#include <memory>

#include "models/cond_exp_channels.hpp"

namespace pineal::models {

namespace gsfa_grr {
enum Param {
    v_rest, cm, tau_m, tau_refrac, tau_syn_E, tau_syn_I, e_rev_E, e_rev_I, v_thresh, v_reset,
    i_offset, tau_sfa, e_rev_sfa, q_sfa, tau_rr, e_rev_rr, q_rr
};
enum State { v, gsyn_exc, gsyn_inh, g_s, g_r };

inline void params(const Population& pop, std::size_t i, CondCellParams& p) {
    const auto at = [&](int k) { return pop.parameter(k)[i]; };
    p.cm = at(cm);
    p.g_l = at(cm) / at(tau_m);
    p.e_l = at(v_rest);
    p.i_offset = at(i_offset);
    p.v_thresh = at(v_thresh);
    p.v_reset = at(v_reset);
    p.tau_refrac = at(tau_refrac);
    p.tau = {at(tau_syn_E), at(tau_syn_I), at(tau_sfa), at(tau_rr)};
    p.e_rev = {at(e_rev_E), at(e_rev_I), at(e_rev_sfa), at(e_rev_rr)};
    p.q = {0.0, 0.0, at(q_sfa), at(q_rr)};  // nS, the unit of the g_s, g_r state
}
}  // namespace gsfa_grr

inline ModelInfo if_cond_exp_gsfa_grr_info() {
    ModelInfo m;
    m.name = "IF_cond_exp_gsfa_grr";
    using P = ParameterShape;
    m.parameters = {
        lif::v_rest(),
        lif::cm(),
        lif::tau_m(),
        lif::tau_refrac(),
        lif::tau_syn("tau_syn_E", 5.0, "excitatory conductance decay"),
        lif::tau_syn("tau_syn_I", 5.0, "inhibitory conductance decay"),
        lif::e_rev_E(),
        lif::e_rev_I(),
        lif::v_thresh(),
        lif::v_reset(),
        lif::i_offset(),
        {"tau_sfa", 100.0, "ms", Check::positive, P::scalar,
         "decay time of the spike-frequency adaptation conductance"},
        {"e_rev_sfa", -75.0, "mV", Check::any, P::scalar,
         "reversal potential of the adaptation conductance"},
        {"q_sfa", 15.0, "nS", Check::any, P::scalar,
         "increment of the adaptation conductance per spike"},
        {"tau_rr", 2.0, "ms", Check::positive, P::scalar,
         "decay time of the relative refractory conductance"},
        {"e_rev_rr", -75.0, "mV", Check::any, P::scalar,
         "reversal potential of the relative refractory conductance"},
        {"q_rr", 3000.0, "nS", Check::any, P::scalar,
         "increment of the relative refractory conductance per spike"},
    };
    m.state = {{"v", -65.0, "mV"}, {"gsyn_exc", 0.0, "uS"}, {"gsyn_inh", 0.0, "uS"},
               {"g_s", 0.0, "nS"}, {"g_r", 0.0, "nS"}};
    m.recordable = {"spikes", "v", "g_r", "g_s", "gsyn_exc", "gsyn_inh"};
    m.receptor_types = {"excitatory", "inhibitory"};
    m.conductance_based = true;
    m.doc =
        "Leaky integrate-and-fire model with conductance-based exponential synapses, "
        "spike-frequency adaptation and relative refractory conductances (Muller et al. 2007).\n"
        "cm dV/dt = cm/tau_m (v_rest - V) + g_e (e_rev_E - V) + g_i (e_rev_I - V) "
        "+ g_s (e_rev_sfa - V) + g_r (e_rev_rr - V) + i_offset;  dg_s/dt = -g_s/tau_sfa, "
        "dg_r/dt = -g_r/tau_rr, on a spike g_s += q_sfa, g_r += q_rr (nS). Exponential "
        "integrator with exact conductance integrals.";
    m.make_kernel = [] {
        CondChannelLayout l;
        l.count = 4;
        l.v_state = gsfa_grr::v;
        l.state = {gsfa_grr::gsyn_exc, gsfa_grr::gsyn_inh, gsfa_grr::g_s, gsfa_grr::g_r};
        l.port = {0, 1, -1, -1};
        l.scale = {1.0, 1.0, 0.001, 0.001};  // g_s, g_r are kept in nS
        return std::make_unique<CondExpChannelsKernel>(l, &gsfa_grr::params);
    };
    return m;
}

}  // namespace pineal::models
