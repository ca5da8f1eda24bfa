"""Projection methods pineal does not support yet fail loudly, naming
themselves (never a silent no-op or a bare AttributeError); the deprecated
getters work over get()."""

import warnings

import numpy as np
import pytest

from stored import stored_weight


@pytest.fixture
def prj(sim):
    cells = sim.Population(3, sim.IF_curr_exp())
    return sim.Projection(cells, cells, sim.AllToAllConnector(),
                          sim.StaticSynapse(weight=0.1, delay=1.0))


@pytest.mark.parametrize("call, name", [
    (lambda p: p.set(weight=0.2), "Projection.set"),
    (lambda p: p.initialize(u=0.1), "Projection.initialize"),
    (lambda p: p.setWeights(0.2), "Projection.setWeights"),
    (lambda p: p.randomizeDelays(None), "Projection.randomizeDelays"),
    (lambda p: p[0], "Projection.__getitem__"),
    (lambda p: list(p), "Projection.__iter__"),
    (lambda p: p.connections, "Projection.connections"),
    (lambda p: p.weightHistogram(), "Projection.weightHistogram"),
])
def test_unsupported_methods_raise_naming_themselves(prj, call, name):
    with pytest.raises(NotImplementedError, match=name.replace(".", r"\.")):
        call(prj)


def test_deprecated_getters_read_the_stored_values(prj):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        weights = prj.getWeights()
        delays = prj.getDelays(format="array")
    assert weights == [stored_weight(0.1)] * 9
    np.testing.assert_array_equal(delays, np.full((3, 3), 1.0))
    assert sum(issubclass(w.category, DeprecationWarning) for w in caught) == 2
