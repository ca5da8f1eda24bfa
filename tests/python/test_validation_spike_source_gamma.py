"""SpikeSourceGamma: rate, interval law, start/duration, equilibrium start.

Interval law Gamma(shape alpha, rate beta): mean 1000 alpha/beta ms, CV
1/sqrt(alpha). Spike times are stamped on the grid (docs/timing.md), so the
interval tests use dt = 0.01 ms, where stamping moves the empirical CDF by
< 1e-3, far below the KS resolution at these sample sizes.
"""

import numpy as np
from scipy import stats
from spike_stats import FIVE_SIGMA_P, assert_count, first_isis, run_source

ALPHA, BETA = 3, 300.0  # 100 Hz


def test_rate_and_interval_law():
    trains = run_source("SpikeSourceGamma", 100, 5000.0, alpha=ALPHA, beta=BETA)
    count = sum(len(st) for st in trains)
    rate = BETA / ALPHA
    # Stationary renewal process: E N = rate T, Var N ~ CV^2 rate T per cell.
    assert_count(count, 100 * rate * 5.0, 100 * rate * 5.0 / ALPHA, "SpikeSourceGamma")
    isis = first_isis(trains, 400)  # 500 expected per cell, sd 13: K is 7 sigma below
    scale = 1000.0 / BETA
    assert stats.kstest(isis, "gamma", args=(ALPHA, 0.0, scale)).pvalue > FIVE_SIGMA_P
    # The exponential law (alpha = 1) with the same mean is rejected: the test has power.
    assert stats.kstest(isis, "expon", args=(0.0, ALPHA * scale)).pvalue < FIVE_SIGMA_P
    cv = isis.std() / isis.mean()
    # sd of the CV estimate at n = 40000 is ~0.002; 0.012 is > 5 sigma.
    assert abs(cv - 1 / np.sqrt(ALPHA)) < 0.012
    assert abs(isis.mean() - ALPHA * scale) < 5 * ALPHA ** 0.5 * scale / np.sqrt(isis.size)


def test_equilibrium_start():
    # A process started in equilibrium has rate beta/alpha from t = 0 on; an
    # ordinary renewal process started at 0 has almost no spikes in the first ms.
    trains = run_source("SpikeSourceGamma", 2000, 10.0, dt=0.1, alpha=ALPHA, beta=BETA)
    first_ms = sum(int(np.count_nonzero(st <= 2.0)) for st in trains)
    expected = 2000 * 100.0 * 0.002
    assert_count(first_ms, expected, expected, "first 2 ms")  # Poisson-like bound, > CV^2


def test_start_and_duration_respected():
    trains = run_source("SpikeSourceGamma", 200, 800.0, dt=0.1, alpha=ALPHA, beta=BETA,
                        start=200.0, duration=300.0)
    allspikes = np.concatenate(trains)
    assert allspikes.min() >= 200.0 and allspikes.max() <= 500.0
    assert_count(allspikes.size, 200 * 100.0 * 0.3, 200 * 100.0 * 0.3 / ALPHA, "window")


def test_zero_rate_gives_no_spikes():
    trains = run_source("SpikeSourceGamma", 5, 100.0, dt=0.1, alpha=2, beta=0.0)
    assert sum(len(st) for st in trains) == 0
