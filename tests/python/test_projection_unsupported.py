"""PyNN's deprecated Projection getters work over get() (the setters and
per-connection access: test_projection_set.py, test_projection_connections.py)."""

import warnings

import numpy as np
import pytest
from stored import stored_weight


@pytest.fixture
def prj(sim):
    cells = sim.Population(3, sim.IF_curr_exp())
    return sim.Projection(cells, cells, sim.AllToAllConnector(),
                          sim.StaticSynapse(weight=0.1, delay=1.0))


def test_deprecated_getters_read_the_stored_values(prj):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        weights = prj.getWeights()
        delays = prj.getDelays(format="array")
    assert weights == [stored_weight(0.1)] * 9
    np.testing.assert_array_equal(delays, np.full((3, 3), 1.0))
    assert sum(issubclass(w.category, DeprecationWarning) for w in caught) == 2
