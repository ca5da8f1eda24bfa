"""Running spike sources and the statistics their validation tests share.

Bounds are 5 sigma (two-sided p = 5.7e-7) with fixed seeds. ISIs for KS
tests are the first K intervals of every cell, K far (> 6 sigma) below the
expected number, so that they are i.i.d. draws of the interval law: taking
all intervals inside a window would favour short ones (the interval that
crosses the window's end is always missing).
"""

import numpy as np
import pineal as sim

FIVE_SIGMA_P = 5.7e-7


def run_source(model, n, t_stop, dt=0.01, seed=12345, **params):
    sim.setup(timestep=dt, rng_seed=seed)
    p = sim.Population(n, getattr(sim, model)(**params))
    p.record("spikes")
    sim.run(t_stop)
    trains = [np.asarray(st.magnitude) for st in p.get_data().segments[0].spiketrains]
    sim.end()
    return trains


def first_isis(trains, k):
    for st in trains:
        assert len(st) > k, "fewer spikes than the test's design assumes"
    return np.concatenate([np.diff(st[:k + 1]) for st in trains])


def assert_count(observed, expected, variance, what):
    """|observed - expected| within 5 sigma of the count's standard deviation."""
    sigma = np.sqrt(variance)
    assert abs(observed - expected) < 5 * sigma, (
        f"{what}: {observed} spikes, expected {expected:.1f} +- {5 * sigma:.1f} (5 sigma)")
