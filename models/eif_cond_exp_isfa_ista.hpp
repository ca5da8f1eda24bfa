// EIF_cond_exp_isfa_ista: adaptive exponential integrate-and-fire neuron
// (Brette & Gerstner 2005) with exponentially decaying synaptic
// conductances. Equations, integrator and spike handling: models/adex.hpp;
// documentation: docs/models/EIF_cond_exp_isfa_ista.md.
#pragma once

#include "models/adex.hpp"

namespace pineal::models {

inline ModelInfo eif_cond_exp_isfa_ista_info() { return adex_info("EIF_cond_exp_isfa_ista", false); }

}  // namespace pineal::models
