// The parameters the leaky integrate-and-fire models share, with PyNN 0.13's
// defaults, units and checks (shared reference §4.1), defined once. Each
// model lists them in its own order (its kernel indexes them by position).
#pragma once

#include "pineal/model.hpp"

namespace pineal::models::lif {

inline ParameterInfo scalar(const char* name, double value, const char* unit, Check check,
                            const char* doc) {
    return {name, value, unit, check, ParameterShape::scalar, doc};
}

inline ParameterInfo v_rest() {
    return scalar("v_rest", -65.0, "mV", Check::any, "resting membrane potential");
}
inline ParameterInfo cm() { return scalar("cm", 1.0, "nF", Check::positive, "membrane capacitance"); }
inline ParameterInfo tau_m() {
    return scalar("tau_m", 20.0, "ms", Check::positive, "membrane time constant");
}
inline ParameterInfo tau_refrac() {
    return scalar("tau_refrac", 0.1, "ms", Check::non_negative, "refractory period");
}
inline ParameterInfo i_offset() { return scalar("i_offset", 0.0, "nA", Check::any, "offset current"); }
inline ParameterInfo v_reset() {
    return scalar("v_reset", -65.0, "mV", Check::any, "reset potential after a spike");
}
inline ParameterInfo v_thresh() { return scalar("v_thresh", -50.0, "mV", Check::any, "spike threshold"); }
inline ParameterInfo e_rev_E() {
    return scalar("e_rev_E", 0.0, "mV", Check::any, "excitatory reversal potential");
}
inline ParameterInfo e_rev_I() {
    return scalar("e_rev_I", -70.0, "mV", Check::any, "inhibitory reversal potential");
}
// tau_syn_E / tau_syn_I: defaults and meaning differ between models.
inline ParameterInfo tau_syn(const char* name, double value, const char* doc) {
    return scalar(name, value, "ms", Check::positive, doc);
}

}  // namespace pineal::models::lif
