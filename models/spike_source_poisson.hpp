// SpikeSourcePoisson: homogeneous Poisson process on [start, start + duration).
//
// Spike times are drawn in continuous time (exponential intervals of mean
// 1000/rate ms) from each cell's own random stream, keyed by the cell id and
// the reset() segment, so trains do not depend on threads or partitions.
// Interval k of a cell is mean * (0 - vector_log(u_k)), u_k = (w_k >> 11 + 1)
// 2^-53 in (0, 1] from the k-th 64-bit word w_k of the cell's stream
// (RandomStream's uniform_open0; vector_log is within 2 ulp of std::log). A
// spike at time t in ((n-1) dt, n dt] is stamped n dt (the end of the step in
// which it occurs); the event keeps the offset n dt - t. Changing a parameter
// restarts the process at the current time, which the memoryless process
// allows without bias.
#pragma once

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <memory>

#include "engine/kernel.hpp"
#include "models/vector_log.hpp"
#include "pineal/model.hpp"
#include "pineal/random.hpp"

namespace pineal::models {

// Stream tag of the simulator's own spike-source draws (entity = cell id).
inline constexpr std::uint64_t kSpikeSourceStream = 0x5350494B45ull;  // "SPIKE"

// The unit exponential 0 - log(u) of one stream word w, u in (0, 1] as
// RandomStream::uniform_open0 makes it: (w >> 11) + 1 <= 2^53 as a double,
// exactly, from its high and low 32 bits by the magic-number trick (no
// int64 -> double in AVX2). vector_log gives the same bits in a vector lane
// as in scalar code, and no clone uses FMA, so the machine does not change
// the trains.
inline double unit_exponential(std::uint64_t w) {
    const std::uint64_t m = (w >> 11) + 1;
    const double hi = std::bit_cast<double>(0x4530000000000000ull | (m >> 32)) -
                      (0x1p84 + 0x1p52);  // (m >> 32) 2^32 - 2^52
    const double lo = std::bit_cast<double>(0x4330000000000000ull | (m & 0xffffffffull));
    return 0.0 - vector_log((hi + lo) * 0x1p-53);  // hi + lo = m exactly
}

// The four unit exponentials of one Philox block of words: one vector of
// four lanes with AVX2 (chosen when the library loads).
[[gnu::target_clones("avx2", "default"), gnu::flatten]] inline void unit_exponentials(
    const std::uint64_t* __restrict words, double* __restrict out) {
    for (int k = 0; k < 4; ++k) out[k] = unit_exponential(words[k]);
}

// The same for n words (blocks of many cells at once): the lanes of
// different blocks are independent, so the long chain of one log overlaps
// with the others' (unit_exponentials on one block is latency-bound, and its
// vector load of words just stored one at a time cannot be forwarded from
// the stores).
[[gnu::target_clones("avx2", "default"), gnu::flatten]] inline void unit_exponentials_n(
    const std::uint64_t* __restrict words, double* __restrict out, std::size_t n) {
    for (std::size_t k = 0; k < n; ++k) out[k] = unit_exponential(words[k]);
}

class SpikeSourcePoissonKernel final : public NeuronKernel {
public:
    enum Param { rate, start, duration };

    void prepare(const Population& pop, const KernelEnv& env) override {
        seed_ = env.rng_seed;
        segment_ = env.segment;
        first_id_ = pop.first_id();
        const double now = static_cast<double>(env.current_step) * env.dt;
        cells_.resize(pop.size());  // keeps the streams (position, blocks) of a run in progress
        for (std::size_t i = 0; i < pop.size(); ++i) top_up(cells_[i], i);  // new and reset cells
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

    // The cell's process lives in registers while it spikes: stored events
    // (an int64 stamp, a double offset) could alias the record's position
    // and time, which would otherwise be stored and reloaded per spike.
    // (Staging the events in a local buffer, or writing them through a
    // pointer into room made by resize(), measured slower than push_back.)
    // Cells left with one block or less of drawn words are topped up after
    // the spike loop, a batch at a time (see Cell).
    void update(StepContext& ctx) override {
        const std::int64_t stamp = ctx.step + 1;
        const double t_end = static_cast<double>(stamp) * ctx.dt;
        auto& out = *ctx.spikes;
        std::uint32_t low[kBatch];
        std::size_t n_low = 0;
        for (std::size_t i = ctx.begin; i < ctx.end; ++i) {
            Cell& c = cells_[i];
            double next = c.next;
            if (next > t_end) continue;
            const double mean = c.mean, stop = c.stop;  // mean > 0: else next is infinite
            std::uint64_t position = c.position;
            do {
                out.push_back({static_cast<std::uint32_t>(i), stamp, t_end - next});
                if (position == c.drawn) [[unlikely]] refill(c, i);
                next += mean * c.unit[position++ % 8];
                if (next >= stop) next = std::numeric_limits<double>::infinity();
            } while (next <= t_end);
            c.next = next;
            c.position = position;
            low[n_low] = static_cast<std::uint32_t>(i);  // kept when the cell is low
            n_low += c.drawn <= position + 4;
            if (n_low == kBatch) n_low = (top_up_all(low, n_low), 0);
        }
        top_up_all(low, n_low);
    }

private:
    // One cell's stream and process, 104 bytes. The unit exponentials of the
    // cell's next words (up to two Philox blocks) are kept here, so a draw
    // reads one of them (one Philox call and one four-lane log per four
    // intervals). The blocks are computed ahead of need, after the spike
    // loop of a step, for all the cells that ran low at once: the refill's
    // long dependency chain (Philox, a division, a polynomial) then
    // overlaps with the other cells' instead of stalling a spike loop, whose
    // exit branch (a Poisson count) often mispredicts. A cell that spikes
    // through all its words within one step refills inline.
    struct Cell {
        double unit[8]{};            // 0 - log(u_w) of word w at unit[w % 8], w in [position, drawn)
        std::uint64_t position = 0;  // words consumed from the cell's stream
        std::uint64_t drawn = 0;     // words computed (a multiple of 4), position <= drawn
        double next = 0.0;           // next spike time (ms)
        double mean = 0.0;           // mean interval (ms); 0 when the rate is 0
        double stop = 0.0;           // start + duration (ms)
    };

    static constexpr std::size_t kBatch = 64;  // cells topped up at once

    StreamKey key(std::size_t i) const {
        return {seed_, kSpikeSourceStream, first_id_ + i, segment_};
    }

    // Computes the cell's next block (words drawn .. drawn + 3). Its slots
    // hold words already consumed: drawn <= position + 4.
    void refill(Cell& c, std::size_t i) const {
        std::uint64_t words[4];
        RandomStream::block(key(i), c.drawn / 4, words);
        unit_exponentials(words, c.unit + c.drawn % 8);
        c.drawn += 4;
    }
    // Fills the cell up to two blocks ahead when at most one is left.
    void top_up(Cell& c, std::size_t i) const {
        while (c.drawn <= c.position + 4) refill(c, i);
    }
    // refill() of each of the cells, n <= kBatch: the Philox blocks first,
    // then the logs of all words in one vector loop.
    void top_up_all(const std::uint32_t* cells, std::size_t n) {
        alignas(32) std::uint64_t words[4 * kBatch]{};  // {}: no maybe-uninitialized warning
        alignas(32) double units[4 * kBatch];
        for (std::size_t q = 0; q < n; ++q)
            RandomStream::block(key(cells[q]), cells_[cells[q]].drawn / 4, words + 4 * q);
        unit_exponentials_n(words, units, 4 * n);
        for (std::size_t q = 0; q < n; ++q) {
            Cell& c = cells_[cells[q]];
            std::copy_n(units + 4 * q, 4, c.unit + c.drawn % 8);
            c.drawn += 4;
        }
    }

    // Moves c.next on by one exponential interval, or to infinity when the
    // rate is zero or the spike would fall outside [start, start + duration);
    // the intervals are the words of a RandomStream over the cell's key, in
    // turn. update() does the same inline.
    void draw_interval(Cell& c, std::size_t i) const {
        if (c.mean == 0.0) {
            c.next = std::numeric_limits<double>::infinity();
            return;
        }
        if (c.position == c.drawn) refill(c, i);
        c.next += c.mean * c.unit[c.position++ % 8];
        top_up(c, i);
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
