"""Parameter values as PyNN accepts them, and their lowering to the core.

A value may be a number, one number per element (list or array), a
RandomDistribution (drawn by the core, per element, from its own stream), a
function of the cell index (evaluated once, vectorised), or a quantity with
units. Array-valued parameters (spike times) take a Sequence.
"""

import inspect
import numbers

import numpy as np

from pineal import _core
from pineal.errors import InvalidParameterValueError
from pineal.random import NativeRNG, RandomDistribution
from pineal.simulator import state


class ArrayParameter:
    """A 1-D array that is one parameter value (not one value per cell)."""

    def __init__(self, value):
        if isinstance(value, ArrayParameter):
            value = value.value
        self.value = np.array(value, dtype=float).reshape(-1)

    def __len__(self):
        return self.value.size

    def __getitem__(self, i):
        return self.value[i]

    def max(self):
        return self.value.max()

    def _apply(self, other, op):
        if isinstance(other, np.ndarray):
            return np.array([type(self)(op(self.value, x)) for x in other], dtype=object)
        return type(self)(op(self.value, other))

    def __add__(self, other):
        return self._apply(other, np.add)

    def __sub__(self, other):
        return self._apply(other, np.subtract)

    def __mul__(self, other):
        return self._apply(other, np.multiply)

    def __truediv__(self, other):
        return self._apply(other, np.divide)

    __radd__ = __add__
    __rmul__ = __mul__

    def __eq__(self, other):
        if isinstance(other, ArrayParameter):
            return self.value.size == other.value.size and bool(np.all(self.value == other.value))
        if isinstance(other, (list, tuple, np.ndarray)):
            return self.value.size == len(other) and bool(np.all(self.value == np.asarray(other)))
        return False

    def __repr__(self):
        return f"{type(self).__name__}({self.value.tolist()!r})"


class Sequence(ArrayParameter):
    """A sequence of numbers, e.g. the spike times of one cell."""


def _magnitude(value, unit):
    """Plain number(s) in PyNN's unit from a value that may carry quantities units."""
    if hasattr(value, "rescale") and hasattr(value, "magnitude"):
        try:
            return value.rescale(unit).magnitude if unit else value.magnitude
        except ValueError as err:
            raise InvalidParameterValueError(
                f"value {value} cannot be expressed in {unit}: {err}") from None
    return value


def random_key(rng):
    """(seed, stream) of one use of `rng` by the core."""
    if isinstance(rng, NativeRNG) or getattr(rng, "seed", None) is None:
        return state.require("using a NativeRNG").rng_seed, state.native_stream()
    return int(rng.seed), int(rng._next_stream())


def core_random(distribution):
    """The core's random value for a RandomDistribution (one new stream)."""
    names = distribution.parameters
    order = _distribution_order(distribution.name)
    params = [float(names[p]) for p in order]
    seed, stream = random_key(distribution.rng)
    return _core.Value.random(distribution.name, params, seed, stream)


def _distribution_order(name):
    from pineal.random import available_distributions

    return available_distributions[name]


def to_core_value(value, size, name, unit=""):
    """Lowers one per-element parameter value to a _core.Value of `size` elements."""
    value = _magnitude(value, unit)
    if isinstance(value, RandomDistribution):
        return core_random(value)
    if isinstance(value, bool):
        raise InvalidParameterValueError(f"{name}: expected a number, got a bool ({value})")
    if isinstance(value, numbers.Real):
        return _core.Value.scalar(float(value))
    if callable(value):
        value = _call_with_indices(value, np.arange(size), name)
    if isinstance(value, (str, bytes, dict, ArrayParameter)):
        raise InvalidParameterValueError(
            f"{name}: expected a number, an array, a RandomDistribution or a function of the "
            f"cell index, got {type(value).__name__} {value!r}")
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise InvalidParameterValueError(
            f"{name}: expected numbers, got {type(value).__name__} {value!r}") from None
    if array.ndim == 0:
        return _core.Value.scalar(float(array))
    if array.ndim != 1:
        from pineal.errors import InvalidDimensionsError

        raise InvalidDimensionsError(
            f"{name}: expected {size} values (one per cell), got an array of shape {array.shape}")
    return _core.Value.array(np.ascontiguousarray(array))


def _call_with_indices(function, indices, name):
    """PyNN's (lazyarray's) only callable form for a per-cell value: f(i), called
    once with the array of cell indices. PyNN has no function-of-position form
    (shared reference 3.2): a callable that cannot take one argument gets a
    TypeError saying what is expected and how PyNN scripts use positions."""
    try:
        signature = inspect.signature(function)
    except (TypeError, ValueError):  # builtins without a signature: just call
        return function(indices)
    try:
        signature.bind(indices)
    except TypeError:
        raise TypeError(
            f"{name}: a function given as a parameter value is called with the cell "
            f"indices (one array argument, as in PyNN), but {function!r} does not take one "
            f"argument {signature}; for a function of position write, as in PyNN, "
            f"lambda i: f(*population.positions[:, i])") from None
    return function(indices)


def to_sequences(value, size, name):
    """Per-cell sequences (list of float lists) for an array-valued parameter."""
    if callable(value) and not isinstance(value, ArrayParameter):
        value = [value(i) for i in range(size)]
    if isinstance(value, ArrayParameter):
        return [value.value.tolist()]
    if isinstance(value, np.ndarray) and value.dtype != object:
        if value.ndim == 1:
            return [value.astype(float).tolist()]
        return [row.astype(float).tolist() for row in value]
    if isinstance(value, (list, tuple, np.ndarray)):
        items = list(value)
        if all(isinstance(x, numbers.Real) for x in items):
            return [[float(x) for x in items]]
        per_cell = []
        for x in items:
            if isinstance(x, ArrayParameter):
                per_cell.append(x.value.tolist())
            else:
                per_cell.append([float(v) for v in np.asarray(x, dtype=float).reshape(-1)])
        return per_cell
    raise InvalidParameterValueError(
        f"{name}: expected a Sequence, a list of numbers or one sequence per cell, "
        f"got {type(value).__name__}")
