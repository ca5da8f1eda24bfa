// SpikeSourcePoisson keeps each cell's Philox block (as four unit
// exponentials) in the kernel: no RandomStream per draw. The trains must be
// exactly those of the definition in models/spike_source_poisson.hpp:
// intervals (1000 / rate) (0 - vector_log(u)), u =
// RandomStream::uniform_open0() drawn in turn from the cell's stream
// (computed here one at a time, in the kernel four lanes at once), restarted
// at the current time when a parameter changes, continued across prepare()
// calls.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "models/spike_source_poisson.hpp"
#include "pineal/model.hpp"
#include "pineal/population.hpp"
#include "pineal/random.hpp"

namespace {

using pineal::SpikeEvent;

struct Reference {
    pineal::RandomStream rng;
    double next = 0.0;
    double interval(double rate) {
        return (1000.0 / rate) * (0.0 - pineal::models::vector_log(rng.uniform_open0()));
    }
};

// Runs the kernel for steps [from, to) and collects its events.
void run(pineal::NeuronKernel& k, const pineal::Population& pop, std::int64_t from,
         std::int64_t to, std::vector<SpikeEvent>& out) {
    pineal::StateArrays state;
    for (std::int64_t s = from; s < to; ++s) {
        pineal::StepContext ctx{s, 0.1, &pop, &state, nullptr, &out, 0, pop.size()};
        k.update(ctx);
    }
}

TEST(SpikeSourcePoisson, TrainsEqualTheCellStreamsAcrossRunsAndParameterChanges) {
    const pineal::ModelInfo& m = pineal::find_model("SpikeSourcePoisson");
    const std::uint64_t first_id = 17, seed = 4242;
    const std::size_t n = 5;
    pineal::Population pop(m, n, "noise", first_id);
    pop.set_parameter("rate", 900.0);
    pop.set_parameter("start", 2.0);
    auto kernel = m.make_kernel();
    pineal::KernelEnv env;
    env.rng_seed = seed;
    env.segment = 3;
    kernel->reset(pop);

    // Reference: one RandomStream per cell, the definition of the trains.
    std::vector<Reference> ref;
    for (std::size_t i = 0; i < n; ++i)
        ref.push_back({pineal::RandomStream(
                           {seed, pineal::models::kSpikeSourceStream, first_id + i, 3}),
                       0.0});
    auto restart = [&](double now, double rate, double start, double stop) {
        for (auto& r : ref) {
            r.next = std::max(now, start) + r.interval(rate);
            if (r.next >= stop) r.next = std::numeric_limits<double>::infinity();
        }
    };
    auto expected = [&](std::int64_t from, std::int64_t to, double rate, double stop) {
        std::vector<SpikeEvent> out;
        for (std::int64_t s = from; s < to; ++s) {
            const double t_end = static_cast<double>(s + 1) * 0.1;
            for (std::uint32_t i = 0; i < n; ++i)
                while (ref[i].next <= t_end) {
                    out.push_back({i, s + 1, t_end - ref[i].next});
                    ref[i].next += ref[i].interval(rate);
                    if (ref[i].next >= stop) ref[i].next = std::numeric_limits<double>::infinity();
                }
        }
        return out;
    };
    auto same = [](const std::vector<SpikeEvent>& a, const std::vector<SpikeEvent>& b) {
        ASSERT_EQ(a.size(), b.size());
        for (std::size_t q = 0; q < a.size(); ++q) {
            EXPECT_EQ(a[q].index, b[q].index) << q;
            EXPECT_EQ(a[q].stamp, b[q].stamp) << q;
            EXPECT_EQ(a[q].offset, b[q].offset) << q;  // exact: same words, same arithmetic
        }
    };

    kernel->prepare(pop, env);
    restart(0.0, 900.0, 2.0, 2.0 + 1e10);
    std::vector<SpikeEvent> got;
    run(*kernel, pop, 0, 333, got);  // a split that leaves streams mid-block
    auto want = expected(0, 333, 900.0, 2.0 + 1e10);
    ASSERT_GT(want.size(), 100u);
    same(got, want);

    got.clear();
    run(*kernel, pop, 333, 501, got);  // continued without prepare()
    same(got, expected(333, 501, 900.0, 2.0 + 1e10));

    // A parameter change restarts the process at the current time.
    pop.set_parameter("rate", 2500.0);
    pop.set_parameter("duration", 60.0);
    env.current_step = 501;
    kernel->prepare(pop, env);
    restart(501 * 0.1, 2500.0, 2.0, 62.0);
    got.clear();
    run(*kernel, pop, 501, 700, got);
    want = expected(501, 700, 2500.0, 62.0);
    ASSERT_GT(want.size(), 100u);
    same(got, want);
    EXPECT_LE(got.back().stamp, 620);  // nothing after start + duration
}

// Many cells (more than one top-up batch), rates that use up more than the
// two blocks a cell keeps within one step (inline refills), and updates of
// sub-ranges as shards make them: still the cells' streams, word by word.
TEST(SpikeSourcePoisson, HighRatesManyCellsAndSubRangesFollowTheStreams) {
    const pineal::ModelInfo& m = pineal::find_model("SpikeSourcePoisson");
    const std::uint64_t first_id = 3, seed = 99;
    const std::size_t n = 150;
    const double rate = 60000.0;  // 6 spikes per step on average, often more than 8
    pineal::Population pop(m, n, "noise", first_id);
    pop.set_parameter("rate", rate);
    auto kernel = m.make_kernel();
    pineal::KernelEnv env;
    env.rng_seed = seed;
    kernel->reset(pop);
    kernel->prepare(pop, env);
    std::vector<SpikeEvent> got, want;
    pineal::StateArrays state;
    for (std::int64_t s = 0; s < 40; ++s)
        for (auto [begin, end] : {std::pair<std::size_t, std::size_t>{0, 70}, {70, n}}) {
            pineal::StepContext ctx{s, 0.1, &pop, &state, nullptr, &got, begin, end};
            kernel->update(ctx);
        }
    std::vector<Reference> ref;
    for (std::size_t i = 0; i < n; ++i) {
        ref.push_back({pineal::RandomStream({seed, pineal::models::kSpikeSourceStream, first_id + i, 0}),
                       0.0});
        ref.back().next = ref.back().interval(rate);
    }
    std::size_t most = 0;  // spikes of one cell in one step
    for (std::int64_t s = 0; s < 40; ++s) {
        const double t_end = static_cast<double>(s + 1) * 0.1;
        for (std::uint32_t i = 0; i < n; ++i) {
            std::size_t k = 0;
            for (; ref[i].next <= t_end; ++k) {
                want.push_back({i, s + 1, t_end - ref[i].next});
                ref[i].next += ref[i].interval(rate);
            }
            most = std::max(most, k);
        }
    }
    ASSERT_GT(most, 8u);  // some cell spent more than its two blocks in one step
    ASSERT_EQ(got.size(), want.size());
    for (std::size_t q = 0; q < got.size(); ++q) {
        ASSERT_EQ(got[q].index, want[q].index) << q;
        ASSERT_EQ(got[q].stamp, want[q].stamp) << q;
        ASSERT_EQ(got[q].offset, want[q].offset) << q;  // exact
    }
}

}  // namespace
