"""Random number generators and random distributions with PyNN's names.

Two ways numbers get drawn in pineal:

* Python-side, by calling an RNG (``rng.next(...)``, ``rng.normal(...)``,
  ``RandomDistribution.next``): these behave like numpy's ``RandomState``.
* Core-side: the C++ core draws from counter-based Philox streams keyed by
  (seed, stream, entity, segment).  For that every RNG carries an integer
  ``seed`` (drawn from OS entropy when the user gives none, so that the core
  always has a key) and hands out stream numbers with ``_next_stream()``: each
  use of one RNG (each connector, each distribution...) gets its own stream, so
  two connectors sharing one RNG still draw different numbers.

``NativeRNG`` is the exception: its seed stays ``None``, meaning "use the
simulation's ``rng_seed``".
"""

import numbers
import os
import secrets
import sys
import warnings

import numpy as np

__all__ = [
    "GSLRNG",
    "AbstractRNG",
    "NativeRNG",
    "NumpyRNG",
    "RandomDistribution",
    "WrappedRNG",
    "available_distributions",
]

# name -> parameter names, in the order used for positional parameters.
available_distributions = {
    "binomial": ("n", "p"),
    "gamma": ("k", "theta"),
    "exponential": ("beta",),
    "lognormal": ("mu", "sigma"),
    "normal": ("mu", "sigma"),
    "normal_clipped": ("mu", "sigma", "low", "high"),
    "normal_clipped_to_boundary": ("mu", "sigma", "low", "high"),
    "poisson": ("lambda_",),
    "uniform": ("low", "high"),
    "uniform_int": ("low", "high"),
    "vonmises": ("mu", "kappa"),
}

# normal_clipped redraws out-of-range values at most this many rounds.
MAX_REDRAWS = 1000

_SEED_LIMIT = 2**64  # the core keys Philox with a 64-bit seed


def _mpi_rank_and_size():
    """This process's MPI rank and the number of processes.

    Never initialises MPI itself (that is the core's job): uses mpi4py only if
    it is already imported and initialised, else the launcher's environment.
    """
    mpi = sys.modules.get("mpi4py.MPI")
    if mpi is not None and mpi.Is_initialized() and not mpi.Is_finalized():
        return mpi.COMM_WORLD.rank, mpi.COMM_WORLD.size
    for rank_var, size_var in (
        ("OMPI_COMM_WORLD_RANK", "OMPI_COMM_WORLD_SIZE"),
        ("PMIX_RANK", "PMIX_SIZE"),
        ("PMI_RANK", "PMI_SIZE"),
        ("MV2_COMM_WORLD_RANK", "MV2_COMM_WORLD_SIZE"),
    ):
        if rank_var in os.environ:
            return int(os.environ[rank_var]), int(os.environ.get(size_var, "1"))
    return 0, 1


def _check_seed(seed):
    if seed is None:
        return None
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
        raise TypeError(f"seed must be an integer or None, not {type(seed).__name__}")
    seed = int(seed)
    if not 0 <= seed < _SEED_LIMIT:
        raise ValueError(f"seed must be in [0, 2**64), got {seed}")
    return seed


def _check_count(n):
    if isinstance(n, bool) or not isinstance(n, numbers.Integral):
        raise TypeError(f"n must be an integer or None, not {type(n).__name__}")
    if n < 0:
        raise ValueError(f"cannot draw a negative number of values (n={n})")
    return int(n)


def _selected_count(n, mask):
    """How many of n values a mask (bool array, index array or slice) selects."""
    return np.empty(n, dtype=bool)[mask].size


class AbstractRNG:
    """Base class: a seed, a stream counter and ``next()``.

    Subclasses implement ``_next(distribution, n, parameters)`` returning an
    array of n values.
    """

    parallel_safe = True

    def __init__(self, seed=None):
        seed = _check_seed(seed)
        self.seed = self._default_seed() if seed is None else seed
        self._stream_count = 0

    def _default_seed(self):
        # The core always needs a key: draw one from OS entropy.  63 bits keep
        # it a positive signed 64-bit integer everywhere.  Under MPI each rank
        # draws its own value: code that keys the core with it must agree on
        # one seed across ranks (e.g. take rank 0's) to stay parallel safe.
        return secrets.randbits(63)

    def _next_stream(self):
        """A new stream number for each use of this RNG: 0, 1, 2, ..."""
        stream = self._stream_count
        self._stream_count += 1
        return stream

    def next(self, n=None, distribution=None, parameters=None, mask=None):
        """Draw n values (one value, not an array, if n is None).

        The default distribution is uniform on [0, 1).  ``mask`` (boolean array
        of size n, or index array) picks a subset: a parallel-safe RNG draws all
        n values and returns the masked ones, so every process sees the same
        sequence; otherwise only the selected values are drawn.
        """
        single = n is None
        n = 1 if single else _check_count(n)
        if distribution is None:
            distribution, parameters = "uniform", {"low": 0.0, "high": 1.0}
        parameters = _parameters_as_dict(distribution, parameters)
        if n == 0:
            return np.empty(0)
        if mask is not None and not self.parallel_safe:
            n = _selected_count(n, mask)
            values = self._next(distribution, n, parameters) if n else np.empty(0)
        else:
            values = self._next(distribution, n, parameters)
            if mask is not None:
                values = values[mask]
        return values[0] if single else values

    # PyNN's aliases
    random = next
    sample = next

    def _next(self, distribution, n, parameters):
        raise NotImplementedError(f"{type(self).__name__} cannot draw numbers")

    def __repr__(self):
        return f"{type(self).__name__}(seed={self.seed!r})"


def _parameters_as_dict(distribution, parameters):
    """Parameters for rng.next(): a dict, or a sequence in the documented order."""
    if parameters is None:
        return {}
    if isinstance(parameters, dict):
        return dict(parameters)
    names = available_distributions.get(distribution)
    if names is None:
        raise TypeError("parameters must be given as a dict for distribution " + repr(distribution))
    if len(parameters) != len(names):
        raise ValueError(f"{distribution} takes parameters {names}, got {len(parameters)} values")
    return dict(zip(names, parameters))


class WrappedRNG(AbstractRNG):
    """Base class for RNGs wrapping a third-party generator."""

    def __init__(self, seed=None, parallel_safe=True):
        user_seed = _check_seed(seed)
        super().__init__(user_seed)
        self.parallel_safe = parallel_safe
        self.rank, self.num_processes = _mpi_rank_and_size()
        # Not parallel safe: every rank must draw different numbers, so the
        # rank shifts a user-given seed (as in PyNN).
        if user_seed is not None and not parallel_safe:
            self.seed = (user_seed + self.rank) % _SEED_LIMIT

    def describe(self, template="default", engine="default"):
        """A one-line description, or the context dict if template is None."""
        context = {
            "type": type(self).__name__,
            "seed": self.seed,
            "rank": self.rank,
            "num_processes": self.num_processes,
            "parallel_safe": self.parallel_safe,
        }
        if template is None:
            return context
        safety = "parallel safe" if self.parallel_safe else "not parallel safe"
        return (
            f"{context['type']}() with seed {self.seed} for MPI rank {self.rank} "
            f"of {self.num_processes} ({safety})"
        )

    def __repr__(self):
        return f"{type(self).__name__}(seed={self.seed!r}, parallel_safe={self.parallel_safe!r})"


def _broadcast(values, n):
    return [np.broadcast_to(np.asarray(v, dtype=float), (n,)) for v in values]


class NumpyRNG(WrappedRNG):
    """Mersenne Twister from ``numpy.random.RandomState``.

    Attributes that NumpyRNG lacks are looked up on the RandomState, so
    ``rng.normal(...)``, ``rng.permutation(...)``, ``rng.choice(...)`` behave
    exactly as numpy's.  A user seed below 2**32 seeds the RandomState
    directly, so ``NumpyRNG(seed=s)`` reproduces ``RandomState(s)``.
    """

    def __init__(self, seed=None, parallel_safe=True):
        super().__init__(seed, parallel_safe)
        self.rng = self._make_generator()

    def _make_generator(self):
        if self.seed < 2**32:
            return np.random.RandomState(self.seed)
        # RandomState only takes 32-bit integers; larger seeds go in as words.
        return np.random.RandomState([self.seed & 0xFFFFFFFF, self.seed >> 32])

    def __getattr__(self, name):
        # Only called for missing attributes.  Guard "rng" and private names so
        # copy/pickle (which probe before __init__ has run) cannot recurse.
        if name == "rng" or name.startswith("__"):
            raise AttributeError(name)
        return getattr(self.rng, name)

    def _next(self, distribution, n, parameters):
        rs, p = self.rng, parameters
        try:
            if distribution == "binomial":
                return rs.binomial(p["n"], p["p"], size=n)
            if distribution == "gamma":
                return rs.gamma(p["k"], p["theta"], size=n)  # theta is the scale
            if distribution == "exponential":
                return rs.exponential(p["beta"], size=n)  # beta is the mean
            if distribution == "lognormal":
                return rs.lognormal(p["mu"], p["sigma"], size=n)
            if distribution == "normal":
                return rs.normal(p["mu"], p["sigma"], size=n)
            if distribution == "normal_clipped":
                return self._normal_clipped(n, p["mu"], p["sigma"], p["low"], p["high"])
            if distribution == "normal_clipped_to_boundary":
                values = rs.normal(p["mu"], p["sigma"], size=n)
                return np.clip(values, p["low"], p["high"])
            if distribution == "poisson":
                return rs.poisson(p["lambda_"], size=n)
            if distribution == "uniform":
                return rs.uniform(p["low"], p["high"], size=n)
            if distribution == "uniform_int":
                return rs.randint(p["low"], p["high"], size=n)
            if distribution == "vonmises":
                return rs.vonmises(p["mu"], p["kappa"], size=n)
        except KeyError as missing:
            names = available_distributions[distribution]
            raise KeyError(f"{distribution} needs parameters {names}, missing {missing}") from None
        # Any other numpy distribution, called with numpy's own parameter names.
        method = getattr(rs, distribution, None)
        if method is None or distribution.startswith("_"):
            raise ValueError(
                f"unknown distribution {distribution!r}; available: "
                + ", ".join(available_distributions)
            )
        return method(size=n, **p)

    def _normal_clipped(self, n, mu, sigma, low, high):
        mu, sigma, low, high = _broadcast((mu, sigma, low, high), n)
        values = self.rng.normal(mu, sigma)
        for _ in range(MAX_REDRAWS):
            bad = (values < low) | (values > high)
            if not bad.any():
                return values
            values[bad] = self.rng.normal(mu[bad], sigma[bad])
        raise RuntimeError(
            f"normal_clipped: values still outside [low, high] after {MAX_REDRAWS} redraws; "
            "the interval is too unlikely for this mean and standard deviation"
        )


class GSLRNG(NumpyRNG):
    """PyNN's GSL generator, provided without GSL.

    pygsl is not used: this is numpy's MT19937 bit generator (seeded through
    numpy's SeedSequence) behind the same interface as NumpyRNG.  The same seed
    gives the same stream, but not the numbers that GSL's mt19937 would give.
    """

    def __init__(self, seed=None, type="mt19937", parallel_safe=True):
        if type != "mt19937":
            warnings.warn(
                f"GSLRNG: GSL generator {type!r} is not available; using MT19937",
                stacklevel=2,
            )
        self.type = type
        super().__init__(seed, parallel_safe)

    def _make_generator(self):
        return np.random.RandomState(np.random.MT19937(self.seed))


class NativeRNG(AbstractRNG):
    """Marker: let the simulator draw the numbers itself.

    ``seed=None`` means "use the simulation's rng_seed" and stays None.
    """

    def _default_seed(self):
        return None

    def _next(self, distribution, n, parameters):
        raise NotImplementedError(
            "NativeRNG numbers are drawn by the simulator; they cannot be drawn from Python"
        )


# Parameter checks where numpy itself would raise ValueError, done when a
# RandomDistribution is created so errors name the PyNN parameter.
_VALUE_CHECKS = {
    "binomial": [
        ("n", lambda v: v < 0, "n must be >= 0"),
        ("p", lambda v: (v < 0) | (v > 1), "p must be in [0, 1]"),
    ],
    "gamma": [
        ("k", lambda v: v < 0, "k must be >= 0"),
        ("theta", lambda v: v < 0, "theta must be >= 0"),
    ],
    "exponential": [("beta", lambda v: v < 0, "beta must be >= 0")],
    "lognormal": [("sigma", lambda v: v < 0, "sigma must be >= 0")],
    "normal": [("sigma", lambda v: v < 0, "sigma must be >= 0")],
    "normal_clipped": [("sigma", lambda v: v < 0, "sigma must be >= 0")],
    "normal_clipped_to_boundary": [("sigma", lambda v: v < 0, "sigma must be >= 0")],
    "poisson": [("lambda_", lambda v: v < 0, "lambda_ must be >= 0")],
    "vonmises": [("kappa", lambda v: v < 0, "kappa must be >= 0")],
}


def _check_values(name, parameters):
    numeric = {}
    for key, value in parameters.items():
        try:
            numeric[key] = np.asarray(value, dtype=float)
        except (TypeError, ValueError):
            raise ValueError(f"{name}: parameter {key} must be a number, got {value!r}") from None
    for key, fails, message in _VALUE_CHECKS.get(name, []):
        if np.any(fails(numeric[key])):
            raise ValueError(f"{name}: {message}, got {parameters[key]!r}")
    if name in ("normal_clipped", "normal_clipped_to_boundary", "uniform_int"):
        low, high = numeric["low"], numeric["high"]
        # randint needs low < high; clipping needs low <= high
        bad = low >= high if name == "uniform_int" else low > high
        if np.any(bad):
            raise ValueError(
                f"{name}: low ({parameters['low']!r}) must be below high ({parameters['high']!r})"
            )


class RandomDistribution:
    """A named distribution, its parameters and the RNG that draws from it.

    Parameters are given either as a tuple in the order of
    ``available_distributions[name]`` or as keywords, never both::

        RandomDistribution('uniform', (-70, -50))
        RandomDistribution('normal', mu=0.5, sigma=0.1, rng=NumpyRNG(seed=1))
    """

    def __init__(self, distribution, parameters_pos=None, rng=None, **parameters_named):
        if distribution not in available_distributions:
            raise ValueError(
                f"unknown distribution {distribution!r}; available: "
                + ", ".join(available_distributions)
            )
        expected = available_distributions[distribution]
        if parameters_pos is not None and parameters_named:
            raise ValueError("give the parameters either as a tuple or as keywords, not both")
        if parameters_pos is not None:
            if isinstance(parameters_pos, dict):
                raise TypeError(
                    "positional parameters must be a tuple; to pass a dict use "
                    f"RandomDistribution({distribution!r}, **parameters)"
                )
            if isinstance(parameters_pos, str) or not hasattr(parameters_pos, "__len__"):
                raise TypeError(f"positional parameters must be a tuple, not {parameters_pos!r}")
            if len(parameters_pos) != len(expected):
                raise ValueError(
                    f"{distribution} takes {len(expected)} parameters {expected}, "
                    f"got {len(parameters_pos)}"
                )
            parameters = dict(zip(expected, parameters_pos))
        else:
            if set(parameters_named) != set(expected):
                raise KeyError(
                    f"{distribution} takes parameters {expected}, got {tuple(parameters_named)}"
                )
            parameters = {name: parameters_named[name] for name in expected}
        _check_values(distribution, parameters)
        if rng is None:
            rng = NumpyRNG()
        elif not isinstance(rng, AbstractRNG):
            raise TypeError(f"rng must be an RNG (e.g. NumpyRNG), not {type(rng).__name__}")
        self.name = distribution
        self.parameters = parameters
        self.rng = rng

    def next(self, n=None, mask=None):
        """Draw n values (one value if n is None) with this distribution's RNG."""
        return self.rng.next(n, self.name, self.parameters, mask=mask)

    def lazily_evaluate(self, mask=None, shape=None):
        """Values for an array of ``shape``, restricted to ``mask`` (lazyarray hook).

        A parallel-safe RNG draws the whole array and masks it, so each process
        sees the same values whatever its share; otherwise only the masked
        values are drawn.
        """
        if shape is None:
            if mask is not None:
                raise ValueError("lazily_evaluate needs a shape when a mask is given")
            return self.next()
        shape = (shape,) if isinstance(shape, numbers.Integral) else tuple(shape)
        size = int(np.prod(shape))
        if mask is None:
            return self.next(size).reshape(shape)
        if self.rng.parallel_safe:
            return self.next(size).reshape(shape)[mask]
        selected = np.empty(shape, dtype=bool)[mask].shape
        return self.next(int(np.prod(selected))).reshape(selected)

    def _parameter_text(self):
        return ", ".join(f"{k}={v!r}" for k, v in self.parameters.items())

    def __repr__(self):
        return f"RandomDistribution({self.name!r}, {self._parameter_text()}, rng={self.rng!r})"

    def __str__(self):
        return f"{self.name}({self._parameter_text()})"
