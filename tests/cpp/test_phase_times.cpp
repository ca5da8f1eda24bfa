// Simulation::phase_times (diagnostics of the step loop): off by default, and
// when on, one record per thread of the last run, with the run's slices
// counted and its phases adding up to no more than the run's wall time.
#include <gtest/gtest.h>

#include <chrono>

#include "test_support.hpp"

namespace pineal {
namespace {

std::size_t network(Simulation& sim) {
    const auto cells = sim.create_population("IF_curr_exp", 200, "cells");
    sim.population(cells).set_parameter("i_offset", 1.0);  // they fire
    sim.connect(test::projection(cells, cells, FixedProbabilityConnector{0.1, false, {3, 1, 0, 0}},
                                 0.05, Value(0.3)));
    return cells;
}

TEST(PhaseTimes, OffByDefault) {
    Simulation sim(SetupOptions{});
    network(sim);
    sim.run(10.0);
    EXPECT_TRUE(sim.phase_times().empty());
}

TEST(PhaseTimes, OneRecordPerThreadOfTheLastRun) {
    SetupOptions o;
    o.threads = 2;
    o.min_delay = 0.3;  // 3 steps of 0.1 ms per slice
    Simulation sim(o);
    network(sim);
    sim.set_phase_timing(true);
    sim.run(6.0);  // prepares; the next run's figures replace these
    const auto start = std::chrono::steady_clock::now();
    sim.run(30.0);  // 300 steps: 100 slices
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const auto times = sim.phase_times();
    ASSERT_EQ(times.size(), 2u);
    for (const PhaseTimes& t : times) {
        EXPECT_EQ(t.slices, 100u);
        EXPECT_GT(t.update_s, 0.0);
        EXPECT_GE(t.wait_s, 0.0);
        EXPECT_GT(t.deliver_s, 0.0);
        EXPECT_LE(t.update_s + t.wait_s + t.deliver_s, wall);
    }
    sim.set_phase_timing(false);
    sim.run(1.0);
    EXPECT_TRUE(sim.phase_times().empty());
}

}  // namespace
}  // namespace pineal
