// Simulation::set_synapses (PyNN Projection.set): every value form, the
// delay segments rebuilt, the same random values for any decomposition,
// and bad input rejected with nothing changed.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <set>
#include <vector>

#include "pineal/simulation.hpp"
#include "test_support.hpp"

using pineal::AllToAllConnector;
using pineal::ConnectionData;
using pineal::Distribution;
using pineal::ErrorKind;
using pineal::FixedProbabilityConnector;
using pineal::FromListConnector;
using pineal::RandomValue;
using pineal::SetupOptions;
using pineal::Simulation;
using pineal::StreamKey;
using pineal::SynapseUpdate;
using pineal::Value;
using pineal::test::projection;
using pineal::test::throws;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

SynapseUpdate update(Value v, bool per_connection = false) {
    SynapseUpdate u;
    u.value = std::move(v);
    u.per_connection = per_connection;
    return u;
}

Value random_value(const char* name, std::vector<double> p, std::uint64_t stream) {
    return Value(RandomValue{Distribution::make(name, std::move(p)), StreamKey{7, stream, 0, 0}});
}

// A FixedProbability projection 30 -> 40 on the given decomposition; then
// random weights and delays are set.
ConnectionData randomised(int threads, int ranks) {
    SetupOptions o;
    o.threads = threads;
    o.virtual_ranks = ranks;
    Simulation sim(o);
    const auto a = sim.create_population("IF_curr_exp", 30, "a");
    const auto b = sim.create_population("IF_curr_exp", 40, "b");
    FixedProbabilityConnector c;
    c.p_connect = 0.3;
    c.rng = StreamKey{3, 1, 0, 0};
    const auto k = sim.connect(projection(a, b, c, 0.1, Value(1.0)));
    sim.set_synapses(k, "delay", update(random_value("uniform", {0.1, 3.0}, 5)));
    sim.set_synapses(k, "weight", update(random_value("normal_clipped", {0.5, 0.2, 0.0, 1.0}, 6)));
    return sim.connections(k);
}

}  // namespace

TEST(ProjectionUpdate, ScalarAndArrayWeights) {
    Simulation sim;
    const auto a = sim.create_population("SpikeSourceArray", 2, "a");
    const auto b = sim.create_population("IF_curr_exp", 3, "b");
    // Pair (1, 2) twice, pair (0, 1) missing.
    FromListConnector fl{{0, 0, 1, 1, 1, 1}, {0, 2, 0, 1, 2, 2}, {}};
    const auto k = sim.connect(projection(a, b, fl));
    sim.set_synapses(k, "weight", update(0.1));
    for (double w : sim.connections(k).weight) EXPECT_EQ(w, double(0.1f));
    // (n_pre, n_post) row-major: NaN where there is no connection; both
    // synapses of (1, 2) take the pair's value.
    sim.set_synapses(k, "weight", update(Value(std::vector<double>{1, kNaN, 3, 4, 5, 6})));
    const auto c = sim.connections(k);
    ASSERT_EQ(c.pre.size(), 6u);
    for (std::size_t q = 0; q < c.pre.size(); ++q)
        EXPECT_EQ(c.weight[q], 1 + 3 * c.pre[q] + c.post[q]) << q;
    // A NaN where a connection exists is an error, and nothing changes.
    EXPECT_TRUE(throws(ErrorKind::connection, "weight", [&] {
        sim.set_synapses(k, "weight", update(Value(std::vector<double>{1, 2, 3, 4, kNaN, 6})));
    }));
    EXPECT_EQ(sim.connections(k).weight, c.weight);
    EXPECT_TRUE(throws(ErrorKind::invalid_dimensions, "weight", [&] {
        sim.set_synapses(k, "weight", update(Value(std::vector<double>{1, 2, 3})));
    }));
    EXPECT_TRUE(throws(ErrorKind::non_existent_parameter, "tau_rec",
                       [&] { sim.set_synapses(k, "tau_rec", update(1.0)); }));
}

TEST(ProjectionUpdate, PerConnectionValuesFollowTheConnectionOrder) {
    Simulation sim;
    const auto a = sim.create_population("SpikeSourceArray", 3, "a");
    const auto b = sim.create_population("IF_curr_exp", 3, "b");
    const auto k = sim.connect(projection(a, b, AllToAllConnector{}));
    std::vector<double> w(9);
    for (std::size_t q = 0; q < w.size(); ++q) w[q] = 0.25 * double(q + 1);
    sim.set_synapses(k, "weight", update(Value(w), true));
    EXPECT_EQ(sim.connections(k).weight, w);  // exact: multiples of 1/4 are floats
    EXPECT_TRUE(throws(ErrorKind::invalid_dimensions, "weight", [&] {
        sim.set_synapses(k, "weight", update(Value(std::vector<double>(8, 1.0)), true));
    }));
}

// Delays change the segments a spike is delivered through: each synapse must
// keep its weight, and the limits of construction apply.
TEST(ProjectionUpdate, DelaysRebuildTheSegments) {
    SetupOptions o;
    o.max_delay = 5.0;
    Simulation sim(o);
    const auto a = sim.create_population("SpikeSourceArray", 4, "a");
    const auto b = sim.create_population("IF_curr_exp", 5, "b");
    const auto k = sim.connect(projection(a, b, AllToAllConnector{}));
    std::vector<double> w(20);
    for (std::size_t q = 0; q < w.size(); ++q) w[q] = double(q + 1);
    sim.set_synapses(k, "weight", update(Value(w), true));
    // Delay of (i, j): 0.1 * (1 + (i * 7 + j * 3) % 11) ms, as an (n_pre, n_post) array.
    std::vector<double> d(20);
    for (std::uint32_t i = 0; i < 4; ++i)
        for (std::uint32_t j = 0; j < 5; ++j) d[i * 5 + j] = 0.1 * (1 + (i * 7 + j * 3) % 11);
    const auto before = sim.connections(k);
    sim.set_synapses(k, "delay", update(Value(d)));
    const auto after = sim.connections(k);
    ASSERT_EQ(after.pre.size(), 20u);
    for (std::size_t q = 0; q < 20; ++q) {
        EXPECT_NEAR(after.delay[q], d[after.pre[q] * 5 + after.post[q]], 1e-12);
        // the weight stays with its pair (one synapse per pair here)
        std::size_t old = 0;
        while (before.pre[old] != after.pre[q] || before.post[old] != after.post[q]) ++old;
        EXPECT_EQ(after.weight[q], before.weight[old]);
    }
    EXPECT_NEAR(sim.max_delay(), 5.0, 1e-12);
    // Back to one delay: the store holds what a fresh one-delay store holds
    // (8 B per synapse, one segment per source).
    Simulation fresh(o);
    const auto fa = fresh.create_population("SpikeSourceArray", 4, "a");
    const auto fb = fresh.create_population("IF_curr_exp", 5, "b");
    fresh.connect(projection(fa, fb, AllToAllConnector{}, 0.5, Value(1.0)));
    const std::size_t bytes = sim.synapse_memory().bytes;
    sim.set_synapses(k, "delay", update(1.0));
    EXPECT_LT(sim.synapse_memory().bytes, bytes);
    EXPECT_EQ(sim.synapse_memory().bytes, fresh.synapse_memory().bytes);
    sim.set_synapses(k, "delay", update(Value(d)));
    EXPECT_TRUE(throws(ErrorKind::connection, "delay",
                       [&] { sim.set_synapses(k, "delay", update(0.04)); }));
    EXPECT_TRUE(throws(ErrorKind::connection, "delay",
                       [&] { sim.set_synapses(k, "delay", update(5.2)); }));
    EXPECT_EQ(sim.connections(k).delay, after.delay);
}

TEST(ProjectionUpdate, WeightSignsAreCheckedAsAtConstruction) {
    Simulation sim;
    const auto a = sim.create_population("SpikeSourceArray", 2, "a");
    const auto b = sim.create_population("IF_curr_exp", 2, "b");
    const auto exc = sim.connect(projection(a, b, AllToAllConnector{}, 0.5));
    const auto inh = sim.connect(projection(a, b, AllToAllConnector{}, -0.5, std::nullopt,
                                            "inhibitory"));
    EXPECT_TRUE(throws(ErrorKind::connection, "weight",
                       [&] { sim.set_synapses(exc, "weight", update(-0.1)); }));
    EXPECT_TRUE(throws(ErrorKind::connection, "weight",
                       [&] { sim.set_synapses(inh, "weight", update(0.1)); }));
    EXPECT_TRUE(throws(ErrorKind::connection, "weight",
                       [&] { sim.set_synapses(exc, "weight", update(kNaN)); }));
    for (double w : sim.connections(exc).weight) EXPECT_EQ(w, 0.5);
    for (double w : sim.connections(inh).weight) EXPECT_EQ(w, -0.5);
}

// Random values are drawn target by target in connection order: the same
// for any threads and virtual ranks, and different from the values before.
TEST(ProjectionUpdate, RandomValuesDoNotDependOnTheDecomposition) {
    const ConnectionData one = randomised(1, 1);
    ASSERT_GT(one.pre.size(), 200u);
    for (auto [t, r] : {std::pair{3, 1}, std::pair{2, 3}}) {
        const ConnectionData other = randomised(t, r);
        EXPECT_EQ(other.pre, one.pre) << t << " threads, " << r << " ranks";
        EXPECT_EQ(other.post, one.post);
        EXPECT_EQ(other.weight, one.weight);
        EXPECT_EQ(other.delay, one.delay);
    }
    // uniform(0.1, 3.0) ms rounded to 0.1 ms steps: within the range, and spread.
    for (double d : one.delay) EXPECT_TRUE(d > 0.1 - 1e-12 && d < 3.0 + 1e-12) << d;
    EXPECT_GT(std::set<double>(one.delay.begin(), one.delay.end()).size(), 20u);
}
