"""Per-connection access to a Projection: PyNN's Connection objects,
prj[i], iteration, and the deprecated printing and histogram helpers.

Connections are listed in the order of Projection.get(..., format='list')
(by target, then source). Nothing is made per synapse until it is asked for:
the projection's connections are read from the core in bulk arrays, once per
change (set(), a run, reset()), and a Connection is an index into them.
"""

import warnings
from collections.abc import Sequence

import numpy as np

from pineal.simulator import state


class Connection:
    """One synapse of a Projection: presynaptic_index, postsynaptic_index (indices
    in the projection's pre and post sides), weight (nA or uS), delay (ms) and
    the synapse type's other attributes, readable and writable. Writing changes
    this synapse only (as Projection.set, from the next run)."""

    __slots__ = ("_index", "_projection")

    def __init__(self, projection, index):
        object.__setattr__(self, "_projection", projection)
        object.__setattr__(self, "_index", index)

    def _table(self):
        return self._projection._connection_table()

    @property
    def presynaptic_index(self):
        return int(self._table()["presynaptic_index"][self._index])

    @property
    def postsynaptic_index(self):
        return int(self._table()["postsynaptic_index"][self._index])

    @property
    def presynaptic_cell(self):
        return self._projection.pre[self.presynaptic_index]

    @property
    def postsynaptic_cell(self):
        return self._projection.post[self.postsynaptic_index]

    def __getattr__(self, name):
        if name in self._projection._synapse_names() + _state_names(self._projection):
            return float(self._table()[name][self._index])
        raise AttributeError(f"Connection has no attribute {name!r} (synapse attributes: "
                             f"{self._projection._synapse_names()})")

    def __setattr__(self, name, value):
        if name not in self._projection._synapse_names():
            raise AttributeError(f"Connection: cannot set {name!r}; the synapse attributes are "
                                 f"{self._projection._synapse_names()}")
        self._projection._set_connection(self._index, name, value)

    def as_tuple(self, *attribute_names):
        return tuple(getattr(self, n) for n in attribute_names)

    def __repr__(self):
        values = ", ".join(f"{n}={getattr(self, n)!r}" for n in self._projection._synapse_names())
        return (f"Connection({self.presynaptic_index} -> {self.postsynaptic_index}, {values})")


class ConnectionList(Sequence):
    """The connections of a projection as a sequence; Connection objects are made
    as they are accessed."""

    def __init__(self, projection):
        self._projection = projection

    def __len__(self):
        return len(self._projection)

    def __getitem__(self, i):
        n = len(self)
        if isinstance(i, slice):
            return [Connection(self._projection, k) for k in range(*i.indices(n))]
        if isinstance(i, (bool, np.bool_)) or not isinstance(i, (int, np.integer)):
            raise TypeError(f"Projection indices must be integers or slices, got "
                            f"{type(i).__name__}")
        k = int(i) + n if i < 0 else int(i)
        if not 0 <= k < n:
            raise IndexError(f"Projection '{self._projection.label}' has {n} connections; "
                             f"index {i} is out of range")
        return Connection(self._projection, k)

    def __iter__(self):
        for k in range(len(self)):
            yield Connection(self._projection, k)


class ConnectionAccess:
    """Projection methods for per-connection access (mixed into Projection)."""

    @property
    def connections(self):
        """The connections (PyNN Connection objects), in get(format='list') order."""
        state.live(self, "Projection.connections")
        return ConnectionList(self)

    def __getitem__(self, i):
        state.live(self, "Projection[i]")
        return ConnectionList(self)[i]

    def __iter__(self):
        state.live(self, "iterating over a Projection")
        return iter(ConnectionList(self))

    def _connection_table(self):
        """Bulk arrays of every connection (get()'s list order), plus the core
        projection (part) and position in it of each, cached until the synapses
        can have changed."""
        core = state.live(self, "reading a Connection")
        key = (core.current_step, core.segment, getattr(self, "_synapse_version", 0))
        cached = getattr(self, "_table_cache", None)
        if cached is not None and cached[0] == key:
            return cached[1]
        table = dict(self._arrays(self._synapse_names() + _state_names(self)))
        sizes = [core.projection_size(h) for h, _, _ in self._parts]
        part = np.repeat(np.arange(len(sizes)), sizes)
        local = np.concatenate([np.arange(n) for n in sizes]) if sizes else np.empty(0, int)
        if len(self._parts) > 1:  # _arrays() merged the parts in this order
            parts = [core.connections(h) for h, _, _ in self._parts]
            pre = np.concatenate([p[0].astype(np.int64) + po
                                  for p, (_, po, _) in zip(parts, self._parts)])
            post = np.concatenate([p[1].astype(np.int64) + qo
                                   for p, (_, _, qo) in zip(parts, self._parts)])
            order = np.lexsort((pre, post))
            part, local = part[order], local[order]
        table["part"], table["local"] = part, local
        self._table_cache = (key, table)
        return table

    def _set_connection(self, index, name, value):
        """Sets one attribute of one synapse: its part's whole column with one value changed."""
        from pineal import _core
        from pineal.parameters import _magnitude
        from pineal.projections import _weight_unit
        from pineal.synapses import PER_SYNAPSE

        core = state.live(self, "setting a Connection attribute")
        per_synapse = name in PER_SYNAPSE.get(type(self.synapse_type).__name__, ())
        if name not in ("weight", "delay") and not per_synapse:
            raise NotImplementedError(f"setting {name} of one connection is not supported yet by "
                                      "pineal: this synapse model parameter takes one value per "
                                      "projection (use Projection.set)")
        table = self._connection_table()
        k, q = int(table["part"][index]), int(table["local"][index])
        handle = self._parts[k][0]
        if per_synapse:  # the engine's values, in connection order
            column = np.array(core.synapse_state(handle, name), dtype=float)
        else:
            _, _, weight, delay = core.connections(handle)
            column = {"weight": weight, "delay": delay}[name].astype(float)
        unit = _weight_unit(self._part_members()[k][1]) if name == "weight" else \
            self.synapse_type.units.get(name, "ms")
        column[q] = float(_magnitude(value, unit))
        core.set_synapses(handle, name, _core.Value.array(np.ascontiguousarray(column)),
                          per_connection=True)
        self._synapses_changed()

    # -- PyNN's deprecated helpers, over get() and save() ----------------------
    def getSynapseDynamics(self, parameter_name, format="list", gather=True):
        _deprecated("getSynapseDynamics", "get(parameter_name, format)")
        return self.get(parameter_name, format, gather, with_address=False)

    def printWeights(self, file, format="list", gather=True):
        _deprecated("printWeights", "save('weight', file, format, gather)")
        self.save("weight", file, format, gather)

    def printDelays(self, file, format="list", gather=True):
        _deprecated("printDelays", "save('delay', file, format, gather)")
        self.save("delay", file, format, gather)

    def saveConnections(self, file, gather=True, compatible_output=True):
        _deprecated("saveConnections", "save('all', file, format='list', gather=gather)")
        self.save("all", file, format="list", gather=gather)

    def weightHistogram(self, min=None, max=None, nbins=10):  # PyNN's argument names
        """(counts, bin edges) of the weights over nbins equal bins from min to max
        (default: the smallest and largest weight), as numpy.histogram."""
        _deprecated("weightHistogram", "numpy.histogram()")
        weights = np.asarray(self.get("weight", format="list", with_address=False), dtype=float)
        if weights.size == 0 and (min is None or max is None):
            raise ValueError(f"weightHistogram: Projection '{self.label}' has no connections; "
                             "give min and max")
        lo = weights.min() if min is None else min
        hi = weights.max() if max is None else max
        return np.histogram(weights, np.linspace(lo, hi, nbins + 1))


def _state_names(projection):
    """The per-synapse state variables of a dynamic synapse type (u, x, y, ...)."""
    return list(getattr(projection.synapse_type, "default_initial_values", {}))


def _deprecated(name, instead):
    warnings.warn(f"{name}() is deprecated; use {instead}", DeprecationWarning, stacklevel=3)
