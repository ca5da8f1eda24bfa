"""SpikeSourcePoissonRefractory: intervals tau_refrac + Exp(1000/rate - tau_refrac).

Mean rate `rate`; CV = 1 - rate tau_refrac / 1000. dt = 0.01 ms for the
interval tests (stamping then moves the empirical CDF by < 1e-3).
"""

import numpy as np
import pineal as sim
import pytest
from scipy import stats
from spike_stats import FIVE_SIGMA_P, assert_count, first_isis, run_source

RATE, DEAD = 50.0, 5.0  # mean interval 20 ms, 15 ms of it exponential


def test_rate_and_interval_law():
    trains = run_source("SpikeSourcePoissonRefractory", 100, 5000.0, rate=RATE, tau_refrac=DEAD)
    count = sum(len(st) for st in trains)
    cv2 = (1 - RATE * DEAD / 1000.0) ** 2
    assert_count(count, 100 * RATE * 5.0, 100 * RATE * 5.0 * cv2, "PoissonRefractory")
    isis = first_isis(trains, 170)  # 250 expected per cell, sd 12: K is 6.7 sd below
    assert isis.min() >= DEAD - 0.01  # never closer than the dead time (one grid step)
    assert stats.kstest(isis, "expon", args=(DEAD, 1000.0 / RATE - DEAD)).pvalue > FIVE_SIGMA_P
    assert stats.kstest(isis, "expon", args=(0.0, 1000.0 / RATE)).pvalue < FIVE_SIGMA_P
    assert abs(isis.std() / isis.mean() - np.sqrt(cv2)) < 0.02  # sd of the estimate ~0.004


def test_equilibrium_start():
    trains = run_source("SpikeSourcePoissonRefractory", 2000, 10.0, dt=0.1, rate=RATE,
                        tau_refrac=DEAD)
    first = sum(int(np.count_nonzero(st <= 2.0)) for st in trains)
    expected = 2000 * RATE * 0.002
    assert_count(first, expected, expected, "first 2 ms")


def test_start_and_duration_respected():
    trains = run_source("SpikeSourcePoissonRefractory", 200, 800.0, dt=0.1, rate=RATE,
                        tau_refrac=DEAD, start=200.0, duration=300.0)
    allspikes = np.concatenate(trains)
    assert allspikes.min() >= 200.0 and allspikes.max() <= 500.0
    assert_count(allspikes.size, 200 * RATE * 0.3, 200 * RATE * 0.3, "window")


def test_dead_time_longer_than_mean_interval_is_rejected():
    sim.setup()
    p = sim.Population(2, sim.SpikeSourcePoissonRefractory(rate=250.0, tau_refrac=5.0))
    p.record("spikes")
    with pytest.raises(sim.errors.InvalidParameterValueError, match="tau_refrac"):
        sim.run(1.0)
    assert sim.get_current_time() == 0.0  # nothing ran
    p.set(rate=100.0)  # fixed, the simulation goes on
    sim.run(1.0)
    assert sim.get_current_time() == 1.0
    sim.end()
