"""Scenario: SpikeSourceGamma and SpikeSourcePoissonRefractory on every
installed backend (the adapters draw the trains with pineal's laws,
backends/renewal_sources.py; the native engine draws its own): statistics
against the laws, 300 cells, active 100-900 ms, run as 500 + 500 ms.

Laws: Gamma(alpha = 3, beta = 60 Hz): rate 20 Hz, interval CV 1/sqrt(3);
PoissonRefractory(rate 20 Hz, tau_refrac 5 ms): intervals 5 ms + Exp(45 ms),
CV 0.9. Criteria, each 5 standard errors (fixed seeds):
- the spike count: expected N T rate, variance N T rate CV^2 (a renewal
  process's count over T much longer than the interval);
- the count in the first 50 ms after start: the same rate (the processes
  start in equilibrium; a fresh interval at start would give about 0.6 of
  it, -7 standard errors), with the Poisson variance N T rate as a bound
  (over one mean interval the CV^2 formula does not hold: measured per cell
  0.48 for this Gamma and 0.82 for this PoissonRefractory, below Poisson's 1);
- the mean interval, over the intervals starting in the first 400 ms of the
  window (8 mean intervals before its end, so that the end of the window,
  which cuts the long intervals, biases the mean by < 0.1 standard error):
  standard error sd / sqrt(n);
- all spikes inside (start, start + duration] on the grid; no interval
  shorter than tau_refrac - dt (the grid stamps move each time by < dt).
"""

import numpy as np
import pytest
from backends import load, params
from sweep import Result

N, START, DURATION = 300, 100.0, 800.0
SOURCES = {"SpikeSourceGamma": (dict(alpha=3, beta=60.0), 20.0, 1 / np.sqrt(3.0), 0.0),
           "SpikeSourcePoissonRefractory": (dict(rate=20.0, tau_refrac=5.0), 20.0, 0.9, 5.0)}


def trains(sim, kind, seed):
    parameters = SOURCES[kind][0]
    sim.setup(timestep=0.1, rng_seed=seed)
    cells = sim.Population(N, getattr(sim, kind)(start=START, duration=DURATION, **parameters))
    cells.record("spikes")
    sim.run(500.0)
    sim.run(500.0)
    out = [st.magnitude for st in cells.get_data().segments[0].spiketrains]
    sim.end()
    return out


def measure(backend, kind):
    _, rate, cv, dead = SOURCES[kind]
    spikes = trains(load(backend), kind, 3)
    every = np.concatenate(spikes)
    isi = np.concatenate([np.diff(t) for t in spikes])
    early_isi = np.concatenate([np.diff(t)[t[:-1] <= START + 400.0] for t in spikes])
    expected = N * DURATION / 1000.0 * rate
    z_count = (every.size - expected) / np.sqrt(expected * cv**2)
    early = np.sum(every <= START + 50.0)
    expected_early = N * 0.05 * rate
    z_early = (early - expected_early) / np.sqrt(expected_early)
    mean_isi = 1000.0 / rate
    z_isi = (early_isi.mean() - mean_isi) / (cv * mean_isi / np.sqrt(early_isi.size))
    window = every.min() > START and every.max() <= START + DURATION + 1e-9
    passed = (abs(z_count) < 5 and abs(z_early) < 5 and abs(z_isi) < 5 and window
              and isi.min() > dead - 0.1 - 1e-9)
    return Result(bool(passed), f"{every.size} spikes ({z_count:+.1f} SE), first 50 ms {early} "
                  f"({z_early:+.1f} SE), mean interval {early_isi.mean():.2f} ms ({z_isi:+.1f} SE), "
                  f"shortest {isi.min():.1f} ms", "each within 5 standard errors, window, "
                  "dead time")


CASES = tuple(SOURCES)


@pytest.mark.parametrize("backend", params())
@pytest.mark.parametrize("kind", CASES)
def test_renewal_source_statistics(kind, backend):
    result = measure(backend, kind)
    assert result.passed, f"{result.difference} (criterion: {result.criterion})"
