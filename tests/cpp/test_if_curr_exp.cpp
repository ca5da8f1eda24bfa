// IF_curr_exp against its analytic solutions. The kernel integrates the
// linear subthreshold dynamics exactly, so the recorded v must match the
// closed forms below to round-off (bounds of 1e-10 relative leave room only
// for accumulated floating-point error, not for any integration error).
//
// Model (models/if_curr_exp.hpp), with u = V - v_rest and R = tau_m / cm:
//   du/dt = -u / tau_m + (I_syn(t) + i_offset) / cm
//   dI_syn/dt = -I_syn / tau_syn
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <vector>

#include "engine/kernel.hpp"
#include "pineal/model.hpp"
#include "pineal/simulation.hpp"

using pineal::FromListConnector;
using pineal::ProjectionSpec;
using pineal::Simulation;
using pineal::Value;

namespace {

const std::vector<std::uint32_t> kCell0 = {0};

struct Cell {
    double v_rest = -65.0, cm = 1.0, tau_m = 20.0, tau_syn_E = 5.0, tau_syn_I = 5.0;
    double i_offset = 0.0, v_thresh = -50.0, v_reset = -65.0, tau_refrac = 0.1;
};

std::size_t add_cell(Simulation& sim, const Cell& c) {
    const auto h = sim.create_population("IF_curr_exp", 1, "cell");
    auto& p = sim.population(h);
    p.set_parameter("v_rest", c.v_rest);
    p.set_parameter("cm", c.cm);
    p.set_parameter("tau_m", c.tau_m);
    p.set_parameter("tau_syn_E", c.tau_syn_E);
    p.set_parameter("tau_syn_I", c.tau_syn_I);
    p.set_parameter("i_offset", c.i_offset);
    p.set_parameter("v_thresh", c.v_thresh);
    p.set_parameter("v_reset", c.v_reset);
    p.set_parameter("tau_refrac", c.tau_refrac);
    sim.initialize(h, "v", c.v_rest);
    return h;
}

pineal::SetupOptions with_dt(double dt) {
    pineal::SetupOptions o;
    o.timestep = dt;
    return o;
}

// Checks every sample v[k] (t = k dt) against v_rest + u(t), with an
// absolute bound of `rel` times the largest |u| over the run.
void expect_matches(const pineal::SignalData& v, double dt, double v_rest,
                    const std::function<double(double)>& u, double rel, const char* what) {
    std::vector<double> exact(v.n_samples);
    for (std::size_t k = 0; k < v.n_samples; ++k) exact[k] = u(static_cast<double>(k) * dt);
    double scale = 0;
    for (double x : exact) scale = std::max(scale, std::abs(x));
    ASSERT_GT(scale, 0.1) << what << ": the response should be a few mV";
    double worst = 0;
    std::size_t worst_k = 0;
    for (std::size_t k = 0; k < v.n_samples; ++k) {
        const double err = std::abs(v.values[k] - (v_rest + exact[k]));
        if (err > worst) worst = err, worst_k = k;
    }
    EXPECT_LE(worst, rel * scale) << what << ": worst error " << worst << " mV at t = "
                                  << static_cast<double>(worst_k) * dt << " ms (scale " << scale
                                  << " mV)";
}

}  // namespace

// Constant current I from u(0) = 0:  u(t) = R I (1 - exp(-t / tau_m)).
TEST(IfCurrExp, ConstantCurrentMatchesTheAnalyticSolution) {
    struct Case { double dt; Cell cell; };
    std::vector<Case> cases(4);
    cases[0] = {0.1, Cell{}};
    cases[0].cell.i_offset = 0.5;  // R I = 10 mV
    cases[1] = {0.1, Cell{}};
    cases[1].cell.v_rest = -70.0, cases[1].cell.cm = 0.25, cases[1].cell.tau_m = 10.0;
    cases[1].cell.i_offset = 0.3;  // R I = 12 mV, below v_thresh - v_rest = 20
    cases[2] = {0.05, cases[1].cell};
    cases[3] = {0.25, Cell{}};
    cases[3].cell.tau_m = 33.0, cases[3].cell.i_offset = -0.4;  // hyperpolarising
    for (const auto& [dt, c] : cases) {
        Simulation sim(with_dt(dt));
        const auto h = add_cell(sim, c);
        sim.record(h, "v", kCell0);
        sim.run(100.0);
        const auto v = sim.signal(h, "v");
        ASSERT_EQ(v.n_samples, static_cast<std::size_t>(std::llround(100.0 / dt)) + 1);
        const double R = c.tau_m / c.cm;
        expect_matches(v, dt, c.v_rest,
                       [&](double t) { return R * c.i_offset * -std::expm1(-t / c.tau_m); }, 1e-10,
                       "constant current");
        EXPECT_TRUE(sim.spikes(h).time.empty());
    }
}

// Free relaxation from u(0) = u0:  u(t) = u0 exp(-t / tau_m).
TEST(IfCurrExp, RelaxesExponentiallyToRest) {
    Simulation sim;
    Cell c;
    c.tau_m = 15.0;
    const auto h = add_cell(sim, c);
    sim.initialize(h, "v", -55.0);
    sim.record(h, "v", kCell0);
    sim.run(100.0);
    expect_matches(sim.signal(h, "v"), 0.1, c.v_rest,
                   [&](double t) { return 10.0 * std::exp(-t / c.tau_m); }, 1e-10, "relaxation");
}

// One spike of weight w arriving at t0 sets I_syn(t0) = w, so for s = t - t0 >= 0
//   du/ds = -u / tau_m + (w / cm) exp(-s / tau_syn),  u(0) = 0.
// Try u = A (exp(-s/tau_syn) - exp(-s/tau_m)):
//   du/ds + u/tau_m = A exp(-s/tau_syn) (1/tau_m - 1/tau_syn) = (w/cm) exp(-s/tau_syn)
//   => A = (w / cm) / (1/tau_m - 1/tau_syn) = (w / cm) tau_m tau_syn / (tau_syn - tau_m).
// For tau_syn == tau_m the right-hand side solves the homogeneous equation;
// u = B s exp(-s/tau_m) gives du/ds + u/tau_m = B exp(-s/tau_m), so B = w / cm:
//   u(s) = (w / cm) s exp(-s / tau_m).
// Before t0 (and at t0 itself, see kernel.hpp) u = 0.
double psp(double s, double w, double cm, double tau_m, double tau_syn) {
    if (s <= 0) return 0.0;
    if (tau_syn == tau_m) return w / cm * s * std::exp(-s / tau_m);
    const double a = w / cm * tau_m * tau_syn / (tau_syn - tau_m);
    return a * (std::exp(-s / tau_syn) - std::exp(-s / tau_m));
}

TEST(IfCurrExp, SingleSpikeResponseMatchesTheAnalyticSolution) {
    struct Case {
        const char* receptor;
        double weight, tau_syn_E, tau_syn_I, tau_m, cm, dt;
    };
    const std::vector<Case> cases = {
        {"excitatory", 2.0, 5.0, 1.0, 20.0, 1.0, 0.1},
        {"excitatory", 1.5, 20.0, 3.0, 20.0, 1.0, 0.1},    // tau_syn == tau_m
        {"inhibitory", -1.0, 7.0, 2.5, 10.0, 0.5, 0.1},    // uses tau_syn_I, not E
        {"inhibitory", -0.8, 2.0, 12.5, 12.5, 0.4, 0.05},  // tau_syn_I == tau_m
        // Nearly equal: the kernel's series branch (|dt (1/tau_m - 1/tau_syn)| < 1e-5),
        // while the closed form above still loses only ~1e-13 to cancellation.
        {"excitatory", 3.0, 20.01, 5.0, 20.0, 1.0, 0.1},
    };
    for (const auto& c : cases) {
        Simulation sim(with_dt(c.dt));
        const auto src = sim.create_population("SpikeSourceArray", 1, "src");
        sim.population(src).set_sequence("spike_times", {{1.0}});
        Cell cell;
        cell.tau_syn_E = c.tau_syn_E, cell.tau_syn_I = c.tau_syn_I;
        cell.tau_m = c.tau_m, cell.cm = c.cm, cell.v_thresh = 0.0;
        const auto h = add_cell(sim, cell);
        ProjectionSpec s;
        s.pre = src, s.post = h, s.connector = FromListConnector{{0}, {0}, {}};
        s.weight = c.weight, s.delay = Value(1.0), s.receptor_type = c.receptor;
        const auto prj = sim.connect(s);
        const double w = sim.connections(prj).weight[0];  // the weight as stored
        const double t0 = 1.0 + sim.connections(prj).delay[0];
        const double tau_syn = c.receptor[0] == 'e' ? c.tau_syn_E : c.tau_syn_I;
        sim.record(h, "v", kCell0);
        sim.run(100.0);
        const auto v = sim.signal(h, "v");
        // Exactly at rest up to and including the arrival sample.
        const auto k0 = static_cast<std::size_t>(std::llround(t0 / c.dt));
        for (std::size_t k = 0; k <= k0; ++k) ASSERT_EQ(v.values[k], cell.v_rest) << k;
        expect_matches(v, c.dt, cell.v_rest,
                       [&](double t) { return psp(t - t0, w, c.cm, c.tau_m, tau_syn); }, 1e-10,
                       c.receptor);
    }
}

// Two inputs on different ports at different times superpose linearly.
TEST(IfCurrExp, ExcitationAndInhibitionSuperpose) {
    Simulation sim;
    const auto src = sim.create_population("SpikeSourceArray", 2, "src");
    sim.population(src).set_sequence("spike_times", {{2.0}, {4.5}});
    Cell cell;
    cell.tau_syn_E = 3.0, cell.tau_syn_I = 8.0, cell.v_thresh = 0.0;
    const auto h = add_cell(sim, cell);
    ProjectionSpec e, i;
    e.pre = i.pre = src, e.post = i.post = h;
    e.connector = FromListConnector{{0}, {0}, {}}, e.weight = 2.0, e.delay = Value(0.5);
    e.receptor_type = "excitatory";
    i.connector = FromListConnector{{1}, {0}, {}}, i.weight = -1.2, i.delay = Value(1.2);
    i.receptor_type = "inhibitory";
    sim.connect(e);
    sim.connect(i);
    sim.record(h, "v", kCell0);
    sim.run(60.0);
    expect_matches(sim.signal(h, "v"), 0.1, cell.v_rest,
                   [&](double t) {
                       // The synapse store keeps float32 weights (docs/engine.md):
                       // -1.2 is stored as float(-1.2); 2.0 is exact.
                       return psp(t - 2.5, 2.0, 1.0, 20.0, 3.0) +
                              psp(t - 5.7, double(float(-1.2)), 1.0, 20.0, 8.0);
                   },
                   1e-10, "superposition");
}

// Under a constant suprathreshold current from rest, u(t*) = v_thresh - v_rest at
//   t* = -tau_m ln(1 - (v_thresh - v_rest) / (R I)),
// and the first spike is stamped at the end of the step containing t*:
// step ceil(t* / dt).
TEST(IfCurrExp, FirstSpikeStepUnderConstantCurrent) {
    struct Case { double dt; Cell cell; };
    std::vector<Case> cases(4);
    cases[0] = {0.1, Cell{}};
    cases[0].cell.i_offset = 1.0;  // t* = 20 ln 4 = 27.7259 ms
    cases[1] = {0.1, Cell{}};
    cases[1].cell.cm = 0.25, cases[1].cell.tau_m = 10.0, cases[1].cell.i_offset = 2.1;
    cases[2] = {0.05, Cell{}};
    cases[2].cell.v_rest = -70.0, cases[2].cell.v_thresh = -54.0, cases[2].cell.i_offset = 0.83;
    cases[3] = {0.25, Cell{}};
    cases[3].cell.tau_m = 7.3, cases[3].cell.cm = 2.0, cases[3].cell.i_offset = 4.4;
    for (const auto& [dt, c] : cases) {
        const double R = c.tau_m / c.cm;
        const double t_star = -c.tau_m * std::log1p(-(c.v_thresh - c.v_rest) / (R * c.i_offset));
        ASSERT_TRUE(std::isfinite(t_star));
        ASSERT_GT(std::abs(t_star / dt - std::round(t_star / dt)), 1e-6) << "t* too near the grid";
        Simulation sim(with_dt(dt));
        const auto h = add_cell(sim, c);
        sim.record(h, "spikes", kCell0);
        sim.run(t_star + 5.0);
        const auto s = sim.spikes(h);
        ASSERT_FALSE(s.time.empty()) << "t* = " << t_star;
        EXPECT_EQ(std::llround(s.time[0] / dt), static_cast<std::int64_t>(std::ceil(t_star / dt)))
            << "t* = " << t_star << " ms, dt = " << dt;
    }
}

// The kernel contract (src/engine/kernel.hpp), on isyn, which is not
// recordable: input arriving at the end of step s is in isyn at (s+1) dt while
// v there is still unaffected; from then on isyn decays as w exp(-t/tau_syn)
// exactly and v follows psp().
TEST(IfCurrExp, KernelAddsArrivingInputAtTheEndOfTheStep) {
    const pineal::ModelInfo& m = pineal::find_model("IF_curr_exp");
    pineal::Population pop(m, 1, "kernel", 1);
    pop.set_parameter("tau_syn_E", 4.0);
    pop.set_parameter("tau_syn_I", 9.0);
    auto kernel = m.make_kernel();
    pineal::KernelEnv env;
    env.dt = 0.1;
    kernel->prepare(pop, env);
    kernel->reset(pop);
    pineal::StateArrays state(m.state.size());
    for (std::size_t k = 0; k < m.state.size(); ++k)
        state[k].assign(pop.initial_value(int(k)).begin(), pop.initial_value(int(k)).end());
    const auto V = m.state_index("v");
    const auto Ie = m.state_index("isyn_exc"), Ii = m.state_index("isyn_inh");
    std::vector<pineal::SpikeEvent> spikes;
    double in_e = 0.6, in_i = -0.3;
    const double* inputs[] = {&in_e, &in_i};
    pineal::StepContext ctx{0, 0.1, &pop, &state, inputs, &spikes, 0, pop.size()};
    kernel->update(ctx);
    EXPECT_EQ(state[Ie][0], 0.6);
    EXPECT_EQ(state[Ii][0], -0.3);
    EXPECT_EQ(state[V][0], -65.0);
    in_e = in_i = 0.0;
    for (int k = 1; k <= 200; ++k) {
        ctx.step = k;
        kernel->update(ctx);
        const double t = k * 0.1;
        EXPECT_NEAR(state[Ie][0], 0.6 * std::exp(-t / 4.0), 1e-13 * 0.6) << t;
        EXPECT_NEAR(state[Ii][0], -0.3 * std::exp(-t / 9.0), 1e-13 * 0.3) << t;
        const double u = psp(t, 0.6, 1.0, 20.0, 4.0) + psp(t, -0.3, 1.0, 20.0, 9.0);
        EXPECT_NEAR(state[V][0], -65.0 + u, 1e-12) << t;
    }
    EXPECT_TRUE(spikes.empty());
}
