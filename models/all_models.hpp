// The list of compiled-in standard models. Adding a model: write
// models/<model>.hpp (descriptor + kernel) and add one line here.
#pragma once

#include <vector>

#include "models/eif_cond_alpha_isfa_ista.hpp"
#include "models/eif_cond_exp_isfa_ista.hpp"
#include "models/gif_cond_exp.hpp"
#include "models/hh_cond_exp.hpp"
#include "models/if_cond_alpha.hpp"
#include "models/if_cond_exp.hpp"
#include "models/if_cond_exp_gsfa_grr.hpp"
#include "models/if_curr_alpha.hpp"
#include "models/if_curr_delta.hpp"
#include "models/if_curr_exp.hpp"
#include "models/if_facets_hardware1.hpp"
#include "models/izhikevich.hpp"
#include "models/spike_source_array.hpp"
#include "models/spike_source_gamma.hpp"
#include "models/spike_source_inh_gamma.hpp"
#include "models/spike_source_poisson.hpp"
#include "models/spike_source_poisson_refractory.hpp"

namespace pineal::models {

inline std::vector<ModelInfo> all_models() {
    return {
        if_curr_exp_info(),
        if_cond_exp_info(),
        if_curr_alpha_info(),
        if_curr_delta_info(),
        if_cond_alpha_info(),
        if_cond_exp_gsfa_grr_info(),
        if_facets_hardware1_info(),
        eif_cond_exp_isfa_ista_info(),
        eif_cond_alpha_isfa_ista_info(),
        hh_cond_exp_info(),
        izhikevich_info(),
        gif_cond_exp_info(),
        spike_source_poisson_info(),
        spike_source_array_info(),
        spike_source_gamma_info(),
        spike_source_poisson_refractory_info(),
        spike_source_inh_gamma_info(),
    };
}

}  // namespace pineal::models
