"""Projection: the connections between two populations, built by the core."""

import numpy as np

from pineal import _core
from pineal.assembly import Assembly
from pineal.connectors import Connector
from pineal.errors import ConnectionError, InvalidDimensionsError, NonExistentParameterError
from pineal.parameters import _magnitude, core_random, to_core_value
from pineal.populations import Population
from pineal.random import RandomDistribution
from pineal.simulator import state
from pineal.space import Space
from pineal.standardmodels import StaticSynapse
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


class Projection:
    """Connections from `presynaptic_neurons` to `postsynaptic_neurons`."""

    def __init__(self, presynaptic_neurons, postsynaptic_neurons, connector, synapse_type=None,
                 source=None, receptor_type=None, space=None, label=None):
        core = state.require("creating a Projection")
        for role, p in (("presynaptic", presynaptic_neurons), ("postsynaptic",
                                                              postsynaptic_neurons)):
            if isinstance(p, Assembly):
                raise NotImplementedError(
                    f"Projection with an Assembly as {role}_neurons ('{p.label}') is not "
                    "supported yet by pineal: connect its Populations/PopulationViews one by one")
            if not isinstance(p, (Population, PopulationView)):
                raise ConnectionError(f"{role}_neurons must be a Population, PopulationView or "
                                      f"Assembly, got {type(p).__name__}")
        if not isinstance(connector, Connector):
            raise TypeError(f"connector must be a Connector, got {type(connector).__name__}")
        if synapse_type is None:
            synapse_type = StaticSynapse()
        if not isinstance(synapse_type, StaticSynapse):
            raise TypeError(f"synapse_type must be a synapse type (StaticSynapse), got "
                            f"{synapse_type!r}")
        for p in (presynaptic_neurons, postsynaptic_neurons):
            state.live(p, "creating a Projection")
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
                f"{type(self.post.celltype).__name__}; it has {list(self.post.receptor_types)}")
        self.receptor_type = receptor_type
        shape = (self.pre.size, self.post.size)
        def distances():
            return self.space.distances(self.pre.positions, self.post.positions)

        rule = _core.Connector(connector._core_connector(self))
        expressions = [v if isinstance(v, str) else None for v in (weight, delay)]
        if connector.needs_geometry or any(expressions):
            rule = rule.with_geometry(self.space.geometry(self.pre.positions,
                                                          self.post.positions))
        if any(expressions):
            rule = rule.with_expressions(*expressions)
        # A view side: its root population and the selected (ascending) cells;
        # the core then works in the view's indices, as PyNN does.
        self._handle = core.connect(
            self.pre._root._handle, self.post._root._handle, rule,
            _synapse_value(weight, "weight", shape, _weight_unit(self.post), distances),
            None if delay is None else _synapse_value(delay, "delay", shape, "ms", distances),
            receptor_type, self.label, _selection(self.pre), _selection(self.post))
        state.projections.append(self)

    @property
    def shape(self):
        return (self.pre.size, self.post.size)

    def __len__(self):
        return state.live(self, "len()").projection_size(self._handle)

    def size(self, gather=True):
        return len(self)

    def _arrays(self):
        pre, post, weight, delay = state.live(self, "get()").connections(self._handle)
        return {"presynaptic_index": pre, "postsynaptic_index": post, "weight": weight,
                "delay": delay}

    def get(self, attribute_names, format, gather=True, with_address=True,
            multiple_synapses="sum"):
        """Weights/delays as a list of tuples or as (n_pre, n_post) arrays (NaN: none)."""
        single = isinstance(attribute_names, str)
        names = [attribute_names] if single else list(attribute_names)
        names = [{"weights": "weight", "delays": "delay"}.get(n, n) for n in names]
        data = self._arrays()
        for n in names:
            if n not in ("weight", "delay"):
                raise NonExistentParameterError(n, "StaticSynapse", ["weight", "delay"])
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
        """Writes connections as PyNN's text format: a header '# columns = [...]' and
        tab-separated rows (i, j, values...); FromFileConnector reads it back.
        format='array' writes one (n_pre, n_post) matrix per name, 0 where there is no
        connection."""
        if attribute_names in ("all", "connections"):
            attribute_names = ["weight", "delay"]
        names = [attribute_names] if isinstance(attribute_names, str) else list(attribute_names)
        if not isinstance(file, (str, bytes)) and not hasattr(file, "__fspath__"):
            raise NotImplementedError("Projection.save: only file names are supported by pineal, "
                                      f"got {type(file).__name__}")
        if format == "list":
            data = self._arrays()
            names = [{"weights": "weight", "delays": "delay"}.get(n, n) for n in names]
            for n in names:
                if n not in ("weight", "delay"):
                    raise NonExistentParameterError(n, "StaticSynapse", ["weight", "delay"])
            columns = [data[n] for n in names]
            header = names
            if with_address:
                columns = [data["presynaptic_index"], data["postsynaptic_index"]] + columns
                header = ["i", "j"] + names
            rows = np.column_stack(columns) if columns else np.empty((0, 0))
            fmt = (["%d", "%d"] if with_address else []) + ["%.17g"] * len(names)
            np.savetxt(file, rows.reshape(-1, len(fmt)), fmt=fmt, delimiter="\t",
                       header=f"columns = {header!r}", comments="# ")
        elif format == "array":
            with open(file, "w") as f:
                for a in self.get(names, "array", gather=gather):
                    np.savetxt(f, np.nan_to_num(a, nan=0.0), fmt="%.17g", delimiter="\t")
        else:
            raise ValueError(f"Projection.save: format must be 'list' or 'array', got {format!r}")

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

