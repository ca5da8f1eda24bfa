"""Current sources on an external backend: what every adapter keeps of them,
and their waveforms on pineal's time grid (docs/timing.md, "current sources").

The description core validates every source (pineal._core.add_current_source
on the adapter's core); this module keeps a copy of the parameters, the
targets and the recorded samples, and computes the current acting during each
step s, in nA, as the native engine does:

- DCSource, ACSource, NoisyCurrentSource: on during the steps s with
  round(start/dt) <= s < round(stop/dt);
- ACSource: offset + amplitude sin(2 pi frequency (s dt - start)/1000 + 2 pi phase/360);
- StepCurrentSource: amplitudes[k] from step round(times[k]/dt) on (0 before
  the first; of several times rounding to one step the last wins);
- NoisyCurrentSource: a new N(mean, stdev^2) value per target cell every
  max(dt_noise, dt) counted from the start step. The values come from numpy's
  generator seeded by (rng_seed, source, reset segment): statistically what
  the native engine draws (from its Philox streams), not the same numbers.
"""

import numpy as np


def _step(t, dt):
    return np.rint(np.asarray(t, dtype=float) / dt).astype(np.int64)


class CurrentSource:
    """One current source as an adapter keeps it."""

    def __init__(self, kind, values, seed):
        self.kind = kind            # the PyNN class name
        self.values = dict(values)  # the native parameter dict (ms, nA, Hz, degrees)
        self.seed = seed            # (rng_seed, source index): noise streams
        self.segment = 0
        self.targets = []           # (population handle, cell indices) per inject
        self.record_start = None    # step from which the first target is recorded
        self.recorded = []          # sample arrays, one per run since then
        self.noise = {}             # noise interval index -> values per target cell
        self.device = None          # what the backend made of it

    # -- the waveform -------------------------------------------------------
    def window(self, dt):
        """The steps [on, off) during which the source is on."""
        v = self.values
        return int(_step(v["start"], dt)), int(_step(min(v["stop"], 2.0**60 * dt), dt))

    def current(self, dt, steps, n_cells):
        """The current (nA) acting during each of `steps` in each of n_cells
        target cells: an array (len(steps), n_cells)."""
        steps = np.asarray(steps, dtype=np.int64)
        v = self.values
        if self.kind == "StepCurrentSource":
            times = _step(v["times"], dt)
            amplitudes = np.asarray(v["amplitudes"], dtype=float)
            # the last of several times rounding to one step wins: searchsorted
            # 'right' picks the last index whose step is <= s
            k = np.searchsorted(times, steps, side="right") - 1
            out = np.where(k >= 0, amplitudes[np.maximum(k, 0)] if amplitudes.size else 0.0, 0.0)
            return np.repeat(out[:, None], n_cells, axis=1)
        on, off = self.window(dt)
        active = (steps >= on) & (steps < off)
        if self.kind == "DCSource":
            out = np.where(active, v["amplitude"], 0.0)
        elif self.kind == "ACSource":
            phase = (2 * np.pi * v["frequency"] * (steps * dt - v["start"]) / 1000.0
                     + 2 * np.pi * v["phase"] / 360.0)
            out = np.where(active, v["offset"] + v["amplitude"] * np.sin(phase), 0.0)
        elif self.kind == "NoisyCurrentSource":
            every = max(1, int(round(max(v["dt"], dt) / dt)))
            k = np.where(active, (steps - on) // every, -1)
            out = np.zeros((steps.size, n_cells))
            for index in np.unique(k[k >= 0]):
                out[k == index] = self._noise_values(int(index), n_cells)
            self._forget_noise_before(int(k.max()) if k.size else -1)
            return out
        else:
            raise NotImplementedError(f"current source {self.kind}")
        return np.repeat(out[:, None], n_cells, axis=1)

    def _noise_values(self, index, n_cells):
        if index not in self.noise:
            rng = np.random.default_rng([*self.seed, self.segment, index])
            v = self.values
            self.noise[index] = v["mean"] + v["stdev"] * rng.standard_normal(n_cells)
        return self.noise[index]

    def _forget_noise_before(self, index):
        # the interval running at the end of a run goes on in the next one
        for k in [k for k in self.noise if k < index]:
            del self.noise[k]

    def restart(self):
        """After reset(): a new trial of the noise, empty recording."""
        self.segment += 1
        self.noise = {}
        if self.record_start is not None:
            self.record_start, self.recorded = 0, []

    @property
    def n_target_cells(self):
        return sum(len(cells) for _, cells in self.targets)
