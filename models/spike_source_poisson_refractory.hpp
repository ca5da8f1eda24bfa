// SpikeSourcePoissonRefractory: renewal process whose intervals are
// tau_refrac + Exp(mean 1000/rate - tau_refrac) ms, so the mean rate is
// `rate` (PyNN 0.13, shared reference §4.6; NEST's ppd_sup_generator).
//
// Continuous-time draws from per-cell streams (cell id, reset() segment),
// stamped as SpikeSourcePoisson's (docs/timing.md). The process starts in
// equilibrium: the time to the first spike has the density (1 - F(t))/mu of
// a stationary renewal process (mu the mean interval), which for this law is
// uniform on [0, tau_refrac) with probability tau_refrac/mu and
// tau_refrac + Exp(mu - tau_refrac) otherwise. A parameter change restarts
// the process at the current time, in equilibrium again.
// rate * tau_refrac must stay below 1000 (a mean interval longer than the
// dead time); otherwise prepare() fails naming the parameters.
#pragma once

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>

#include "engine/kernel.hpp"
#include "models/renewal_source.hpp"
#include "pineal/errors.hpp"
#include "pineal/model.hpp"
#include "pineal/random.hpp"

namespace pineal::models {

class SpikeSourcePoissonRefractoryKernel final : public RenewalSourceKernel<SpikeSourcePoissonRefractoryKernel> {
public:
    enum Param { rate, tau_refrac, start, duration };
    static constexpr int kStart = start, kDuration = duration;

    // rate * tau_refrac must stay below 1000 (a mean interval longer than the dead time).
    void validate(const Population& pop) const {
        for (std::size_t i = 0; i < pop.size(); ++i) {
            const double r = pop.parameter(rate)[i], d = pop.parameter(tau_refrac)[i];
            if (r > 0.0 && !(d < 1000.0 / r))
                fail(ErrorKind::invalid_parameter_value, "SpikeSourcePoissonRefractory",
                     "tau_refrac", "SpikeSourcePoissonRefractory: tau_refrac (", d,
                     " ms) must be shorter than the mean interval 1000/rate (rate ", r,
                     " Hz) of cell ", i);
        }
    }

    double interval(const Population& pop, std::size_t i, RandomStream& rng, bool first) const {
        const double r = pop.parameter(rate)[i], dead = pop.parameter(tau_refrac)[i];
        if (r <= 0.0) return std::numeric_limits<double>::infinity();
        const double mean = 1000.0 / r;
        if (first && rng.uniform() * mean < dead) return rng.uniform() * dead;  // inside a dead time
        return dead + rng.exponential(mean - dead);
    }
};

inline ModelInfo spike_source_poisson_refractory_info() {
    ModelInfo m;
    m.name = "SpikeSourcePoissonRefractory";
    using P = ParameterShape;
    m.parameters = {
        {"rate", 1.0, "Hz", Check::non_negative, P::scalar, "mean spike frequency"},
        {"tau_refrac", 0.0, "ms", Check::non_negative, P::scalar,
         "minimum time between spikes (dead time)"},
        {"start", 0.0, "ms", Check::non_negative, P::scalar, "start time"},
        {"duration", 1e10, "ms", Check::non_negative, P::scalar,
         "duration of the spike sequence"},
    };
    m.recordable = {"spikes"};
    m.injectable = false;
    m.spike_source = true;
    m.doc = "Poisson process with dead time: intervals tau_refrac + Exp(1000/rate - tau_refrac) "
            "ms (mean rate `rate`), active on [start, start + duration), started in equilibrium.";
    m.make_kernel = [] { return std::make_unique<SpikeSourcePoissonRefractoryKernel>(); };
    return m;
}

}  // namespace pineal::models
