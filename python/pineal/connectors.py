"""PyNN's connectors. Each one only describes itself; the C++ core generates
the connections, target by target, into the backend's synapse store."""

import numbers
import os

import numpy as np

from pineal import _core
from pineal.errors import ConnectionError, InvalidParameterValueError
from pineal.parameters import core_random, random_key
from pineal.random import RandomDistribution


class Connector:
    parameter_names = ()

    def __init__(self, location_selector=None, safe=True, callback=None):
        self.location_selector = location_selector
        if not isinstance(safe, (bool, np.bool_)):
            raise TypeError(f"{type(self).__name__}: safe must be True or False, got {safe!r}")
        # safe=False skips the weight-sign checks (PyNN's check_weights).
        self.safe = bool(safe)
        if callback is not None and not callable(callback):
            raise TypeError(f"{type(self).__name__}: callback must be callable (it receives "
                            f"the fraction of post-synaptic cells processed), got {callback!r}")
        # Called by the C++ generation about every 1 % of the post-synaptic
        # cells, and with 1.0 when the projection is built (docs/connectivity.md).
        self.callback = callback

    def get_parameters(self):
        return {name: getattr(self, name) for name in self.parameter_names}

    def describe(self, template="connector_default.txt", engine="default"):
        context = {"name": type(self).__name__, "parameters": self.get_parameters()}
        if template is None:
            return context
        params = ", ".join(f"{k}={v!r}" for k, v in context["parameters"].items())
        return f"Connector {context['name']}({params})"

    # Whether the core needs the cells' positions to generate connections.
    needs_geometry = False

    def _core_connector(self, projection):
        raise NotImplementedError

    def _rule(self, projection):
        """The core connector with the connector-wide options (safe)."""
        return _core.Connector(self._core_connector(projection)).with_weight_checks(self.safe)

    def _progress(self, parts=1):
        """The progress reporter of one projection built as `parts` core
        generations (None without a callback); see _ProgressReport."""
        return None if self.callback is None else _ProgressReport(self.callback, parts)


class _ProgressReport:
    """Maps the fractions of each core generation (part k of n) onto the whole
    projection for PyNN's callback, and reports 1.0 once at the end."""

    def __init__(self, callback, parts):
        self.callback, self.parts, self.part, self.last = callback, parts, 0, 0.0

    def hook(self, part):
        self.part = part
        return self

    def __call__(self, fraction):
        value = (self.part + fraction) / self.parts
        if value > self.last:
            self.last = value
            self.callback(value)

    def done(self):
        if self.last < 1.0:
            self.last = 1.0
            self.callback(1.0)


def _no_mutual(connector, projection):
    """Whether 'NoMutual' applies: only pairs with pre index > post index are
    candidates, within one population (other projections: all pairs)."""
    return connector.allow_self_connections == "NoMutual" and projection.pre is projection.post


def _probability_in_range(p, name, what="p_connect"):
    try:
        p = float(p)
    except (TypeError, ValueError):
        raise InvalidParameterValueError(
            f"{name}: {what} must be a number in [0, 1], got {p!r}") from None
    if not 0.0 <= p <= 1.0:
        raise InvalidParameterValueError(f"{name}: {what} must lie in [0, 1], got {p}")
    return p


def _expression(text, what):
    """Compiles a string expression once (a malformed one fails here, with the position)."""
    if not isinstance(text, str):
        raise TypeError(f"{what} must be a string expression, got {type(text).__name__}")
    return _core.Expression(text, _core.expression_variables(), what)


def _self_flag(value, name, no_mutual=False):
    """allow_self_connections: True, False, or (where `no_mutual`) 'NoMutual'."""
    if value == "NoMutual" and no_mutual:
        return "NoMutual"
    if value == "NoMutual":
        raise NotImplementedError(f"{name}: allow_self_connections='NoMutual' is not supported "
                                  "yet by pineal")
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name}: allow_self_connections must be True or False, got {value!r}")
    return bool(value)


class AllToAllConnector(Connector):
    """Every pre-synaptic cell to every post-synaptic cell."""

    parameter_names = ("allow_self_connections",)

    def __init__(self, allow_self_connections=True, location_selector=None, safe=True,
                 callback=None):
        super().__init__(location_selector, safe, callback)
        self.allow_self_connections = _self_flag(allow_self_connections, "AllToAllConnector")

    def _core_connector(self, projection):
        c = _core.AllToAllConnector()
        c.allow_self_connections = self.allow_self_connections
        return c


class OneToOneConnector(Connector):
    """Pre-synaptic cell i to post-synaptic cell i."""

    def _core_connector(self, projection):
        return _core.OneToOneConnector()


class FixedProbabilityConnector(Connector):
    """Each pair connected independently with probability p_connect.

    rng=None draws from the simulator's own streams (rng_seed of setup()), a
    new stream per connector: unlike PyNN, two connectors with rng=None do not
    produce the same connectivity (docs/porting.md).
    """

    parameter_names = ("p_connect", "allow_self_connections")

    def __init__(self, p_connect, allow_self_connections=True, location_selector=None, rng=None,
                 safe=True, callback=None):
        super().__init__(location_selector, safe, callback)
        try:
            p_connect = float(p_connect)
        except (TypeError, ValueError):
            raise InvalidParameterValueError(
                f"FixedProbabilityConnector: p_connect must be a number in [0, 1], got "
                f"{p_connect!r}") from None
        if not 0.0 <= p_connect <= 1.0:
            raise InvalidParameterValueError(
                f"FixedProbabilityConnector: p_connect must lie in [0, 1], got {p_connect}")
        self.p_connect = p_connect
        self.allow_self_connections = _self_flag(allow_self_connections,
                                                 "FixedProbabilityConnector", no_mutual=True)
        self.rng = rng

    def _core_connector(self, projection):
        seed, stream = random_key(self.rng)
        if self.allow_self_connections == "NoMutual":
            # Same draws (one per candidate, target by target), probability 0 where i <= j.
            mask = " * (i > j)" if _no_mutual(self, projection) else ""
            return _core.DistanceDependentProbabilityConnector(
                d_expression=f"{self.p_connect!r}{mask}", allow_self_connections=True,
                seed=seed, stream=stream)
        return _core.FixedProbabilityConnector(
            p_connect=self.p_connect, allow_self_connections=self.allow_self_connections,
            seed=seed, stream=stream)


class FromListConnector(Connector):
    """Connections given as rows (pre_index, post_index, [p1, ..., pn])."""

    parameter_names = ("conn_list",)

    def __init__(self, conn_list, column_names=None, location_selector=None, safe=True,
                 callback=None):
        super().__init__(location_selector, safe, callback)
        rows = np.asarray(conn_list, dtype=float)
        if rows.size == 0:
            rows = rows.reshape(0, 2 + (len(column_names) if column_names else 0))
        if rows.ndim != 2 or rows.shape[1] < 2:
            raise ValueError("FromListConnector: conn_list must be rows of "
                             "(pre_index, post_index, ...), got an array of shape "
                             f"{rows.shape}")
        n_extra = rows.shape[1] - 2
        if column_names is None:
            if n_extra == 0:
                column_names = ()
            elif n_extra == 2:
                column_names = ("weight", "delay")
            else:
                raise TypeError("FromListConnector: conn_list has "
                                f"{n_extra} value columns; give column_names")
        if len(column_names) != n_extra:
            raise ValueError(f"FromListConnector: {len(column_names)} column names for "
                             f"{n_extra} value columns")
        idx = rows[:, :2]
        if np.any(idx < 0) or np.any(idx != np.floor(idx)) or np.any(idx >= 2**32):
            raise ConnectionError("FromListConnector: indices must be non-negative integers")
        self.conn_list = rows
        self.column_names = tuple(column_names)

    def _core_connector(self, projection):
        rows = self.conn_list
        return _core.FromListConnector(
            pre=np.ascontiguousarray(rows[:, 0], dtype=np.uint32),
            post=np.ascontiguousarray(rows[:, 1], dtype=np.uint32),
            column_names=list(self.column_names),
            columns=[np.ascontiguousarray(rows[:, 2 + k]) for k in range(len(self.column_names))])


class DistanceDependentProbabilityConnector(Connector):
    """Each pair connected with probability d_expression(d): a string of d (and of
    dx, dy, dz, the per-axis displacement post - pre, and i, j, the indices), e.g.
    "exp(-d/100)", parsed and evaluated in C++."""

    parameter_names = ("allow_self_connections", "d_expression")
    needs_geometry = True

    def __init__(self, d_expression, allow_self_connections=True, location_selector=None,
                 rng=None, safe=True, callback=None):
        super().__init__(location_selector, safe, callback)
        expr = _expression(d_expression, "d_expression")
        for d in (0.0, 1e12):  # PyNN's check: probabilities must be >= 0 near and far
            p = expr.evaluate([d])
            if not p >= 0:
                raise InvalidParameterValueError(
                    f"DistanceDependentProbabilityConnector: d_expression {d_expression!r} "
                    f"gives {p} at d = {d}; probabilities must be >= 0")
        self.d_expression = d_expression
        self.allow_self_connections = _self_flag(
            allow_self_connections, "DistanceDependentProbabilityConnector", no_mutual=True)
        self.rng = rng

    def _core_connector(self, projection):
        seed, stream = random_key(self.rng)
        expression, allow_self = self.d_expression, self.allow_self_connections
        if allow_self == "NoMutual":
            if _no_mutual(self, projection):
                expression = f"({expression}) * (i > j)"
            allow_self = True
        return _core.DistanceDependentProbabilityConnector(
            d_expression=expression, allow_self_connections=allow_self, seed=seed,
            stream=stream)


# Targets per block when a Python callable is evaluated (bounds temporary memory).
_BLOCK = 256


class _CallableProbabilityConnector(Connector):
    """Slow path: the callable is evaluated in Python, vectorised over all
    sources of a block of targets; the core then draws from the target's stream."""

    def _probabilities(self, projection, lo, hi):
        raise NotImplementedError

    def _core_connector(self, projection):
        n_pre, n_post = projection.pre.size, projection.post.size
        name = type(self).__name__
        p = np.empty((n_pre, n_post))
        for lo in range(0, n_post, _BLOCK):
            hi = min(n_post, lo + _BLOCK)
            block = np.asarray(self._probabilities(projection, lo, hi), dtype=float)
            p[:, lo:hi] = np.broadcast_to(block.reshape(n_pre, hi - lo) if block.size ==
                                          n_pre * (hi - lo) else block, (n_pre, hi - lo))
        allow_self = self.allow_self_connections
        if allow_self == "NoMutual":
            if _no_mutual(self, projection):
                p = np.triu(p.T, 1).T  # keep i > j (row i = pre, column j = post)
            allow_self = True
        bad = ~((p >= 0) & (p <= 1))
        if bad.any():
            i, j = np.argwhere(bad)[0]
            raise InvalidParameterValueError(
                f"{name}: the probability of the pair ({i}, {j}) is {p[i, j]}; probabilities "
                "must lie in [0, 1]")
        seed, stream = random_key(self.rng)
        return _core.ProbabilityMatrixConnector(
            name=name, p=np.ascontiguousarray(p.reshape(-1)),
            allow_self_connections=allow_self, seed=seed, stream=stream)


class DisplacementDependentProbabilityConnector(_CallableProbabilityConnector):
    """Probability disp_function(d) of the displacement vectors d (3 x K array,
    post - pre). The callable runs in Python (vectorised per block of targets)."""

    parameter_names = ("allow_self_connections", "disp_function")

    def __init__(self, disp_function, allow_self_connections=True, location_selector=None,
                 rng=None, safe=True, callback=None):
        super().__init__(location_selector, safe, callback)
        if not callable(disp_function):
            raise TypeError("DisplacementDependentProbabilityConnector: disp_function must be "
                            f"callable, got {disp_function!r}")
        self.disp_function = disp_function
        self.allow_self_connections = _self_flag(
            allow_self_connections, "DisplacementDependentProbabilityConnector", no_mutual=True)
        self.rng = rng

    def _probabilities(self, projection, lo, hi):
        d = projection.space.displacements(projection.pre.positions,
                                           projection.post.positions[:, lo:hi])
        return self.disp_function(d.reshape(3, -1))


class IndexBasedProbabilityConnector(_CallableProbabilityConnector):
    """Probability index_expression(i, j) (an IndexBasedExpression, or any
    callable of index arrays), evaluated in Python per block of targets."""

    parameter_names = ("allow_self_connections", "index_expression")

    def __init__(self, index_expression, allow_self_connections=True, location_selector=None,
                 rng=None, safe=True, callback=None):
        super().__init__(location_selector, safe, callback)
        if not callable(index_expression):
            raise TypeError("IndexBasedProbabilityConnector: index_expression must be an "
                            f"IndexBasedExpression, got {index_expression!r}")
        self.index_expression = index_expression
        self.allow_self_connections = _self_flag(
            allow_self_connections, "IndexBasedProbabilityConnector", no_mutual=True)
        self.rng = rng

    def _probabilities(self, projection, lo, hi):
        self.index_expression.projection = projection
        i, j = np.meshgrid(np.arange(projection.pre.size), np.arange(lo, hi), indexing="ij")
        return self.index_expression(i, j)


def _number(n, name):
    """n of the FixedNumber connectors: a non-negative integer or a RandomDistribution."""
    if isinstance(n, RandomDistribution):
        return n
    if isinstance(n, (bool, np.bool_)) or not isinstance(n, numbers.Real) or n != int(n) \
            or n < 0:
        raise InvalidParameterValueError(
            f"{name}: n must be a non-negative integer or a RandomDistribution, got {n!r}")
    return int(n)


def _flag(value, name, what):
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name}: {what} must be True or False, got {value!r}")
    return bool(value)


class _FixedNumberConnector(Connector):
    parameter_names = ("allow_self_connections", "n", "with_replacement")
    _core_class = None

    def __init__(self, n, allow_self_connections=True, with_replacement=False,
                 location_selector=None, rng=None, safe=True, callback=None):
        super().__init__(location_selector, safe, callback)
        name = type(self).__name__
        self.n = _number(n, name)
        if allow_self_connections == "NoMutual":
            # Every cell must make (or receive) n connections, but with only
            # the pairs pre > post as candidates the last cell has none.
            raise NotImplementedError(
                f"{name}: allow_self_connections='NoMutual' is not supported: it leaves the "
                "last cell no candidate, so n connections per cell are impossible")
        self.allow_self_connections = _self_flag(allow_self_connections, name)
        self.with_replacement = _flag(with_replacement, name, "with_replacement")
        self.rng = rng

    def _core_connector(self, projection):
        n = core_random(self.n) if isinstance(self.n, RandomDistribution) \
            else _core.Value.scalar(float(self.n))
        seed, stream = random_key(self.rng)
        return getattr(_core, type(self).__name__)(
            n=n, allow_self_connections=self.allow_self_connections,
            with_replacement=self.with_replacement, seed=seed, stream=stream)


class FixedNumberPreConnector(_FixedNumberConnector):
    """Each post-synaptic cell receives n connections from random pre-synaptic cells
    (distinct without replacement; beyond n_pre every cell is used floor(n/n_pre)
    times plus a random remainder, as PyNN documents)."""


class FixedNumberPostConnector(_FixedNumberConnector):
    """Each pre-synaptic cell makes n connections to random post-synaptic cells."""


class FixedTotalNumberConnector(Connector):
    """Exactly n connections, pairs uniform over the allowed (pre, post) pairs.
    Unlike PyNN, with_replacement=False and allow_self_connections=False are
    honoured (docs/porting.md)."""

    parameter_names = ("allow_self_connections", "n", "with_replacement")

    def __init__(self, n, allow_self_connections=True, with_replacement=True,
                 location_selector=None, rng=None, safe=True, callback=None):
        super().__init__(location_selector, safe, callback)
        name = "FixedTotalNumberConnector"
        n = _number(n, name)
        if isinstance(n, RandomDistribution):
            raise InvalidParameterValueError(f"{name}: n must be a non-negative integer")
        self.n = n
        self.allow_self_connections = _self_flag(allow_self_connections, name, no_mutual=True)
        self.with_replacement = _flag(with_replacement, name, "with_replacement")
        self.rng = rng

    def _core_connector(self, projection):
        seed, stream = random_key(self.rng)
        return _core.FixedTotalNumberConnector(
            n=self.n, allow_self_connections=self.allow_self_connections is not False,
            with_replacement=self.with_replacement, seed=seed, stream=stream,
            no_mutual=_no_mutual(self, projection))


class SmallWorldConnector(Connector):
    """Small-world network (Watts & Strogatz 1998): every pair closer than `degree`
    is connected, and each such connection has its source replaced, with
    probability `rewiring`, by a uniformly chosen cell. With `n_connections`
    ("the number of efferent connections per neuron" in PyNN's documentation),
    each cell instead makes exactly n_connections connections, to targets
    drawn among the cells closer than `degree`, each target then replaced,
    with probability `rewiring`, by a uniformly chosen cell. (PyNN declares
    this connector but does not implement it; docs/porting.md.)"""

    parameter_names = ("allow_self_connections", "degree", "rewiring", "n_connections")
    needs_geometry = True

    def __init__(self, degree, rewiring, allow_self_connections=True, n_connections=None,
                 location_selector=None, rng=None, safe=True, callback=None):
        super().__init__(location_selector, safe, callback)
        self.degree = float(degree)
        if not self.degree >= 0:
            raise InvalidParameterValueError(f"SmallWorldConnector: degree must be >= 0, got "
                                             f"{degree}")
        self.rewiring = _probability_in_range(rewiring, "SmallWorldConnector", "rewiring")
        if n_connections is not None:
            n_connections = _number(n_connections, "SmallWorldConnector")
            if isinstance(n_connections, RandomDistribution):
                raise InvalidParameterValueError(
                    "SmallWorldConnector: n_connections must be a non-negative integer")
            if allow_self_connections == "NoMutual":
                # with only the pairs pre > post, the last cell has no candidate
                raise NotImplementedError(
                    "SmallWorldConnector: n_connections with allow_self_connections="
                    "'NoMutual' is not supported: it leaves the last cell no candidate")
        self.allow_self_connections = _self_flag(allow_self_connections, "SmallWorldConnector",
                                                 no_mutual=True)
        self.n_connections = n_connections
        self.d_expression = f"d < {self.degree!r}"
        self.rng = rng

    def _core_connector(self, projection):
        seed, stream = random_key(self.rng)
        return _core.SmallWorldConnector(
            degree=self.degree, rewiring=self.rewiring,
            allow_self_connections=self.allow_self_connections is not False, seed=seed,
            stream=stream, no_mutual=_no_mutual(self, projection),
            n_connections=self.n_connections)


def _rows_connector(pre, post, names=(), columns=()):
    return _core.FromListConnector(
        pre=np.ascontiguousarray(pre, dtype=np.uint32),
        post=np.ascontiguousarray(post, dtype=np.uint32), column_names=list(names),
        columns=[np.ascontiguousarray(c, dtype=float) for c in columns])


def read_connection_file(path):
    """(rows, column_names) of a PyNN connection text file: whitespace-separated
    rows, an optional header line '# columns = ["i", "j", "weight", ...]'."""
    if not os.path.exists(path):
        raise FileNotFoundError(f"FromFileConnector: no such file {path!r}")
    names = None
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line.startswith("#"):
                continue
            key, _, value = line[1:].partition("=")
            if key.strip() == "columns":
                import ast

                try:
                    names = [str(x) for x in ast.literal_eval(value.strip())]
                except (ValueError, SyntaxError):
                    raise ValueError(f"FromFileConnector: malformed header in {path!r}: "
                                     f"{line!r}") from None
    try:
        rows = np.loadtxt(path, comments="#", ndmin=2)
    except ValueError as err:
        raise ValueError(f"FromFileConnector: malformed row in {path!r}: {err}") from None
    if names is not None:
        if names[:2] != ["i", "j"]:
            raise ValueError(f"FromFileConnector: the first columns of {path!r} must be "
                             f"'i', 'j', got {names[:2]}")
        names = names[2:]
        if rows.size and rows.shape[1] != len(names) + 2:
            raise ValueError(f"FromFileConnector: {path!r} declares {len(names) + 2} columns "
                             f"but its rows have {rows.shape[1]}")
    return rows, names


class FromFileConnector(FromListConnector):
    """Connections read from a file in PyNN's format (as Projection.save writes):
    a file name (text) or a `pineal.recording.files` object."""

    parameter_names = ("file", "distributed")

    def __init__(self, file, distributed=False, location_selector=None, safe=True,
                 callback=None):
        from pineal.recording.files import BaseFile

        if not isinstance(file, (str, os.PathLike, BaseFile)):
            raise TypeError("FromFileConnector: file must be a file name or a "
                            f"pineal.recording.files object, got {type(file).__name__}")
        self.distributed = _flag(distributed, "FromFileConnector", "distributed")
        if self.distributed:
            # PyNN: each rank reads `<file>.<rank>` (one process: rank 0).
            from pineal.simulator import state

            if isinstance(file, BaseFile):
                file = type(file)(f"{file.name}.{state.mpi_rank}", mode="r")
            else:
                file = f"{os.fspath(file)}.{state.mpi_rank}"
        if isinstance(file, BaseFile):
            self.file = file
            rows, names = _read_file_object(file)
        else:
            self.file = os.fspath(file)
            rows, names = read_connection_file(self.file)
        super().__init__(rows, column_names=names, location_selector=location_selector,
                         safe=safe, callback=callback)


def _read_file_object(file):
    """(rows, value column names) of a recording.files object; the metadata
    'columns' (optional) name every column, starting with 'i', 'j'."""
    rows = np.asarray(file.read(), dtype=float)
    if rows.ndim == 1:
        rows = rows.reshape(1, -1) if rows.size else rows.reshape(0, 2)
    names = file.get_metadata().get("columns")
    if names is None:
        return rows, None
    names = [str(n) for n in names]
    if names[:2] != ["i", "j"]:
        raise ValueError(f"FromFileConnector: the first columns of {file.name!r} must be "
                         f"'i', 'j', got {names[:2]}")
    if rows.size and rows.shape[1] != len(names):
        raise ValueError(f"FromFileConnector: {file.name!r} declares {len(names)} columns "
                         f"but its rows have {rows.shape[1]}")
    return rows, names[2:]


class ArrayConnector(Connector):
    """Connections where a boolean (n_pre, n_post) array is True."""

    parameter_names = ("array",)

    def __init__(self, array, location_selector=None, safe=True, callback=None):
        super().__init__(location_selector, safe, callback)
        self.array = np.asarray(array, dtype=bool)

    def _core_connector(self, projection):
        if self.array.shape != projection.shape:
            from pineal.errors import InvalidDimensionsError

            raise InvalidDimensionsError(
                f"ArrayConnector: array has shape {self.array.shape}, the projection "
                f"{projection.shape}")
        pre, post = np.nonzero(self.array)
        return _rows_connector(pre, post)


class CloneConnector(Connector):
    """The connectivity pattern (not the values) of an existing projection."""

    parameter_names = ("reference_projection",)

    def __init__(self, reference_projection, safe=True, callback=None):
        super().__init__(None, safe, callback)
        self.reference_projection = reference_projection

    def _core_connector(self, projection):
        ref = self.reference_projection
        if ref.pre is not projection.pre or ref.post is not projection.post:
            raise ConnectionError("CloneConnector: the pre- and post-synaptic populations must "
                                  "be those of the reference projection")
        data = ref._arrays()
        return _rows_connector(data["presynaptic_index"], data["postsynaptic_index"])


class CSAConnector(Connector):
    """Connection-Set Algebra (the `csa` package): an arity-0 mask gives the pairs,
    an arity-2 set also (weight, delay). The set is enumerated in Python (csa is
    a Python iterator library), then generated in the core like FromList."""

    parameter_names = ("cset",)

    def __init__(self, cset, location_selector=None, safe=True, callback=None):
        super().__init__(location_selector, safe, callback)
        try:
            import csa
        except ImportError as err:
            raise NotImplementedError(f"CSAConnector needs the 'csa' package ({err})") from None
        arity = csa.arity(cset)
        if arity not in (0, 2):
            raise ConnectionError(f"CSAConnector: the connection set must have arity 0 (a mask) "
                                  f"or 2 (weight, delay), got arity {arity}")
        self.cset, self.arity = cset, arity

    def _core_connector(self, projection):
        import csa

        n_pre, n_post = projection.shape
        finite = csa.cross(range(n_pre), range(n_post)) * self.cset
        rows = np.array(list(finite), dtype=float).reshape(-1, 2 + self.arity)
        names = ("weight", "delay") if self.arity == 2 else ()
        return _rows_connector(rows[:, 0], rows[:, 1], names,
                               [rows[:, 2 + k] for k in range(self.arity)])
