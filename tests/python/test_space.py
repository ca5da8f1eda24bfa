"""Space and structures through the PyNN API: positions of every structure,
Population(structure=...), positions/nearest/save_positions, distances."""

import numpy as np
import pytest
from pineal import space
from pineal.errors import InvalidDimensionsError, InvalidParameterValueError
from pineal.random import NumpyRNG


def test_default_structure_is_a_line(sim):
    p = sim.Population(4, sim.IF_curr_exp())
    assert p.structure == space.Line()
    np.testing.assert_array_equal(p.positions, [[0, 1, 2, 3], [0] * 4, [0] * 4])


def test_grid2d_and_tuple_size(sim):
    p = sim.Population((3, 2), sim.IF_curr_exp())
    assert p.size == 6 and isinstance(p.structure, space.Grid2D)
    np.testing.assert_array_equal(p.positions[:2], [[0, 0, 1, 1, 2, 2], [0, 1, 0, 1, 0, 1]])
    g = sim.Population(8, sim.IF_curr_exp(), structure=space.Grid3D(dx=2.0, z0=1.0))
    np.testing.assert_array_equal(g.positions[:, 1], [0, 0, 2])  # z varies fastest
    with pytest.raises(ValueError):
        sim.Population((3, 2), sim.IF_curr_exp(), structure=space.Line())
    with pytest.raises(InvalidDimensionsError):
        _ = sim.Population(7, sim.IF_curr_exp(), structure=space.Grid2D()).positions


def test_random_fill_order_permutes_the_grid(sim):
    seq = sim.Population(16, sim.IF_curr_exp(), structure=space.Grid2D()).positions
    rnd = sim.Population(16, sim.IF_curr_exp(), structure=space.Grid2D(
        fill_order="random", rng=NumpyRNG(seed=3))).positions
    assert not np.array_equal(seq, rnd)
    assert sorted(map(tuple, seq.T)) == sorted(map(tuple, rnd.T))


def test_random_structure_is_inside_its_boundary_and_reproducible(sim):
    s = space.RandomStructure(space.Sphere(10.0), origin=(5, 0, 0), rng=NumpyRNG(seed=1))
    a = sim.Population(500, sim.IF_curr_exp(), structure=s).positions
    assert np.all(np.linalg.norm(a - [[5], [0], [0]], axis=0) <= 10.0)
    b = space.RandomStructure(space.Sphere(10.0), origin=(5, 0, 0),
                              rng=NumpyRNG(seed=1)).generate_positions(500)
    np.testing.assert_array_equal(a, b)
    c = space.RandomStructure(space.Cuboid(2, 4, 6)).generate_positions(300)
    assert np.all(np.abs(c) <= [[1], [2], [3]])


def test_positions_setter_nearest_and_save_positions(sim, tmp_path):
    p = sim.Population(3, sim.IF_curr_exp(), label="cells")
    p.positions = [[0, 10, 20], [0, 0, 0], [0, 0, 5]]
    assert p.structure is None
    assert p.nearest((11, 1, 0)) == p[1]
    assert p.position_generator(2).tolist() == [20, 0, 5]
    with pytest.raises(InvalidDimensionsError):
        p.positions = np.zeros((2, 3))
    f = tmp_path / "pos.txt"
    p.save_positions(str(f))
    assert "population = 'cells'" in f.read_text()
    np.testing.assert_array_equal(np.loadtxt(f), [[0, 0, 0, 0], [1, 10, 0, 0], [2, 20, 0, 5]])


def test_space_distances():
    A = np.array([[0.0, 1.0], [0, 0], [0, 0]])
    B = np.array([[3.0, 9.0], [4, 0], [12, 0]])
    np.testing.assert_allclose(space.Space().distances(A, B), [[13, 9], [np.sqrt(4 + 16 + 144), 8]])
    np.testing.assert_allclose(space.Space(axes="xy").distances(A, B)[0], [5, 9])
    periodic = space.Space(periodic_boundaries=((0, 10), None, None))
    assert periodic.distances(A[:, 1:], B[:, 1:])[0, 0] == 2.0  # 9 -> nearest image of 1
    scaled = space.Space(scale_factor=2.0, offset=(-1.5, -2.0, -6.0))
    assert scaled.distances(A[:, :1], B[:, :1])[0, 0] == 13.0
    with pytest.raises(InvalidParameterValueError):
        space.Space(axes="xw")
