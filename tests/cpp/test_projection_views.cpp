// Projections between subsets of populations (PyNN PopulationViews):
// connectors work in indices within the selections, cell ids decide
// self-connections, spikes travel between the selected cells only, and the
// result does not depend on threads or partitions.
#include <gtest/gtest.h>

#include "test_support.hpp"

namespace pineal {
namespace {

ProjectionSpec view_projection(std::size_t pre, std::size_t post, Connector c,
                               std::vector<std::uint32_t> pre_cells,
                               std::vector<std::uint32_t> post_cells, Value weight = 0.5) {
    ProjectionSpec s = test::projection(pre, post, std::move(c), weight, Value(1.0));
    s.pre_cells = std::move(pre_cells);
    s.post_cells = std::move(post_cells);
    return s;
}

std::vector<std::pair<std::uint32_t, std::uint32_t>> pairs(const ConnectionData& d) {
    std::vector<std::pair<std::uint32_t, std::uint32_t>> out;
    for (std::size_t k = 0; k < d.pre.size(); ++k) out.emplace_back(d.pre[k], d.post[k]);
    return out;
}

TEST(ProjectionViews, IndicesAreWithinTheSelectionsAndSelfIsById) {
    Simulation sim;
    const auto a = sim.create_population("IF_curr_exp", 10, "a");
    // pre: cells 2, 4, 7; post: cells 4, 5, 7, 9. Cells 4 and 7 are on both sides.
    const auto k = sim.connect(view_projection(a, a, AllToAllConnector{false}, {2, 4, 7},
                                               {4, 5, 7, 9}));
    std::vector<std::pair<std::uint32_t, std::uint32_t>> expected;
    const std::uint32_t pre[] = {2, 4, 7}, post[] = {4, 5, 7, 9};
    for (std::uint32_t j = 0; j < 4; ++j)
        for (std::uint32_t i = 0; i < 3; ++i)
            if (pre[i] != post[j]) expected.emplace_back(i, j);
    EXPECT_EQ(pairs(sim.connections(k)), expected);
    EXPECT_EQ(sim.projection_size(k), 10u);
}

TEST(ProjectionViews, SpikesReachOnlyTheSelectedTargets) {
    for (auto [threads, ranks] : {std::pair{1, 1}, {2, 2}}) {
        SetupOptions o;
        o.threads = threads, o.virtual_ranks = ranks;
        Simulation sim(o);
        const auto src = sim.create_population("SpikeSourceArray", 3, "src");
        sim.population(src).set_sequence("spike_times", {{1.0}, {2.0}, {1.0}});
        const auto cells = sim.create_population("IF_curr_exp", 6, "cells");
        // only source 1 (spiking at 2 ms), onto cells 0 and 5
        sim.connect(view_projection(src, cells, AllToAllConnector{}, {1}, {0, 5}, 2.0));
        sim.record(cells, "v", test::all_cells(6));
        sim.run(10.0);
        const SignalData v = sim.signal(cells, "v");
        for (std::size_t s = 0; s < v.n_samples; ++s)
            for (std::uint32_t c = 0; c < 6; ++c) {
                const double x = v.values[s * 6 + c];
                const double t = v.t_start + double(s) * v.sampling_interval;
                // arrival at 2 + 1 ms; before it (and on other cells) v stays at rest
                if (c == 0 || c == 5) {
                    if (t <= 3.0 + 1e-9) EXPECT_EQ(x, -65.0) << t;
                    else EXPECT_GT(x, -65.0) << t;
                } else {
                    EXPECT_EQ(x, -65.0) << "cell " << c;
                }
            }
    }
}

ConnectionData random_view_connections(int threads, int ranks) {
    SetupOptions o;
    o.threads = threads, o.virtual_ranks = ranks;
    Simulation sim(o);
    const auto a = sim.create_population("IF_curr_exp", 50, "a");
    std::vector<std::uint32_t> pre, post;
    for (std::uint32_t i = 3; i < 45; ++i) pre.push_back(i);
    for (std::uint32_t i = 1; i < 50; i += 3) post.push_back(i);
    const auto k = sim.connect(view_projection(
        a, a, FixedNumberPostConnector{Value(4.0), false, false, {3, 1, 0, 0}}, pre, post));
    return sim.connections(k);
}

TEST(ProjectionViews, ConnectionsDoNotDependOnThreadsOrPartitions) {
    const ConnectionData serial = random_view_connections(1, 1);
    EXPECT_EQ(serial.pre.size(), 42u * 4);
    const ConnectionData parallel = random_view_connections(2, 2);
    EXPECT_EQ(serial.pre, parallel.pre);
    EXPECT_EQ(serial.post, parallel.post);
}

TEST(ProjectionViews, BadSelectionsThrowAndBuildNothing) {
    Simulation sim;
    const auto a = sim.create_population("IF_curr_exp", 5, "a");
    EXPECT_TRUE(test::throws(ErrorKind::invalid_parameter_value, "pre_cells", [&] {
        sim.connect(view_projection(a, a, AllToAllConnector{}, {1, 1}, {0}));
    }));
    EXPECT_TRUE(test::throws(ErrorKind::out_of_range, "post_cells", [&] {
        sim.connect(view_projection(a, a, AllToAllConnector{}, {0}, {3, 5}));
    }));
    EXPECT_EQ(sim.connect(view_projection(a, a, AllToAllConnector{}, {}, {0, 1})), 0u);
    EXPECT_EQ(sim.projection_size(0), 0u);
}

// An Assembly projection that fails part-way drops its earlier parts.
TEST(ProjectionViews, DiscardLastProjectionUndoesConnect) {
    SetupOptions o;
    o.threads = 2, o.virtual_ranks = 2;
    Simulation sim(o);
    const auto src = sim.create_population("SpikeSourceArray", 2, "src");
    sim.population(src).set_sequence("spike_times", {{1.0}, {1.0}});
    const auto cells = sim.create_population("IF_curr_exp", 4, "cells");
    EXPECT_EQ(sim.connect(view_projection(src, cells, AllToAllConnector{}, {0}, {1})), 0u);
    EXPECT_EQ(sim.connect(view_projection(src, cells, AllToAllConnector{}, {1}, {2, 3})), 1u);
    sim.discard_last_projection();
    EXPECT_EQ(sim.connect(view_projection(src, cells, AllToAllConnector{}, {1}, {3})), 1u);
    EXPECT_EQ(pairs(sim.connections(1)), (std::vector<std::pair<std::uint32_t, std::uint32_t>>{
                                             {0, 0}}));
    sim.record(cells, "v", test::all_cells(4));
    sim.run(5.0);
    const SignalData v = sim.signal(cells, "v");
    const std::size_t last = (v.n_samples - 1) * 4;
    EXPECT_EQ(v.values[last + 0], -65.0);
    EXPECT_GT(v.values[last + 1], -65.0);
    EXPECT_EQ(v.values[last + 2], -65.0);  // its projection was discarded
    EXPECT_GT(v.values[last + 3], -65.0);
}

}  // namespace
}  // namespace pineal
