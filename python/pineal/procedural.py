"""PyNN's procedural ("low-level") API: create, connect, record, set, initialize.

Deprecated in PyNN 0.13 (each call warns with DeprecationWarning, as there)
but still used by older scripts.
"""

import warnings

from pineal.assembly import Assembly
from pineal.base_population import BasePopulation
from pineal.populations import ID


def _warn(name, instead):
    warnings.warn(f"the procedural API is deprecated: {name}() -> {instead}",
                  DeprecationWarning, stacklevel=3)


def _group(cells, function):
    """A Population, PopulationView or Assembly from `cells` (an ID becomes a 1-cell view)."""
    if isinstance(cells, ID):
        return cells.as_view()
    if isinstance(cells, (BasePopulation, Assembly)):
        return cells
    raise TypeError(f"{function}: expected an ID, Population, PopulationView or Assembly, got "
                    f"{type(cells).__name__}")


def create(cellclass, cellparams=None, n=1):
    """A Population of `n` cells of `cellclass`."""
    from pineal.populations import Population

    _warn("create", "Population(n, celltype)")
    with warnings.catch_warnings():
        # one warning is enough: not also the class+cellparams one of Population
        warnings.simplefilter("ignore", DeprecationWarning)
        return Population(n, cellclass, cellparams=cellparams)


def connect(pre, post, weight=0.0, delay=None, receptor_type=None, p=1, rng=None):
    """All-to-all connections with probability `p` (FixedProbabilityConnector) and a
    StaticSynapse(weight, delay); returns the Projection."""
    from pineal.connectors import FixedProbabilityConnector
    from pineal.projections import Projection
    from pineal.standardmodels import StaticSynapse

    _warn("connect", "Projection(pre, post, FixedProbabilityConnector(p), StaticSynapse(...))")
    pre, post = _group(pre, "connect"), _group(post, "connect")
    return Projection(pre, post, FixedProbabilityConnector(p_connect=p, rng=rng),
                      StaticSynapse(weight=weight, delay=delay), receptor_type=receptor_type)


def set(cells, **parameters):
    """cells.set(**parameters); for one cell write p[i].name = value instead."""
    _warn("set", "cells.set(...)")
    if not isinstance(cells, (BasePopulation, Assembly)):
        raise AttributeError("set(): for individual cells, set values with the parameter name, "
                             "e.g. population[0].tau_m = 20.0, or use set() on a view, e.g. "
                             "set(population[0:1], tau_m=20.0)")
    cells.set(**parameters)


def initialize(cells, **initial_values):
    """cells.initialize(**initial_values)."""
    _warn("initialize", "cells.initialize(...)")
    if not isinstance(cells, (BasePopulation, Assembly)):
        raise TypeError(f"initialize(): cells must be a Population, PopulationView or Assembly, "
                        f"got {type(cells).__name__}")
    cells.initialize(**initial_values)


def build_record(simulator=None):
    """PyNN's factory of the procedural record(); `simulator` is accepted for
    compatibility (pineal has one engine state)."""
    def record(variables, source, filename, sampling_interval=None, annotations=None):
        """Records `variables` of `source` (an ID, Population, view or Assembly); the
        file `filename` is written at end()."""
        _warn("record", "source.record(variables, to_file=filename)")
        source = _group(source, "record")
        source.record(variables, to_file=filename, sampling_interval=sampling_interval)
        if annotations:
            source.annotate(**annotations)
    return record


record = build_record()


def record_v(source, filename):
    record(["v"], source, filename)


def record_gsyn(source, filename):
    record(["gsyn_exc", "gsyn_inh"], source, filename)
