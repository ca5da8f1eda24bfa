// DirectDrive delivers the spikes of populations whose projections hold at
// most one static synapse per source (one-to-one drives) from flat tables,
// in the order of the general path. Checked here: which stores qualify, and
// that a network gives bit-identical results whether its drive goes through
// DirectDrive or the general path (an extra projection from the drive makes
// it general), for any threads and virtual ranks, with three direct
// projections from the drive onto the same port (the order of additions per
// spike matters: a mutation that adds projection by projection fails here),
// or per-synapse delays, and network input into the same port.
#include <gtest/gtest.h>

#include "engine/direct_drive.hpp"
#include "test_support.hpp"

namespace pineal {
namespace {

ProjectionStore store_of(std::uint32_t n_pre, const std::vector<std::pair<std::uint32_t, std::uint32_t>>& pairs) {
    ProjectionStore store(0, 1, 0, n_pre, 0, 1000, "p");
    for (auto [pre, post] : pairs) {
        const std::uint32_t source[] = {pre};
        const double w[] = {0.5}, d[] = {1.0};
        store.append(post, source, w, d, DelayRules{});
    }
    store.finish();
    return store;
}

TEST(DirectDrive, FitsOnlyStoresWithOneSynapsePerSource) {
    EXPECT_TRUE(DirectDrive::fits(store_of(4, {{0, 0}, {1, 1}, {2, 2}, {3, 3}})));
    EXPECT_TRUE(DirectDrive::fits(store_of(4, {{3, 0}, {1, 2}})));  // any targets, gaps
    EXPECT_TRUE(DirectDrive::fits(store_of(4, {})));                // empty on this shard
    EXPECT_FALSE(DirectDrive::fits(store_of(4, {{0, 0}, {0, 1}})));  // two from source 0
    // Two synapses 100000 sources apart: a table by source would be far
    // bigger than the store.
    EXPECT_FALSE(DirectDrive::fits(store_of(100001, {{0, 0}, {100000, 1}})));
}

struct Outcome {
    SpikeData drive, cells;
    SignalData v;
};

RandomValue uniform(double low, double high, std::uint64_t stream) {
    return {Distribution::make("uniform", {low, high}), {3, stream, 0, 0}};
}

// general: an all-to-all projection from the drive onto a population made
// last (so no cell ids or streams move) puts the drive on the general path.
// shifted: three projections from the drive onto the excitatory port, i ->
// i, i + 1, i + 2, one delay: cell j sums the weights of spikes j - 2, j -
// 1, j of one stamp into one slot, in that order (per spike, then per
// projection). The weights make the order visible: 2^-55 + 2^-55 + 0.25 =
// 0.25 + 2^-54 exactly, while 0.25 + 2^-55 rounds (a tie, to even) back to
// 0.25. Else one one-to-one projection with a delay per synapse.
Outcome simulate(int threads, int ranks, bool general, bool shifted) {
    SetupOptions o;
    o.threads = threads;
    o.virtual_ranks = ranks;
    o.rng_seed = 5;
    o.min_delay = 0.2;
    Simulation sim(o);
    const std::uint32_t n = 61;  // uneven blocks
    const auto drive = sim.create_population("SpikeSourcePoisson", n, "drive");
    sim.population(drive).set_parameter("rate", 2500.0);
    const auto cells = sim.create_population("IF_curr_exp", n, "cells");
    if (shifted) {
        for (std::uint32_t shift = 0; shift < 3; ++shift) {
            FromListConnector c;  // across block boundaries
            for (std::uint32_t i = 0; i + shift < n; ++i) c.pre.push_back(i), c.post.push_back(i + shift);
            sim.connect(test::projection(drive, cells, c, shift == 0 ? 0.25 : 0x1p-55, Value(0.6)));
        }
    } else {
        sim.connect(test::projection(drive, cells, OneToOneConnector{},
                                     Value(uniform(0.1, 0.5, 5)), Value(uniform(0.2, 2.0, 6))));
    }
    sim.connect(test::projection(cells, cells, FixedProbabilityConnector{0.3, false, {9, 1, 0, 0}},
                                 Value(uniform(0.01, 0.2, 4)), Value(0.6)));
    sim.connect(test::projection(cells, cells, FixedProbabilityConnector{0.2, false, {9, 2, 0, 0}},
                                 -0.4, Value(1.0), "inhibitory"));
    if (general) {
        const auto sink = sim.create_population("IF_curr_exp", 3, "sink");
        sim.connect(test::projection(drive, sink, AllToAllConnector{}, 0.001, Value(0.4)));
    }
    sim.record(drive, "spikes", test::all_cells(n));
    sim.record(cells, "spikes", test::all_cells(n));
    sim.record(cells, "v", test::all_cells(n));
    sim.run(150.0);
    sim.run(50.3);  // a split run: tables are rebuilt, pending input kept
    return {sim.spikes(drive), sim.spikes(cells), sim.signal(cells, "v")};
}

TEST(DirectDrive, MatchesTheGeneralPathForAnyThreadsAndRanks) {
    for (bool shifted : {false, true}) {
        const Outcome reference = simulate(1, 1, true, shifted);
        ASSERT_GT(reference.drive.time.size(), 10000u);
        ASSERT_GT(reference.cells.time.size(), 200u);  // the input makes the cells fire
        for (bool general : {false, true})
            for (auto [threads, ranks] : {std::pair{1, 1}, {2, 1}, {1, 3}, {2, 2}, {3, 1}}) {
                SCOPED_TRACE(testing::Message()
                             << (shifted ? "shifted, " : "one-to-one, ")
                             << (general ? "general, " : "direct, ") << threads << " threads, "
                             << ranks << " ranks");
                const Outcome out = simulate(threads, ranks, general, shifted);
                EXPECT_EQ(out.drive.index, reference.drive.index);
                EXPECT_EQ(out.drive.time, reference.drive.time);
                EXPECT_EQ(out.cells.index, reference.cells.index);
                EXPECT_EQ(out.cells.time, reference.cells.time);
                EXPECT_EQ(out.v.values, reference.v.values);  // bitwise
            }
    }
}

}  // namespace
}  // namespace pineal
