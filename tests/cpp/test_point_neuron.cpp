// Composed PointNeuron models through the C++ API: composition (canonical
// name, caching, layout, errors), and a small network of LIF and AdExp cells
// with three kinds of receptors under the sanitizer build, equal for any
// threads / partitions (the numbers are checked in
// tests/python/test_point_neuron.py).
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "pineal/model.hpp"
#include "pineal/simulation.hpp"
#include "test_support.hpp"

using pineal::compose_point_neuron;
using pineal::ErrorKind;
using pineal::Simulation;
using pineal::test::throws;

namespace {

using Receptors = std::vector<std::pair<std::string, std::string>>;

const Receptors kThree = {
    {"NMDA", "CondBetaPostSynapticResponse"}, {"AMPA", "CondExp"}, {"GABA_A", "CondAlpha"}};

struct Result {
    std::vector<std::vector<double>> spikes, signals;
};

Result run_network(int threads, int virtual_ranks) {
    pineal::SetupOptions o;
    o.threads = threads, o.virtual_ranks = virtual_ranks, o.rng_seed = 11;
    Simulation sim(o);
    const auto src = sim.create_population("SpikeSourcePoisson", 6, "src");
    sim.population(src).set_parameter("rate", 300.0);
    std::vector<std::size_t> cells;
    for (const char* body : {"LIF", "AdExp"}) {
        const std::string model = compose_point_neuron(body, kThree).name;
        const auto h = sim.create_population(model, 5, body);
        sim.population(h).set_parameter("i_offset", std::string(body) == "LIF" ? 0.5 : 0.6);
        for (const char* r : {"AMPA", "GABA_A", "NMDA"})
            sim.connect(pineal::test::projection(src, h, pineal::AllToAllConnector{}, 0.002,
                                                 std::nullopt, r));
        for (const char* var : {"v", "AMPA.gsyn", "GABA_A.gsyn", "NMDA.gsyn", "spikes"})
            sim.record(h, var, pineal::test::all_cells(5));
        cells.push_back(h);
    }
    sim.run(100.0);
    Result r;
    for (auto h : cells) {
        r.spikes.push_back(sim.spikes(h).time);
        for (const char* var : {"v", "AMPA.gsyn", "GABA_A.gsyn", "NMDA.gsyn"})
            r.signals.push_back(sim.signal(h, var).values);
    }
    return r;
}

}  // namespace

TEST(PointNeuron, ComposedModelLayoutAndCache) {
    const pineal::ModelInfo& m = compose_point_neuron("LIF", kThree);
    EXPECT_EQ(m.name, "PointNeuron(LIF; AMPA=CondExp, GABA_A=CondAlpha, NMDA=CondBeta)");
    EXPECT_EQ(m.receptor_types, (std::vector<std::string>{"AMPA", "GABA_A", "NMDA"}));
    EXPECT_EQ(m.parameter_index("NMDA.tau_decay"), m.parameter_index("NMDA.tau_rise") + 1);
    EXPECT_GE(m.state_index("GABA_A.gsyn"), 1);
    EXPECT_TRUE(m.can_record("NMDA.gsyn"));
    EXPECT_TRUE(m.conductance_based);
    // Same description in another order: the same model object.
    const Receptors reordered = {kThree[1], kThree[2], kThree[0]};
    EXPECT_EQ(&compose_point_neuron("LIF", reordered), &m);
    EXPECT_EQ(&pineal::find_model(m.name), &m);
    EXPECT_FALSE(compose_point_neuron("LIF", {{"I", "CurrExp"}}).conductance_based);
}

TEST(PointNeuron, BadDescriptionsAreRejected) {
    EXPECT_TRUE(throws(ErrorKind::invalid_model, "neuron", [] { compose_point_neuron("HH", {}); }));
    EXPECT_TRUE(throws(ErrorKind::invalid_model, "A.B",
                       [] { compose_point_neuron("LIF", {{"A.B", "CondExp"}}); }));
    EXPECT_TRUE(throws(ErrorKind::invalid_model, "X",
                       [] { compose_point_neuron("LIF", {{"X", "CondDelta"}}); }));
    EXPECT_TRUE(throws(ErrorKind::invalid_model, "X", [] {
        compose_point_neuron("LIF", {{"X", "CondExp"}, {"X", "CondAlpha"}});
    }));
    EXPECT_TRUE(throws(ErrorKind::invalid_model, "", [] {
        compose_point_neuron("AdExp", {{"X", "CondExp"}, {"Y", "CurrExp"}});
    }));
}

TEST(PointNeuron, NetworkFiresStaysFiniteAndIsPartitionIndependent) {
    const Result a = run_network(1, 1), b = run_network(2, 2);
    for (const auto& s : a.spikes) EXPECT_FALSE(s.empty());
    for (const auto& values : a.signals)
        for (double x : values) ASSERT_TRUE(std::isfinite(x));
    EXPECT_EQ(a.spikes, b.spikes);
    EXPECT_EQ(a.signals, b.signals);
}
