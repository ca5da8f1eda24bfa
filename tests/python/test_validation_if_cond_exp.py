"""IF_cond_exp against a high-precision ODE solve (scipy DOP853, rtol 1e-12).

The reference integrates the model's equations step by step with the engine's
discrete conventions (docs/timing.md): input arriving at the end of a step is
added to the conductance there, threshold is checked at the end of each step,
V is held at v_reset for round(tau_refrac/dt) steps. The bound required by
the cell-library issue is 1e-3 mV subthreshold and identical spike steps; the
integrator's measured error is below 1e-9 mV, so the tests assert 1e-6 mV:
a change that loses three orders of magnitude of accuracy should fail here.
"""

import numpy as np
import pineal as sim
import pytest
from scipy.integrate import solve_ivp
from stored import stored_weight

DT = 0.1
PARAMS = dict(cm=0.2, tau_m=20.0, v_rest=-60.0, e_rev_E=0.0, e_rev_I=-80.0, tau_syn_E=5.0,
              tau_syn_I=10.0, i_offset=0.05, v_reset=-60.0, tau_refrac=2.0)


def reference(params, v0, exc_arrivals, inh_arrivals, w_exc, w_inh, n_steps, g0=(0.0, 0.0)):
    """V trace (n_steps + 1 samples) and spike steps, from a DOP853 solve per step,
    with the weights as the engine stores them (float32)."""
    p = params
    w_exc, w_inh = stored_weight(w_exc), stored_weight(w_inh)
    g_l = p["cm"] / p["tau_m"]

    def rhs(t, y, clamped):
        v, ge, gi = y
        dv = 0.0 if clamped else (g_l * (p["v_rest"] - v) + ge * (p["e_rev_E"] - v)
                                  + gi * (p["e_rev_I"] - v) + p["i_offset"]) / p["cm"]
        return [dv, -ge / p["tau_syn_E"], -gi / p["tau_syn_I"]]

    refractory_steps = int(round(p["tau_refrac"] / DT))
    y = np.array([v0, g0[0], g0[1]])
    trace, spikes, left = [v0], [], 0
    for k in range(n_steps):
        clamped = left > 0
        sol = solve_ivp(rhs, (k * DT, (k + 1) * DT), y, method="DOP853", rtol=1e-12,
                        atol=1e-12, args=(clamped,))
        y = sol.y[:, -1].copy()
        if clamped:
            left -= 1
        y[1] += w_exc * np.count_nonzero(exc_arrivals == k + 1)
        y[2] += w_inh * np.count_nonzero(inh_arrivals == k + 1)
        if y[0] >= p["v_thresh"]:
            spikes.append(k + 1)
            y[0] = p["v_reset"]
            left = refractory_steps
        trace.append(y[0])
    return np.array(trace), np.array(spikes, dtype=int)


def simulate(params, v0, exc_times, inh_times, w_exc, w_inh, t_stop, delay=1.0, g0=(0.0, 0.0)):
    sim.setup(timestep=DT)
    src = sim.Population(2, sim.SpikeSourceArray(spike_times=[exc_times, inh_times]))
    cell = sim.Population(1, sim.IF_cond_exp(**params),
                          initial_values={"v": v0, "gsyn_exc": g0[0], "gsyn_inh": g0[1]})
    sim.Projection(src, cell, sim.FromListConnector([(0, 0)]),
                   sim.StaticSynapse(weight=w_exc, delay=delay), receptor_type="excitatory")
    sim.Projection(src, cell, sim.FromListConnector([(1, 0)]),
                   sim.StaticSynapse(weight=w_inh, delay=delay), receptor_type="inhibitory")
    cell.record(["v", "spikes"])
    sim.run(t_stop)
    seg = cell.get_data().segments[0]
    v = seg.filter(name="v")[0].magnitude[:, 0]
    spikes = np.round(seg.spiketrains[0].magnitude / DT).astype(int)
    sim.end()
    return v, spikes


def input_trains(seed, n_exc, n_inh, t_stop):
    rng = np.random.default_rng(seed)
    exc = np.sort(np.round(rng.uniform(1.0, t_stop - 10.0, n_exc), 1))
    inh = np.sort(np.round(rng.uniform(1.0, t_stop - 10.0, n_inh), 1))
    return exc, inh


@pytest.mark.parametrize("seed", [1, 2])
def test_subthreshold_trace_matches_high_precision_solve(seed):
    params = dict(PARAMS, v_thresh=100.0)  # never fires
    exc, inh = input_trains(seed, 60, 30, 200.0)
    v, _ = simulate(params, -65.0, exc.tolist(), inh.tolist(), 0.02, 0.08, 200.0)
    ref, _ = reference(params, -65.0, np.round((exc + 1.0) / DT).astype(int),
                       np.round((inh + 1.0) / DT).astype(int), 0.02, 0.08, 2000)
    assert v.shape == ref.shape
    assert np.max(np.abs(v - ref)) < 1e-6
    assert np.ptp(ref) > 10.0  # the input really moves the membrane


def test_spike_steps_match_high_precision_solve():
    params = dict(PARAMS, v_thresh=-50.0)
    exc, inh = input_trains(7, 400, 60, 300.0)
    v, spikes = simulate(params, -60.0, exc.tolist(), inh.tolist(), 0.01, 0.02, 300.0)
    ref, ref_spikes = reference(params, -60.0, np.round((exc + 1.0) / DT).astype(int),
                                np.round((inh + 1.0) / DT).astype(int), 0.01, 0.02, 3000)
    assert len(ref_spikes) >= 5  # a test set with real spikes
    np.testing.assert_array_equal(spikes, ref_spikes)
    assert np.max(np.abs(v - ref)) < 1e-6


@pytest.mark.parametrize("tau_syn_E, g0", [(5.0, (-0.01, 0.0)), (0.2, (2.0, 0.0))])
def test_cells_out_of_the_fast_range_take_the_exact_path(tau_syn_E, g0):
    """Cells out of the vectorised formula's range are redone with std::exp
    (models/if_cond_exp.hpp) and must still match the high-precision solve:
    a negative conductance (settable as an initial value; every step takes
    the exact path), and a strong, fast one (2 uS with tau_syn_E = 0.2 ms:
    x = P - Q = 0.078 > 1/16 in its first step)."""
    params = dict(PARAMS, v_thresh=100.0, tau_syn_E=tau_syn_E)
    exc, inh = input_trains(3, 40, 20, 150.0)
    v, _ = simulate(params, -65.0, exc.tolist(), inh.tolist(), 0.02, 0.08, 150.0, g0=g0)
    ref, _ = reference(params, -65.0, np.round((exc + 1.0) / DT).astype(int),
                       np.round((inh + 1.0) / DT).astype(int), 0.02, 0.08, 1500, g0=g0)
    assert np.max(np.abs(v - ref)) < 1e-6
    assert np.ptp(ref) > 5.0


@pytest.mark.parametrize("g0", [(10.0, 0.0), (40.0, 0.0), (200.0, 0.0), (0.0, 10.0),
                                (0.0, 40.0), (0.0, 200.0), (10.0, 10.0)])
def test_huge_conductance_steps_are_substepped(g0):
    """A conductance of 10-200 uS on a 0.2 nF cell makes a step's decay
    B(h) = g h / C 5-100: a single quadrature of the propagated input then
    overshoots the reversal potential (40 uS inhibitory: -134.8 mV in one
    step). Such steps take substeps (models/stiff_linear_step.hpp); V must
    match the high-precision solve and stay between the reversal potentials."""
    params = dict(PARAMS, v_thresh=100.0)
    v, _ = simulate(params, -65.0, [], [], 0.0, 0.0, 20.0, g0=g0)
    ref, _ = reference(params, -65.0, np.array([]), np.array([]), 0.0, 0.0, 200, g0=g0)
    assert np.max(np.abs(v - ref)) < 1e-6
    assert np.all(v >= params["e_rev_I"]) and np.all(v <= params["e_rev_E"])
    assert np.ptp(ref) > 5.0
