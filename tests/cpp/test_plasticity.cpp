// Dynamic synapses through the C++ API: descriptions are checked before
// anything is built; static projections carry nothing for plasticity; STDP,
// Tsodyks-Markram and stochastic synapses give bit-identical weights and
// states for any (threads, partitions) and split runs.
#include <gtest/gtest.h>

#include <cmath>

#include "models/synapses/tsodyks_markram.hpp"
#include "test_support.hpp"

namespace pineal {
namespace {

SynapseDynamics stdp(std::string timing, std::string weight,
                     std::vector<std::pair<std::string, double>> parameters = {}) {
    return {"STDPMechanism", std::move(timing), std::move(weight), std::move(parameters)};
}

struct Net {
    std::unique_ptr<Simulation> sim;
    std::size_t src = 0, post = 0;
};

Net small_net(int threads = 1, int partitions = 1) {
    SetupOptions o;
    o.threads = threads;
    o.virtual_ranks = partitions;
    Net n{std::make_unique<Simulation>(o)};
    n.src = n.sim->create_population("SpikeSourcePoisson", 10, "src");
    n.sim->population(n.src).set_parameter("rate", 50.0);
    n.post = n.sim->create_population("IF_cond_exp", 7, "post");
    return n;
}

TEST(Plasticity, BadDescriptionsAreRejectedBeforeAnythingIsBuilt) {
    Net n = small_net();
    auto spec = test::projection(n.src, n.post, AllToAllConnector{}, 0.01);
    auto connect = [&](SynapseDynamics d) {
        spec.dynamics = std::move(d);
        return [&] { n.sim->connect(spec); };
    };
    EXPECT_TRUE(test::throws(ErrorKind::invalid_model, "", connect({"HebbianSynapse", "", "", {}})));
    EXPECT_TRUE(test::throws(ErrorKind::invalid_model, "",
                             connect(stdp("SpikePairRule", "NoSuchDependence"))));
    EXPECT_TRUE(test::throws(ErrorKind::invalid_parameter_value, "U",
                             connect({"TsodyksMarkramSynapse", "", "", {{"U", 1.2}}})));
    EXPECT_TRUE(test::throws(ErrorKind::invalid_parameter_value, "n",
                             connect({"MultiQuantalSynapse", "", "", {{"n", 2.5}}})));
    EXPECT_TRUE(test::throws(ErrorKind::non_existent_parameter, "tau_psc",
                             connect({"TsodyksMarkramSynapse", "", "", {{"tau_psc", 3.0}}})));
    EXPECT_TRUE(test::throws(
        ErrorKind::invalid_parameter_value, "w_min",
        connect(stdp("SpikePairRule", "AdditiveWeightDependence", {{"w_min", 2.0}}))));
    EXPECT_TRUE(test::throws(ErrorKind::not_supported, "dendritic_delay_fraction",
                             connect(stdp("SpikePairRule", "AdditiveWeightDependence",
                                          {{"dendritic_delay_fraction", 0.0}}))));
    EXPECT_TRUE(test::throws(ErrorKind::not_supported, "weight_dependence",
                             connect(stdp("Vogels2011Rule", "GutigWeightDependence"))));
    EXPECT_EQ(n.sim->synapse_memory().synapses, 0u);  // nothing was built
}

TEST(Plasticity, StaticProjectionsCarryNothingForIt) {
    Net n = small_net();
    const auto h = n.sim->connect(test::projection(n.src, n.post, AllToAllConnector{}, 0.01));
    n.sim->record(n.post, "spikes", test::all_cells(7));
    n.sim->run(100.0);
    const SynapseMemory m = n.sim->synapse_memory();
    EXPECT_EQ(m.synapses, 70u);
    EXPECT_EQ(m.dynamic_bytes, 0u);
    EXPECT_EQ(m.history_bytes, 0u);
    EXPECT_TRUE(test::throws(ErrorKind::non_existent_parameter, "u",
                             [&] { n.sim->synapse_state(h, "u"); }));
}

TEST(Plasticity, TsodyksMarkramIsContinuousAtTauPscEqualTauRec) {
    // The fraction (e^{-h/tau_psc} - e^{-h/tau_rec}) / (tau_psc/tau_rec - 1)
    // takes its limit at tau_psc = tau_rec.
    const models::TsodyksMarkramStep step{0.5, 20.0, 0.0};
    double u1 = 0, x1 = 1, y1 = 0, u2 = 0, x2 = 1, y2 = 0;
    for (int k = 0; k < 5; ++k) {
        const double a = step(7.0, 20.0, u1, x1, y1);
        const double b = step(7.0, 20.0 * (1 + 1e-7), u2, x2, y2);
        EXPECT_NEAR(a, b, 1e-6 * a);
    }
}

struct Outcome {
    std::vector<ConnectionData> connections;
    std::vector<std::vector<double>> states;
    SpikeData spikes;
};

Outcome simulate(int threads, int partitions, const std::vector<double>& chunks) {
    SetupOptions o;
    o.threads = threads;
    o.virtual_ranks = partitions;
    o.rng_seed = 5;
    Simulation sim(o);
    const auto noise = sim.create_population("SpikeSourcePoisson", 30, "noise");
    sim.population(noise).set_parameter("rate", 120.0);
    const auto exc = sim.create_population("IF_cond_exp", 41, "exc");
    const auto prob = [](double p, std::uint64_t stream) {
        return FixedProbabilityConnector{p, false, {3, stream, 0, 0}};
    };
    const auto delays = Value(RandomValue{Distribution::make("uniform", {0.1, 2.5}), {3, 9, 0, 0}});
    std::vector<std::size_t> h;
    auto spec = test::projection(noise, exc, prob(0.4, 1), 0.004, delays);
    spec.dynamics = stdp("SpikePairRule", "GutigWeightDependence",
                         {{"w_max", 0.01}, {"A_plus", 0.05}, {"dendritic_delay_fraction", 0.6}});
    h.push_back(sim.connect(spec));
    spec = test::projection(exc, exc, prob(0.2, 2), 0.002, delays);
    spec.dynamics = stdp("Vogels2011Rule", "AdditiveWeightDependence",
                         {{"w_max", 0.01}, {"eta", 1e-4}, {"dendritic_delay_fraction", 0.3}});
    h.push_back(sim.connect(spec));
    spec = test::projection(noise, exc, prob(0.3, 3), 0.003, Value(0.7));
    spec.dynamics = SynapseDynamics{"MultiQuantalSynapse", "", "", {{"n", 3.0}}};
    h.push_back(sim.connect(spec));
    spec = test::projection(exc, exc, prob(0.2, 4), 0.003, Value(1.1));
    spec.dynamics = SynapseDynamics{"TsodyksMarkramSynapse", "", "", {{"tau_facil", 30.0}}};
    h.push_back(sim.connect(spec));
    sim.record(exc, "spikes", test::all_cells(41));
    for (double c : chunks) sim.run(c);
    Outcome out;
    for (auto k : h) out.connections.push_back(sim.connections(k));
    out.states = {sim.synapse_state(h[2], "available"), sim.synapse_state(h[3], "x")};
    out.spikes = sim.spikes(exc);
    return out;
}

TEST(Plasticity, ResultsDoNotDependOnThreadsPartitionsOrSplitRuns) {
    const Outcome serial = simulate(1, 1, {250.0});
    ASSERT_GT(serial.spikes.time.size(), 200u);  // an active network
    std::size_t moved = 0;
    for (double w : serial.connections[0].weight) moved += w != double(0.004f) && w != 0.004;
    ASSERT_GT(moved, 100u);  // weights were learned
    for (auto [t, p, chunks] : {std::tuple{2, 1, std::vector{250.0}}, {1, 3, {250.0}},
                                {2, 2, {100.0, 49.9, 100.1}}}) {
        const Outcome o = simulate(t, p, chunks);
        EXPECT_EQ(o.spikes.time, serial.spikes.time) << t << "x" << p;
        EXPECT_EQ(o.spikes.index, serial.spikes.index);
        for (std::size_t k = 0; k < serial.connections.size(); ++k) {
            EXPECT_EQ(o.connections[k].pre, serial.connections[k].pre);
            EXPECT_EQ(o.connections[k].weight, serial.connections[k].weight) << "projection " << k;
        }
        EXPECT_EQ(o.states, serial.states);
    }
}

}  // namespace
}  // namespace pineal
