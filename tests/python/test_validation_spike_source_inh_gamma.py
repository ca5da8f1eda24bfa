"""SpikeSourceInhGamma: piecewise-constant shape a and scale b (seconds).

Rate 1/(a b) Hz in each bin. Within a bin, once the interval in progress at
the bin's start is over, the process is a gamma renewal process, so: rates per
bin (after a settling time of a few intervals) within 5 sigma, a homogeneous
source's interval law by KS, start/duration respected.
"""

import numpy as np
import pineal as sim
import pytest
from scipy import stats
from spike_stats import FIVE_SIGMA_P, assert_count, first_isis, run_source


def test_homogeneous_interval_law():
    a, b = 3.0, 0.004  # rate 83.3 Hz, mean interval 12 ms
    trains = run_source("SpikeSourceInhGamma", 100, 5000.0, a=sim.Sequence([a]),
                        b=sim.Sequence([b]), tbins=sim.Sequence([0.0]))
    # The first interval (infinite age at t = 0) is exponential; skip it.
    isis = first_isis([st[1:] for st in trains], 350)  # 416 expected, sd 12: 5.5 sd below
    assert stats.kstest(isis, "gamma", args=(a, 0.0, 1000.0 * b)).pvalue > FIVE_SIGMA_P
    assert stats.kstest(isis, "expon", args=(0.0, 1000.0 * a * b)).pvalue < FIVE_SIGMA_P
    assert abs(isis.std() / isis.mean() - 1 / np.sqrt(a)) < 0.015  # sd of estimate ~0.0025


def test_time_varying_rate_followed():
    # The core requires every sequence to be non-decreasing (see
    # docs/models/SpikeSourceInhGamma.md), so the rate steps down through
    # changes of b and of the shape a: 125, 50, 25, 12.5 Hz.
    a = [2.0, 2.0, 4.0, 4.0]
    b = [0.004, 0.01, 0.01, 0.02]
    tbins = [0.0, 1000.0, 2000.0, 3000.0]
    rates = [1.0 / (x * y) for x, y in zip(a, b)]
    n = 200
    trains = run_source("SpikeSourceInhGamma", n, 4000.0, dt=0.1, a=sim.Sequence(a),
                        b=sim.Sequence(b), tbins=sim.Sequence(tbins))
    allspikes = np.concatenate(trains)
    for k, rate in enumerate(rates):
        lo, hi = tbins[k] + 200.0, tbins[k] + 1000.0  # 200 ms > 2 mean intervals to settle
        count = np.count_nonzero((allspikes > lo) & (allspikes <= hi))
        expected = n * rate * (hi - lo) / 1000.0
        assert_count(count, expected, expected / a[k], f"bin {k}")


def test_start_and_duration_respected():
    trains = run_source("SpikeSourceInhGamma", 200, 800.0, dt=0.1, a=sim.Sequence([1.0]),
                        b=sim.Sequence([0.01]), tbins=sim.Sequence([0.0]), start=200.0,
                        duration=300.0)
    allspikes = np.concatenate(trains)
    assert allspikes.min() >= 200.0 and allspikes.max() <= 500.0
    assert_count(allspikes.size, 200 * 100.0 * 0.3, 200 * 100.0 * 0.3, "window")


def test_no_spikes_before_first_bin():
    trains = run_source("SpikeSourceInhGamma", 100, 600.0, dt=0.1, a=sim.Sequence([1.0]),
                        b=sim.Sequence([0.01]), tbins=sim.Sequence([300.0]))
    allspikes = np.concatenate(trains)
    assert allspikes.min() >= 300.0
    assert_count(allspikes.size, 100 * 100.0 * 0.3, 100 * 100.0 * 0.3, "after first bin")


def test_defaults_are_pynn_defaults():
    # a = [1.0], b = [1.0] s: a Poisson process of 1 Hz.
    trains = run_source("SpikeSourceInhGamma", 1000, 1000.0, dt=0.1)
    count = sum(len(st) for st in trains)
    assert_count(count, 1000.0, 1000.0, "defaults")


@pytest.mark.parametrize("params, name", [
    (dict(a=sim.Sequence([0.5]), b=sim.Sequence([0.01]), tbins=sim.Sequence([0.0])), "a"),
    (dict(a=sim.Sequence([1.0, 2.0]), b=sim.Sequence([0.01]),
          tbins=sim.Sequence([0.0, 100.0])), "tbins"),
])
def test_bad_sequences_are_rejected(params, name):
    sim.setup()
    sim.Population(1, sim.SpikeSourceInhGamma(**params))
    with pytest.raises(sim.errors.InvalidParameterValueError, match=name):
        sim.run(1.0)
    sim.end()
