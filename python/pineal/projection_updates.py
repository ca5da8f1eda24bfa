"""Projection.set and initialize, and PyNN's deprecated setters: changing the
synapses of a built projection.

Each value is lowered once to what the core evaluates per connection (a
scalar, an (n_pre, n_post) matrix, a RandomDistribution drawn target by
target, an expression of distance, or one value per connection); the core
then rewrites its synapse store (src/engine/synapse_update.cpp). Every
attribute and every part of the projection is checked before any is changed.
"""

import warnings

import numpy as np

from pineal import _core
from pineal.assembly import Assembly
from pineal.core import IndexBasedExpression
from pineal.errors import (
    InvalidDimensionsError,
    InvalidParameterValueError,
    NonExistentParameterError,
)
from pineal.parameters import _magnitude, core_random
from pineal.random import RandomDistribution
from pineal.simulator import state
from pineal.synapses import (
    initialize_synapse_state,
    own_synapse_type,
    per_synapse_values,
    set_model_parameters,
)


class _Lowered:
    """One attribute's new value for one core projection (one part)."""

    def __init__(self, handle, name, value=None, expression=None, geometry=None,
                 per_connection=None):
        self.handle, self.name = handle, name
        self.initial = False  # the initial value of a synapse state variable
        self.value, self.expression, self.geometry = value, expression, geometry
        self.per_connection = per_connection  # (values in row-major order, part index)

    def apply(self, core, parts, check_only, layout):
        """layout: per-connection values already put in connection order, kept
        while no delay (which orders the connections) has changed."""
        value, per_connection = self.value, False
        if self.per_connection is not None:
            values, k = self.per_connection
            if id(values) not in layout:
                layout[id(values)] = _in_core_order(core, parts, values)
            value = _core.Value.array(np.ascontiguousarray(layout[id(values)][k]))
            per_connection = True
        # `initial` only when used: the external backends' set_synapses lacks it
        extra = {"initial": True} if self.initial else {}
        core.set_synapses(self.handle, self.name, value, per_connection=per_connection,
                          expression=self.expression, geometry=self.geometry,
                          check_only=check_only, **extra)


def _in_core_order(core, parts, values):
    """Splits values given one per connection in PyNN's order for set(): the
    non-NaN entries of the (n_pre, n_post) matrix, row-major (pairs with
    several synapses: in connection order) into the connection order of each part."""
    conns = [core.connections(h) for h, _, _ in parts]
    pre = np.concatenate([c[0].astype(np.int64) + po for c, (_, po, _) in zip(conns, parts)])
    post = np.concatenate([c[1].astype(np.int64) + qo for c, (_, _, qo) in zip(conns, parts)])
    order = np.lexsort((post, pre))  # stable: row-major, then connection order
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    bounds = np.cumsum([0] + [len(c[0]) for c in conns])
    return [values[rank[bounds[k]:bounds[k + 1]]] for k in range(len(parts))]


class SynapseUpdates:
    """Projection methods that change synapses (mixed into Projection)."""

    def _synapse_names(self):
        return list(self.synapse_type.get_parameter_names())

    def set(self, **attributes):
        """Sets synapse attributes of every connection (PyNN Projection.set).

        Values: a number; a RandomDistribution (one draw per connection, the same
        for any threads and ranks); an (n_pre, n_post) array (NaN where there is
        no connection; every synapse of a pair gets the pair's value); a list or
        1-D array with one value per connection, in the order of the non-NaN
        entries of the (n_pre, n_post) matrix, row by row; a function of distance
        (a callable of the distance matrix, or a string expression of d, dx, dy,
        dz, i, j as for the synapse type); an IndexBasedExpression.
        Takes effect at the next run(); spikes already sent keep the weight and
        delay they were sent with. On any error nothing is changed."""
        core = state.live(self, "Projection.set()")
        names = self._synapse_names()
        for name in attributes:
            if name not in names:
                raise NonExistentParameterError(name, type(self.synapse_type).__name__, names)
        # Parameters of a dynamic synapse model: one value per projection
        # (synapses.py), or per synapse where the engine keeps them so
        # (lowered like weights).
        per_synapse = per_synapse_values(self.synapse_type, attributes)
        model = {n: v for n, v in attributes.items()
                 if n not in ("weight", "delay") and n not in per_synapse}
        # Delays first: values drawn per connection then follow the final layout.
        ordered = sorted((n for n in attributes if n not in model), key=lambda n: n != "delay")
        plans = [p for n in ordered for p in self._lower(core, n, attributes[n])]
        layout = {}
        set_model_parameters(self, core, model, check_only=True)
        for p in plans:
            p.apply(core, self._parts, True, layout)
        for p in plans:
            p.apply(core, self._parts, False, layout)
            if p.name == "delay":
                layout.clear()
        set_model_parameters(self, core, model, check_only=False)
        if per_synapse:
            synapse = own_synapse_type(self)
            synapse.parameter_space.update(per_synapse)
            for component in (getattr(synapse, "timing_dependence", None),
                              getattr(synapse, "weight_dependence", None)):
                if component is not None:
                    component.parameter_space.update(
                        {n: v for n, v in per_synapse.items() if n in component.parameter_space})
        self._synapses_changed()

    def _lower(self, core, name, value):
        """The core values of `name` for each part of this projection."""
        from pineal.projections import _members, _weight_unit

        label = f"Projection '{self.label}': {name}"
        if value is None or isinstance(value, (bool, np.bool_, bytes)):
            raise InvalidParameterValueError(f"{label} must be a number, an array, a "
                                             f"RandomDistribution or a function of distance, "
                                             f"got {value!r}")
        # The members of a post Assembly share one kind of synapse (checked at construction).
        value = _magnitude(value, _weight_unit(_members(self.post)[0][0]) if name == "weight"
                           else "ms")
        assembly = isinstance(self.pre, Assembly) or isinstance(self.post, Assembly)
        if isinstance(value, RandomDistribution):
            return [_Lowered(h, name, core_random(value)) for h, _, _ in self._parts]
        distance_function = isinstance(value, str) or (
            callable(value) and not isinstance(value, IndexBasedExpression))
        if distance_function and assembly:
            raise NotImplementedError(f"Projection.set: {name} as a function of distance on a "
                                      "projection with an Assembly side is not supported yet by "
                                      "pineal")
        if isinstance(value, str):
            geometry = self.space.geometry(self.pre.positions, self.post.positions)
            return [_Lowered(self._parts[0][0], name, _core.Value.scalar(0.0), value, geometry)]
        if isinstance(value, IndexBasedExpression):
            value.projection = self
            i, j = np.meshgrid(np.arange(self.pre.size), np.arange(self.post.size),
                               indexing="ij")
            value = value(i, j)
        elif callable(value):
            value = value(self.space.distances(self.pre.positions, self.post.positions))
        try:
            array = np.asarray(value, dtype=float)
        except (TypeError, ValueError):
            raise InvalidParameterValueError(f"{label}: expected numbers, got "
                                             f"{type(value).__name__} {value!r}") from None
        if array.ndim == 0:
            scalar = _core.Value.scalar(float(array))
            return [_Lowered(h, name, scalar) for h, _, _ in self._parts]
        if array.ndim == 1:
            if array.size != len(self):
                raise InvalidDimensionsError(
                    f"{label}: a list or 1-D array needs one value per connection "
                    f"({len(self)}), got {array.size}")
            return [_Lowered(h, name, per_connection=(array, k))
                    for k, (h, _, _) in enumerate(self._parts)]
        if array.shape != self.shape:
            raise InvalidDimensionsError(f"{label}: an array must have shape (n_pre, n_post) = "
                                         f"{self.shape}, got {array.shape}")
        out = []
        for (h, po, qo), (pm, qm) in zip(self._parts, self._part_members()):
            block = array[po:po + pm.size, qo:qo + qm.size]
            out.append(_Lowered(h, name, _core.Value.array(
                np.ascontiguousarray(block, dtype=float).reshape(-1))))
        return out

    def _part_members(self):
        """(pre member, post member) of each part, in the order of _parts."""
        from pineal.projections import _members

        return [(pm, qm) for pm, _ in _members(self.pre) for qm, _ in _members(self.post)]

    def _synapses_changed(self):
        self._synapse_version = getattr(self, "_synapse_version", 0) + 1

    def initialize(self, **initial_values):
        """Initial values of synaptic state variables; a StaticSynapse has none."""
        state.live(self, "Projection.initialize()")
        dynamic = getattr(self.synapse_type, "default_initial_values", {})
        if initial_values and all(n in dynamic for n in initial_values):
            initialize_synapse_state(self, state.live(self, "Projection.initialize()"),
                                     initial_values)
            return
        for name in initial_values:
            if name in dynamic:
                continue
            raise NonExistentParameterError(
                name, type(self.synapse_type).__name__ + " (no state variables)", [])

    # -- PyNN's deprecated setters, over set() ---------------------------------
    def setWeights(self, w):
        _deprecated("setWeights", "set(weight=w)")
        self.set(weight=w)

    def randomizeWeights(self, rand_distr):
        _deprecated("randomizeWeights", "set(weight=rand_distr)")
        self.set(weight=rand_distr)

    def setDelays(self, d):
        _deprecated("setDelays", "set(delay=d)")
        self.set(delay=d)

    def randomizeDelays(self, rand_distr):
        _deprecated("randomizeDelays", "set(delay=rand_distr)")
        self.set(delay=rand_distr)

    def setSynapseDynamics(self, param, value):
        _deprecated("setSynapseDynamics", "set(param=value)")
        self.set(**{param: value})

    def randomizeSynapseDynamics(self, param, rand_distr):
        _deprecated("randomizeSynapseDynamics", "set(param=rand_distr)")
        self.set(**{param: rand_distr})


def _deprecated(name, instead):
    warnings.warn(f"{name}() is deprecated; use {instead}", DeprecationWarning, stacklevel=3)

