// Threads and virtual ranks (partitions with explicit spike exchange) must not
// change any result: spikes, sampled signals and connections are compared
// bit for bit across (threads, partitions) on a recurrent network with
// Poisson input, random connectivity, random weights and several delays.
#include <gtest/gtest.h>

#include "test_support.hpp"

namespace pineal {
namespace {

struct Outcome {
    std::vector<SpikeData> spikes;
    std::vector<SignalData> v;
    std::vector<ConnectionData> connections;
};

RandomValue random_value(const char* name, std::vector<double> p, std::uint64_t stream) {
    return {Distribution::make(name, std::move(p)), {7, stream, 0, 0}};
}

Outcome simulate(int threads, int partitions, const std::vector<double>& run_chunks) {
    SetupOptions o;
    o.threads = threads;
    o.virtual_ranks = partitions;
    o.rng_seed = 1234;
    Simulation sim(o);
    const auto noise = sim.create_population("SpikeSourcePoisson", 40, "noise");
    sim.population(noise).set_parameter("rate", 200.0);
    const auto exc = sim.create_population("IF_curr_exp", 150, "exc");
    const auto inh = sim.create_population("IF_cond_exp", 47, "inh");  // not divisible: uneven blocks
    sim.population(exc).set_parameter("i_offset", Value(random_value("uniform", {0.0, 0.8}, 1)));
    sim.initialize(exc, "v", Value(random_value("uniform", {-65.0, -52.0}, 2)));
    sim.population(inh).set_parameter("tau_refrac", 2.0);
    std::vector<std::size_t> handles;
    const auto prob = [](double p, std::uint64_t stream) {
        return FixedProbabilityConnector{p, false, {99, stream, 0, 0}};
    };
    handles.push_back(sim.connect(test::projection(
        noise, exc, prob(0.2, 10), Value(random_value("uniform", {0.2, 0.6}, 11)),
        Value(random_value("uniform", {0.1, 3.0}, 12)))));
    handles.push_back(sim.connect(test::projection(noise, inh, prob(0.2, 13), 0.01, Value(1.5))));
    handles.push_back(sim.connect(test::projection(exc, exc, prob(0.1, 14), 0.3, Value(0.8))));
    handles.push_back(sim.connect(test::projection(exc, inh, prob(0.1, 15), 0.005, Value(0.4))));
    handles.push_back(sim.connect(test::projection(
        inh, exc, prob(0.2, 16), Value(random_value("uniform", {-0.9, -0.1}, 17)), Value(0.6),
        "inhibitory")));
    for (auto p : {noise, exc, inh}) sim.record(p, "spikes", test::all_cells(sim.population(p).size()));
    sim.record(exc, "v", test::all_cells(150));
    sim.record(inh, "v", test::all_cells(47), 0.5);
    for (double chunk : run_chunks) sim.run(chunk);
    Outcome out;
    for (auto p : {noise, exc, inh}) out.spikes.push_back(sim.spikes(p));
    out.v = {sim.signal(exc, "v"), sim.signal(inh, "v")};
    for (auto h : handles) out.connections.push_back(sim.connections(h));
    return out;
}

void expect_identical(const Outcome& a, const Outcome& b) {
    for (std::size_t p = 0; p < a.spikes.size(); ++p) {
        EXPECT_EQ(a.spikes[p].index, b.spikes[p].index) << "population " << p;
        EXPECT_EQ(a.spikes[p].time, b.spikes[p].time) << "population " << p;
    }
    for (std::size_t k = 0; k < a.v.size(); ++k) {
        EXPECT_EQ(a.v[k].cells, b.v[k].cells);
        EXPECT_EQ(a.v[k].values, b.v[k].values);  // bitwise: exact double equality
    }
    for (std::size_t k = 0; k < a.connections.size(); ++k) {
        EXPECT_EQ(a.connections[k].pre, b.connections[k].pre);
        EXPECT_EQ(a.connections[k].post, b.connections[k].post);
        EXPECT_EQ(a.connections[k].weight, b.connections[k].weight);
        EXPECT_EQ(a.connections[k].delay, b.connections[k].delay);
    }
}

TEST(Parallel, ThreadsAndPartitionsGiveBitIdenticalResults) {
    const Outcome serial = simulate(1, 1, {300.0});
    // The network is active: the comparison is not between empty records.
    ASSERT_GT(serial.spikes[1].time.size(), 300u);
    ASSERT_GT(serial.spikes[2].time.size(), 50u);
    for (auto [threads, partitions] : {std::pair{2, 1}, {1, 3}, {2, 2}, {3, 2}}) {
        SCOPED_TRACE(testing::Message() << threads << " threads, " << partitions << " partitions");
        expect_identical(serial, simulate(threads, partitions, {300.0}));
    }
}

TEST(Parallel, SplitRunsWithThreadsMatchOneRun) {
    expect_identical(simulate(1, 1, {300.0}), simulate(2, 2, {100.0, 0.3, 77.7, 122.0}));
}

TEST(Parallel, ErrorsDuringParallelConnectLeaveNothingBuilt) {
    SetupOptions o;
    o.threads = 2;
    o.virtual_ranks = 2;
    Simulation sim(o);
    const auto a = sim.create_population("IF_curr_exp", 10, "a");
    // Weights of both signs: the shards see different signs, the projection must fail.
    std::vector<double> w(100, 0.5);
    w[99] = -0.5;
    EXPECT_TRUE(test::throws(ErrorKind::connection, "weight", [&] {
        sim.connect(test::projection(a, a, AllToAllConnector{}, Value(w), std::nullopt, "excitatory"));
    }));
    EXPECT_EQ(sim.connect(test::projection(a, a, OneToOneConnector{})), 0u);
    EXPECT_EQ(sim.projection_size(0), 10u);
}

}  // namespace
}  // namespace pineal
