"""STDPMechanism on the native engine, for every timing x weight dependence:
the weight change of one pre/post pair at a range of lags against the
analytic window (including clipping at w_min and w_max), a many-pair protocol
against an independent event-by-event computation (stdp_reference.py), the
rule for updates pending at the end of a run, and the dendritic/axonal split.

The postsynaptic cells are IF_curr_delta cells made to fire at chosen times
by a strong driver input; the plastic weights are too small (< 0.02 mV) to
move a spike. Tolerances: the engine accumulates traces where the reference
sums exponentials directly, so results agree to round-off (rtol 1e-11 after a
few hundred updates)."""

import math

import numpy as np
import pineal as sim
import pytest
from stdp_reference import final_weight

DT = 0.1
DEPENDENCES = ["AdditiveWeightDependence", "MultiplicativeWeightDependence",
               "AdditivePotentiationMultiplicativeDepression", "GutigWeightDependence"]
COMBINATIONS = [("SpikePairRule", d) for d in DEPENDENCES] + \
               [("Vogels2011Rule", "AdditiveWeightDependence")]
BOUNDS = {"w_min": 0.002, "w_max": 0.012}
TIMING = {"SpikePairRule": {"tau_plus": 15.0, "tau_minus": 25.0, "A_plus": 0.2, "A_minus": 0.25},
          "Vogels2011Rule": {"tau": 20.0, "eta": 0.004, "rho": 3.0}}


def mechanism(rule, dep, weight, delay=1.0, fraction=1.0, **overrides):
    timing = dict(TIMING[rule], **{k: v for k, v in overrides.items() if k in TIMING[rule]})
    bounds = dict(BOUNDS, **({"mu_plus": 0.7, "mu_minus": 0.3} if dep == "GutigWeightDependence"
                             else {}))
    return sim.STDPMechanism(timing_dependence=getattr(sim, rule)(**timing),
                             weight_dependence=getattr(sim, dep)(**bounds),
                             weight=weight, delay=delay, dendritic_delay_fraction=fraction)


def parameters(rule, dep):
    p = dict(TIMING[rule], **BOUNDS)
    if dep == "GutigWeightDependence":
        p.update(mu_plus=0.7, mu_minus=0.3)
    return p


def driven_post(n, times):
    """n IF_curr_delta cells that fire at `times` + 1 ms (driver delay)."""
    post = sim.Population(n, sim.IF_curr_delta(tau_refrac=0.1))
    driver = sim.Population(1, sim.SpikeSourceArray(spike_times=times))
    sim.Projection(driver, post, sim.AllToAllConnector(), sim.StaticSynapse(weight=30.0,
                                                                           delay=1.0))
    post.record("spikes")
    return post


# -- one pair at a range of lags -------------------------------------------
LAGS = np.round(np.concatenate([np.arange(-60.0, 61.0, 7.5), [-0.1, 0.0, 0.1, 0.3]]), 1)
LATE = 19500.0  # a last pre spike after the post trace has decayed to exactly 0


@pytest.fixture(scope="module")
def pair_runs():
    """One run: per combination and initial weight, one synapse per lag."""
    sim.setup(timestep=DT, min_delay=0.1)
    post = driven_post(1, [100.0])  # fires at 101.0 ms
    t_post = 101.0
    # lag = (t_post + d) - t_pre with d = 1 ms, f = 1
    pre_times = [sim.Sequence([round(t_post + 1.0 - lag, 1), LATE]) for lag in LAGS]
    pre = sim.Population(len(LAGS), sim.SpikeSourceArray(spike_times=pre_times))
    initial = [BOUNDS["w_min"] + 0.0005, 0.007, BOUNDS["w_max"] - 0.0005]
    projections = {}
    for rule, dep in COMBINATIONS:
        for w0 in initial:
            projections[rule, dep, w0] = sim.Projection(
                pre, post, sim.AllToAllConnector(), mechanism(rule, dep, w0))
    sim.run(LATE + 5.0)
    spikes = post.get_data().segments[0].spiketrains[0].magnitude
    result = {k: np.array(p.get("weight", format="list", with_address=False))
              for k, p in projections.items()}
    sim.end()
    return spikes, result


def window(rule, dep, w0, lag, p):
    """The analytic weight after one pair at `lag` (= b - a) and one late pre spike."""
    def clip(w):
        return min(p["w_max"], max(p["w_min"], w))

    from stdp_reference import f_minus, f_plus
    if rule == "Vogels2011Rule":
        alpha = 2 * p["rho"] * p["tau"] / 1000.0
        w = w0
        if lag < 0:  # pre after post: depression term with the post trace
            return clip(clip(w + p["eta"] * (math.exp(lag / p["tau"]) - alpha))
                        - p["eta"] * alpha)
        w = clip(w - p["eta"] * alpha)  # the pre spike (no earlier post spike)
        if lag > 0:
            w = clip(w + p["eta"] * math.exp(-lag / p["tau"]))
        return clip(w - p["eta"] * alpha)  # the late pre spike
    if lag > 0:
        return clip(w0 + p["A_plus"] * f_plus(dep, w0, p) * math.exp(-lag / p["tau_plus"]))
    if lag < 0:
        return clip(w0 - p["A_minus"] * f_minus(dep, w0, p) * math.exp(lag / p["tau_minus"]))
    return w0


@pytest.mark.parametrize("rule, dep", COMBINATIONS)
def test_one_pair_follows_the_window(pair_runs, rule, dep):
    spikes, result = pair_runs
    np.testing.assert_array_equal(spikes, [101.0])  # the post cell fired once, as driven
    p = parameters(rule, dep)
    clipped = 0
    for (r, d, w0), weights in result.items():
        if (r, d) != (rule, dep):
            continue
        expected = np.array([window(rule, dep, w0, lag, p) for lag in LAGS])
        np.testing.assert_allclose(weights, expected, rtol=1e-12, atol=1e-16)
        clipped += np.sum((expected == p["w_min"]) | (expected == p["w_max"]))
        if rule == "SpikePairRule":
            assert np.all(weights[LAGS == 0.0] == w0)  # a pair at lag 0 changes nothing
            assert np.all(weights[LAGS > 0] >= w0) and np.all(weights[LAGS < 0] <= w0)
    if dep == "AdditiveWeightDependence":
        assert clipped > 0  # the boundaries were exercised


# -- pending updates at the end of a run ------------------------------------
def test_potentiation_waits_for_the_next_presynaptic_spike():
    """NEST's rule, pineal's too: a post spike after the last pre spike
    potentiates at the next pre spike; Projection.get returns the weight as of
    the last presynaptic spike delivered."""
    sim.setup(timestep=DT, min_delay=0.1)
    post = driven_post(1, [20.0])  # fires at 21.0
    pre = sim.Population(1, sim.SpikeSourceArray(spike_times=[10.0, 80.0]))
    prj = sim.Projection(pre, post, sim.AllToAllConnector(),
                         mechanism("SpikePairRule", "AdditiveWeightDependence", 0.005))
    sim.run(60.0)  # pre at 10, post at 21 (b = 22): pending
    assert prj.get("weight", format="list", with_address=False) == [0.005]
    sim.run(30.0)  # the pre spike at 80 applies it, then depresses
    p = parameters("SpikePairRule", "AdditiveWeightDependence")
    w = 0.005 + p["A_plus"] * p["w_max"] * math.exp(-(22.0 - 10.0) / p["tau_plus"])
    w -= p["A_minus"] * p["w_max"] * math.exp(-(80.0 - 22.0) / p["tau_minus"])
    assert prj.get("weight", format="list", with_address=False)[0] == pytest.approx(w, rel=1e-13)
    sim.end()


# -- many pairs, delays, dendritic fractions ---------------------------------
@pytest.fixture(scope="module")
def protocol():
    sim.setup(timestep=DT, min_delay=0.1, rng_seed=11)
    rng = np.random.default_rng(3)
    driver_times = np.unique(np.round(np.cumsum(rng.exponential(40.0, 40)), 1))
    post = driven_post(2, driver_times[driver_times < 1400])
    # post spikes after the last pre spike stay pending
    pre = sim.Population(6, sim.SpikeSourcePoisson(rate=25.0, duration=1200.0))
    pre.record("spikes")
    projections = []
    for rule, dep in COMBINATIONS:
        for delay, fraction in ((1.0, 1.0), (2.3, 0.75), (0.5, 0.5), (4.0, 1.0), (2.0, 0.25),
                                (0.5, 0.1), (3.0, 0.4)):
            w0 = sim.RandomDistribution("uniform", (BOUNDS["w_min"], BOUNDS["w_max"]),
                                        rng=sim.NumpyRNG(seed=len(projections)))
            prj = sim.Projection(pre, post, sim.AllToAllConnector(),
                                 mechanism(rule, dep, w0, delay, fraction, A_plus=0.05,
                                           A_minus=0.06))
            initial = prj.get(["weight", "delay"], format="list")
            projections.append((rule, dep, fraction, prj, initial))
    sim.run(1500.0)
    data = {"pre": [s.magnitude for s in pre.get_data().segments[0].spiketrains],
            "post": [s.magnitude for s in post.get_data().segments[0].spiketrains],
            "final": [(r, d, f, i, prj.get("weight", format="list")) for r, d, f, prj, i in
                      projections]}
    sim.end()
    return data


@pytest.mark.parametrize("rule, dep", COMBINATIONS)
def test_many_pairs_match_the_event_by_event_computation(protocol, rule, dep):
    p = dict(parameters(rule, dep), A_plus=0.05, A_minus=0.06)
    def steps(t):
        return np.rint(np.asarray(t) / DT).astype(int).tolist()

    checked = 0
    for r, d, fraction, initial, final in protocol["final"]:
        if (r, d) != (rule, dep):
            continue
        for (i, j, w0, delay), (i2, j2, w) in zip(initial, final):
            assert (i, j) == (i2, j2)
            expected = final_weight(rule, dep, w0, steps(protocol["pre"][i]),
                                    steps(protocol["post"][j]), round(delay / DT), fraction, DT, p)
            assert w == pytest.approx(expected, rel=1e-11, abs=1e-15), (i, j, delay, fraction)
            checked += w != w0
    assert checked > 20  # weights really moved
    assert sum(len(s) for s in protocol["post"]) > 40 and sum(len(s) for s in protocol["pre"]) > 150


def test_fractions_below_one_half_need_twice_the_dendritic_delay_to_cover_min_delay():
    sim.setup(timestep=DT, min_delay=1.0)
    pre = sim.Population(1, sim.SpikeSourceArray(spike_times=[5.0]))
    post = sim.Population(1, sim.IF_curr_delta())
    with pytest.raises(NotImplementedError, match="dendritic_delay_fraction = 0"):
        sim.Projection(pre, post, sim.AllToAllConnector(),
                       mechanism("SpikePairRule", "AdditiveWeightDependence", 0.005, 1.0, 0.0))
    sim.Projection(pre, post, sim.AllToAllConnector(),
                   mechanism("SpikePairRule", "AdditiveWeightDependence", 0.005, 1.5, 0.3))
    with pytest.raises(NotImplementedError, match="min_delay"):
        sim.run(10.0)  # 2 * 0.3 * 1.5 ms < 1 ms: nothing ran
    assert sim.get_current_time() == 0.0
    sim.end()


# -- the postsynaptic history is trimmed --------------------------------------
def test_post_history_keeps_only_what_synapses_can_still_read():
    """With every source firing, history entries older than every synapse's
    last presynaptic spike are dropped: the count stays bounded while the
    post cells keep firing."""
    from pineal.simulator import state

    sim.setup(timestep=DT, min_delay=0.1)
    post = sim.Population(50, sim.IF_curr_exp(i_offset=2.0))  # fires at ~70 Hz
    pre = sim.Population(20, sim.SpikeSourcePoisson(rate=50.0))
    sim.Projection(pre, post, sim.AllToAllConnector(),
                   mechanism("SpikePairRule", "AdditiveWeightDependence", 0.005))
    post.record("spikes")
    held = []
    for _ in range(6):
        sim.run(1000.0)
        held.append(state.core.synapse_memory()["history_entries"])
    n_post = sum(len(s) for s in post.get_data().segments[0].spiketrains)
    assert n_post > 15000
    # trimmed whenever the history doubles: never more than ~2x what the
    # synapses need (a few spikes per cell) plus the 1024 floor
    assert max(held) < 2 * 1024 + 50 * 10, held
    sim.end()


def test_set_weight_between_runs_learning_continues_from_it():
    sim.setup(timestep=DT, min_delay=0.1)
    post = driven_post(1, [20.0])  # fires at 21.0
    pre = sim.Population(1, sim.SpikeSourceArray(spike_times=[10.0, 80.0]))
    prj = sim.Projection(pre, post, sim.AllToAllConnector(),
                         mechanism("SpikePairRule", "MultiplicativeWeightDependence", 0.005))
    sim.run(60.0)
    prj.set(weight=0.0081, A_plus=0.3)
    sim.run(30.0)
    p = dict(parameters("SpikePairRule", "MultiplicativeWeightDependence"), A_plus=0.3)
    w = 0.0081  # double: not rounded to float32
    w += p["A_plus"] * (p["w_max"] - w) * math.exp(-(22.0 - 10.0) / p["tau_plus"])
    w -= p["A_minus"] * (w - p["w_min"]) * math.exp(-(80.0 - 22.0) / p["tau_minus"])
    assert prj.get("weight", format="list", with_address=False)[0] == pytest.approx(w, rel=1e-13)
    sim.end()
