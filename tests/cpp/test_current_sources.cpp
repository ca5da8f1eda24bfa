// Current sources: waveforms on the grid (docs/timing.md), validation, and the
// injected current seen by IF_curr_exp through the engine, bit-identical for
// any threads and partitions.
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

#include "pineal/current_source.hpp"
#include "test_support.hpp"

namespace pineal {
namespace {

CurrentSource make(CurrentSourceKind kind, CurrentSourceParameters p) {
    CurrentSource s;
    s.kind = kind;
    s.p = std::move(p);
    s.label = "source";
    s.stream = 3;
    return s;
}

TEST(CurrentSources, DcIsOnFromTheStartStepUntilTheStopStep) {
    CurrentSourceParameters p;
    p.amplitude = 0.7, p.start = 2.0, p.stop = 5.0;
    const CurrentWaveform w(make(CurrentSourceKind::dc, p), 0.1, 1);
    EXPECT_EQ(w.value(19, 1, 0), 0.0);
    EXPECT_EQ(w.value(20, 1, 0), 0.7);
    EXPECT_EQ(w.value(49, 1, 0), 0.7);
    EXPECT_EQ(w.value(50, 1, 0), 0.0);
}

TEST(CurrentSources, AcIsSampledAtTheStartOfTheStepWithPhaseReferredToStart) {
    CurrentSourceParameters p;
    p.amplitude = 2.0, p.offset = 0.5, p.frequency = 50.0, p.phase = 90.0, p.start = 1.0;
    const CurrentWaveform w(make(CurrentSourceKind::ac, p), 0.1, 1);
    EXPECT_EQ(w.value(9, 1, 0), 0.0);
    EXPECT_DOUBLE_EQ(w.value(10, 1, 0), 2.5);  // sin(90 deg) at t = start
    const double t = 3.7;
    EXPECT_NEAR(w.value(37, 1, 0),
                0.5 + 2.0 * std::sin(2 * std::numbers::pi * 50.0 * (t - 1.0) / 1000.0 +
                                     std::numbers::pi / 2),
                1e-12);
}

TEST(CurrentSources, StepTimesRoundToTheNearestStepAndTheLastOfATieWins) {
    CurrentSourceParameters p;
    p.times = {0.41, 0.42, 0.86}, p.amplitudes = {0.5, -0.5, 0.5};
    const CurrentWaveform w(make(CurrentSourceKind::step, p), 0.1, 1);
    EXPECT_EQ(w.value(3, 1, 0), 0.0);
    EXPECT_EQ(w.value(4, 1, 0), -0.5);
    EXPECT_EQ(w.value(8, 1, 0), -0.5);
    EXPECT_EQ(w.value(9, 1, 0), 0.5);
    EXPECT_EQ(w.value(1000000, 1, 0), 0.5);  // the last amplitude persists
}

TEST(CurrentSources, NoiseIsHeldPerIntervalPerCellAndPerSegment) {
    CurrentSourceParameters p;
    p.mean = 1.0, p.stdev = 2.0, p.dt = 0.5, p.start = 1.0;
    const CurrentWaveform w(make(CurrentSourceKind::noisy, p), 0.1, 9);
    EXPECT_EQ(w.value(9, 1, 0), 0.0);
    for (int s = 10; s < 15; ++s) EXPECT_EQ(w.value(s, 1, 0), w.value(10, 1, 0));
    EXPECT_NE(w.value(15, 1, 0), w.value(10, 1, 0));
    EXPECT_NE(w.value(10, 2, 0), w.value(10, 1, 0));  // another cell
    EXPECT_NE(w.value(10, 1, 1), w.value(10, 1, 0));  // after reset()
    // mean and variance of 20000 draws within 5 sigma
    const int n = 20000;
    double sum = 0, sq = 0;
    for (int j = 0; j < n; ++j) {
        const double x = w.value(10 + 5 * j, 4, 0);
        sum += x, sq += x * x;
    }
    const double mean = sum / n, var = (sq - n * mean * mean) / (n - 1);
    EXPECT_NEAR(mean, 1.0, 5 * 2.0 / std::sqrt(n));
    EXPECT_NEAR(var, 4.0, 5 * 4.0 * std::sqrt(2.0 / (n - 1)));
}

TEST(CurrentSources, BadParametersNameTheParameter) {
    using K = CurrentSourceKind;
    auto bad = [](K kind, auto edit, const char* name) {
        CurrentSourceParameters p;
        edit(p);
        return test::throws(ErrorKind::invalid_parameter_value, name,
                            [&] { validate_current_source(make(kind, p), 0.1); });
    };
    EXPECT_TRUE(bad(K::dc, [](auto& p) { p.start = 5, p.stop = 2; }, "stop"));
    EXPECT_TRUE(bad(K::dc, [](auto& p) { p.start = -1; }, "start"));
    EXPECT_TRUE(bad(K::ac, [](auto& p) { p.frequency = -1; }, "frequency"));
    EXPECT_TRUE(bad(K::noisy, [](auto& p) { p.stdev = -1; }, "stdev"));
    EXPECT_TRUE(bad(K::noisy, [](auto& p) { p.dt = 0.25; }, "dt"));
    EXPECT_TRUE(bad(K::step, [](auto& p) { p.times = {1, 2}, p.amplitudes = {1}; }, "amplitudes"));
    EXPECT_TRUE(bad(K::step, [](auto& p) { p.times = {2, 1}, p.amplitudes = {1, 1}; }, "times"));
    EXPECT_TRUE(bad(K::step, [](auto& p) { p.times = {-1}, p.amplitudes = {1}; }, "times"));
}

TEST(CurrentSources, SpikeSourcesAndBadCellsAreRejected) {
    Simulation sim;
    const auto src = sim.add_current_source(CurrentSourceKind::dc, {}, "DCSource");
    const auto poisson = sim.create_population("SpikeSourcePoisson", 2, "poisson");
    const auto lif = sim.create_population("IF_curr_exp", 2, "lif");
    const std::uint32_t cells[] = {0, 5};
    EXPECT_TRUE(test::throws(ErrorKind::wrong_type, "", [&] { sim.inject(src, poisson, cells); }));
    EXPECT_TRUE(test::throws(ErrorKind::out_of_range, "", [&] { sim.inject(src, lif, cells); }));
    EXPECT_TRUE(sim.current_source(src).targets.empty());  // nothing half-injected
}

// v of IF_curr_exp under a current constant over each step, exactly.
TEST(CurrentSources, InjectedDcGivesTheExactExponentialApproach) {
    Simulation sim;
    const auto lif = sim.create_population("IF_curr_exp", 1, "lif");
    sim.population(lif).set_parameter("v_thresh", 1000.0);
    CurrentSourceParameters p;
    p.amplitude = 0.5, p.start = 1.0;
    const auto src = sim.add_current_source(CurrentSourceKind::dc, p, "DCSource");
    const std::uint32_t cell[] = {0};
    sim.inject(src, lif, cell);
    sim.record(lif, "v", cell);
    sim.run(20.0);
    const SignalData v = sim.signal(lif, "v");
    ASSERT_EQ(v.n_samples, 201u);
    // cm = 1 nF, tau_m = 20 ms: R = 20 MOhm; exact propagators leave rounding only
    for (std::size_t k = 0; k < v.n_samples; ++k) {
        const double t = 0.1 * static_cast<double>(k);
        const double expected = t <= 1.0 ? -65.0 : -65.0 + 10.0 * (1 - std::exp(-(t - 1.0) / 20.0));
        EXPECT_NEAR(v.values[k], expected, 1e-9) << "t = " << t;
    }
}

std::vector<double> noisy_network(int threads, int partitions) {
    SetupOptions o;
    o.threads = threads, o.virtual_ranks = partitions, o.rng_seed = 5;
    Simulation sim(o);
    const auto a = sim.create_population("IF_curr_exp", 23, "a");
    const auto b = sim.create_population("Izhikevich", 11, "b");
    CurrentSourceParameters noise;
    noise.mean = 0.5, noise.stdev = 1.0;
    const auto n1 = sim.add_current_source(CurrentSourceKind::noisy, noise, "NoisyCurrentSource");
    const auto n2 = sim.add_current_source(CurrentSourceKind::noisy, noise, "NoisyCurrentSource");
    std::vector<std::uint32_t> all_a(23), all_b(11);
    for (std::uint32_t i = 0; i < 23; ++i) all_a[i] = i;
    for (std::uint32_t i = 0; i < 11; ++i) all_b[i] = i;
    sim.inject(n1, a, all_a);
    sim.inject(n2, a, std::span(all_a).subspan(3, 9));  // two sources add on cells 3..11
    sim.inject(n1, b, std::span(all_b).subspan(0, 6));
    sim.connect(test::projection(a, b, AllToAllConnector{}, 0.01, 1.0, "excitatory"));
    sim.record(a, "v", all_a);
    sim.record(b, "v", all_b);
    sim.run(7.3);
    sim.run(12.7);
    std::vector<double> out = sim.signal(a, "v").values;
    const auto vb = sim.signal(b, "v").values;
    out.insert(out.end(), vb.begin(), vb.end());
    return out;
}

TEST(CurrentSources, NoiseIsBitIdenticalForAnyThreadsAndPartitions) {
    const auto one = noisy_network(1, 1);
    EXPECT_EQ(one, noisy_network(2, 2));
    EXPECT_EQ(one, noisy_network(3, 1));
}

}  // namespace
}  // namespace pineal
