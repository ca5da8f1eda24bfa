// Delay rules through Simulation::connect: rounding to the nearest multiple of
// dt, the [min_delay, max_delay] limits, "auto" limits derived from the
// connections, and that a failed connect leaves nothing behind.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <vector>

#include "pineal/simulation.hpp"
#include "test_support.hpp"

using pineal::AllToAllConnector;
using pineal::Distribution;
using pineal::ErrorKind;
using pineal::FixedProbabilityConnector;
using pineal::FromListConnector;
using pineal::OneToOneConnector;
using pineal::RandomValue;
using pineal::Simulation;
using pineal::StreamKey;
using pineal::Value;
using pineal::test::projection;
using pineal::test::throws;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

FixedProbabilityConnector fixed_p(double p, std::uint64_t seed, std::uint64_t stream) {
    FixedProbabilityConnector c;
    c.p_connect = p;
    c.rng = StreamKey{seed, stream, 0, 0};
    return c;
}

}  // namespace

TEST(Delays, RoundToTheNearestStep) {
    Simulation sim;  // dt = 0.1, min_delay and max_delay "auto"
    const auto a = sim.create_population("SpikeSourceArray", 1, "a");
    const auto b = sim.create_population("IF_curr_exp", 5, "b");
    FromListConnector fl{
        {0, 0, 0, 0, 0}, {0, 1, 2, 3, 4}, {{"delay", {0.26, 0.14, 0.06, 1.04, 2.96}}}};
    const auto c = sim.connections(sim.connect(projection(a, b, fl)));
    const std::vector<double> steps = {3, 1, 1, 10, 30};
    for (std::size_t k = 0; k < c.post.size(); ++k)
        EXPECT_DOUBLE_EQ(c.delay[k], steps[c.post[k]] * 0.1) << c.post[k];

    pineal::SetupOptions o;
    o.timestep = 0.25;
    Simulation coarse(o);
    const auto x = coarse.create_population("SpikeSourceArray", 1, "x");
    const auto y = coarse.create_population("IF_curr_exp", 2, "y");
    const FromListConnector two{{0, 0}, {0, 1}, {{"delay", {0.6, 0.7}}}};
    const auto d = coarse.connections(coarse.connect(projection(x, y, two)));
    for (std::size_t k = 0; k < d.post.size(); ++k)
        EXPECT_DOUBLE_EQ(d.delay[k], d.post[k] == 0 ? 0.5 : 0.75);
}

// Regression: ties (a delay exactly halfway between two steps in decimal)
// round up, as NEST's Time::delay_ms_to_steps = ld_round(ms * steps_per_ms)
// does. Dividing by dt instead gave 0.15 / 0.1 = 1.4999999999999998 -> 0.1 ms
// but 0.45 / 0.1 = 4.5 -> 0.5 ms: ties went either way with their binary
// representation, and a PyNN script got other delays than on NEST.
TEST(Delays, TiesRoundUpAsNESTs) {
    Simulation sim;
    const auto a = sim.create_population("SpikeSourceArray", 1, "a");
    const auto b = sim.create_population("IF_curr_exp", 6, "b");
    const std::vector<double> delays = {0.15, 0.25, 0.35, 0.45, 1.05, 2.65};
    const std::vector<double> steps = {2, 3, 4, 5, 11, 27};
    FromListConnector fl{{0, 0, 0, 0, 0, 0}, {0, 1, 2, 3, 4, 5}, {{"delay", delays}}};
    const auto c = sim.connections(sim.connect(projection(a, b, fl)));
    for (std::size_t k = 0; k < c.post.size(); ++k)
        EXPECT_DOUBLE_EQ(c.delay[k], steps[c.post[k]] * 0.1) << delays[c.post[k]];
    // 0.05 ms rounds up to one step, so it is a valid delay.
    EXPECT_DOUBLE_EQ(sim.connections(sim.connect(projection(a, b, OneToOneConnector{}, 0.1,
                                                            Value(0.05))))
                         .delay[0],
                     0.1);
}

TEST(Delays, OutsideTheLimitsAreConnectionErrors) {
    Simulation sim;  // auto: the floor is one time step
    const auto a = sim.create_population("IF_curr_exp", 2, "a");
    for (double d : {0.04, 0.0, -1.0, kNaN})
        EXPECT_TRUE(throws(ErrorKind::connection, "delay",
                           [&] {
                               sim.connect(projection(a, a, AllToAllConnector{}, 0.1, Value(d)));
                           }))
            << d;
    // Default delay with "auto" min_delay is dt.
    const auto c = sim.connections(sim.connect(projection(a, a, OneToOneConnector{})));
    EXPECT_DOUBLE_EQ(c.delay[0], 0.1);

    pineal::SetupOptions o;
    o.min_delay = 0.5;
    o.max_delay = 2.0;
    Simulation lim(o);
    const auto p = lim.create_population("IF_curr_exp", 2, "p");
    auto conn = [&](double d) {
        return lim.connect(projection(p, p, AllToAllConnector{}, 0.1, Value(d)));
    };
    EXPECT_TRUE(throws(ErrorKind::connection, "delay", [&] { conn(0.3); }));
    EXPECT_TRUE(throws(ErrorKind::connection, "delay", [&] { conn(0.44); }));  // rounds to 0.4
    EXPECT_TRUE(throws(ErrorKind::connection, "delay", [&] { conn(2.3); }));
    EXPECT_TRUE(throws(ErrorKind::connection, "delay", [&] { conn(2.06); }));  // rounds to 2.1
    EXPECT_EQ(conn(0.46), 0u);  // rounds to 0.5
    EXPECT_EQ(conn(2.04), 1u);  // rounds to 2.0
    EXPECT_DOUBLE_EQ(lim.connections(0).delay[0], 0.5);
    EXPECT_DOUBLE_EQ(lim.connections(1).delay[0], 2.0);
    // Default delay with an explicit min_delay is min_delay.
    const auto dflt = lim.connect(projection(p, p, OneToOneConnector{}));
    EXPECT_DOUBLE_EQ(lim.connections(dflt).delay[0], 0.5);
    EXPECT_DOUBLE_EQ(lim.min_delay(), 0.5);
    EXPECT_DOUBLE_EQ(lim.max_delay(), 2.0);
}

TEST(Delays, FailedConnectLeavesNoTrace) {
    Simulation sim;
    const auto src = sim.create_population("SpikeSourceArray", 1, "src");
    sim.population(src).set_sequence("spike_times", {{1.0}});
    const auto tgt = sim.create_population("IF_curr_exp", 2, "tgt");
    const FromListConnector to_cell1{{0}, {1}, {}};
    const auto p0 = sim.connect(projection(src, tgt, to_cell1, 0.5, Value(1.0)));
    EXPECT_EQ(p0, 0u);
    // Target 0's connection (delay 0.2) is generated before target 1's bad
    // delay is seen; none of it may stay.
    FromListConnector bad{{0, 0}, {0, 1}, {{"delay", {0.2, 0.01}}}};
    EXPECT_TRUE(throws(ErrorKind::connection, "delay",
                       [&] { sim.connect(projection(src, tgt, bad, 2.0)); }));
    EXPECT_DOUBLE_EQ(sim.min_delay(), 1.0);  // not 0.2
    EXPECT_DOUBLE_EQ(sim.max_delay(), 1.0);
    // Bad weights after good ones, likewise.
    FromListConnector bad_w{{0, 0}, {0, 1}, {{"weight", {0.5, -0.5}}, {"delay", {0.3, 0.3}}}};
    EXPECT_TRUE(
        throws(ErrorKind::connection, "weight", [&] { sim.connect(projection(src, tgt, bad_w)); }));
    const auto p1 = sim.connect(projection(src, tgt, to_cell1, 0.25, Value(2.0)));
    EXPECT_EQ(p1, 1u);
    EXPECT_EQ(sim.projection_size(p1), 1u);
    EXPECT_TRUE(throws(ErrorKind::out_of_range, "", [&] { (void)sim.projection_size(2); }));
    EXPECT_TRUE(throws(ErrorKind::out_of_range, "", [&] { (void)sim.connections(2); }));

    const std::vector<std::uint32_t> cells = {0, 1};
    sim.record(tgt, "v", cells);
    sim.run(10.0);
    const auto v = sim.signal(tgt, "v");
    ASSERT_EQ(v.n_samples, 101u);
    bool cell1_moved = false;
    for (std::size_t s = 0; s < v.n_samples; ++s) {
        EXPECT_EQ(v.values[s * 2 + 0], -65.0) << "cell 0 got input at sample " << s;
        cell1_moved = cell1_moved || v.values[s * 2 + 1] != -65.0;
    }
    EXPECT_TRUE(cell1_moved);
}

TEST(Delays, AutoLimitsComeFromTheConnections) {
    Simulation sim;
    const auto a = sim.create_population("IF_curr_exp", 20, "a");
    EXPECT_DOUBLE_EQ(sim.min_delay(), 0.1);  // no connections: dt
    EXPECT_DOUBLE_EQ(sim.max_delay(), 0.1);
    sim.connect(projection(a, a, fixed_p(0.3, 4, 0), 0.1, Value(0.5)));
    EXPECT_DOUBLE_EQ(sim.min_delay(), 0.5);
    EXPECT_DOUBLE_EQ(sim.max_delay(), 0.5);
    // An empty projection does not count.
    sim.connect(projection(a, a, fixed_p(0.0, 4, 1), 0.1, Value(0.2)));
    EXPECT_DOUBLE_EQ(sim.min_delay(), 0.5);
    const RandomValue rd{Distribution::make("uniform", {0.8, 2.0}), StreamKey{4, 2, 0, 0}};
    const auto p = sim.connect(projection(a, a, AllToAllConnector{}, 0.1, Value(rd)));
    double lo = 1e9, hi = 0;
    for (double d : sim.connections(p).delay) lo = std::min(lo, d), hi = std::max(hi, d);
    EXPECT_GE(lo, 0.8 - 1e-12);
    EXPECT_LE(hi, 2.0 + 1e-12);
    EXPECT_DOUBLE_EQ(sim.min_delay(), 0.5);
    EXPECT_DOUBLE_EQ(sim.max_delay(), hi);
    sim.run(5.0);  // slices of 5 steps, 20 ring-buffer slots
    EXPECT_EQ(sim.current_step(), 50);
}
