// SpikeSourceGamma: renewal process with Gamma(shape alpha, rate beta)
// inter-spike intervals on [start, start + duration); mean interval
// 1000 alpha/beta ms (PyNN 0.13, shared reference §4.6).
//
// Spike times are drawn in continuous time from each cell's own stream, keyed
// by cell id and reset() segment, and stamped as SpikeSourcePoisson's
// (docs/timing.md). The process starts in equilibrium, as NEST's
// gamma_sup_generator: for an integer alpha a gamma process is every alpha-th
// event of a Poisson process of rate beta, and in equilibrium the phase is
// uniform, so the first interval is Gamma(j, beta) with j uniform on
// {1..alpha}. For a non-integer alpha the first interval is a full one
// (ordinary renewal process). A parameter change restarts the process at the
// current time, in equilibrium again.
#pragma once

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>

#include "engine/kernel.hpp"
#include "models/renewal_source.hpp"
#include "pineal/model.hpp"
#include "pineal/random.hpp"

namespace pineal::models {

class SpikeSourceGammaKernel final : public RenewalSourceKernel<SpikeSourceGammaKernel> {
public:
    enum Param { alpha, beta, start, duration };
    static constexpr int kStart = start, kDuration = duration;

    void validate(const Population&) const {}

    double interval(const Population& pop, std::size_t i, RandomStream& rng, bool first) const {
        const double shape = pop.parameter(alpha)[i], rate = pop.parameter(beta)[i];
        if (rate <= 0.0) return std::numeric_limits<double>::infinity();
        double k = shape;
        if (first && shape == std::floor(shape) && shape >= 1.0)
            k = 1.0 + std::floor(rng.uniform() * shape);  // equilibrium phase
        return Distribution::make("gamma", {k, 1000.0 / rate}).draw(rng);
    }
};

inline ModelInfo spike_source_gamma_info() {
    ModelInfo m;
    m.name = "SpikeSourceGamma";
    using P = ParameterShape;
    m.parameters = {
        {"alpha", 2.0, "dimensionless", Check::positive, P::scalar,
         "shape parameter of the gamma distribution (an integer in PyNN)"},
        {"beta", 1.0, "Hz", Check::non_negative, P::scalar,
         "rate parameter of the gamma distribution; mean rate is beta/alpha"},
        {"start", 0.0, "ms", Check::non_negative, P::scalar, "start time"},
        {"duration", 1e10, "ms", Check::non_negative, P::scalar,
         "duration of the spike sequence"},
    };
    m.recordable = {"spikes"};
    m.injectable = false;
    m.spike_source = true;
    m.doc = "Gamma renewal spike source (shape alpha, rate beta in Hz; mean rate beta/alpha) "
            "active on [start, start + duration), started in equilibrium.";
    m.make_kernel = [] { return std::make_unique<SpikeSourceGammaKernel>(); };
    return m;
}

}  // namespace pineal::models
