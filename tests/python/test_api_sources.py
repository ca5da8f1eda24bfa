"""Spike sources (pynn-api.md section 4.6; docs/timing.md).

Statistical bounds are at least 5 sigma of the estimator under the null
hypothesis, with fixed seeds: they fail for a wrong process, not by chance.
"""

import numpy as np
import pytest
from pineal import errors
from scipy import stats


def spike_times(population, segment=-1):
    return [st.magnitude for st in population.get_data().segments[segment].spiketrains]


# --- SpikeSourcePoisson ------------------------------------------------------------------


@pytest.fixture(scope="module")
def poisson_trains():
    """1000 cells x 10 s at 20 Hz (about 200000 spikes)."""
    import pineal as sim

    sim.setup(timestep=0.1, rng_seed=20240611)
    p = sim.Population(1000, sim.SpikeSourcePoisson(rate=20.0))
    p.record("spikes")
    sim.run(10000.0)
    trains = spike_times(p)
    sim.end()
    return trains


def test_poisson_mean_rate(poisson_trains):
    n = sum(len(t) for t in poisson_trains)
    expected = 1000 * 10.0 * 20.0           # Poisson count: sd = sqrt(200000) = 447
    assert abs(n - expected) < 5 * np.sqrt(expected)
    rates = np.array([len(t) for t in poisson_trains]) / 10.0
    # per-cell counts are Poisson(200): their variance is 200 (Fano factor 1);
    # the sample variance of 1000 of them has sd 200 * sqrt(2/999) = 8.9
    assert abs(np.var(rates * 10.0, ddof=1) - 200.0) < 5 * 8.9


def test_poisson_isi_distribution(poisson_trains):
    isis = np.concatenate([np.diff(t) for t in poisson_trains])
    n = len(isis)
    assert n > 190000
    # CV of exponential intervals is 1; the delta method gives sd(CV) = 1/sqrt(n)
    # (0.0022). Stamping at the end of the step adds dt^2/6 to the variance
    # (2500 ms^2): negligible. Bound: 5 sigma, rounded up to 0.012.
    cv = isis.std() / isis.mean()
    assert abs(cv - 1.0) < 0.012
    assert abs(isis.mean() - 50.0) < 5 * 50.0 / np.sqrt(n)
    # Kolmogorov-Smirnov against Exp(mean 50 ms). Sampling: P(D > x) ~
    # 2 exp(-2 n x^2) = 1e-6 at x = 0.006; grid stamping shifts the CDF by at
    # most rate * dt = 0.002. A 5 % rate error would give D ~ 0.02.
    d = stats.kstest(isis, "expon", args=(0, 50.0)).statistic
    assert d < 0.008
    assert isis.min() >= 0.0


def test_poisson_start_and_duration(sim):
    sim.setup(rng_seed=3)
    p = sim.Population(200, sim.SpikeSourcePoisson(rate=50.0, start=100.0, duration=200.0))
    p.record("spikes")
    sim.run(500.0)
    times = np.concatenate(spike_times(p))
    # drawn on [100, 300), stamped at the end of their step
    assert times.min() >= 100.0 and times.max() <= 300.0 + 1e-9
    expected = 200 * 50.0 * 0.2             # 2000 +- 45
    assert abs(len(times) - expected) < 5 * np.sqrt(expected)
    # spread over the whole window: each half holds half of them (sd 22)
    assert abs(np.sum(times < 200.0) - len(times) / 2) < 5 * np.sqrt(len(times) / 4)


def _poisson(sim, seed, threads=1, runs=(500.0,)):
    sim.setup(rng_seed=seed, threads=threads)
    p = sim.Population(20, sim.SpikeSourcePoisson(rate=40.0))
    p.record("spikes")
    for t in runs:
        sim.run(t)
    return spike_times(p)


def _same(a, b):
    return len(a) == len(b) and all(np.array_equal(x, y) for x, y in zip(a, b))


def test_poisson_seeds(sim):
    a = _poisson(sim, 1)
    assert sum(len(t) for t in a) > 300     # 20 x 40 Hz x 0.5 s = 400
    assert _same(a, _poisson(sim, 1))
    b = _poisson(sim, 2)
    assert not any(np.array_equal(x, y) for x, y in zip(a, b))


def test_poisson_does_not_depend_on_threads_or_split_runs(sim):
    reference = _poisson(sim, 9)
    assert _same(reference, _poisson(sim, 9, threads=4))
    assert _same(reference, _poisson(sim, 9, runs=(123.4, 376.6)))


def test_poisson_new_trial_after_reset(sim):
    sim.setup(rng_seed=5)
    p = sim.Population(20, sim.SpikeSourcePoisson(rate=40.0))
    p.record("spikes")
    sim.run(500.0)
    sim.reset()
    sim.run(500.0)
    first, second = spike_times(p, 0), spike_times(p, 1)
    assert not any(np.array_equal(x, y) for x, y in zip(first, second))
    n1, n2 = (sum(len(t) for t in s) for s in (first, second))
    assert abs(n1 - 400) < 5 * 20 and abs(n2 - 400) < 5 * 20
    # and the trials are reproducible
    sim.setup(rng_seed=5)
    q = sim.Population(20, sim.SpikeSourcePoisson(rate=40.0))
    q.record("spikes")
    sim.run(500.0)
    sim.reset()
    sim.run(500.0)
    assert _same(second, spike_times(q, 1))


def test_poisson_rate_zero_and_set_between_runs(sim):
    p = sim.Population(50, sim.SpikeSourcePoisson(rate=0.0))
    p.record("spikes")
    sim.run(200.0)
    assert sum(len(t) for t in spike_times(p)) == 0
    p.set(rate=100.0)
    sim.run(200.0)
    times = np.concatenate(spike_times(p))
    assert times.min() > 200.0
    assert abs(len(times) - 1000) < 5 * np.sqrt(1000)


# --- SpikeSourceArray ------------------------------------------------------------------------


def test_spike_source_array_on_grid_times(sim):
    given = [0.0, 0.1, 1.0, 2.5, 7.3, 9.9, 10.0]
    p = sim.Population(2, sim.SpikeSourceArray(spike_times=given))
    p.record("spikes")
    sim.run(20.0)
    for times in spike_times(p):
        np.testing.assert_allclose(times, given, rtol=0, atol=1e-9)


def test_spike_source_array_off_grid_times(sim):
    given = np.array([0.05, 1.01, 1.15, 2.0000001, 4.96, 5.5 + 1e-6])
    p = sim.Population(1, sim.SpikeSourceArray(spike_times=given))
    p.record("spikes")
    sim.run(10.0)
    expected = np.ceil(given / 0.1) * 0.1  # end of the step that contains t
    np.testing.assert_allclose(spike_times(p)[0], expected, rtol=0, atol=1e-9)
    np.testing.assert_allclose(expected, [0.1, 1.1, 1.2, 2.1, 5.0, 5.6])


def test_spike_source_array_repeated_times(sim):
    p = sim.Population(1, sim.SpikeSourceArray(spike_times=[2.0, 2.0, 3.0]))
    p.record("spikes")
    sim.run(5.0)
    np.testing.assert_allclose(spike_times(p)[0], [2.0, 2.0, 3.0])


def test_spike_source_array_unsorted_times(sim):
    with pytest.raises(errors.InvalidParameterValueError, match="spike_times"):
        sim.Population(2, sim.SpikeSourceArray(spike_times=[3.0, 1.0]))
    p = sim.Population(2, sim.SpikeSourceArray(spike_times=[1.0, 3.0]))
    with pytest.raises(errors.InvalidParameterValueError, match="spike_times"):
        p.set(spike_times=[5.0, 2.0])
    assert p.get("spike_times") == sim.Sequence([1.0, 3.0])


def test_spike_source_array_set_between_runs(sim):
    p = sim.Population(2, sim.SpikeSourceArray(spike_times=[1.0, 3.0]))
    p.record("spikes")
    sim.run(10.0)
    p.set(spike_times=[5.0, 12.0, 15.0])  # 5.0 lies in the past: not re-emitted
    p[1].spike_times = [18.0]
    sim.run(10.0)
    a, b = spike_times(p)
    np.testing.assert_allclose(a, [1.0, 3.0, 12.0, 15.0])
    np.testing.assert_allclose(b, [1.0, 3.0, 18.0])


# --- a network driven by Poisson input -------------------------------------------------------


def _driven(sim, weight):
    sim.setup(rng_seed=11)
    src = sim.Population(20, sim.SpikeSourcePoisson(rate=50.0))
    cells = sim.Population(5, sim.IF_curr_exp())
    sim.Projection(src, cells, sim.AllToAllConnector(),
                   sim.StaticSynapse(weight=weight, delay=1.0), receptor_type="excitatory")
    cells.record("spikes")
    sim.run(1000.0)
    return cells.get_spike_counts()


def test_if_curr_exp_driven_by_poisson_input_fires(sim):
    # 1000 input spikes/s of 1 nA into tau_syn 5 ms, R = 20 MOhm: a mean
    # depolarisation of ~100 mV above v_rest, far above threshold
    counts = _driven(sim, 1.0)
    assert all(n > 50 for n in counts.values())
    assert all(n == 0 for n in _driven(sim, 0.0).values())
