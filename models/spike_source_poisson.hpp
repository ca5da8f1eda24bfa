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
        first_id_ = pop.first_id();
        const double now = static_cast<double>(env.current_step) * env.dt;
        cells_.resize(pop.size());  // keeps the streams (position, block) of a run in progress
        for (std::size_t i = 0; i < pop.size(); ++i) {
            Cell& c = cells_[i];
            const double r = pop.parameter(rate)[i];
            c.mean = r > 0.0 ? 1000.0 / r : 0.0;
            c.stop = pop.parameter(start)[i] + pop.parameter(duration)[i];
            c.next = std::max(now, pop.parameter(start)[i]);
            draw_interval(c, i);
        }
    }

    void reset(const Population& pop) override {
        cells_.assign(pop.size(), Cell{});
    }

    void update(StepContext& ctx) override {
        const std::int64_t stamp = ctx.step + 1;
        const double t_end = static_cast<double>(stamp) * ctx.dt;
        for (std::size_t i = ctx.begin; i < ctx.end; ++i) {
            Cell& c = cells_[i];
            while (c.next <= t_end) {
                ctx.spikes->push_back({static_cast<std::uint32_t>(i), stamp, t_end - c.next});
                draw_interval(c, i);
            }
        }
    }

private:
    // One cell's stream and process, 64 bytes: the cell's Philox block is
    // kept here so that a draw reads a word instead of rebuilding the
    // generator (one Philox call per four intervals).
    struct Cell {
        std::uint64_t block[4]{};
        std::uint64_t position = 0;  // words consumed from the cell's stream
        double next = 0.0;           // next spike time (ms)
        double mean = 0.0;           // mean interval (ms); 0 when the rate is 0
        double stop = 0.0;           // start + duration (ms)
    };

    StreamKey key(std::size_t i) const {
        return {seed_, kSpikeSourceStream, first_id_ + i, segment_};
    }

    // Moves c.next on by one exponential interval, or to infinity when the
    // rate is zero or the spike would fall outside [start, start + duration).
    // The same words and arithmetic as RandomStream::exponential(mean), so
    // the trains equal those of a RandomStream over the cell's key.
    void draw_interval(Cell& c, std::size_t i) {
        if (c.mean == 0.0) {
            c.next = std::numeric_limits<double>::infinity();
            return;
        }
        if (c.position % 4 == 0) RandomStream::block(key(i), c.position / 4, c.block);
        const std::uint64_t word = c.block[c.position++ % 4];
        const double u = static_cast<double>((word >> 11) + 1) * 0x1p-53;  // (0, 1]
        c.next += c.mean * (0.0 - std::log(u));
        if (c.next >= c.stop) c.next = std::numeric_limits<double>::infinity();
    }

    std::uint64_t seed_ = 0, segment_ = 0, first_id_ = 0;
    std::vector<Cell> cells_;
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
