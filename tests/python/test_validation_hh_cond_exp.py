"""HH_cond_exp against a high-precision ODE solve (DOP853, rtol 1e-12).

The reference integrates the Traub & Miles equations of
shared/reference/pynn-api.md §4.2 and applies the engine's spike rule to the
sampled trace: a spike in the step at whose end V >= v_offset + 30 mV and V
is lower than at the start of the step, then 2 ms without detection (NEST's
hh_cond_exp_traub rule; docs/models/HH_cond_exp.md). The bound required by the
cell-library issue is 1e-3 mV subthreshold and identical spike steps; the
measured errors (<= 2e-5 mV through action potentials) are in the doc page and
the assertions sit between them and the bound.
"""

import math

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

DEFAULTS = dict(gbar_Na=20.0, gbar_K=6.0, g_leak=0.01, cm=0.2, v_offset=-63.0, e_rev_Na=50.0,
                e_rev_K=-90.0, e_rev_leak=-65.0, e_rev_E=0.0, e_rev_I=-80.0, tau_syn_E=0.2,
                tau_syn_I=2.0, i_offset=0.0)
INITIAL = [-65.0, 0.0, 1.0, 0.0, 0.0, 0.0]  # v, m, h, n, gsyn_exc, gsyn_inh (PyNN's)
RECORD = ["v", "m", "h", "n", "gsyn_exc", "gsyn_inh"]


def x_over_expm1(x):
    return 1.0 - 0.5 * x if abs(x) < 1e-6 else x / math.expm1(x)


def reference(params, n_steps, dt, jumps=None):
    p = dict(DEFAULTS, **params)

    def rhs(t, y, clamped):
        v, m, h, n, ge, gi = y
        u = v - p["v_offset"]
        dv = (-p["g_leak"] * (v - p["e_rev_leak"]) - p["gbar_Na"] * m ** 3 * h * (v - p["e_rev_Na"])
              - p["gbar_K"] * n ** 4 * (v - p["e_rev_K"]) + ge * (p["e_rev_E"] - v)
              + gi * (p["e_rev_I"] - v) + p["i_offset"]) / p["cm"]
        am, bm = 1.28 * x_over_expm1((13 - u) / 4), 1.4 * x_over_expm1((u - 40) / 5)
        ah, bh = 0.128 * math.exp((17 - u) / 18), 4 / (1 + math.exp((40 - u) / 5))
        an, bn = 0.16 * x_over_expm1((15 - u) / 5), 0.5 * math.exp((10 - u) / 40)
        return [dv, am * (1 - m) - bm * m, ah * (1 - h) - bh * h, an * (1 - n) - bn * n,
                -ge / p["tau_syn_E"], -gi / p["tau_syn_I"]]

    samples, _ = hybrid_solve(rhs, INITIAL, n_steps, dt, jumps)
    v, spikes, pause = samples[:, 0], [], 0
    for k in range(1, n_steps + 1):
        if pause > 0:
            pause -= 1
        elif v[k] >= p["v_offset"] + 30.0 and v[k] < v[k - 1]:
            spikes.append(k)
            pause = int(round(2.0 / dt))
    return samples, np.array(spikes, dtype=int)


def compare(traces, ref, atol_v):
    np.testing.assert_allclose(traces["v"], ref[:, 0], rtol=0, atol=atol_v)
    for i, name in enumerate(["m", "h", "n", "gsyn_exc", "gsyn_inh"]):
        np.testing.assert_allclose(traces[name], ref[:, i + 1], rtol=0, atol=atol_v * 1e-2)


def test_initial_values_and_recordables():
    traces, _ = engine_run(sim, sim.HH_cond_exp, {}, {}, 0.1, 1.0, RECORD)
    assert [traces[k][0] for k in ["v", "m", "h", "n"]] == [-65.0, 0.0, 1.0, 0.0]


def test_subthreshold_constant_current():
    dt, t_stop = 0.1, 200.0
    traces, spikes = engine_run(sim, sim.HH_cond_exp, dict(i_offset=0.02), {}, dt, t_stop, RECORD)
    ref, ref_spikes = reference(dict(i_offset=0.02), int(round(t_stop / dt)), dt)
    assert len(spikes) == 0 and len(ref_spikes) == 0
    assert np.ptp(ref[:, 0]) > 4.0
    compare(traces, ref, 1e-7)  # measured 1e-11 mV


def test_single_excitatory_and_inhibitory_input():
    dt, t_stop, delay, w_exc, w_inh = 0.1, 100.0, 1.0, 0.05, 0.02
    traces, spikes = single_input_scenario(sim, sim.HH_cond_exp, {}, {}, dt, t_stop, 20.0, 50.0,
                                           w_exc, w_inh, RECORD, delay)
    jumps = {arrival_steps([20.0], delay, dt)[0]: [weight_jump(4, w_exc)],
             arrival_steps([50.0], delay, dt)[0]: [weight_jump(5, w_inh)]}
    ref, ref_spikes = reference({}, int(round(t_stop / dt)), dt, jumps)
    assert len(spikes) == 0 and len(ref_spikes) == 0
    assert np.ptp(ref[200:, 0]) > 1.0  # the inputs move the membrane
    compare(traces, ref, 1e-6)


@pytest.mark.parametrize("i_offset, dt, t_stop", [(0.2, 0.1, 100.0), (1.0, 0.1, 50.0),
                                                  (1.0, 0.01, 25.0)])
def test_spike_steps_match_reference(i_offset, dt, t_stop):
    traces, spikes = engine_run(sim, sim.HH_cond_exp, dict(i_offset=i_offset), {}, dt, t_stop,
                                RECORD)
    ref, ref_spikes = reference(dict(i_offset=i_offset), int(round(t_stop / dt)), dt)
    assert len(ref_spikes) >= 3
    np.testing.assert_array_equal(spikes, ref_spikes)
    compare(traces, ref, 2e-4)  # measured <= 2e-5 mV through action potentials


def test_one_spike_per_action_potential_at_the_first_falling_step():
    dt = 0.1
    traces, spikes = engine_run(sim, sim.HH_cond_exp, dict(i_offset=0.5), {}, dt, 100.0, ["v"])
    v = traces["v"]
    upward_zero_crossings = np.flatnonzero((v[:-1] < 0.0) & (v[1:] >= 0.0)) + 1
    assert len(spikes) == len(upward_zero_crossings) >= 5
    for k, c in zip(spikes, upward_zero_crossings):
        assert v[k] < v[k - 1] and v[k - 1] >= v[k - 2]  # first step past the peak
        assert v[k] >= -33.0
        assert 0 < k - c <= 3  # one to three steps after the upward crossing of 0 mV


def test_pynn_reference_first_spike():
    """PyNN's test_HH_cond_exp: defaults, i_offset = 1 nA, v(0) = -64 mV, dt = 0.001 ms;
    PyNN asserts first(v > 0) - 2.95 ms < 0.01 ms (one-sided)."""
    dt = 0.001
    traces, _ = engine_run(sim, sim.HH_cond_exp, dict(i_offset=1.0), {"v": -64.0}, dt, 5.0, ["v"])
    first = np.flatnonzero(traces["v"] > 0)[0] * dt
    assert first - 2.95 < 0.01
    assert first == pytest.approx(2.518, abs=0.002)  # the engine's value, pinned


@pytest.mark.parametrize("i_offset", [0.02, 0.2, 1.0])
def test_against_nest(i_offset):
    """NEST's hh_cond_exp_traub (PyNN's mapping), where PyNEST installs.

    Same spike rule, so the spike steps must be identical. Measured trace
    differences (NEST integrates with GSL rkf45 at a looser tolerance): 1.3e-4
    mV at most below threshold; median 1e-3 to 4e-3 mV and up to 1.3 mV on the
    upstrokes of action potentials with spikes. pineal's own error against
    DOP853 is below 2e-5 mV in these runs.
    """
    nest = import_nest()
    from nest_reference import run_nest
    traces, spikes = engine_run(sim, sim.HH_cond_exp, dict(i_offset=i_offset), {}, 0.1, 200.0,
                                ["v"])
    v_nest, spikes_nest = run_nest(nest, "hh_cond_exp_traub", dict(DEFAULTS, i_offset=i_offset),
                                   {"V_m": -65.0, "Act_m": 0.0, "Inact_h": 1.0, "Act_n": 0.0},
                                   0.1, 200.0)
    np.testing.assert_array_equal(spikes, spikes_nest)
    diff = np.abs(traces["v"] - v_nest)
    if len(spikes) == 0:
        assert diff.max() < 1e-3
    else:
        assert np.median(diff) < 2e-2 and diff.max() < 5.0


@pytest.mark.parametrize("v_inf, fires", [(-25.0, True), (-35.0, False)])
def test_detection_level_is_v_offset_plus_30(v_inf, fires):
    """A passive cell (no Na, K) rising towards v_inf, then pushed down by an
    inhibitory input arriving at 21 ms: the first falling step is a spike only
    if V there is at or above v_offset + 30 = -33 mV."""
    dt, g_leak = 0.1, 0.01
    params = dict(gbar_Na=0.0, gbar_K=0.0, g_leak=g_leak, i_offset=g_leak * (v_inf + 65.0))
    traces, spikes = single_input_scenario(sim, sim.HH_cond_exp, params, {"v": v_inf - 1.0}, dt,
                                           40.0, None, 20.0, 0.0, 0.05, ["v"], 1.0)
    v = traces["v"]
    arrival = int(round(21.0 / dt))
    assert np.all(np.diff(v[:arrival + 1]) > 0) and v[arrival + 1] < v[arrival]
    np.testing.assert_array_equal(spikes, [arrival + 1] if fires else [])
