// Population descriptions through the public C++ API: registry defaults,
// parameter setting (scalar, array, random keyed by cell index), validation,
// and that a failed set leaves everything as it was.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "pineal/model.hpp"
#include "pineal/population.hpp"
#include "pineal/random.hpp"
#include "pineal/simulation.hpp"
#include "test_support.hpp"

using pineal::Distribution;
using pineal::ErrorKind;
using pineal::Population;
using pineal::RandomValue;
using pineal::Simulation;
using pineal::StreamKey;
using pineal::Value;
using pineal::test::throws;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

RandomValue uniform(double low, double high, std::uint64_t stream, std::uint64_t seed = 2024) {
    return RandomValue{Distribution::make("uniform", {low, high}), StreamKey{seed, stream, 0, 0}};
}

// The first draw of `entity` in the stream of `rv`: what a cell with that
// index must get.
double first_draw(const RandomValue& rv, std::uint64_t entity) {
    StreamKey key = rv.key;
    key.entity = entity;
    pineal::RandomStream rng(key);
    return rv.distribution.draw(rng);
}

// A snapshot of every parameter and initial value of a population.
struct Snapshot {
    std::vector<std::vector<double>> params;
    std::vector<std::vector<std::vector<double>>> sequences;
    std::vector<std::vector<double>> initial;
    std::uint64_t version;
    bool operator==(const Snapshot&) const = default;
};

Snapshot snapshot(const Population& pop) {
    Snapshot s;
    const auto& m = pop.model();
    for (std::size_t k = 0; k < m.parameters.size(); ++k) {
        if (m.parameters[k].shape == pineal::ParameterShape::scalar)
            s.params.push_back(pop.parameter(static_cast<int>(k)));
        else
            s.sequences.push_back(pop.sequence(static_cast<int>(k)));
    }
    for (std::size_t k = 0; k < m.state.size(); ++k)
        s.initial.push_back(pop.initial_value(static_cast<int>(k)));
    s.version = pop.parameter_version();
    return s;
}

}  // namespace

TEST(Population, EveryModelStartsWithRegistryDefaults) {
    Simulation sim;
    for (const auto& m : pineal::standard_models()) {
        const auto h = sim.create_population(m.name, 4, "p_" + m.name);
        const Population& pop = sim.population(h);
        EXPECT_EQ(&pop.model(), &pineal::find_model(m.name));
        for (std::size_t k = 0; k < m.parameters.size(); ++k) {
            const auto& p = m.parameters[k];
            if (p.shape == pineal::ParameterShape::scalar) {
                EXPECT_EQ(pop.parameter(p.name), std::vector<double>(4, p.default_value))
                    << m.name << "." << p.name;
            } else {
                for (const auto& seq : pop.sequence(static_cast<int>(k)))
                    EXPECT_EQ(seq, p.default_sequence) << m.name << "." << p.name;
            }
        }
        for (const auto& s : m.state)
            EXPECT_EQ(pop.initial_value(s.name), std::vector<double>(4, s.initial_value))
                << m.name << "." << s.name;
    }
}

TEST(Population, IfCurrExpDefaultsArePyNNs) {
    // pyNN.standardmodels.cells.IF_curr_exp.default_parameters / initial_values
    Simulation sim;
    const Population& pop = sim.population(sim.create_population("IF_curr_exp", 1, "p"));
    const std::vector<std::pair<const char*, double>> expected = {
        {"v_rest", -65.0},   {"cm", 1.0},      {"tau_m", 20.0},     {"tau_refrac", 0.1},
        {"tau_syn_E", 5.0},  {"tau_syn_I", 5.0}, {"i_offset", 0.0}, {"v_reset", -65.0},
        {"v_thresh", -50.0},
    };
    for (const auto& [name, value] : expected) EXPECT_EQ(pop.parameter(name)[0], value) << name;
    EXPECT_EQ(pop.initial_value("v")[0], -65.0);
    EXPECT_EQ(pop.initial_value("isyn_exc")[0], 0.0);
    EXPECT_EQ(pop.initial_value("isyn_inh")[0], 0.0);
}

TEST(Population, CellIdsAreConsecutiveAcrossPopulations) {
    Simulation sim;
    const auto a = sim.create_population("IF_curr_exp", 5, "a");
    const auto b = sim.create_population("SpikeSourcePoisson", 3, "b");
    EXPECT_EQ(sim.population(a).first_id(), 1u);
    EXPECT_EQ(sim.population(b).first_id(), 6u);
}

TEST(Population, SetScalarForAllAndForSubset) {
    Simulation sim;
    Population& pop = sim.population(sim.create_population("IF_curr_exp", 5, "p"));
    const auto v0 = pop.parameter_version();
    pop.set_parameter("tau_m", 12.5);
    EXPECT_EQ(pop.parameter("tau_m"), std::vector<double>(5, 12.5));
    EXPECT_GT(pop.parameter_version(), v0);
    const std::vector<std::uint32_t> cells = {1, 3};
    pop.set_parameter("tau_m", 7.0, cells);
    EXPECT_EQ(pop.parameter("tau_m"), (std::vector<double>{12.5, 7.0, 12.5, 7.0, 12.5}));
    // Other parameters are untouched.
    EXPECT_EQ(pop.parameter("cm"), std::vector<double>(5, 1.0));
}

TEST(Population, SetArrayForAllAndForSubset) {
    Simulation sim;
    Population& pop = sim.population(sim.create_population("IF_curr_exp", 4, "p"));
    pop.set_parameter("i_offset", Value(std::vector<double>{0.1, -0.2, 0.3, 0.4}));
    EXPECT_EQ(pop.parameter("i_offset"), (std::vector<double>{0.1, -0.2, 0.3, 0.4}));
    const std::vector<std::uint32_t> cells = {0, 2};
    pop.set_parameter("i_offset", Value(std::vector<double>{5.0, 6.0}), cells);
    EXPECT_EQ(pop.parameter("i_offset"), (std::vector<double>{5.0, -0.2, 6.0, 0.4}));
}

// What one engine shard is prepared on: the block's values and ids only.
TEST(Population, BlockHoldsTheCellsOfItsRange) {
    Simulation sim;
    Population& pop = sim.population(sim.create_population("IF_curr_exp", 5, "p"));
    pop.set_parameter("i_offset", Value(std::vector<double>{0.1, 0.2, 0.3, 0.4, 0.5}));
    pop.set_initial_value("v", Value(std::vector<double>{-60, -61, -62, -63, -64}));
    const Population block = pop.block(2, 4);
    EXPECT_EQ(block.size(), 2u);
    EXPECT_EQ(block.first_id(), pop.first_id() + 2);
    EXPECT_EQ(block.parameter("i_offset"), (std::vector<double>{0.3, 0.4}));
    EXPECT_EQ(block.parameter("cm"), (std::vector<double>{1.0, 1.0}));
    EXPECT_EQ(block.initial_value("v"), (std::vector<double>{-62, -63}));

    Population& src = sim.population(sim.create_population("SpikeSourceArray", 3, "src"));
    src.set_sequence("spike_times", {{0.0}, {}, {3.0, 4.0}});
    const int k = src.model().parameter_index("spike_times");
    EXPECT_EQ(src.block(1, 3).sequence(k), (std::vector<std::vector<double>>{{}, {3.0, 4.0}}));
}

TEST(Population, RandomValuesAreKeyedByCellIndex) {
    Simulation sim;
    Population& whole = sim.population(sim.create_population("IF_curr_exp", 10, "whole"));
    Population& part = sim.population(sim.create_population("IF_curr_exp", 10, "part"));
    const RandomValue rv = uniform(10.0, 30.0, 3);
    whole.set_parameter("tau_m", Value(rv));
    const std::vector<std::uint32_t> cells = {2, 5, 9};
    part.set_parameter("tau_m", Value(rv), cells);

    for (std::uint32_t i = 0; i < 10; ++i) {
        EXPECT_EQ(whole.parameter("tau_m")[i], first_draw(rv, i)) << i;
        EXPECT_GE(whole.parameter("tau_m")[i], 10.0);
        EXPECT_LT(whole.parameter("tau_m")[i], 30.0);
    }
    for (std::uint32_t i = 0; i < 10; ++i) {
        const bool selected = i == 2 || i == 5 || i == 9;
        EXPECT_EQ(part.parameter("tau_m")[i], selected ? whole.parameter("tau_m")[i] : 20.0) << i;
    }
    // Values differ between cells, and between streams.
    EXPECT_NE(whole.parameter("tau_m")[0], whole.parameter("tau_m")[1]);
    Population& other = sim.population(sim.create_population("IF_curr_exp", 10, "other"));
    other.set_parameter("tau_m", Value(uniform(10.0, 30.0, 4)));
    int same = 0;
    for (std::uint32_t i = 0; i < 10; ++i)
        same += other.parameter("tau_m")[i] == whole.parameter("tau_m")[i];
    EXPECT_EQ(same, 0);
}

TEST(Population, RandomInitialValuesAreKeyedByCellIndex) {
    Simulation sim;
    const auto h = sim.create_population("IF_curr_exp", 6, "p");
    const RandomValue rv = uniform(-70.0, -55.0, 9);
    const std::vector<std::uint32_t> cells = {4};
    sim.initialize(h, "v", Value(rv), cells);
    const auto& v = sim.population(h).initial_value("v");
    for (std::uint32_t i = 0; i < 6; ++i) EXPECT_EQ(v[i], i == 4 ? first_draw(rv, 4) : -65.0);
}

TEST(Population, InvalidValuesThrowNamingTheParameterAndChangeNothing) {
    Simulation sim;
    Population& pop = sim.population(sim.create_population("IF_curr_exp", 4, "p"));
    pop.set_parameter("tau_m", Value(std::vector<double>{10, 11, 12, 13}));
    const Snapshot before = snapshot(pop);
    const std::vector<std::uint32_t> cells = {1, 2};
    const std::vector<std::pair<const char*, double>> bad = {
        {"tau_m", 0.0},      {"tau_m", -1.0},     {"cm", 0.0},         {"cm", -0.5},
        {"tau_syn_E", 0.0},  {"tau_syn_I", -2.0}, {"tau_refrac", -0.1}, {"tau_m", kNaN},
        {"v_rest", kNaN},    {"v_thresh", kInf},  {"i_offset", -kInf},
    };
    for (const auto& [name, value] : bad) {
        EXPECT_TRUE(throws(ErrorKind::invalid_parameter_value, name,
                           [&] { pop.set_parameter(name, value); }))
            << name << " = " << value;
        EXPECT_TRUE(throws(ErrorKind::invalid_parameter_value, name,
                           [&] { pop.set_parameter(name, value, cells); }))
            << name << " = " << value << " (subset)";
    }
    // One bad element in an array: none of the array is applied.
    EXPECT_TRUE(throws(ErrorKind::invalid_parameter_value, "tau_m", [&] {
        pop.set_parameter("tau_m", Value(std::vector<double>{1.0, 2.0, -3.0, 4.0}));
    }));
    // A distribution that draws some invalid values: nothing applied.
    RandomValue wide{Distribution::make("normal", {1.0, 10.0}), StreamKey{1, 1, 0, 0}};
    EXPECT_TRUE(throws(ErrorKind::invalid_parameter_value, "tau_m",
                       [&] { pop.set_parameter("tau_m", Value(wide)); }));
    // Zero is allowed where the check is ">= 0".
    EXPECT_EQ(snapshot(pop), before);
    pop.set_parameter("tau_refrac", 0.0);
    EXPECT_EQ(pop.parameter("tau_refrac"), std::vector<double>(4, 0.0));
}

TEST(Population, InvalidInitialValuesThrowAndChangeNothing) {
    Simulation sim;
    const auto h = sim.create_population("IF_curr_exp", 3, "p");
    const Snapshot before = snapshot(sim.population(h));
    const Value with_nan(std::vector<double>{-60, kNaN, -60});
    EXPECT_TRUE(throws(ErrorKind::invalid_parameter_value, "v",
                       [&] { sim.initialize(h, "v", with_nan); }));
    EXPECT_TRUE(
        throws(ErrorKind::non_existent_parameter, "u", [&] { sim.initialize(h, "u", 0.0); }));
    EXPECT_TRUE(throws(ErrorKind::invalid_dimensions, "",
                       [&] { sim.initialize(h, "v", Value(std::vector<double>{1, 2})); }));
    EXPECT_EQ(snapshot(sim.population(h)), before);
}

TEST(Population, UnknownParameterIsNonExistent) {
    Simulation sim;
    Population& pop = sim.population(sim.create_population("IF_curr_exp", 2, "p"));
    const Snapshot before = snapshot(pop);
    EXPECT_TRUE(throws(ErrorKind::non_existent_parameter, "tau_mm",
                       [&] { pop.set_parameter("tau_mm", 1.0); }));
    EXPECT_TRUE(throws(ErrorKind::non_existent_parameter, "spike_times",
                       [&] { pop.set_sequence("spike_times", {{1.0}}); }));
    EXPECT_TRUE(throws(ErrorKind::non_existent_parameter, "rate",
                       [&] { (void)pop.parameter("rate"); }));
    EXPECT_EQ(snapshot(pop), before);
}

TEST(Population, WrongArrayLengthIsInvalidDimensions) {
    Simulation sim;
    Population& pop = sim.population(sim.create_population("IF_curr_exp", 4, "p"));
    const Snapshot before = snapshot(pop);
    EXPECT_TRUE(throws(ErrorKind::invalid_dimensions, "", [&] {
        pop.set_parameter("tau_m", Value(std::vector<double>{10, 11, 12}));
    }));
    EXPECT_TRUE(throws(ErrorKind::invalid_dimensions, "", [&] {
        pop.set_parameter("tau_m", Value(std::vector<double>{10, 11, 12, 13, 14}));
    }));
    // With a subset the array has one value per selected cell.
    const std::vector<std::uint32_t> cells = {0, 3};
    EXPECT_TRUE(throws(ErrorKind::invalid_dimensions, "", [&] {
        pop.set_parameter("tau_m", Value(std::vector<double>{10, 11, 12, 13}), cells);
    }));
    EXPECT_EQ(snapshot(pop), before);
}

TEST(Population, CellIndexOutOfRange) {
    Simulation sim;
    Population& pop = sim.population(sim.create_population("IF_curr_exp", 4, "p"));
    const Snapshot before = snapshot(pop);
    const std::vector<std::uint32_t> cells = {1, 4};
    EXPECT_TRUE(
        throws(ErrorKind::out_of_range, "", [&] { pop.set_parameter("tau_m", 5.0, cells); }));
    EXPECT_EQ(snapshot(pop), before);
}

TEST(Population, SizeZeroIsAnErrorAndLeavesTheNetworkAsItWas) {
    Simulation sim;
    sim.create_population("IF_curr_exp", 3, "a");
    EXPECT_TRUE(throws(ErrorKind::invalid_dimensions, "size",
                       [&] { sim.create_population("IF_curr_exp", 0, "empty"); }));
    EXPECT_EQ(sim.population_count(), 1u);
    const auto b = sim.create_population("IF_curr_exp", 2, "b");
    EXPECT_EQ(b, 1u);
    EXPECT_EQ(sim.population(b).first_id(), 4u);  // no ids were used by the failed one
    EXPECT_TRUE(throws(ErrorKind::invalid_dimensions, "size", [&] {
        Population p(pineal::find_model("IF_curr_exp"), 0, "direct", 1);
    }));
    sim.run(1.0);  // the network still runs
}

TEST(Population, UnknownModelIsInvalidModel) {
    Simulation sim;
    try {
        sim.create_population("IF_curr_expo", 3, "p");
        ADD_FAILURE() << "no error";
    } catch (const pineal::Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::invalid_model);
        EXPECT_EQ(e.object(), "IF_curr_expo");
        EXPECT_NE(std::string(e.what()).find("IF_curr_exp,"), std::string::npos) << e.what();
    }
    EXPECT_EQ(sim.population_count(), 0u);
    EXPECT_TRUE(throws(ErrorKind::invalid_model, "", [] { (void)pineal::find_model(""); }));
}

TEST(Population, DiscardLastPopulationFreesItsIds) {
    Simulation sim;
    sim.create_population("IF_curr_exp", 3, "a");
    sim.create_population("IF_curr_exp", 5, "b");
    sim.discard_last_population();
    EXPECT_EQ(sim.population_count(), 1u);
    const auto c = sim.create_population("IF_curr_exp", 2, "c");
    EXPECT_EQ(sim.population(c).first_id(), 4u);
    sim.run(1.0);
}

// Regression: discarding a population that a projection uses left the
// projection pointing at a population that no longer exists (ASan:
// heap-buffer-overflow in the next run).
TEST(Population, DiscardingAConnectedPopulationIsRefused) {
    Simulation sim;
    const auto a = sim.create_population("SpikeSourcePoisson", 2, "a");
    const auto b = sim.create_population("IF_curr_exp", 2, "b");
    pineal::ProjectionSpec spec;
    spec.pre = a, spec.post = b, spec.weight = 0.1, spec.receptor_type = "excitatory";
    sim.connect(spec);
    EXPECT_TRUE(throws(ErrorKind::state, "", [&] { sim.discard_last_population(); }));
    EXPECT_EQ(sim.population_count(), 2u);
    sim.run(5.0);
}

TEST(Population, SequencesSetPerCellOrForAll) {
    Simulation sim;
    Population& pop = sim.population(sim.create_population("SpikeSourceArray", 3, "src"));
    pop.set_sequence("spike_times", {{1.0, 2.0, 2.0, 5.5}});  // equal times are allowed
    for (const auto& seq : pop.sequence(0))
        EXPECT_EQ(seq, (std::vector<double>{1.0, 2.0, 2.0, 5.5}));
    pop.set_sequence("spike_times", {{0.0}, {}, {3.0, 4.0}});
    EXPECT_EQ(pop.sequence(0)[0], std::vector<double>{0.0});
    EXPECT_TRUE(pop.sequence(0)[1].empty());
    EXPECT_EQ(pop.sequence(0)[2], (std::vector<double>{3.0, 4.0}));
    const std::vector<std::uint32_t> cells = {1};
    pop.set_sequence("spike_times", {{7.0}}, cells);
    EXPECT_EQ(pop.sequence(0)[1], std::vector<double>{7.0});
    EXPECT_EQ(pop.sequence(0)[2], (std::vector<double>{3.0, 4.0}));
}

TEST(Population, InvalidSequencesThrowAndChangeNothing) {
    Simulation sim;
    Population& pop = sim.population(sim.create_population("SpikeSourceArray", 2, "src"));
    pop.set_sequence("spike_times", {{1.0, 2.0}});
    const Snapshot before = snapshot(pop);
    EXPECT_TRUE(throws(ErrorKind::invalid_parameter_value, "spike_times",
                       [&] { pop.set_sequence("spike_times", {{3.0, 2.0}}); }));
    EXPECT_TRUE(throws(ErrorKind::invalid_parameter_value, "spike_times",
                       [&] { pop.set_sequence("spike_times", {{-1.0, 2.0}}); }));
    EXPECT_TRUE(throws(ErrorKind::invalid_parameter_value, "spike_times",
                       [&] { pop.set_sequence("spike_times", {{1.0, kNaN}}); }));
    EXPECT_TRUE(throws(ErrorKind::invalid_parameter_value, "spike_times",
                       [&] { pop.set_sequence("spike_times", {{1.0, kInf}}); }));
    // The first cell's sequence is valid, the second's is not: neither is applied.
    EXPECT_TRUE(throws(ErrorKind::invalid_parameter_value, "spike_times",
                       [&] { pop.set_sequence("spike_times", {{5.0}, {4.0, 3.0}}); }));
    EXPECT_TRUE(throws(ErrorKind::invalid_dimensions, "spike_times",
                       [&] { pop.set_sequence("spike_times", {{1.0}, {2.0}, {3.0}}); }));
    // Shape mismatches: a sequence parameter is not set with a number and vice versa.
    EXPECT_TRUE(throws(ErrorKind::invalid_parameter_value, "spike_times",
                       [&] { pop.set_parameter("spike_times", 1.0); }));
    Population& lif = sim.population(sim.create_population("IF_curr_exp", 2, "lif"));
    EXPECT_TRUE(throws(ErrorKind::invalid_parameter_value, "tau_m",
                       [&] { lif.set_sequence("tau_m", {{1.0}}); }));
    EXPECT_EQ(snapshot(pop), before);
}

TEST(Population, SpikeSourcePoissonValidation) {
    Simulation sim;
    Population& pop = sim.population(sim.create_population("SpikeSourcePoisson", 2, "poisson"));
    const Snapshot before = snapshot(pop);
    EXPECT_TRUE(throws(ErrorKind::invalid_parameter_value, "rate",
                       [&] { pop.set_parameter("rate", -1.0); }));
    EXPECT_TRUE(throws(ErrorKind::invalid_parameter_value, "start",
                       [&] { pop.set_parameter("start", -0.1); }));
    EXPECT_EQ(snapshot(pop), before);
    pop.set_parameter("rate", 0.0);
    EXPECT_EQ(pop.parameter("rate"), std::vector<double>(2, 0.0));
}

namespace pineal {
namespace {
// Array parameters (PyNN ArrayParameter) take values in any order; sequences
// (spike times, InhGamma's tbins) must not decrease.
TEST(Population, ArrayParametersAreUnorderedSequencesAreNot) {
    Simulation sim;
    const auto g = sim.create_population("GIF_cond_exp", 2, "gif");
    EXPECT_EQ(sim.population(g).sequence(sim.population(g).model().parameter_index("tau_eta"))[1],
              (std::vector<double>{1.0, 10.0, 100.0}));
    sim.population(g).set_sequence("a_eta", {{0.5, 0.1, 0.05}});
    const auto s = sim.create_population("SpikeSourceInhGamma", 1, "src");
    sim.population(s).set_sequence("b", {{0.1, 0.01, 0.02}});
    EXPECT_TRUE(test::throws(ErrorKind::invalid_parameter_value, "tbins", [&] {
        sim.population(s).set_sequence("tbins", {{0.0, 50.0, 20.0}});
    }));
}
}  // namespace
}  // namespace pineal
