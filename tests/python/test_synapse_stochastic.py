"""Stochastic synapses on the native engine: release statistics against the
exact laws, with fixed seeds and bounds of 4.5 standard deviations.

Each synapse drives its own IF_cond_exp cell; the weight a spike transmits is
read from the conductance jump at the arrival sample,
g[k] - g[k-1] exp(-dt/tau_syn_E) (exact to a few ulp)."""

import math

import numpy as np
import pineal as sim
import pytest
from pineal.errors import InvalidParameterValueError

DT = 0.1
TAU_SYN = 5.0
N_CELLS = 400
INTERVAL = 20.0
TIMES = np.round(np.arange(1, 31) * INTERVAL, 1)  # 30 spikes, 20 ms apart
DELAY = 1.0


def transmitted(synapse, seed=5, n=N_CELLS, reset_between=False):
    """Per-spike transmitted weights, shape (spikes, cells)."""
    sim.setup(timestep=DT, min_delay=0.1, rng_seed=seed)
    src = sim.Population(1, sim.SpikeSourceArray(spike_times=TIMES))
    post = sim.Population(n, sim.IF_cond_exp(tau_syn_E=TAU_SYN, v_thresh=1e9))
    sim.Projection(src, post, sim.AllToAllConnector(), synapse, receptor_type="excitatory")
    post.record("gsyn_exc")
    out = []
    for _ in range(2 if reset_between else 1):
        sim.run(TIMES[-1] + 5.0)
        g = post.get_data().segments[-1].filter(name="gsyn_exc")[0].magnitude
        k = np.rint((TIMES + DELAY) / DT).astype(int)
        out.append(g[k] - g[k - 1] * math.exp(-DT / TAU_SYN))
        sim.reset()
    sim.end()
    return out if reset_between else out[0]


def single_site_law(U, tau_rec, tau_facil, sites=1):
    """Exact mean and variance of the number of releases of one site over the
    train (a Markov chain: available/depleted; u is deterministic), by
    dynamic programming over (available, count)."""
    n = len(TIMES)
    dist = {(1, 0): 1.0}
    u, last = 0.0, 0.0
    for t in TIMES:
        h = t - last
        last = t
        u = U + u * (1 - U) * (math.exp(-h / tau_facil) if tau_facil > 0 else 0.0)
        r = 1.0 - math.exp(-h / tau_rec)
        nxt = {}
        for (avail, count), p in dist.items():
            branches = [(1, p)] if avail else [(1, p * r), (0, p * (1 - r))]
            for a, q in branches:
                if a:
                    nxt[(0, count + 1)] = nxt.get((0, count + 1), 0.0) + q * u
                    nxt[(1, count)] = nxt.get((1, count), 0.0) + q * (1 - u)
                else:
                    nxt[(0, count)] = nxt.get((0, count), 0.0) + q
        dist = nxt
    mean = sum(c * p for (_, c), p in dist.items())
    var = sum(c * c * p for (_, c), p in dist.items()) - mean ** 2
    assert n > 0
    return mean, var


def test_simple_stochastic_synapse_transmits_with_probability_p():
    p, w = 0.3, 0.01
    jumps = transmitted(sim.SimpleStochasticSynapse(p=p, weight=w, delay=DELAY))
    wf = float(np.float32(w))
    sent = np.isclose(jumps, wf, rtol=1e-9)
    assert np.all(sent | np.isclose(jumps, 0.0, atol=1e-15))  # all or nothing
    trials = sent.size
    assert abs(sent.sum() - p * trials) < 4.5 * math.sqrt(trials * p * (1 - p))
    # successive spikes of one synapse are independent: the count of
    # (sent, sent) pairs matches p^2; neighbouring pairs share a spike, so
    # Var = m (p^2 - p^4) + 2 (adjacent pairs of pairs) (p^3 - p^4)
    pairs = (sent[1:] & sent[:-1]).sum()
    m = sent[1:].size
    adjacent = (sent.shape[0] - 2) * sent.shape[1]
    var = m * (p ** 2 - p ** 4) + 2 * adjacent * (p ** 3 - p ** 4)
    assert abs(pairs - p * p * m) < 4.5 * math.sqrt(var)


def test_seed_and_reset_change_the_draws_and_a_seed_repeats_them():
    def syn():
        return sim.SimpleStochasticSynapse(p=0.5, weight=0.01, delay=DELAY)

    a = transmitted(syn(), seed=5, n=50)
    np.testing.assert_array_equal(a, transmitted(syn(), seed=5, n=50))
    assert not np.array_equal(a > 0, transmitted(syn(), seed=6, n=50) > 0)
    first, second = transmitted(syn(), seed=5, n=50, reset_between=True)
    np.testing.assert_array_equal(first, a)
    assert not np.array_equal(first > 0, second > 0)  # a new segment after reset()


@pytest.mark.parametrize("U, tau_rec, tau_facil", [(0.5, 100.0, 0.0), (0.2, 50.0, 80.0)])
def test_stochastic_tsodyks_markram_release_statistics(U, tau_rec, tau_facil):
    w = 0.01
    jumps = transmitted(sim.StochasticTsodyksMarkramSynapse(U=U, tau_rec=tau_rec,
                                                            tau_facil=tau_facil, weight=w,
                                                            delay=DELAY))
    sent = np.isclose(jumps, float(np.float32(w)), rtol=1e-9)
    assert np.all(sent | np.isclose(jumps, 0.0, atol=1e-15))
    mean, var = single_site_law(U, tau_rec, tau_facil)
    total = sent.sum()
    assert abs(total - N_CELLS * mean) < 4.5 * math.sqrt(N_CELLS * var)
    # the first spike finds the site available: it releases with probability U
    p1 = sent[0].mean()
    assert abs(p1 - U) < 4.5 * math.sqrt(U * (1 - U) / N_CELLS)


@pytest.mark.parametrize("n_sites", [1, 4])
def test_multi_quantal_release_statistics(n_sites):
    U, tau_rec, w = 0.4, 100.0, 0.02
    jumps = transmitted(sim.MultiQuantalSynapse(U=U, n=n_sites, tau_rec=tau_rec, weight=w,
                                                delay=DELAY))
    released = jumps * n_sites / float(np.float32(w))
    counts = np.rint(released)
    np.testing.assert_allclose(released, counts, atol=1e-9)  # quanta of weight / n
    assert counts.min() >= 0 and counts.max() <= n_sites
    mean, var = single_site_law(U, tau_rec, 0.0)  # sites are independent chains
    total = counts.sum()
    assert abs(total - N_CELLS * n_sites * mean) < 4.5 * math.sqrt(N_CELLS * n_sites * var)


def test_n_per_synapse_is_not_supported_yet():
    sim.setup()
    src = sim.Population(2, sim.SpikeSourceArray(spike_times=[1.0]))
    post = sim.Population(2, sim.IF_cond_exp())
    with pytest.raises(NotImplementedError, match="MultiQuantalSynapse.n"):
        sim.Projection(src, post, sim.AllToAllConnector(),
                       sim.MultiQuantalSynapse(n=[[1, 2], [3, 4]]))
    sim.end()


def test_p_per_synapse_gives_each_group_its_own_rate():
    # half the synapses transmit with p = 0.15, half with 0.85 (an
    # (n_pre, n_post) array); each group's count against its binomial law
    p = np.where(np.arange(N_CELLS) % 2 == 0, 0.15, 0.85)
    w = 0.01
    jumps = transmitted(sim.SimpleStochasticSynapse(p=p.reshape(1, -1), weight=w, delay=DELAY))
    sent = np.isclose(jumps, float(np.float32(w)), rtol=1e-9)
    for group in (0, 1):
        q = p[group]
        trials = sent[:, group::2].size
        count = sent[:, group::2].sum()
        assert abs(count - q * trials) < 4.5 * math.sqrt(trials * q * (1 - q)), (group, count)


def test_stochastic_tsodyks_markram_per_synapse_follows_each_law():
    # two groups of synapses with different U and tau_rec, set per synapse by
    # a function of distance (cells on a line 1 apart: even/odd by position)
    U = lambda d: np.where(np.rint(d) % 2 == 0, 0.2, 0.7)  # noqa: E731
    tau_rec = lambda d: np.where(np.rint(d) % 2 == 0, 30.0, 300.0)  # noqa: E731
    jumps = transmitted(sim.StochasticTsodyksMarkramSynapse(U=U, tau_rec=tau_rec,
                                                            weight=0.01, delay=DELAY))
    sent = np.isclose(jumps, float(np.float32(0.01)), rtol=1e-9)
    # the source sits at x = 0 and cell j at x = j (default Line): d = j
    for group, (u, tr) in enumerate(((0.2, 30.0), (0.7, 300.0))):
        mean, var = single_site_law(u, tr, 0.0)
        cells = N_CELLS // 2
        total = sent[:, group::2].sum()
        assert abs(total - cells * mean) < 4.5 * math.sqrt(cells * var), (group, total)
    # the two laws differ by more than twice the bounds: swapped parameters would fail
    (m1, v1), (m2, v2) = single_site_law(0.2, 30.0, 0.0), single_site_law(0.7, 300.0, 0.0)
    cells = N_CELLS // 2
    assert cells * abs(m1 - m2) > 2 * 4.5 * (math.sqrt(cells * v1) + math.sqrt(cells * v2))


def test_set_p_between_runs():
    sim.setup(timestep=DT, min_delay=0.1, rng_seed=3)
    src = sim.Population(1, sim.SpikeSourceArray(spike_times=TIMES))
    post = sim.Population(50, sim.IF_cond_exp(tau_syn_E=TAU_SYN, v_thresh=1e9))
    prj = sim.Projection(src, post, sim.AllToAllConnector(),
                         sim.SimpleStochasticSynapse(p=0.0, weight=0.01, delay=DELAY))
    post.record("gsyn_exc")
    sim.run(300.0)  # spikes up to 300 ms: none transmitted
    prj.set(p=1.0)
    sim.run(TIMES[-1] + 5.0 - 300.0)  # every later one transmitted
    g = post.get_data().segments[0].filter(name="gsyn_exc")[0].magnitude
    sim.end()
    k = np.rint((TIMES + DELAY) / DT).astype(int)
    jumps = g[k] - g[k - 1] * math.exp(-DT / TAU_SYN)
    sent = jumps > 0.005
    np.testing.assert_array_equal(sent, (TIMES > 300.0)[:, None] & np.ones((1, 50), bool))


def test_initialize_available_sites():
    sim.setup(timestep=DT, min_delay=0.1, rng_seed=3)
    src = sim.Population(1, sim.SpikeSourceArray(spike_times=[5.0]))
    post = sim.Population(200, sim.IF_cond_exp(tau_syn_E=TAU_SYN, v_thresh=1e9))
    prj = sim.Projection(src, post, sim.AllToAllConnector(),
                         sim.MultiQuantalSynapse(U=1.0, n=4, weight=0.04, delay=DELAY))
    prj.initialize(available=0)  # every site depleted; h = 5 ms, tau_rec 800 ms
    with pytest.raises(InvalidParameterValueError, match="available"):
        prj.initialize(available=5)
    post.record("gsyn_exc")
    sim.run(10.0)
    g = post.get_data().segments[0].filter(name="gsyn_exc")[0].magnitude
    released = np.rint(g[60] / (float(np.float32(0.04)) / 4))  # U = 1: every available site
    # each site recovers with probability r = 1 - exp(-5/800): Binomial(4 x 200, r)
    r = 1 - math.exp(-5.0 / 800.0)
    n = 4 * 200
    assert abs(released.sum() - n * r) < 4.5 * math.sqrt(n * r * (1 - r))
    sim.end()
