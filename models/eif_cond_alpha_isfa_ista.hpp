// EIF_cond_alpha_isfa_ista: adaptive exponential integrate-and-fire neuron
// (Brette & Gerstner 2005) with alpha-function synaptic conductances.
// Equations, integrator and spike handling: models/adex.hpp; documentation:
// docs/models/EIF_cond_alpha_isfa_ista.md.
#pragma once

#include "models/adex.hpp"

namespace pineal::models {

inline ModelInfo eif_cond_alpha_isfa_ista_info() {
    return adex_info("EIF_cond_alpha_isfa_ista", true);
}

}  // namespace pineal::models
