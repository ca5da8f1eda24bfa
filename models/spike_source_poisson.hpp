// SpikeSourcePoisson: homogeneous Poisson process on [start, start + duration).
//
// Spike times are drawn in continuous time (exponential intervals of mean
// 1000/rate ms) from each cell's own random stream, keyed by the cell id and
// the reset() segment, so trains do not depend on threads or partitions. A
// spike at time t in ((n-1) dt, n dt] is stamped n dt (the end of the step in
// which it occurs); the event keeps the offset n dt - t. Changing a parameter
// restarts the process at the current time, which the memoryless process
// allows without bias.
#pragma once

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>

#include "engine/kernel.hpp"
#include "pineal/model.hpp"
#include "pineal/random.hpp"

namespace pineal::models {

// Stream tag of the simulator's own spike-source draws (entity = cell id).
inline constexpr std::uint64_t kSpikeSourceStream = 0x5350494B45ull;  // "SPIKE"

class SpikeSourcePoissonKernel final : public NeuronKernel {
public:
    enum Param { rate, start, duration };

    void prepare(const Population& pop, const KernelEnv& env) override {
        seed_ = env.rng_seed;
        segment_ = env.segment;
        const double now = static_cast<double>(env.current_step) * env.dt;
        positions_.resize(pop.size(), 0);
        next_.resize(pop.size());
        for (std::size_t i = 0; i < pop.size(); ++i) {
            next_[i] = std::max(now, pop.parameter(start)[i]);
            draw_interval(pop, i);
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
                draw_interval(pop, i);
            }
        }
    }

private:
    // Moves next_[i] on by one exponential interval, or to infinity when the
    // rate is zero or the spike would fall outside [start, start + duration).
    void draw_interval(const Population& pop, std::size_t i) {
        const double r = pop.parameter(rate)[i];
        const double stop = pop.parameter(start)[i] + pop.parameter(duration)[i];
        if (r <= 0.0) {
            next_[i] = std::numeric_limits<double>::infinity();
            return;
        }
        RandomStream rng({seed_, kSpikeSourceStream, pop.first_id() + i, segment_}, positions_[i]);
        next_[i] += rng.exponential(1000.0 / r);
        positions_[i] = rng.position();
        if (next_[i] >= stop) next_[i] = std::numeric_limits<double>::infinity();
    }

    std::uint64_t seed_ = 0, segment_ = 0;
    std::vector<std::uint64_t> positions_;  // words consumed per cell stream
    std::vector<double> next_;              // next spike time per cell (ms)
};

inline ModelInfo spike_source_poisson_info() {
    ModelInfo m;
    m.name = "SpikeSourcePoisson";
    m.parameters = {
        {"rate", 1.0, "Hz", Check::non_negative, ParameterShape::scalar, "mean spike frequency"},
        {"start", 0.0, "ms", Check::non_negative, ParameterShape::scalar, "start time"},
        {"duration", 1e10, "ms", Check::non_negative, ParameterShape::scalar,
         "duration of the spike sequence"},
    };
    m.recordable = {"spikes"};
    m.injectable = false;
    m.spike_source = true;
    m.doc = "Homogeneous Poisson spike source active on [start, start + duration).";
    m.make_kernel = [] { return std::make_unique<SpikeSourcePoissonKernel>(); };
    return m;
}

}  // namespace pineal::models
