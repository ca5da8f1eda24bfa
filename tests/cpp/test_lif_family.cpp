// The LIF family and the new spike sources through the C++ API: a small
// network of every new model driven by every new source runs under the
// sanitizer build (the Python validation tests check the numbers), every
// neuron model fires, states stay finite, and threads/partitions leave the
// spikes unchanged.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "pineal/errors.hpp"
#include "pineal/simulation.hpp"

using pineal::AllToAllConnector;
using pineal::ProjectionSpec;
using pineal::Simulation;

namespace {

struct Neuron {
    const char* model;
    double i_offset;  // nA; IF_facets_hardware1 has none
    double w_exc, w_inh;
    std::vector<std::string> recorded;
};

const std::vector<Neuron> kNeurons = {
    {"IF_curr_alpha", 0.3, 0.4, -0.4, {"v"}},
    {"IF_curr_delta", 0.3, 1.0, -1.0, {"v"}},
    {"IF_cond_alpha", 0.3, 0.01, 0.01, {"v", "gsyn_exc", "gsyn_inh"}},
    {"IF_cond_exp_gsfa_grr", 0.8, 0.01, 0.01, {"v", "gsyn_exc", "gsyn_inh", "g_s", "g_r"}},
    {"IF_facets_hardware1", 0.0, 0.003, 0.003, {"v", "gsyn_exc", "gsyn_inh"}},
};

struct Result {
    std::vector<std::vector<double>> spike_times;
    std::vector<std::vector<double>> signals;
};

const std::vector<std::uint32_t> kAll4 = {0, 1, 2, 3};
const std::vector<std::uint32_t> kAll5 = {0, 1, 2, 3, 4};

Result run_network(int threads, int virtual_ranks) {
    pineal::SetupOptions o;
    o.threads = threads, o.virtual_ranks = virtual_ranks, o.rng_seed = 5;
    Simulation sim(o);
    const auto gamma = sim.create_population("SpikeSourceGamma", 5, "gamma");
    sim.population(gamma).set_parameter("alpha", 3.0);
    sim.population(gamma).set_parameter("beta", 900.0);
    const auto refr = sim.create_population("SpikeSourcePoissonRefractory", 5, "refr");
    sim.population(refr).set_parameter("rate", 200.0);
    sim.population(refr).set_parameter("tau_refrac", 2.0);
    const auto inh = sim.create_population("SpikeSourceInhGamma", 5, "inh");
    sim.population(inh).set_sequence("a", {{2.0, 3.0}});
    sim.population(inh).set_sequence("b", {{0.002, 0.004}});
    sim.population(inh).set_sequence("tbins", {{0.0, 50.0}});
    std::vector<std::size_t> cells;
    for (const auto& n : kNeurons) {
        const auto h = sim.create_population(n.model, 4, n.model);
        if (n.i_offset != 0.0) sim.population(h).set_parameter("i_offset", n.i_offset);
        for (auto src : {gamma, refr, inh}) {
            ProjectionSpec s;
            s.pre = src, s.post = h, s.connector = AllToAllConnector{};
            const bool inhibitory = src == refr;
            s.weight = inhibitory ? n.w_inh : n.w_exc;
            s.receptor_type = inhibitory ? "inhibitory" : "excitatory";
            sim.connect(s);
        }
        for (const auto& var : n.recorded) sim.record(h, var, kAll4);
        sim.record(h, "spikes", kAll4);
        cells.push_back(h);
    }
    for (auto src : {gamma, refr, inh}) sim.record(src, "spikes", kAll5);
    sim.run(120.0);
    Result r;
    for (auto src : {gamma, refr, inh}) r.spike_times.push_back(sim.spikes(src).time);
    for (std::size_t k = 0; k < cells.size(); ++k) {
        r.spike_times.push_back(sim.spikes(cells[k]).time);
        for (const auto& var : kNeurons[k].recorded)
            r.signals.push_back(sim.signal(cells[k], var).values);
    }
    return r;
}

}  // namespace

TEST(LifFamily, EveryModelRunsFiresAndStaysFinite) {
    const Result r = run_network(1, 1);
    for (const auto& times : r.spike_times) EXPECT_FALSE(times.empty());
    for (const auto& values : r.signals)
        for (double x : values) ASSERT_TRUE(std::isfinite(x));
}

TEST(LifFamily, ThreadsAndPartitionsDoNotChangeResults) {
    const Result a = run_network(1, 1), b = run_network(2, 2);
    ASSERT_EQ(a.spike_times.size(), b.spike_times.size());
    for (std::size_t k = 0; k < a.spike_times.size(); ++k)
        EXPECT_EQ(a.spike_times[k], b.spike_times[k]) << "population " << k;
    ASSERT_EQ(a.signals.size(), b.signals.size());
    for (std::size_t k = 0; k < a.signals.size(); ++k) EXPECT_EQ(a.signals[k], b.signals[k]);
}

TEST(LifFamily, InhGammaRejectsMismatchedSequencesAtRun) {
    Simulation sim;
    const auto h = sim.create_population("SpikeSourceInhGamma", 2, "inh");
    sim.population(h).set_sequence("a", {{1.0, 2.0}});
    sim.population(h).set_sequence("b", {{0.01}});
    sim.population(h).set_sequence("tbins", {{0.0, 10.0}});
    EXPECT_THROW(sim.run(1.0), pineal::Error);
    EXPECT_EQ(sim.current_step(), 0);
}
