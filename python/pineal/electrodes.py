"""PyNN's current sources (pyNN.standardmodels.electrodes) on the native engine.

Parameters, defaults and units (nA, ms, Hz, degrees) are PyNN's. The core
validates every value and computes the waveforms; see docs/timing.md for
which time within a step each waveform is sampled at.
"""

from typing import ClassVar

import numpy as np

from pineal import _core
from pineal.errors import NonExistentParameterError
from pineal.parameters import _magnitude
from pineal.simulator import state

_UNITS = {"amplitude": "nA", "start": "ms", "stop": "ms", "frequency": "Hz", "offset": "nA",
          "phase": "deg", "mean": "nA", "stdev": "nA", "dt": "ms", "times": "ms",
          "amplitudes": "nA"}
_SEQUENCES = ("times", "amplitudes")


def _call(core, function, *args):
    """pineal._core's `function` on the native engine; on an external backend's
    adapter (pineal.backends), the adapter's method of the same name."""
    if isinstance(core, _core.Simulation):
        return getattr(_core, function)(core, *args)
    return getattr(core, function)(*args)


class StandardCurrentSource:
    """A current source: construct with keywords, then ``inject_into(cells)``."""

    default_parameters: ClassVar[dict] = {}

    def __init__(self, **parameters):
        core = state.require(f"creating a {type(self).__name__}")
        values = dict(self.default_parameters)
        values.update(self._checked(parameters))
        object.__setattr__(self, "_core", core)
        object.__setattr__(self, "_handle",
                           _call(core, "add_current_source", type(self).__name__,
                                 self._native(values)))
        object.__setattr__(self, "_values", values)

    # -- parameters --------------------------------------------------------
    def _checked(self, parameters):
        for name in parameters:
            if name not in self.default_parameters:
                raise NonExistentParameterError(name, type(self).__name__,
                                                list(self.default_parameters))
        return parameters

    @staticmethod
    def _native(values):
        out = {}
        for name, value in values.items():
            value = _magnitude(getattr(value, "value", value), _UNITS[name])
            if name in _SEQUENCES:
                out[name] = [float(x) for x in np.asarray(value, dtype=float).reshape(-1)]
            else:
                out[name] = float(value)
        return out

    def _live(self, action):
        core = state.require(action)
        if self._core is not core:
            raise RuntimeError(f"pineal: this {type(self).__name__} belongs to a simulation "
                               f"that a later setup() replaced; create it again ({action})")
        return core

    def set_parameters(self, **parameters):
        """Changes parameters; effective from the next run()."""
        values = dict(self._values)
        values.update(self._checked(parameters))
        core = self._live("set_parameters()")
        _call(core, "set_current_source", self._handle, self._native(values))  # validates
        object.__setattr__(self, "_values", values)

    def get_parameters(self):
        return dict(self._values)

    def __getattr__(self, name):
        values = self.__dict__.get("_values", {})
        if name in values:
            return values[name]
        if name == "set":
            raise AttributeError(f"{type(self).__name__} has no 'set': use "
                                 "set_parameters(name=value) or source.name = value")
        raise AttributeError(f"{type(self).__name__} has no attribute '{name}'")

    def __setattr__(self, name, value):
        if name in self.default_parameters:
            self.set_parameters(**{name: value})
        else:
            object.__setattr__(self, name, value)

    # -- targets -----------------------------------------------------------
    def inject_into(self, cells, location=None):
        """Injects into a Population, PopulationView, Assembly or a list of IDs."""
        if location is not None:
            raise NotImplementedError("inject_into(location=...) (multicompartment cells) is "
                                      "not supported yet by pineal")
        if hasattr(cells, "inject"):  # Population, PopulationView, Assembly, ID
            cells.inject(self)
            return
        cells = list(cells)
        # check every cell first, so nothing is half-injected after an error
        for cell in cells:
            if not hasattr(cell, "parent"):
                raise TypeError(f"{type(self).__name__}.inject_into: expected a Population, "
                                f"PopulationView, Assembly or IDs, got {cell!r}")
            if not cell.parent.celltype.injectable:
                self._not_injectable(cell.parent)
        by_parent = {}
        for cell in cells:
            by_parent.setdefault(id(cell.parent), (cell.parent, []))[1].append(cell._index())
        for parent, indices in by_parent.values():
            self._add_targets(parent, np.array(indices, dtype=np.uint32))

    def _not_injectable(self, population):
        raise TypeError(f"{type(self).__name__}: cannot inject current into "
                        f"{type(population.celltype).__name__} (population "
                        f"'{population.label}'): it is a spike source")

    def _add_targets(self, population, cells):
        """Adds cells (indices in `population`, a Population) as targets."""
        core = self._live("inject_into()")
        if cells is None:
            cells = np.arange(population.size, dtype=np.uint32)
        _call(core, "inject", self._handle, population._handle,
              np.ascontiguousarray(cells, dtype=np.uint32))

    # -- recording ---------------------------------------------------------
    def record(self):
        """Records the injected current (into the first target cell) every dt."""
        _call(self._live("record()"), "record_current_source", self._handle)

    def get_data(self):
        """The recorded current: a neo.AnalogSignal in nA, one sample per dt."""
        import neo
        import quantities as pq

        values, t_start, dt = _call(self._live("get_data()"), "current_source_signal",
                                    self._handle)
        return neo.AnalogSignal(values.reshape(-1, 1), units="nA", t_start=t_start * pq.ms,
                                sampling_period=dt * pq.ms, name="i",
                                source=type(self).__name__)

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in self._values.items())
        return f"{type(self).__name__}({args})"


class DCSource(StandardCurrentSource):
    """A constant current `amplitude` (nA) on [start, stop)."""

    default_parameters: ClassVar[dict] = {"amplitude": 1.0, "start": 0.0, "stop": 1e12}


class ACSource(StandardCurrentSource):
    """offset + amplitude sin(2 pi frequency (t - start)/1000 + 2 pi phase/360) on [start, stop)."""

    default_parameters: ClassVar[dict] = {"amplitude": 1.0, "start": 0.0, "stop": 1e12,
                                          "frequency": 10.0, "offset": 0.0, "phase": 0.0}


class StepCurrentSource(StandardCurrentSource):
    """0 before times[0], then amplitudes[k] from times[k] on (the last persists)."""

    default_parameters: ClassVar[dict] = {"amplitudes": [], "times": []}


class NoisyCurrentSource(StandardCurrentSource):
    """Gaussian noise N(mean, stdev^2) (nA), a new value every `dt` ms, on [start, stop)."""

    default_parameters: ClassVar[dict] = {"mean": 0.0, "stdev": 1.0, "start": 0.0, "stop": 1e12,
                                          "dt": 0.1}


current_sources = {c.__name__: c for c in (DCSource, ACSource, StepCurrentSource,
                                           NoisyCurrentSource)}
