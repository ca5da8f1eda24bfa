// The part every renewal spike source shares: intervals drawn one after the
// other from each cell's own stream (keyed by cell id and reset() segment,
// resumed at a saved position), spikes on [start, start + duration) stamped at
// the end of the step that contains them (docs/timing.md), and a restart at
// the current time when a parameter changes.
//
// A source derives from RenewalSourceKernel<Derived> and provides
//   static constexpr int kStart, kDuration;   // parameter indices
//   void validate(const Population&) const;   // cross-parameter checks (may fail)
//   double interval(const Population&, std::size_t cell, RandomStream&, bool first) const;
// where interval() returns the next interval in ms (first: from a restart, so
// the process can start in equilibrium), or infinity for a silent cell.
#pragma once

#include <algorithm>
#include <limits>
#include <vector>

#include "engine/kernel.hpp"
#include "models/spike_source_poisson.hpp"
#include "pineal/random.hpp"

namespace pineal::models {

template <class Derived>
class RenewalSourceKernel : public NeuronKernel {
public:
    void prepare(const Population& pop, const KernelEnv& env) override {
        self().validate(pop);
        seed_ = env.rng_seed;
        segment_ = env.segment;
        const double now = static_cast<double>(env.current_step) * env.dt;
        positions_.resize(pop.size(), 0);
        next_.resize(pop.size());
        for (std::size_t i = 0; i < pop.size(); ++i) {
            next_[i] = std::max(now, pop.parameter(Derived::kStart)[i]);
            advance(pop, i, true);
        }
    }

    void reset(const Population& pop) override { positions_.assign(pop.size(), 0); }

    void update(StepContext& ctx) override {
        const Population& pop = *ctx.population;
        const std::int64_t stamp = ctx.step + 1;
        const double t_end = static_cast<double>(stamp) * ctx.dt;
        for (std::size_t i = ctx.begin; i < ctx.end; ++i) {
            while (next_[i] <= t_end) {
                ctx.spikes->push_back({static_cast<std::uint32_t>(i), stamp, t_end - next_[i]});
                advance(pop, i, false);
            }
        }
    }

private:
    const Derived& self() const { return static_cast<const Derived&>(*this); }

    // Moves next_[i] on by one interval, or to infinity when the cell is
    // silent or the spike would fall after start + duration.
    void advance(const Population& pop, std::size_t i, bool first) {
        const double stop = pop.parameter(Derived::kStart)[i] + pop.parameter(Derived::kDuration)[i];
        RandomStream rng({seed_, kSpikeSourceStream, pop.first_id() + i, segment_}, positions_[i]);
        next_[i] += self().interval(pop, i, rng, first);
        positions_[i] = rng.position();
        if (!(next_[i] < stop)) next_[i] = std::numeric_limits<double>::infinity();
    }

    std::uint64_t seed_ = 0, segment_ = 0;
    std::vector<std::uint64_t> positions_;  // words consumed per cell stream
    std::vector<double> next_;              // next spike time per cell (ms)
};

}  // namespace pineal::models
