"""Parameter values as functions of position (issue #8). PyNN's only callable
form for a cell parameter is f(i) of the cell index, called with an index
array (lazyarray); positions enter through population.positions (shared
reference 3.2). These tests pin that contract: one vectorised call, the
PyNN idiom over positions on populations and views, and a clear TypeError
for a callable that cannot take the index array."""

import numpy as np
import pytest
from pineal import space


def _counting(function):
    calls = []

    def wrapped(i):
        calls.append(np.asarray(i).copy())
        return function(i)
    return wrapped, calls


def test_function_of_position_through_the_index_is_one_vectorised_call(sim):
    p = sim.Population(12, sim.IF_curr_exp(), structure=space.Grid2D(aspect_ratio=3.0,
                                                                      dx=10.0, dy=5.0))
    x, y, _ = p.positions
    threshold, calls = _counting(lambda i: -55.0 + 0.1 * p.positions[0, i]
                                 - 0.2 * p.positions[1, i])
    p.set(v_thresh=threshold)
    assert len(calls) == 1, "evaluated once with every index, not cell by cell"
    np.testing.assert_array_equal(calls[0], np.arange(12))
    # the expected values computed independently from the positions
    np.testing.assert_allclose(p.get("v_thresh"), -55.0 + 0.1 * x - 0.2 * y, rtol=0, atol=1e-12)
    p.initialize(v=lambda i: -70.0 + np.hypot(*p.positions[:2, i]) / 10.0)
    p.record("v")
    sim.run(0.1)
    v0 = p.get_data().segments[0].analogsignals[0].magnitude[0]  # the sample at t = 0
    np.testing.assert_allclose(v0, -70.0 + np.hypot(x, y) / 10.0, rtol=0, atol=1e-12)


def test_on_a_view_the_index_is_the_views_own(sim):
    p = sim.Population(9, sim.IF_curr_exp(), structure=space.Grid2D(dx=2.0, dy=3.0))
    view = p[[7, 1, 4]]
    view.set(tau_m=lambda i: 10.0 + view.positions[0, i] + view.positions[1, i])
    expected = 10.0 + p.positions[0, [7, 1, 4]] + p.positions[1, [7, 1, 4]]
    np.testing.assert_allclose(p.get("tau_m")[[7, 1, 4]], expected, rtol=1e-15)
    untouched = np.setdiff1d(np.arange(9), [7, 1, 4])
    np.testing.assert_array_equal(p.get("tau_m")[untouched], 20.0)


def test_a_callable_of_x_y_z_is_a_clear_type_error(sim):
    p = sim.Population(4, sim.IF_curr_exp(), structure=space.Grid3D())
    with pytest.raises(TypeError, match=r"v_thresh: .*called with the cell indices.*"
                                        r"positions\[:, i\]"):
        p.set(v_thresh=lambda x, y, z: -50.0 + x)
    np.testing.assert_array_equal(p.get("v_thresh"), -50.0)  # nothing changed
    with pytest.raises(TypeError, match="tau_m: .*called with the cell indices"):
        sim.Population(4, sim.IF_curr_exp(tau_m=lambda x, y, z: 10.0 + z))


def test_a_type_error_inside_the_function_is_not_masked(sim):
    p = sim.Population(3, sim.IF_curr_exp())

    def broken(i):
        return i + "a"
    with pytest.raises(TypeError, match="unsupported operand|ufunc"):
        p.set(v_thresh=broken)
