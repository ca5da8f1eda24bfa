"""Izhikevich against a high-precision ODE solve (DOP853, rtol 1e-12).

The reference solves dv/dt = 0.04 v^2 + 5 v + 140 - u + I, du/dt = a (b v - u)
in continuous time, locates the crossing of 30 mV exactly and resets there
(v <- c, u <- u + d); synaptic input is a voltage jump added at the end of
the arrival step, after which a v >= 30 mV fires at once (models/izhikevich.hpp).
The bound required by the cell-library issue is 1e-3 mV subthreshold and
identical spike steps; measured errors are in docs/models/Izhikevich.md and
the assertions sit between them and the bound.
"""

import numpy as np
import pineal as sim
import pytest
from nest_reference import import_nest
from neuron_reference import (
    arrival_steps,
    engine_run,
    hybrid_solve,
    single_input_scenario,
    weight_jump,
)

DEFAULTS = dict(a=0.02, b=0.2, c=-65.0, d=2.0, i_offset=0.0)
PEAK = 30.0


def reference(params, v0, u0, n_steps, dt, jumps=None):
    p = dict(DEFAULTS, **params)
    current = 1000.0 * p["i_offset"]  # nA -> mV/ms (1 pF)

    def rhs(t, y, clamped):
        v, u = y
        return [0.04 * v * v + 5 * v + 140 - u + current, p["a"] * (p["b"] * v - u)]

    def on_spike(y):
        y = np.array(y)
        y[0] = p["c"]
        y[1] += p["d"]
        return y

    return hybrid_solve(rhs, [v0, u0], n_steps, dt, jumps, event=lambda y: y[0] - PEAK,
                        on_event=on_spike)


def test_subthreshold_constant_current():
    dt, t_stop = 0.1, 300.0
    params = dict(i_offset=0.002)  # from rest: 0.003 nA already fires once
    traces, spikes = engine_run(sim, sim.Izhikevich, params, {"v": -70.0, "u": -14.0}, dt,
                                t_stop, ["v", "u"])
    ref, ref_spikes = reference(params, -70.0, -14.0, int(round(t_stop / dt)), dt)
    assert len(spikes) == 0 and len(ref_spikes) == 0
    assert np.ptp(ref[:, 0]) > 4.0
    np.testing.assert_allclose(traces["v"], ref[:, 0], rtol=0, atol=1e-6)
    np.testing.assert_allclose(traces["u"], ref[:, 1], rtol=0, atol=1e-7)


def test_single_excitatory_and_inhibitory_input():
    dt, t_stop, delay, w_exc, w_inh = 0.1, 150.0, 1.0, 4.0, -6.0
    traces, spikes = single_input_scenario(sim, sim.Izhikevich, {}, {"v": -70.0, "u": -14.0},
                                           dt, t_stop, 20.0, 60.0, w_exc, w_inh, ["v", "u"],
                                           delay)
    jumps = {}
    for k in arrival_steps([20.0], delay, dt):
        jumps.setdefault(k, []).append(weight_jump(0, w_exc))
    for k in arrival_steps([60.0], delay, dt):
        jumps.setdefault(k, []).append(weight_jump(0, w_inh))
    ref, ref_spikes = reference({}, -70.0, -14.0, int(round(t_stop / dt)), dt, jumps)
    assert len(spikes) == 0 and len(ref_spikes) == 0
    np.testing.assert_allclose(traces["v"], ref[:, 0], rtol=0, atol=1e-6)
    np.testing.assert_allclose(traces["u"], ref[:, 1], rtol=0, atol=1e-7)
    # The jump is in the sample at the arrival time (docs/timing.md).
    k = int(round(21.0 / dt))
    assert traces["v"][k] - traces["v"][k - 1] == pytest.approx(w_exc, abs=0.1)


@pytest.mark.parametrize("params, dt", [
    (dict(i_offset=0.01), 0.1),                             # regular spiking
    (dict(i_offset=0.01, c=-50.0, d=2.0), 0.1),             # chattering (bursts)
    (dict(i_offset=0.01, a=0.1, d=2.0), 0.1),               # fast spiking
    (dict(i_offset=0.015), 1.0),                            # coarse step
])
def test_spike_steps_match_reference(params, dt):
    t_stop = 300.0
    traces, spikes = engine_run(sim, sim.Izhikevich, params, {"v": -70.0, "u": -14.0}, dt,
                                t_stop, ["v", "u"])
    ref, ref_spikes = reference(params, -70.0, -14.0, int(round(t_stop / dt)), dt)
    assert len(ref_spikes) >= 10
    np.testing.assert_array_equal(spikes, ref_spikes)
    # Measured <= 2.2e-5 mV: the largest errors sit on the steep upstroke.
    assert np.max(np.abs(traces["v"] - ref[:, 0])) < 2e-4
    assert np.max(np.abs(traces["u"] - ref[:, 1])) < 1e-6


def test_reset_and_recovery_jump():
    dt, d, c = 0.1, 2.0, -65.0
    traces, spikes = engine_run(sim, sim.Izhikevich, dict(i_offset=0.01, c=c, d=d),
                                {"v": -70.0, "u": -14.0}, dt, 200.0, ["v", "u"])
    v, u = traces["v"], traces["u"]
    assert len(spikes) >= 5
    for k in spikes:
        assert v[k - 1] < PEAK            # the crossing happens inside the step ...
        assert abs(v[k] - c) < 2.0        # ... and v restarts from c there
        assert abs((u[k] - u[k - 1]) - d) < 0.05  # u jumps by d (+ slow drift)
    assert np.all(v < PEAK)


def test_input_jump_past_peak_fires_in_the_arrival_step():
    dt, delay, c, d = 0.1, 1.0, -65.0, 2.0
    traces, spikes = single_input_scenario(sim, sim.Izhikevich, {}, {"v": -70.0, "u": -14.0},
                                           dt, 30.0, 10.0, None, 120.0, 0.0, ["v", "u"], delay)
    k = int(round(11.0 / dt))
    np.testing.assert_array_equal(spikes, [k])
    assert traces["v"][k] == c
    assert traces["u"][k] - traces["u"][k - 1] == pytest.approx(d, abs=1e-2)


@pytest.mark.parametrize("i_offset", [0.005, 0.01, 0.02])
def test_against_nest(i_offset):
    """NEST's izhikevich (PyNN's mapping), where PyNEST installs.

    NEST integrates with forward Euler at dt and tests v >= 30 mV at the end
    of the step, so it is not expected to agree to the step: measured over
    300 ms from v = -70, u = -14, its spikes come 1-2 steps later at the
    first spike and drift to 10-30 steps later, with one spike fewer, and its
    trace differs by up to 0.12 mV in the first 1 ms and by several mV on the
    upstroke before a spike (Euler's first-order error). The test
    checks what catches convention errors (units of i_offset, reset, spike
    stamping): first spike within 3 steps and spike counts within one.
    """
    nest = import_nest()
    from nest_reference import run_nest
    traces, spikes = engine_run(sim, sim.Izhikevich, dict(i_offset=i_offset),
                                {"v": -70.0, "u": -14.0}, 0.1, 300.0, ["v"])
    v_nest, spikes_nest = run_nest(nest, "izhikevich", dict(DEFAULTS, i_offset=i_offset),
                                   {"V_m": -70.0, "U_m": -14.0}, 0.1, 300.0)
    assert len(spikes) >= 5
    assert 0 <= spikes_nest[0] - spikes[0] <= 3
    assert abs(len(spikes) - len(spikes_nest)) <= 1
    assert np.max(np.abs(traces["v"] - v_nest)[:10]) < 0.3


def test_reset_at_or_above_peak_is_rejected():
    sim.setup(timestep=0.1)
    sim.Population(1, sim.Izhikevich(c=30.0))
    with pytest.raises(sim.errors.InvalidParameterValueError, match="Izhikevich.c"):
        sim.run(1.0)
    sim.end()
