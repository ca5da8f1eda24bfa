"""What every external-simulator adapter shares.

An adapter keeps a native ``_core.Simulation`` as its description core
(``self._desc``: parameters, initial values, the connections pineal's
connectors generate) and realises the network in another simulator. The
description queries and the time bookkeeping below are the same for every
adapter; each subclass keeps ``self._pops`` (objects with ``name``, ``model``,
``params_dirty``, ``initial_dirty``, ``spike_cells`` and ``signals``) and
``self._step``, says when a population is realised, and implements creation,
connection, reading recorded data and ``run_until``.
"""

import numpy as np

from pineal import _core
from pineal.backends.current_sources import CurrentSource
from pineal.backends.renewal_sources import stamp


class PopulationParameters(dict):
    """PyNN parameter arrays of one population, fetched from the description
    core on first use. An array-valued parameter (SpikeSourceArray's
    spike_times) gives one sequence per cell, as `sequence` makes it."""

    def __init__(self, desc, handle, sequence=lambda x: np.asarray(x, dtype=float)):
        super().__init__()
        self.desc, self.handle, self.sequence = desc, handle, sequence

    def __missing__(self, name):
        try:
            value = np.asarray(self.desc.get_parameter(self.handle, name), dtype=float)
        except Exception:  # noqa: BLE001  an array parameter: one sequence per cell
            value = [self.sequence(x) for x in self.desc.get_sequence(self.handle, name)]
        self[name] = value
        return value


class DescriptionBackedSimulation:
    BACKEND = "this backend"  # subclasses name themselves in error messages

    def _unsupported(self, feature):
        return NotImplementedError(f"{feature} is not supported by {self.BACKEND}")

    def _realised(self, pop):
        """Whether the population already exists in the other simulator."""
        raise NotImplementedError

    # -- recording requests: checked by the core, realised at the next run ------
    def record(self, population, variable, cells, sampling_interval=0.0):
        pop = self._pops[population]
        if self._realised(pop):
            raise self._unsupported("record() on a population after it was simulated")
        self._desc.record(population, variable, cells, sampling_interval)  # checks
        cells = np.asarray(cells, dtype=np.int64)
        if variable == "spikes":
            old = pop.spike_cells if pop.spike_cells is not None else cells[:0]
            pop.spike_cells = np.union1d(old, cells)
            return
        if variable not in pop.model.variables:
            raise self._unsupported(f"recording {variable!r} of {pop.name}")
        steps = max(1, int(round((sampling_interval or self.dt) / self.dt)))
        old = pop.signals.get(variable, {}).get("cells", cells[:0])
        pop.signals[variable] = {"cells": np.union1d(old, cells), "steps": steps}

    def stop_recording(self, population):
        pop = self._pops[population]
        if self._realised(pop) and (pop.spike_cells is not None or pop.signals):
            raise self._unsupported("record(None) after the population was simulated")
        self._desc.stop_recording(population)
        pop.spike_cells, pop.signals = None, {}

    # -- current sources: checked and kept by the core, realised by the subclass --
    # (pineal.electrodes calls these where the native engine has pineal._core's
    # functions of the same names)
    def _current_sources(self):
        if not hasattr(self, "_sources"):
            self._sources = []
        return self._sources

    def add_current_source(self, kind, values):
        handle = _core.add_current_source(self._desc, kind, values)  # validates
        sources = self._current_sources()
        sources.append(CurrentSource(kind, values, (self._desc.rng_seed % 2**63, handle)))
        self._sources_changed(sources[-1])
        return handle

    def set_current_source(self, handle, values):
        _core.set_current_source(self._desc, handle, values)  # validates
        source = self._current_sources()[handle]
        source.values = dict(values)
        self._sources_changed(source)

    def inject(self, handle, population, cells):
        _core.inject(self._desc, handle, population, cells)  # validates
        source = self._current_sources()[handle]
        source.targets.append((population, np.asarray(cells, dtype=np.int64).copy()))
        self._sources_changed(source)

    def record_current_source(self, handle):
        _core.record_current_source(self._desc, handle)
        source = self._current_sources()[handle]
        if not source.targets:
            raise ValueError("record(): the current source has no target cell yet "
                             "(inject_into() first)")
        source.record_start, source.recorded = self._step, []

    def current_source_signal(self, handle):
        """(samples of the current into the first target cell, t_start, dt): one
        sample per step from record() to now, the last one the current of the
        next step, as the native engine records."""
        source = self._current_sources()[handle]
        if source.record_start is None:
            return np.zeros(0), 0.0, self.dt
        now = self._recorded_current(source, np.array([self._step]))
        values = np.concatenate(source.recorded + [now])
        return values, float(self._steps_to_ms(source.record_start)), self.dt

    def _recorded_current(self, source, steps):
        """The current acting in `steps` into the source's first target cell."""
        return source.current(self.dt, steps, source.n_target_cells)[:, 0]

    def _record_sources(self, step0, step1):
        """Keeps the recorded sources' samples of the steps [step0, step1), which
        the run about to go from step0 to step1 will take."""
        for source in self._current_sources():
            if source.record_start is not None:
                source.recorded.append(self._recorded_current(source, np.arange(step0, step1)))

    def _sources_changed(self, source):
        """Called when a source is created, changed or given targets."""
        raise self._unsupported("current sources")

    # -- description, forwarded to the core; changes are marked for the next run --
    def set_parameter(self, population, name, value, cells=None):
        self._desc.set_parameter(population, name, value, cells)
        self._pops[population].params_dirty = True

    def set_sequence(self, population, name, sequences, cells=None):
        self._desc.set_sequence(population, name, sequences, cells)
        self._pops[population].params_dirty = True

    def initialize(self, population, name, value, cells=None):
        self._desc.initialize(population, name, value, cells)
        self._pops[population].initial_dirty.add(name)

    def get_parameter(self, population, name):
        return self._desc.get_parameter(population, name)

    def get_sequence(self, population, name):
        return self._desc.get_sequence(population, name)

    def get_initial_value(self, population, name):
        return self._desc.get_initial_value(population, name)

    def population_first_id(self, population):
        return self._desc.population_first_id(population)

    def projection_size(self, projection):
        return self._desc.projection_size(projection)

    def set_synapses(self, projection, attribute, value, per_connection=False, expression=None,
                     geometry=None, check_only=False, initial=False):
        """Projection.set: a change of the description, before the projection is
        realised (subclasses count realised projections in _realised_projections).
        Only weights and delays: a dynamic synapse's parameters and state per
        synapse would have to reach the simulator's synapses, which the
        adapters do not do (they map one value per projection)."""
        if initial or attribute not in ("weight", "delay"):
            what = "initial value" if initial else "parameter"
            raise self._unsupported(f"synapse {what} {attribute!r} given per synapse")
        if projection < self._realised_projections:
            raise self._unsupported("Projection.set() (or a Connection attribute) after the "
                                    "projection was simulated")
        self._desc.set_synapses(projection, attribute, value, per_connection=per_connection,
                                expression=expression, geometry=geometry, check_only=check_only)

    # Dynamic synapse types take one value per projection on the simulators
    # (translated when the projection is connected): no changes afterwards.
    def set_synapse_parameter(self, projection, name, value, check_only=False):
        raise self._unsupported("Projection.set() of a dynamic synapse parameter")

    def initialize_synapses(self, projection, name, value, check_only=False):
        raise self._unsupported("Projection.initialize() of a dynamic synapse")

    def discard_last_projection(self):
        """Takes back the last connect() (the core failed, or a later check did);
        subclasses keep one entry per projection in self._projections."""
        self._desc.discard_last_projection()
        self._projections.pop()

    def synapse_attributes(self, projection):
        return self._desc.synapse_attributes(projection)

    def next_stream(self):
        return self._desc.next_stream()

    def recorded_variables(self, population):
        return self._desc.recorded_variables(population)

    def run(self, duration_ms):
        self.run_until(self.time + duration_ms)

    def _new_renewal_spikes(self, target):
        """(population, cells, stamps) of each renewal source: its spikes drawn
        up to step `target` and not emitted yet (stamped after the current step)."""
        for pop in self._pops:
            if pop.model.kind != "renewal":
                continue
            cells, times = pop.trains.spikes(float(self._steps_to_ms(target)))
            steps = stamp(times, self.dt)
            keep = steps > self._step  # a time exactly on the last step's end: measure zero
            yield pop, cells[keep], steps[keep]

    # -- time and setup queries ---------------------------------------------------
    def _steps_to_ms(self, steps):
        # as the core: with dt = 1/k ms divide by k (7 steps of 0.1 ms read 0.7)
        k = round(1.0 / self.dt)
        if k >= 1 and abs(1.0 / self.dt - k) <= 1e-9 * k:
            return np.asarray(steps, dtype=float) / k
        return np.asarray(steps, dtype=float) * self.dt

    @property
    def time(self):
        return float(self._steps_to_ms(self._step))

    @property
    def current_step(self):
        return self._step

    @property
    def dt(self):
        return self._desc.dt

    @property
    def min_delay(self):
        return self._desc.min_delay

    @property
    def max_delay(self):
        return self._desc.max_delay

    @property
    def segment(self):
        return self._desc.segment

    @property
    def rng_seed(self):
        return self._desc.rng_seed

    @property
    def threads(self):
        return self._desc.threads

    @property
    def virtual_ranks(self):
        return self._desc.virtual_ranks
