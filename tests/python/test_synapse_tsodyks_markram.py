"""TsodyksMarkramSynapse on the native engine: the weight transmitted by each
spike of a regular presynaptic train against the model's recursion written
here independently (NEST's propagator form of Tsodyks, Uziel & Markram 2000),
to round-off.

The transmitted weight is read from the postsynaptic conductance of an
IF_cond_exp cell: the engine updates g <- g exp(-dt/tau_syn_E) + input each
step, so at the arrival sample input = g[k] - g[k-1] exp(-dt/tau_syn_E)
(error: a few ulp of g)."""

import math

import numpy as np
import pineal as sim
import pytest
from pineal.errors import InvalidParameterValueError
from pineal.simulator import state

DT = 0.1
TAU_SYN = 5.0  # tau_syn_E of the target cells: the model's tau_psc


def tm_recursion(times, weight, U, tau_rec, tau_facil, tau_psc):
    """Weight transmitted at each spike, state from x = 1, y = 0, u = 0 at t = 0."""
    x, y, u, last = 1.0, 0.0, 0.0, 0.0
    out = []
    for t in times:
        h = t - last
        last = t
        puu = math.exp(-h / tau_facil) if tau_facil > 0 else 0.0
        pyy = math.exp(-h / tau_psc)
        pzz = math.exp(-h / tau_rec)
        pxy = ((pzz - 1.0) * tau_rec - (pyy - 1.0) * tau_psc) / (tau_psc - tau_rec)
        z = 1.0 - x - y
        x += pxy * y + (1.0 - pzz) * z
        y *= pyy
        u = u * puu
        u += U * (1.0 - u)
        released = u * x
        x -= released
        y += released
        out.append(weight * released)
    return np.array(out)


CASES = [  # U, tau_rec, tau_facil, train interval (ms)
    (0.5, 100.0, 0.0, 25.0),    # depression
    (0.1, 50.0, 500.0, 20.0),   # facilitation then depression
    (0.3, 800.0, 100.0, 12.3),  # slow recovery, interval off the grid multiple of 1 ms
    (0.8, 5.0 + 1e-3, 0.0, 7.0),  # tau_rec close to tau_psc
]


@pytest.fixture(scope="module")
def transmitted():
    sim.setup(timestep=DT, min_delay=0.1)
    n = len(CASES)
    post = sim.Population(n, sim.IF_cond_exp(tau_syn_E=TAU_SYN, v_thresh=1e9))
    weights = [0.004, 0.0123, 0.05, 0.001]
    trains = []
    for k, (U, tau_rec, tau_facil, interval) in enumerate(CASES):
        times = np.round(np.arange(1, 16) * interval, 1)
        trains.append(times)
        src = sim.Population(1, sim.SpikeSourceArray(spike_times=times))
        sim.Projection(src, post[k:k + 1], sim.AllToAllConnector(),
                       sim.TsodyksMarkramSynapse(U=U, tau_rec=tau_rec, tau_facil=tau_facil,
                                                 weight=weights[k], delay=1.0),
                       receptor_type="excitatory")
    post.record("gsyn_exc")
    sim.run(max(t[-1] for t in trains) + 5.0)
    g = post.get_data().segments[0].filter(name="gsyn_exc")[0].magnitude
    sim.end()
    return g, trains, weights


@pytest.mark.parametrize("case", range(len(CASES)))
def test_transmitted_weights_follow_the_recursion(transmitted, case):
    g, trains, weights = transmitted
    U, tau_rec, tau_facil, _ = CASES[case]
    decay = math.exp(-DT / TAU_SYN)
    arrival = np.rint((trains[case] + 1.0) / DT).astype(int)  # delay 1 ms
    measured = g[arrival, case] - g[arrival - 1, case] * decay
    weight = float(np.float32(weights[case]))  # stored as float32, like a static weight
    expected = tm_recursion(trains[case], weight, U, tau_rec, tau_facil, TAU_SYN)
    # round-off: a few ulp of g (g <= 15 weights)
    np.testing.assert_allclose(measured, expected, rtol=0, atol=1e-13 * weight * 15)
    assert not np.allclose(expected, expected[0])  # the train really is shaped by the model


def test_state_is_readable_after_a_run():
    sim.setup(timestep=DT)
    src = sim.Population(1, sim.SpikeSourceArray(spike_times=[10.0, 30.0]))
    post = sim.Population(2, sim.IF_cond_exp())
    prj = sim.Projection(src, post, sim.AllToAllConnector(),
                         sim.TsodyksMarkramSynapse(U=0.4, tau_rec=50.0, weight=0.01))
    assert prj.get("u", format="list", with_address=False) == [0.0, 0.0]
    sim.run(50.0)
    u, x, y, U = prj.get(["u", "x", "y", "U"], format="array")
    # after two spikes without facilitation u = U; x + y <= 1
    np.testing.assert_allclose(u, 0.4)
    np.testing.assert_allclose(U, 0.4)
    assert np.all(x + y <= 1.0) and np.all(x > 0) and np.all(y > 0)
    sim.end()


@pytest.mark.parametrize("name, value, match", [
    ("U", 1.5, "U"), ("tau_rec", 0.0, "tau_rec"), ("tau_facil", -1.0, "tau_facil")])
def test_bad_parameters_are_rejected_before_anything_is_built(name, value, match):
    sim.setup()
    src = sim.Population(1, sim.SpikeSourceArray(spike_times=[1.0]))
    post = sim.Population(1, sim.IF_cond_exp())
    with pytest.raises(InvalidParameterValueError, match=match):
        sim.Projection(src, post, sim.AllToAllConnector(),
                       sim.TsodyksMarkramSynapse(**{name: value}))
    assert state.projections == []  # nothing half-built
    sim.end()


def test_set_between_runs_changes_the_recursion_from_then_on():
    sim.setup(timestep=DT, min_delay=0.1)
    post = sim.Population(1, sim.IF_cond_exp(tau_syn_E=TAU_SYN, v_thresh=1e9))
    times = np.round(np.arange(1, 13) * 15.0, 1)
    src = sim.Population(1, sim.SpikeSourceArray(spike_times=times))
    prj = sim.Projection(src, post, sim.AllToAllConnector(),
                         sim.TsodyksMarkramSynapse(U=0.5, tau_rec=200.0, weight=0.02, delay=1.0),
                         receptor_type="excitatory")
    post.record("gsyn_exc")
    sim.run(100.0)  # 6 spikes (15 .. 90 ms)
    prj.set(U=0.1, tau_facil=50.0)
    sim.run(100.0)
    g = post.get_data().segments[0].filter(name="gsyn_exc")[0].magnitude[:, 0]
    sim.end()
    arrival = np.rint((times + 1.0) / DT).astype(int)
    measured = g[arrival] - g[arrival - 1] * math.exp(-DT / TAU_SYN)
    # the recursion with the new parameters from the 7th spike, state carried over
    w = float(np.float32(0.02))
    first = tm_recursion(times[:6], w, 0.5, 200.0, 0.0, TAU_SYN)
    both = _recursion_with_change(times, w, (0.5, 200.0, 0.0), (0.1, 200.0, 50.0), 6)
    np.testing.assert_allclose(both[:6], first, rtol=1e-15)
    np.testing.assert_allclose(measured, both, rtol=0, atol=1e-13 * w * 15)


def _recursion_with_change(times, weight, before, after, k):
    """tm_recursion whose (U, tau_rec, tau_facil) switch before spike k."""
    x, y, u, last = 1.0, 0.0, 0.0, 0.0
    out = []
    for n, t in enumerate(times):
        U, tau_rec, tau_facil = before if n < k else after
        h, last = t - last, t
        puu = math.exp(-h / tau_facil) if tau_facil > 0 else 0.0
        pyy, pzz = math.exp(-h / TAU_SYN), math.exp(-h / tau_rec)
        pxy = ((pzz - 1.0) * tau_rec - (pyy - 1.0) * TAU_SYN) / (TAU_SYN - tau_rec)
        z = 1.0 - x - y
        x += pxy * y + (1.0 - pzz) * z
        y *= pyy
        u = u * puu
        u += U * (1.0 - u)
        out.append(weight * u * x)
        x, y = x - u * x, y + u * x
    return np.array(out)


def test_initialize_sets_the_state_now_and_at_reset():
    sim.setup(timestep=DT, min_delay=0.1)
    post = sim.Population(1, sim.IF_cond_exp(tau_syn_E=TAU_SYN, v_thresh=1e9))
    times = np.array([10.0, 30.0])
    src = sim.Population(1, sim.SpikeSourceArray(spike_times=times))
    prj = sim.Projection(src, post, sim.AllToAllConnector(),
                         sim.TsodyksMarkramSynapse(U=0.3, tau_rec=100.0, tau_facil=200.0,
                                                   weight=0.02, delay=1.0),
                         receptor_type="excitatory")
    prj.initialize(u=0.6, x=0.7)
    assert prj.get(["u", "x", "y"], format="list", with_address=False) == [(0.6, 0.7, 0.0)]
    with pytest.raises(InvalidParameterValueError, match="y"):
        prj.initialize(y=0.5)  # x + y > 1
    post.record("gsyn_exc")
    for _ in range(2):  # the initial state holds again after reset()
        sim.run(40.0)
        g = post.get_data().segments[-1].filter(name="gsyn_exc")[0].magnitude[:, 0]
        arrival = np.rint((times + 1.0) / DT).astype(int)
        measured = g[arrival] - g[arrival - 1] * math.exp(-DT / TAU_SYN)
        # the recursion from u = 0.6, x = 0.7, y = 0 (z = 0.3) at t = 0
        w = float(np.float32(0.02))
        x, y, u, last, expected = 0.7, 0.0, 0.6, 0.0, []
        for t in times:
            h, last = t - last, t
            pyy, pzz = math.exp(-h / TAU_SYN), math.exp(-h / 100.0)
            pxy = ((pzz - 1.0) * 100.0 - (pyy - 1.0) * TAU_SYN) / (TAU_SYN - 100.0)
            x, y = x + pxy * y + (1.0 - pzz) * (1.0 - x - y), y * pyy
            u = u * math.exp(-h / 200.0)
            u += 0.3 * (1.0 - u)
            expected.append(w * u * x)
            x, y = x - u * x, y + u * x
        np.testing.assert_allclose(measured, expected, rtol=0, atol=1e-13 * w * 15)
        sim.reset()
    sim.end()
