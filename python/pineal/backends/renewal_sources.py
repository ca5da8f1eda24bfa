"""SpikeSourceGamma and SpikeSourcePoissonRefractory on an external backend:
spike trains drawn by the adapter (numpy) with pineal's laws (docs/timing.md),
handed to the simulator as spike-time arrays for each run.

- SpikeSourceGamma(alpha, beta): intervals Gamma(shape alpha, rate beta Hz);
- SpikeSourcePoissonRefractory(rate, tau_refrac): intervals tau_refrac +
  Exponential(mean 1000/rate - tau_refrac) ms;
- active on [start, start + duration); each process starts in equilibrium at
  start (or at the time of a parameter change, which restarts it): the first
  spike comes after a forward-recurrence time, drawn as U L with U uniform on
  (0, 1) and L a length-biased interval (density x f(x) / mean), which has the
  stationary forward-recurrence density (1 - F(t)) / mean;
- a spike at continuous time t is stamped at the end of the step containing
  it, as pineal's sources and SpikeSourceArray times (docs/timing.md).

The numbers come from numpy's generator seeded by (rng_seed, population,
reset segment): statistically pineal's process, not its draws.
"""

import numpy as np


class RenewalTrains:
    """The spike trains of one population of renewal sources."""

    def __init__(self, kind, size, seed):
        self.kind, self.size, self.seed = kind, size, seed
        self.rng = None
        self.pending = None   # next spike time per cell (ms), np.inf when none

    def restart(self, params, t_ms, segment):
        """(Re)starts every cell's process in equilibrium at t_ms."""
        if self.rng is None or segment != getattr(self, "segment", None):
            self.rng = np.random.default_rng([*self.seed, segment])
            self.segment = segment
        self.params = {k: np.broadcast_to(np.asarray(v, dtype=float), (self.size,))
                       for k, v in params.items()}
        start = np.maximum(self.params["start"], t_ms)
        self.stop = self.params["start"] + self.params["duration"]
        self.pending = start + self._forward_recurrence()
        self.pending[~(self.pending < self.stop)] = np.inf

    def _intervals(self, cells):
        p, n = self.params, cells.size
        if self.kind == "SpikeSourceGamma":
            return self.rng.gamma(p["alpha"][cells], 1000.0 / p["beta"][cells], n)
        d = p["tau_refrac"][cells]
        return d + self.rng.exponential(1000.0 / p["rate"][cells] - d, n)

    def _forward_recurrence(self):
        p, n = self.params, self.size
        if self.kind == "SpikeSourceGamma":
            # Gamma(alpha + 1) is the length-biased Gamma(alpha)
            biased = self.rng.gamma(p["alpha"] + 1.0, 1000.0 / p["beta"], n)
        else:
            d, m = p["tau_refrac"], 1000.0 / p["rate"]
            # length-biased d + Exp(m - d): d + Exp with probability d/m,
            # d + Gamma(2, m - d) otherwise
            tail = np.where(self.rng.random(n) < d / m, self.rng.exponential(m - d, n),
                            self.rng.gamma(2.0, m - d, n))
            biased = d + tail
        return self.rng.random(n) * biased

    def spikes(self, t_end):
        """(cell indices, continuous times) of the spikes before t_end (ms), in
        time order per cell; the process goes on from there."""
        cells, times = [], []
        alive = np.nonzero(self.pending < t_end)[0]
        while alive.size:
            cells.append(alive)
            times.append(self.pending[alive].copy())
            self.pending[alive] += self._intervals(alive)
            over = self.pending[alive] >= self.stop[alive]
            self.pending[alive[over]] = np.inf
            alive = alive[self.pending[alive] < t_end]
        if not cells:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        cells, times = np.concatenate(cells), np.concatenate(times)
        order = np.lexsort((times, cells))
        return cells[order], times[order]


def stamp(times, dt):
    """pineal's step of a continuous spike time: the end of the step containing it."""
    return np.maximum(np.ceil(np.asarray(times) / dt - 1e-9), 1).astype(np.int64)
