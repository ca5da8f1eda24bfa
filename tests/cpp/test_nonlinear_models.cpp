// The nonlinear models (AdEx, HH, Izhikevich, GIF) in a small network driven
// by Poisson input: results must be bit-identical for any threads, virtual
// ranks and split runs (per-cell integrator state and random streams), the
// state must stay finite, and the cells must fire. Their numerical accuracy
// is checked against high-precision solves in tests/python/test_validation_*.
#include <gtest/gtest.h>

#include <cmath>

#include "test_support.hpp"

namespace pineal {
namespace {

struct ModelCase {
    const char* name;
    double i_offset, w_exc, w_inh;  // weights in uS, or mV for Izhikevich
};

struct Outcome {
    SpikeData spikes;
    SignalData v;
};

Outcome simulate(const ModelCase& m, int threads, int partitions,
                 const std::vector<double>& chunks) {
    SetupOptions o;
    o.threads = threads;
    o.virtual_ranks = partitions;
    o.rng_seed = 77;
    Simulation sim(o);
    const auto noise = sim.create_population("SpikeSourcePoisson", 20, "noise");
    sim.population(noise).set_parameter("rate", 100.0);
    const auto cells = sim.create_population(m.name, 13, "cells");  // uneven blocks
    sim.population(cells).set_parameter("i_offset", m.i_offset);
    const auto prob = [](double p, std::uint64_t stream) {
        return FixedProbabilityConnector{p, false, {5, stream, 0, 0}};
    };
    sim.connect(test::projection(noise, cells, prob(0.5, 1), m.w_exc, Value(1.0)));
    sim.connect(test::projection(noise, cells, prob(0.3, 2), m.w_inh, Value(2.0), "inhibitory"));
    sim.connect(test::projection(cells, cells, prob(0.3, 3), m.w_exc, Value(0.5)));
    sim.record(cells, "spikes", test::all_cells(13));
    sim.record(cells, "v", test::all_cells(13));
    for (double c : chunks) sim.run(c);
    return {sim.spikes(cells), sim.signal(cells, "v")};
}

class NonlinearModel : public ::testing::TestWithParam<ModelCase> {};

TEST_P(NonlinearModel, FiresStaysFiniteAndIsIndependentOfThreadsAndPartitions) {
    const ModelCase& m = GetParam();
    const Outcome a = simulate(m, 1, 1, {100.0});
    const Outcome b = simulate(m, 2, 2, {30.0, 70.0});
    EXPECT_GE(a.spikes.time.size(), 5u) << m.name;
    for (double x : a.v.values) ASSERT_TRUE(std::isfinite(x)) << m.name;
    EXPECT_EQ(a.spikes.index, b.spikes.index) << m.name;
    EXPECT_EQ(a.spikes.time, b.spikes.time) << m.name;
    EXPECT_EQ(a.v.values, b.v.values) << m.name;  // bit for bit
}

INSTANTIATE_TEST_SUITE_P(
    Models, NonlinearModel,
    ::testing::Values(ModelCase{"EIF_cond_exp_isfa_ista", 0.7, 0.01, 0.02},
                      ModelCase{"EIF_cond_alpha_isfa_ista", 0.7, 0.005, 0.01},
                      ModelCase{"HH_cond_exp", 0.1, 0.02, 0.02},
                      ModelCase{"Izhikevich", 0.006, 3.0, -3.0},
                      ModelCase{"GIF_cond_exp", 1.0, 0.01, 0.02}),
    [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace pineal
