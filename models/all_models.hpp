// The list of compiled-in standard models. Adding a model: write
// models/<model>.hpp (descriptor + kernel) and add one line here.
#pragma once

#include <vector>

#include "models/if_cond_exp.hpp"
#include "models/if_curr_exp.hpp"
#include "models/spike_source_array.hpp"
#include "models/spike_source_poisson.hpp"

namespace pineal::models {

inline std::vector<ModelInfo> all_models() {
    return {
        if_curr_exp_info(),
        if_cond_exp_info(),
        spike_source_poisson_info(),
        spike_source_array_info(),
    };
}

}  // namespace pineal::models
