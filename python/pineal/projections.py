"""Projection: the connections between two populations, built by the core."""

import contextlib
import os
import warnings

import numpy as np

from pineal import _core
from pineal.assembly import Assembly
from pineal.connections import ConnectionAccess
from pineal.connectors import AllToAllConnector, Connector, FixedProbabilityConnector
from pineal.errors import ConnectionError, InvalidDimensionsError, NonExistentParameterError
from pineal.parameters import _magnitude, core_random, to_core_value
from pineal.populations import Population
from pineal.projection_updates import SynapseUpdates
from pineal.random import RandomDistribution
from pineal.simulator import state
from pineal.space import Space
from pineal.standardmodels import StaticSynapse
from pineal.synapses import PER_SYNAPSE, DynamicSynapseType, per_synapse_values
from pineal.views import PopulationView

MULTI_SYNAPSE_OPERATIONS = {"last": None, "first": None, "sum": np.add, "min": np.fmin,
                            "max": np.fmax}


def _synapse_value(value, name, shape, unit="", distances=None):
    """Lowers a synapse parameter: scalar, RandomDistribution or (n_pre, n_post) array,
    possibly a quantity (rescaled to `unit`). A callable is a function of distance:
    the slow path, evaluated here on the whole (n_pre, n_post) distance matrix
    (string expressions are evaluated in C++ instead)."""
    value = _magnitude(value, unit)
    if isinstance(value, RandomDistribution):
        return core_random(value)
    if isinstance(value, str):
        return _core.Value.scalar(0.0)  # placeholder: the connector carries the expression
    if callable(value):
        value = value(distances())
    array = np.asarray(value, dtype=float)
    if array.ndim == 0:
        return _core.Value.scalar(float(array))
    if array.shape != shape:
        raise InvalidDimensionsError(f"{name}: an array value must have shape (n_pre, n_post) = "
                                     f"{shape}, got {array.shape}")
    return to_core_value(np.ascontiguousarray(array.reshape(-1)), array.size, name)


# Connectors whose decisions about a pair of cells do not depend on the other
# pairs, so that a projection between Assemblies is the union of the
# projections between their members, built in parallel; every other connector
# (and weights/delays of distance) is generated over the whole Assembly
# (Projection._connect_assembly_list).
_PER_PAIR_CONNECTORS = (AllToAllConnector, FixedProbabilityConnector)


def _members(cells):
    """(member, offset in the side) of each Population/view of a side."""
    if not isinstance(cells, Assembly):
        return [(cells, 0)]
    offsets = np.cumsum([0] + [p.size for p in cells.populations])
    return list(zip(cells.populations, offsets[:-1].tolist()))


def _per_member_pair(connector, synapse_type):
    """Whether an Assembly projection is exactly the union of member-pair projections."""
    if type(connector) not in _PER_PAIR_CONNECTORS or \
            getattr(connector, "allow_self_connections", True) == "NoMutual":
        return False
    return not any(isinstance(v, str) or (callable(v) and not isinstance(v, RandomDistribution))
                   for v in (synapse_type.parameter_space[n] for n in ("weight", "delay")))


def _check_assembly_projection(pre, post, connector, synapse_type):
    if isinstance(post, Assembly) and not post._homogeneous_synapses:
        raise ConnectionError(f"Projection onto Assembly '{post.label}': its members mix "
                              "current- and conductance-based synapses")
    units = {_weight_unit(q) for q, _ in _members(post)}
    if len(units) > 1:
        raise ConnectionError(f"Projection onto Assembly '{post.label}': its members take "
                              f"weights in different units {sorted(units)}")


def _cell_ids(cells):
    """The cell ids of a side, in its order (they decide self-connections)."""
    ids = np.concatenate([m.all_cells.astype(np.int64) for m, _ in _members(cells)])
    if ids.size and ids.max() >= 2**32:
        raise ConnectionError("Projection with an Assembly side: cell ids beyond 2^32")
    return np.ascontiguousarray(ids, dtype=np.uint32)


def _block_of(value, shape, block, name):
    """The part of an (n_pre, n_post) array value for one pair of members."""
    if value is None or isinstance(value, RandomDistribution) or np.ndim(value) == 0:
        return value
    if np.shape(value) != shape:
        raise InvalidDimensionsError(f"{name}: an array value must have shape (n_pre, n_post) "
                                     f"= {shape}, got {np.shape(value)}")
    return value[block] if hasattr(value, "shape") else np.asarray(value, dtype=float)[block]


def _cell_type_names(cells):
    return "/".join(sorted({type(p.celltype).__name__ for p, _ in _members(cells)}))


def _selection(cells):
    """The population indices a view selects (None for a whole Population)."""
    selected = cells._cells()
    return None if selected is None else selected.tolist()


def _weight_unit(post):
    """PyNN's weight unit for connections onto `post`."""
    if getattr(post.celltype, "voltage_based_synapses", False):
        return "mV"
    return "uS" if post.conductance_based else "nA"


def _guess_receptor(pre, post, weight, space):
    receptors = post.receptor_types
    if len(receptors) == 0:
        raise ConnectionError(f"{post.label} ({type(post.celltype).__name__}) has no receptor "
                              "types: it cannot receive connections")
    if len(receptors) == 1:
        return receptors[0]
    if isinstance(weight, RandomDistribution):
        sample = weight.next()
    elif isinstance(weight, str) or callable(weight):
        # PyNN looks at the weight of the last pair.
        disp = space.displacements(pre.positions[:, -1:], post.positions[:, -1:])[:, 0, 0]
        d = float(np.sqrt(np.sum(disp ** 2)))
        if isinstance(weight, str):
            values = [d, *disp.tolist(), pre.size - 1, post.size - 1]
            sample = _core.Expression(weight, _core.expression_variables()).evaluate(values)
        else:
            sample = float(np.asarray(weight(np.array([[d]]))).reshape(-1)[-1])
    else:
        arr = np.asarray(weight, dtype=float).reshape(-1)
        arr = arr[~np.isnan(arr)]
        sample = arr[-1] if arr.size else 0.0
    return receptors[0] if sample >= 0 else receptors[1]


def _dynamics(core, synapse_type):
    """The connect() argument describing a dynamic synapse type (none for
    StaticSynapse); an external backend's adapter says SUPPORTS_DYNAMICS when it maps
    them (docs/backends/)."""
    if not isinstance(synapse_type, DynamicSynapseType):
        return {}
    if not (isinstance(core, _core.Simulation) or getattr(core, "SUPPORTS_DYNAMICS", False)):
        raise NotImplementedError(f"{type(synapse_type).__name__} is not supported yet by this "
                                  "backend (the native engine has it: docs/plasticity.md)")
    return {"dynamics": synapse_type._core_dynamics()}


def _synapse_column(projection, name, n):
    """One value per connection of a synapse parameter (one value per projection)
    or of a per-synapse state variable (read from the engine)."""
    synapse = projection.synapse_type
    if isinstance(synapse, DynamicSynapseType):
        # state, and parameters the engine may hold per synapse, read from it
        if name in synapse.default_initial_values or name in PER_SYNAPSE.get(
                type(synapse).__name__, ()):
            core = state.live(projection, "get()")
            parts = [core.synapse_state(h, name) for h, _, _ in projection._parts]
            if len(parts) == 1:
                return parts[0]
            data = [core.connections(h) for h, _, _ in projection._parts]
            pre = np.concatenate([d[0].astype(np.int64) + po
                                  for d, (_, po, _) in zip(data, projection._parts)])
            post = np.concatenate([d[1].astype(np.int64) + qo
                                   for d, (_, _, qo) in zip(data, projection._parts)])
            return np.concatenate(parts)[np.lexsort((pre, post))]
        if name in synapse.get_parameter_names():
            return np.full(n, float(synapse.parameter_space[name]))
    known = synapse.get_parameter_names() + list(getattr(synapse, "default_initial_values", {}))
    raise NonExistentParameterError(name, type(synapse).__name__, known)



@contextlib.contextmanager
def _undone_on_error(core, parts):
    """Runs a block that builds core projections into `parts`; if it fails,
    the ones already built are discarded (a projection is built whole or not
    at all), and the error goes on."""
    try:
        yield
    except BaseException:
        for _ in parts:
            core.discard_last_projection()
        raise

class Projection(SynapseUpdates, ConnectionAccess):
    """Connections from `presynaptic_neurons` to `postsynaptic_neurons`; changing
    them is in projection_updates.py, per-connection access in connections.py."""

    def __init__(self, presynaptic_neurons, postsynaptic_neurons, connector, synapse_type=None,
                 source=None, receptor_type=None, space=None, label=None):
        core = state.require("creating a Projection")
        for role, p in (("presynaptic", presynaptic_neurons), ("postsynaptic",
                                                              postsynaptic_neurons)):
            if not isinstance(p, (Population, PopulationView, Assembly)):
                raise ConnectionError(f"{role}_neurons must be a Population, PopulationView or "
                                      f"Assembly, got {type(p).__name__}")
        if not isinstance(connector, Connector):
            raise TypeError(f"connector must be a Connector, got {type(connector).__name__}")
        if synapse_type is None:
            synapse_type = StaticSynapse()
        if not isinstance(synapse_type, StaticSynapse):
            raise TypeError(f"synapse_type must be a synapse type (StaticSynapse), got "
                            f"{synapse_type!r}")
        for side in (presynaptic_neurons, postsynaptic_neurons):
            for p, _ in _members(side):
                state.live(p, "creating a Projection")
        assembly = any(isinstance(p, Assembly) for p in (presynaptic_neurons,
                                                          postsynaptic_neurons))
        if assembly:
            _check_assembly_projection(presynaptic_neurons, postsynaptic_neurons, connector,
                                       synapse_type)
        self._core = core
        self.pre = presynaptic_neurons
        self.post = postsynaptic_neurons
        self.source = source
        self.synapse_type = synapse_type
        self._connector = connector
        self.space = Space() if space is None else space
        self.annotations = {}
        self.label = label or f"{self.pre.label}\u2192{self.post.label}"
        weight = synapse_type.parameter_space["weight"]
        delay = synapse_type.parameter_space["delay"]
        if receptor_type in (None, "default"):
            receptor_type = _guess_receptor(self.pre, self.post, weight, self.space)
        if receptor_type not in self.post.receptor_types:
            raise ConnectionError(
                f"Projection '{self.label}': receptor type {receptor_type!r} does not exist for "
                f"{_cell_type_names(self.post)}; it has {list(self.post.receptor_types)}")
        self.receptor_type = receptor_type
        if assembly:
            if _per_member_pair(connector, synapse_type):
                self._parts = self._connect_members(core, weight, delay)
            else:
                self._parts = self._connect_assembly_list(core, weight, delay)
            self._set_per_synapse_parameters(core)
            state.projections.append(self)
            return
        shape = (self.pre.size, self.post.size)
        rule = self._full_rule(weight, delay)
        progress = connector._progress()
        # A view side: its root population and the selected (ascending) cells;
        # the core then works in the view's indices, as PyNN does.
        handle = core.connect(
            self.pre._root._handle, self.post._root._handle, rule,
            _synapse_value(weight, "weight", shape, _weight_unit(self.post), self._distances),
            None if delay is None else _synapse_value(delay, "delay", shape, "ms",
                                                      self._distances),
            receptor_type, self.label, _selection(self.pre), _selection(self.post),
            progress=progress, **_dynamics(core, synapse_type))
        self._parts = [(handle, 0, 0)]  # (core projection, pre offset, post offset)
        self._set_per_synapse_parameters(core)
        state.projections.append(self)
        if progress:
            progress.done()

    def _set_per_synapse_parameters(self, core):
        """Model parameters given per synapse (synapses.PER_SYNAPSE) are set on
        the built connections as Projection.set sets them, so values drawn
        or computed per connection mean the same in both. On error the
        projection is taken down again (nothing stays half-built)."""
        per_synapse = per_synapse_values(self.synapse_type, self.synapse_type.parameter_space)
        if not per_synapse:
            return
        with _undone_on_error(core, self._parts):
            plans = [p for n, v in per_synapse.items() for p in self._lower(core, n, v)]
            for check_only in (True, False):
                for p in plans:
                    p.apply(core, self._parts, check_only, {})

    def _distances(self):
        return self.space.distances(self.pre.positions, self.post.positions)

    def _full_rule(self, weight, delay):
        """The core connector over the whole projection, with positions and
        synapse-value expressions where needed."""
        rule = self._connector._rule(self)
        expressions = [v if isinstance(v, str) else None for v in (weight, delay)]
        if self._connector.needs_geometry or any(expressions):
            rule = rule.with_geometry(self.space.geometry(self.pre.positions,
                                                          self.post.positions))
        if any(expressions):
            rule = rule.with_expressions(*expressions)
        return rule

    def _connect_assembly_list(self, core, weight, delay):
        """An Assembly side with a connector that draws across the whole side
        (FixedNumber*, FixedTotalNumber, SmallWorld) or uses assembly indices
        and positions (lists, arrays, expressions, distance functions): the
        core generates the connections over the whole Assembly, as PyNN does
        (cell ids decide self-connections), into arrays; each member pair then
        receives its rows as a list with their weights and delays. The whole
        list (24 B per connection, about 60 B with the sorting indices) is held
        while it is distributed."""
        post_unit = _weight_unit(self.post.populations[0] if isinstance(self.post, Assembly)
                                 else self.post)
        w = _synapse_value(weight, "weight", self.shape, post_unit, self._distances)
        d = _core.Value.scalar(0.0) if delay is None else _synapse_value(
            delay, "delay", self.shape, "ms", self._distances)
        # the callback follows the generation (the distribution is quick)
        progress = self._connector._progress()
        pre, post, wv, dv = _core.generate_connection_list(
            self._full_rule(weight, delay), _cell_ids(self.pre), _cell_ids(self.post), w, d,
            self.label, progress=progress)
        pre_members, post_members = _members(self.pre), _members(self.post)
        pre_offsets = np.array([o for _, o in pre_members], dtype=np.int64)
        post_offsets = np.array([o for _, o in post_members], dtype=np.int64)
        pair = (np.searchsorted(pre_offsets, pre, side="right") - 1) * len(post_members) + \
            np.searchsorted(post_offsets, post, side="right") - 1
        order = np.argsort(pair, kind="stable")
        bounds = np.searchsorted(pair[order], np.arange(len(pre_members) * len(post_members) + 1))
        # delays: given, or a connector's own column (FromList); else the default
        has_delay = delay is not None or "delay" in getattr(self._connector, "column_names", ())
        names = ["weight"] + (["delay"] if has_delay else [])
        parts = []
        with _undone_on_error(core, parts):
            for a, (pm, po) in enumerate(pre_members):
                for b, (qm, qo) in enumerate(post_members):
                    k = a * len(post_members) + b
                    rows = order[bounds[k]:bounds[k + 1]]
                    columns = [np.ascontiguousarray(wv[rows])]
                    if has_delay:
                        columns.append(np.ascontiguousarray(dv[rows]))
                    rule = _core.Connector(_core.FromListConnector(
                        pre=np.ascontiguousarray(pre[rows] - po, dtype=np.uint32),
                        post=np.ascontiguousarray(post[rows] - qo, dtype=np.uint32),
                        column_names=names, columns=columns)).with_weight_checks(
                            self._connector.safe)
                    handle = core.connect(pm._root._handle, qm._root._handle, rule,
                                          _core.Value.scalar(0.0), None, self.receptor_type,
                                          self.label, _selection(pm), _selection(qm),
                                          **_dynamics(core, self.synapse_type))
                    parts.append((handle, po, qo))
        if progress:
            progress.done()
        return parts

    def _connect_members(self, core, weight, delay):
        """An Assembly side: one core projection per (pre member, post member)
        pair, valid for connectors that decide each pair of cells on its own
        (_check_assembly_projection). If one fails, the earlier ones are dropped."""
        parts = []
        pairs = [(m, n) for m in _members(self.pre) for n in _members(self.post)]
        progress = self._connector._progress(len(pairs))
        with _undone_on_error(core, parts):
            for (pm, po), (qm, qo) in pairs:
                block = (slice(po, po + pm.size), slice(qo, qo + qm.size))
                shape = (pm.size, qm.size)
                w = _synapse_value(_block_of(weight, self.shape, block, "weight"), "weight",
                                   shape, _weight_unit(qm))
                d = None if delay is None else _synapse_value(
                    _block_of(delay, self.shape, block, "delay"), "delay", shape, "ms")
                rule = self._connector._rule(self)
                handle = core.connect(pm._root._handle, qm._root._handle, rule, w, d,
                                      self.receptor_type, self.label, _selection(pm),
                                      _selection(qm),
                                      progress=progress and progress.hook(len(parts)),
                                      **_dynamics(core, self.synapse_type))
                parts.append((handle, po, qo))
        if progress:
            progress.done()
        return parts

    @property
    def shape(self):
        return (self.pre.size, self.post.size)

    def __len__(self):
        core = state.live(self, "len()")
        return sum(core.projection_size(h) for h, _, _ in self._parts)

    def size(self, gather=True):
        return len(self)

    def _arrays(self, names=()):
        """Addresses, weights and delays, plus the other synapse parameters
        and state variables among `names`, in the canonical order."""
        data = self._static_arrays()
        for n in names:
            if n not in data:
                data[n] = _synapse_column(self, n, len(data["weight"]))
        return data

    def _static_arrays(self):
        core = state.live(self, "get()")
        if len(self._parts) == 1:
            pre, post, weight, delay = core.connections(self._parts[0][0])
        else:
            parts = [core.connections(h) for h, _, _ in self._parts]
            pre = np.concatenate([p[0].astype(np.int64) + po
                                  for p, (_, po, _) in zip(parts, self._parts)])
            post = np.concatenate([p[1].astype(np.int64) + qo
                                   for p, (_, _, qo) in zip(parts, self._parts)])
            weight = np.concatenate([p[2] for p in parts])
            delay = np.concatenate([p[3] for p in parts])
            # the canonical order of one projection: by target, then source
            order = np.lexsort((pre, post))
            pre, post, weight, delay = pre[order], post[order], weight[order], delay[order]
        return {"presynaptic_index": pre, "postsynaptic_index": post, "weight": weight,
                "delay": delay}

    def get(self, attribute_names, format, gather=True, with_address=True,
            multiple_synapses="sum"):
        """Weights/delays as a list of tuples or as (n_pre, n_post) arrays (NaN: none).
        gather: pineal runs in one process, so every connection is local and
        True, 'all' and False all give every connection."""
        single = isinstance(attribute_names, str)
        names = [attribute_names] if single else list(attribute_names)
        names = [{"weights": "weight", "delays": "delay"}.get(n, n) for n in names]
        data = self._arrays(names)
        if format == "list":
            columns = [data[n] for n in names]
            if with_address:
                columns = [data["presynaptic_index"], data["postsynaptic_index"]] + columns
                return [(int(r[0]), int(r[1])) + tuple(float(x) for x in r[2:])
                        for r in zip(*columns)]
            if len(columns) == 1:
                return [float(x) for x in columns[0]]
            return [tuple(float(x) for x in r) for r in zip(*columns)]
        if format == "array":
            if multiple_synapses not in MULTI_SYNAPSE_OPERATIONS:
                raise ValueError(f"multiple_synapses must be one of "
                                 f"{sorted(MULTI_SYNAPSE_OPERATIONS)}, got {multiple_synapses!r}")
            arrays = [self._as_array(data, n, multiple_synapses) for n in names]
            return arrays[0] if single else arrays
        raise Exception(f"format must be 'list' or 'array', got {format!r}")

    def _as_array(self, data, name, how):
        out = np.full(self.shape, np.nan)
        i, j, v = data["presynaptic_index"], data["postsynaptic_index"], data[name]
        if how in ("first", "last"):
            # numpy leaves the winner of repeated fancy-index assignments
            # unspecified, so pick each pair's first/last synapse explicitly.
            flat = i.astype(np.int64) * self.shape[1] + j.astype(np.int64)
            if how == "last":
                flat, v = flat[::-1], v[::-1]
            pairs, first = np.unique(flat, return_index=True)
            out.reshape(-1)[pairs] = v[first]
        else:
            ufunc = MULTI_SYNAPSE_OPERATIONS[how]
            filled = np.full(self.shape, {"sum": 0.0, "min": np.inf, "max": -np.inf}[how])
            ufunc.at(filled, (i, j), v)
            has = np.zeros(self.shape, dtype=bool)
            has[i, j] = True
            out[has] = filled[has]
        return out

    def save(self, attribute_names, file, format="list", gather=True, with_address=True):
        """Writes connections to a file name (PyNN's text format: a header
        '# columns = [...]' and tab-separated rows i, j, values...) or to a
        `pineal.recording.files` object; FromFileConnector reads either back.
        format='array' writes one (n_pre, n_post) matrix per name, 0 where there
        is no connection."""
        from pineal.recording.files import BaseFile, StandardTextFile

        if attribute_names in ("all", "connections"):
            attribute_names = self.synapse_type.get_parameter_names()
        names = [attribute_names] if isinstance(attribute_names, str) else list(attribute_names)
        names = [{"weights": "weight", "delays": "delay"}.get(n, n) for n in names]
        if format not in ("list", "array"):
            raise ValueError(f"Projection.save: format must be 'list' or 'array', got {format!r}")
        if not isinstance(file, BaseFile) and not isinstance(file, (str, os.PathLike)):
            raise TypeError("Projection.save: file must be a file name or a "
                            f"pineal.recording.files object, got {type(file).__name__}")
        if format == "list":
            data = self._arrays(names)  # unknown names: NonExistentParameterError
            columns = [data[n] for n in names]
            if with_address:
                columns = [data["presynaptic_index"], data["postsynaptic_index"]] + columns
            values = np.column_stack(columns) if columns else np.empty((0, 0))
        else:
            values = [np.nan_to_num(a, nan=0.0) for a in self.get(names, "array", gather=gather)]
        metadata = {"columns": (["i", "j"] if with_address and format == "list" else []) + names}
        if not isinstance(file, BaseFile):
            file = StandardTextFile(file, mode="wb")
        file.write(values, metadata)
        file.close()

    def annotate(self, **annotations):
        self.annotations.update(annotations)

    def describe(self, template="projection_default.txt", engine="default"):
        context = {"label": self.label, "pre": self.pre.label, "post": self.post.label,
                   "connector": self._connector.describe(), "size": len(self),
                   "receptor_type": self.receptor_type}
        if template is None:
            return context
        return (f"Projection '{self.label}' from '{self.pre.label}' to '{self.post.label}' "
                f"({context['connector']}), receptor '{self.receptor_type}', "
                f"{context['size']} connections")

    def __repr__(self):
        return f"Projection({self.label!r}, {len(self)} connections)"

    # -- PyNN's deprecated getters, over get() --------------------------------
    def getWeights(self, format="list", gather=True):
        warnings.warn("getWeights() is deprecated; use get('weight', format=...)",
                      DeprecationWarning, stacklevel=2)
        return self.get("weight", format=format, gather=gather, with_address=False)

    def getDelays(self, format="list", gather=True):
        warnings.warn("getDelays() is deprecated; use get('delay', format=...)",
                      DeprecationWarning, stacklevel=2)
        return self.get("delay", format=format, gather=gather, with_address=False)

