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


class InhGammaTrains:
    """SpikeSourceInhGamma (models/spike_source_inh_gamma.hpp): an
    inhomogeneous gamma process, shape a[k] and scale b[k] (seconds) on the
    bins starting at tbins[k] (ms), active on [start, start + duration), no
    spikes before tbins[0]. Drawn by thinning, as pineal (and NEST's
    inh_gamma_generator): candidates of a Poisson process of rate 1/(1000 b)
    per ms (time-rescaled across the bins), accepted with probability
    b h(age), h the gamma hazard with the candidate bin's a and b (<= 1 for
    a >= 1). Each cell starts with an infinite age (first interval
    exponential); a parameter change keeps the age of the last spike. Cells
    with the same (a, b, tbins) are drawn together."""

    def __init__(self, size, seed):
        self.size, self.seed, self.rng = size, seed, None
        self.last = np.full(size, -np.inf)   # time of each cell's last spike (ms)
        self.now = 0.0

    def restart(self, params, t_ms, segment):
        if self.rng is None or segment != getattr(self, "segment", None):
            self.rng = np.random.default_rng([*self.seed, segment])
            self.segment = segment
            self.last = np.full(self.size, -np.inf)
        if any(np.any(np.asarray(x, dtype=float) < 1.0) for x in params["a"]):
            raise ValueError("SpikeSourceInhGamma: the shapes a must be >= 1 (below 1 the "
                             "gamma hazard is unbounded and thinning cannot draw it)")
        self.groups = {}
        for cell in range(self.size):
            key = tuple(tuple(np.asarray(params[n][cell], dtype=float).tolist())
                        for n in ("a", "b", "tbins"))
            self.groups.setdefault(key, []).append(cell)
        self.start = np.asarray(params["start"], dtype=float)
        self.stop = self.start + np.asarray(params["duration"], dtype=float)
        self.now = t_ms

    def spikes(self, t_end):
        from scipy import special  # requirements-dev.txt; only this source needs it

        cells_out, times_out = [], []
        for (a, b, tbins), members in self.groups.items():
            a, b, tbins = np.array(a), np.array(b), np.array(tbins)
            cells = np.array(members)
            # cumulative candidate rate Lambda(t) (per ms) at the bin edges
            rate = 1.0 / (1000.0 * b)
            edges = np.append(tbins, max(t_end, tbins[-1]) + 1.0)
            cum = np.concatenate([[0.0], np.cumsum(rate * np.diff(edges))])
            t = np.maximum(np.maximum(self.now, self.start[cells]), tbins[0])
            level = np.interp(t, edges, cum)
            while cells.size:
                level = level + self.rng.exponential(1.0, cells.size)
                t = np.interp(level, cum, edges)
                inside = (level < cum[-1]) & (t < t_end) & (t < self.stop[cells])
                cells, t, level = cells[inside], t[inside], level[inside]
                k = np.clip(np.searchsorted(tbins, t, side="right") - 1, 0, len(tbins) - 1)
                x = (t - self.last[cells]) / (1000.0 * b[k])
                with np.errstate(divide="ignore", invalid="ignore"):
                    hazard = np.where(
                        np.isinf(x) | (a[k] == 1.0), 1.0,
                        np.exp((a[k] - 1) * np.log(x) - x - special.gammaln(a[k]))
                        / special.gammaincc(a[k], x))
                hazard = np.where(np.isnan(hazard), 1.0, np.minimum(hazard, 1.0))
                spike = self.rng.random(cells.size) < hazard
                cells_out.append(cells[spike])
                times_out.append(t[spike])
                self.last[cells[spike]] = t[spike]
        self.now = t_end
        if not cells_out:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        cells, times = np.concatenate(cells_out), np.concatenate(times_out)
        order = np.lexsort((times, cells))
        return cells[order], times[order]


def make_trains(kind, size, seed):
    """The train generator of a renewal-type source population."""
    if kind == "SpikeSourceInhGamma":
        return InhGammaTrains(size, seed)
    return RenewalTrains(kind, size, seed)


def source_parameters(desc, handle, names):
    """The population's parameters from the description core: arrays, or one
    sequence per cell for the sequence parameters (a, b, tbins)."""
    out = {}
    for name in names:
        try:
            out[name] = np.asarray(desc.get_parameter(handle, name), dtype=float)
        except Exception:  # noqa: BLE001  a sequence parameter
            out[name] = [np.asarray(x, dtype=float) for x in desc.get_sequence(handle, name)]
    return out
