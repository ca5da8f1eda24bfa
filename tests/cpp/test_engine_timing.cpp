// The engine's timing conventions (src/engine/kernel.hpp, the model files),
// each tested exactly with SpikeSourceArray -> IF_curr_exp:
//   - step s advances t = s dt -> (s+1) dt; a spike produced in step s is
//     stamped (s+1) dt;
//   - input arriving at a dt is added at the end of step a-1: v recorded at
//     a dt is unchanged, v at (a+1) dt has changed;
//   - spike-source times on the grid are emitted at that step (t = 0 before
//     the first step), off-grid times are stamped ceil(t/dt) dt;
//   - after a spike v is held at v_reset for round(tau_refrac/dt) steps;
//   - a signal recorded for T ms has T/dt + 1 samples, the first one the
//     initial value;
//   - how a run is cut into run() calls does not change anything, and
//     reset() starts a new random segment.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "pineal/simulation.hpp"
#include "test_support.hpp"

using pineal::Distribution;
using pineal::FixedProbabilityConnector;
using pineal::FromListConnector;
using pineal::OneToOneConnector;
using pineal::RandomValue;
using pineal::Simulation;
using pineal::StreamKey;
using pineal::Value;
using pineal::test::all_cells;
using pineal::test::projection;

namespace {

constexpr double kDt = 0.1;

// Index of the first sample of cell `cell` that differs from the first
// sample, or n_samples if none does.
std::size_t first_change(const pineal::SignalData& v, std::size_t cell) {
    const std::size_t n = v.cells.size();
    for (std::size_t s = 1; s < v.n_samples; ++s)
        if (v.values[s * n + cell] != v.values[cell]) return s;
    return v.n_samples;
}

// One source cell per spike time, each driving its own target one-to-one.
struct Relay {
    Simulation sim;
    std::size_t src = 0, tgt = 0;
    Relay(const std::vector<double>& times, double delay, double weight = 0.5,
          const char* receptor = "excitatory") {
        src = sim.create_population("SpikeSourceArray", times.size(), "src");
        std::vector<std::vector<double>> per_cell;
        for (double t : times) per_cell.push_back({t});
        sim.population(src).set_sequence("spike_times", per_cell);
        tgt = sim.create_population("IF_curr_exp", times.size(), "tgt");
        sim.connect(projection(src, tgt, OneToOneConnector{}, weight, delay, receptor));
        sim.record(src, "spikes", all_cells(times.size()));
        sim.record(tgt, "v", all_cells(times.size()));
    }
};

}  // namespace

TEST(EngineTiming, DelayedInputFirstActsOneStepAfterArrival) {
    struct Case { double t_spike, delay; const char* receptor; double weight; };
    for (const Case& c : {Case{0.0, 0.1, "excitatory", 0.5}, Case{2.0, 1.5, "excitatory", 0.5},
                          Case{3.3, 0.7, "inhibitory", -0.5}, Case{5.0, 0.1, "inhibitory", -1.0}}) {
        Relay r({c.t_spike}, c.delay, c.weight, c.receptor);
        r.sim.run(10.0);
        const auto v = r.sim.signal(r.tgt, "v");
        const auto arrival = std::llround((c.t_spike + c.delay) / kDt);
        // Unchanged up to and including the sample at the arrival time.
        EXPECT_EQ(first_change(v, 0), std::size_t(arrival + 1))
            << "spike at " << c.t_spike << " delay " << c.delay;
        const double after = v.values[arrival + 1];
        EXPECT_TRUE(c.weight > 0 ? after > -65.0 : after < -65.0);
    }
}

TEST(EngineTiming, SpikeAtTimeZeroIsEmittedAndDelivered) {
    Relay r({0.0}, 1.0);
    r.sim.run(5.0);
    const auto s = r.sim.spikes(r.src);
    ASSERT_EQ(s.time.size(), 1u);
    EXPECT_EQ(s.time[0], 0.0);
    EXPECT_EQ(first_change(r.sim.signal(r.tgt, "v"), 0), 11u);
    // Also when the first run has zero length.
    Relay z({0.0}, 1.0);
    z.sim.run(0.0);
    z.sim.run(5.0);
    EXPECT_EQ(z.sim.spikes(z.src).time, s.time);
    EXPECT_EQ(z.sim.signal(z.tgt, "v").values, r.sim.signal(r.tgt, "v").values);
}

TEST(EngineTiming, OffGridSpikeTimesAreStampedAtTheEndOfTheirStep) {
    // Times computed as k * dt land within round-off of the grid, on either
    // side (12 * 0.1 / 0.1 = 12.000000000000002, 0.7 / 0.1 = 6.999999999999999):
    // they are on the grid, not stamped one step late.
    const std::vector<double> times = {0.25, 12 * kDt, 2.3, 4.0001, 0.7, 3.05, 3 * kDt};
    const std::vector<std::int64_t> stamps = {3, 12, 23, 41, 7, 31, 3};
    ASSERT_GT(12 * kDt / kDt, 12.0);  // the premise of the test
    Relay r(times, 0.5);
    r.sim.run(8.0);
    const auto s = r.sim.spikes(r.src);
    ASSERT_EQ(s.index.size(), times.size());
    const auto v = r.sim.signal(r.tgt, "v");
    for (std::size_t k = 0; k < s.index.size(); ++k) {
        const auto i = s.index[k];
        // Times are reported as stamp / (1/dt), the double nearest to the grid time.
        EXPECT_EQ(s.time[k], static_cast<double>(stamps[i]) / 10.0) << times[i];
        EXPECT_EQ(first_change(v, i), std::size_t(stamps[i] + 5 + 1)) << times[i];
    }
}

TEST(EngineTiming, RefractoryPeriodHoldsVForRoundedSteps) {
    // Strong drive (R I = 100 mV above rest): v leaves v_reset in the first
    // step after refractoriness ends.
    const std::vector<double> tau_refrac = {0.0, 0.1, 0.73, 2.0};
    const std::vector<int> steps = {0, 1, 7, 20};
    Simulation sim;
    const auto n = tau_refrac.size();
    const auto h = sim.create_population("IF_curr_exp", n, "lif");
    auto& pop = sim.population(h);
    pop.set_parameter("tau_refrac", Value(tau_refrac));
    pop.set_parameter("i_offset", 5.0);
    pop.set_parameter("v_reset", -70.0);
    sim.record(h, "v", all_cells(n));
    sim.record(h, "spikes", all_cells(n));
    sim.run(50.0);
    const auto v = sim.signal(h, "v");
    const auto sp = sim.spikes(h);
    const double rest = -65.0, drive = 5.0 * 20.0 / 1.0, thr = -50.0, reset = -70.0, tau_m = 20.0;
    // Steps from the end of refractoriness to the next threshold crossing.
    const double t_star = -tau_m * std::log((thr - rest - drive) / (reset - rest - drive));
    ASSERT_GT(std::abs(t_star / kDt - std::round(t_star / kDt)), 1e-6);
    const auto climb = static_cast<std::int64_t>(std::ceil(t_star / kDt));
    for (std::size_t i = 0; i < n; ++i) {
        std::vector<std::int64_t> stamps;
        for (std::size_t k = 0; k < sp.index.size(); ++k)
            if (sp.index[k] == i) stamps.push_back(std::llround(sp.time[k] / kDt));
        ASSERT_GE(stamps.size(), 3u) << "cell " << i;
        for (std::size_t k = 0; k + 1 < stamps.size(); ++k) {
            const auto s = stamps[k];
            for (int j = 0; j <= steps[i]; ++j)
                EXPECT_EQ(v.values[(s + j) * n + i], reset)
                    << "cell " << i << " spike " << s << " +" << j;
            EXPECT_NE(v.values[(s + steps[i] + 1) * n + i], reset) << "cell " << i;
            EXPECT_EQ(stamps[k + 1] - s, steps[i] + climb) << "cell " << i;
        }
    }
}

TEST(EngineTiming, RecordedSignalHasOneSamplePerStepPlusTheInitialValue) {
    Simulation sim;
    const auto h = sim.create_population("IF_curr_exp", 3, "lif");
    sim.population(h).set_parameter("i_offset", 0.2);
    sim.initialize(h, "v", Value(std::vector<double>{-60.0, -61.0, -62.0}));
    sim.record(h, "v", all_cells(3));
    sim.run(25.0);
    auto v = sim.signal(h, "v");
    EXPECT_EQ(v.n_samples, 251u);
    EXPECT_EQ(v.values.size(), 251u * 3);
    EXPECT_EQ(v.t_start, 0.0);
    EXPECT_DOUBLE_EQ(v.sampling_interval, kDt);
    EXPECT_EQ(std::vector<double>(v.values.begin(), v.values.begin() + 3),
              (std::vector<double>{-60.0, -61.0, -62.0}));
    EXPECT_NE(v.values[3], -60.0);
    sim.run(5.0);
    EXPECT_EQ(sim.signal(h, "v").n_samples, 301u);

    Simulation coarse;
    const auto c = coarse.create_population("IF_curr_exp", 1, "lif");
    coarse.record(c, "v", all_cells(1), 0.5);
    coarse.run(10.0);
    EXPECT_EQ(coarse.signal(c, "v").n_samples, 21u);
}

TEST(EngineTiming, ConnectingBetweenRunsKeepsInputInFlight) {
    // Source 0 fires at 5.0 ms; with delay 0.5 its input arrives at 5.5 ms,
    // and at 5.2 ms it waits in the target's input buffer. A projection with
    // a longer delay added then makes the buffer grow: the input must survive.
    auto build = [](Simulation& sim, bool late) {
        const auto src = sim.create_population("SpikeSourceArray", 2, "src");
        sim.population(src).set_sequence("spike_times", {{1.0, 5.0}, {7.0}});
        const auto tgt = sim.create_population("IF_curr_exp", 2, "tgt");
        sim.connect(projection(src, tgt, FromListConnector{{0}, {0}, {}}, 1.0, Value(0.5)));
        sim.record(tgt, "v", all_cells(2));
        auto add_long = [&] {
            sim.connect(projection(src, tgt, FromListConnector{{1}, {1}, {}}, 1.0, Value(4.0)));
        };
        if (!late) add_long();
        sim.run(5.2);
        if (late) add_long();
        sim.run(14.8);
        return sim.signal(tgt, "v");
    };
    Simulation early_sim, late_sim;
    const auto early = build(early_sim, false);
    const auto late = build(late_sim, true);
    ASSERT_EQ(early.n_samples, 201u);
    EXPECT_EQ(late.values, early.values);
    EXPECT_EQ(first_change(late, 0), 16u);  // from the spike at 1.0
    EXPECT_EQ(first_change(late, 1), 111u);  // 7.0 + 4.0
}

TEST(EngineTiming, NewSpikeTimesInThePastAreNotEmitted) {
    Simulation sim;
    const auto src = sim.create_population("SpikeSourceArray", 1, "src");
    sim.population(src).set_sequence("spike_times", {{1.0, 3.0, 7.0}});
    sim.record(src, "spikes", all_cells(1));
    sim.run(5.0);
    sim.population(src).set_sequence("spike_times", {{2.0, 4.0, 6.0, 8.0}});
    sim.run(5.0);
    EXPECT_EQ(sim.spikes(src).time, (std::vector<double>{10 * kDt, 30 * kDt, 60 * kDt, 80 * kDt}));
}

namespace {

struct Result {
    std::vector<std::uint32_t> index, src_index;
    std::vector<double> time, src_time, v;
    std::uint64_t segment;
};

// A small recurrent IF_curr_exp network driven by Poisson sources, with
// delays of several values (min 0.3 ms: slices of 3 steps).
struct Network {
    Simulation sim;
    std::size_t noise = 0, exc = 0;
    explicit Network(std::uint64_t seed = 42) : sim(options(seed)) {
        noise = sim.create_population("SpikeSourcePoisson", 20, "noise");
        sim.population(noise).set_parameter("rate", 80.0);
        exc = sim.create_population("IF_curr_exp", 40, "exc");
        auto& p = sim.population(exc);
        p.set_parameter("i_offset", Value(RandomValue{Distribution::make("uniform", {0.4, 0.8}),
                                                      StreamKey{seed, sim.next_stream(), 0, 0}}));
        p.set_parameter("tau_refrac", 2.0);
        const RandomValue delay{Distribution::make("uniform", {0.3, 3.0}),
                                StreamKey{seed, sim.next_stream(), 0, 0}};
        auto connect = [&](std::size_t pre, double p_connect, double w, const char* receptor) {
            FixedProbabilityConnector c;
            c.p_connect = p_connect;
            c.rng = StreamKey{seed, sim.next_stream(), 0, 0};
            sim.connect(projection(pre, exc, c, w, Value(delay), receptor));
        };
        connect(noise, 0.3, 1.0, "excitatory");
        connect(exc, 0.15, 0.4, "excitatory");
        connect(exc, 0.1, -0.6, "inhibitory");
        sim.record(noise, "spikes", all_cells(20));
        sim.record(exc, "spikes", all_cells(40));
        sim.record(exc, "v", all_cells(40));
    }
    static pineal::SetupOptions options(std::uint64_t seed) {
        pineal::SetupOptions o;
        o.rng_seed = seed;
        return o;
    }
    Result run(const std::vector<double>& chunks) {
        for (double t : chunks) sim.run(t);
        const auto s = sim.spikes(exc);
        const auto src = sim.spikes(noise);
        return {s.index, src.index, s.time, src.time, sim.signal(exc, "v").values, sim.segment()};
    }
};

void expect_identical(const Result& a, const Result& b, const char* what) {
    EXPECT_EQ(a.index, b.index) << what;
    EXPECT_EQ(a.time, b.time) << what;  // exact: bitwise equal doubles
    EXPECT_EQ(a.src_index, b.src_index) << what;
    EXPECT_EQ(a.src_time, b.src_time) << what;
    EXPECT_EQ(a.v, b.v) << what;
}

}  // namespace

TEST(EngineTiming, SplitRunsAreBitwiseIdenticalToOneRun) {
    Network whole, halves, pieces;
    const auto slice = std::llround(whole.sim.min_delay() / kDt);
    ASSERT_EQ(slice, 3);  // so that run(100) ends inside a slice
    ASSERT_NE(1000 % slice, 0);
    const Result ref = whole.run({200.0});
    EXPECT_GT(ref.index.size(), 100u) << "the network should be active";
    EXPECT_GT(ref.src_index.size(), 100u);
    EXPECT_EQ(ref.v.size(), 2001u * 40);
    expect_identical(halves.run({100.0, 100.0}), ref, "run(100) + run(100)");
    expect_identical(pieces.run({0.0, 13.7, 0.1, 86.2, 0.0, 55.0, 44.9, 0.1}), ref, "pieces");
}

TEST(EngineTiming, ResetStartsANewRandomSegment) {
    Network net;
    const Result first = net.run({100.0});
    EXPECT_EQ(first.segment, 0u);
    net.sim.reset();
    EXPECT_EQ(net.sim.time(), 0.0);
    const Result second = net.run({100.0});
    EXPECT_EQ(second.segment, 1u);
    EXPECT_NE(second.src_time, first.src_time);  // a new Poisson realisation
    EXPECT_EQ(second.v.size(), first.v.size());
    // The state restarts from the initial values.
    EXPECT_EQ(std::vector<double>(second.v.begin(), second.v.begin() + 40),
              std::vector<double>(40, -65.0));
    // The same seed gives the same first segment; another seed does not.
    Network again;
    expect_identical(again.run({100.0}), first, "same seed");
    Network other(7);
    EXPECT_NE(other.run({100.0}).src_time, first.src_time);
}

TEST(EngineTiming, ResetRepeatsADeterministicNetworkExactly) {
    Relay r({0.0, 1.35, 2.0, 7.5}, 0.4, 2.0);
    auto& tgt = r.sim.population(r.tgt);
    tgt.set_parameter("i_offset", Value(std::vector<double>{0.5, 0.7, 0.9, 1.1}));
    tgt.set_parameter("tau_refrac", 5.0);
    r.sim.record(r.tgt, "spikes", all_cells(4));
    r.sim.run(30.0);
    const auto v1 = r.sim.signal(r.tgt, "v").values;
    const auto s1 = r.sim.spikes(r.tgt);
    const auto src1 = r.sim.spikes(r.src);
    ASSERT_GT(s1.time.size(), 0u);
    auto expect_repeat = [&](const char* what) {
        EXPECT_EQ(r.sim.signal(r.tgt, "v").values, v1) << what;
        EXPECT_EQ(r.sim.spikes(r.tgt).time, s1.time) << what;
        EXPECT_EQ(r.sim.spikes(r.tgt).index, s1.index) << what;
        EXPECT_EQ(r.sim.spikes(r.src).time, src1.time) << what;
    };
    r.sim.reset();
    r.sim.run(30.0);
    expect_repeat("after reset");
    // Reset in the middle of a refractory period and with input in flight:
    // neither may leak into the next segment.
    r.sim.reset();
    r.sim.run(s1.time[0] + 1.0);
    r.sim.reset();
    r.sim.run(30.0);
    expect_repeat("after a reset during refractoriness");
    // The spike stamped 7.5 ms arrives at 7.9 ms: at 7.6 ms it is in an input buffer.
    r.sim.reset();
    r.sim.run(7.6);
    r.sim.reset();
    r.sim.run(30.0);
    expect_repeat("after a reset with input in flight");
}

TEST(EngineTiming, PoissonSpikesStayInsideTheirWindowAtTheRightRate) {
    Simulation sim;
    const auto h = sim.create_population("SpikeSourcePoisson", 50, "p");
    auto& pop = sim.population(h);
    pop.set_parameter("rate", 200.0);
    pop.set_parameter("start", 20.0);
    pop.set_parameter("duration", 500.0);
    sim.record(h, "spikes", all_cells(50));
    sim.run(600.0);
    const auto s = sim.spikes(h);
    for (double t : s.time) {
        EXPECT_GT(t, 20.0);
        EXPECT_LE(t, 520.0 + 1e-9);
        const double q = t / kDt;
        EXPECT_NEAR(q, std::round(q), 1e-9);  // on the grid
    }
    const double mean = 50 * 200.0 * 0.5;  // 5000
    EXPECT_NEAR(static_cast<double>(s.time.size()), mean, 5 * std::sqrt(mean));
}
