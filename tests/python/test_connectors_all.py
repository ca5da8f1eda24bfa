"""Every PyNN connector through the API: exact results for the deterministic
ones, counts for the random ones (the statistics are in the C++ tests),
distance expressions and callables for weights, save -> FromFile round trip,
independence of threads/virtual ranks, and bad input."""

import numpy as np
import pineal
import pytest
from pineal import space
from pineal.core import IndexBasedExpression
from pineal.errors import ConnectionError, InvalidDimensionsError, InvalidParameterValueError
from pineal.random import NumpyRNG, RandomDistribution
from stored import stored_weight


def pairs(prj):
    return sorted((int(i), int(j)) for i, j, *_ in prj.get("weight", format="list"))


def line(sim, n, **kw):
    return sim.Population(n, sim.IF_curr_exp(), structure=space.Line(**kw))


def test_distance_dependent_step_is_exact(sim):
    p = line(sim, 12)
    prj = sim.Projection(p, p, sim.DistanceDependentProbabilityConnector(
        "d < 2.5", allow_self_connections=False))
    assert pairs(prj) == [(i, j) for i in range(12) for j in range(12) if 0 < abs(i - j) <= 2]


def test_distance_dependent_uses_the_projection_space(sim):
    p = line(sim, 10)
    ring = space.Space(periodic_boundaries=((0, 10), None, None))
    prj = sim.Projection(p, p, sim.DistanceDependentProbabilityConnector("d <= 1"), space=ring)
    assert (9, 0) in pairs(prj) and (0, 9) in pairs(prj) and len(prj) == 30


def test_displacement_dependent_and_index_based_are_exact_for_0_1(sim):
    p = line(sim, 8)
    right = sim.DisplacementDependentProbabilityConnector(lambda d: (d[0] > 0).astype(float))
    assert pairs(sim.Projection(p, p, right)) == [(i, j) for i in range(8) for j in range(8)
                                                  if j > i]

    class Upper(IndexBasedExpression):
        def __call__(self, i, j):
            return (i < j).astype(float)

    assert pairs(sim.Projection(p, p, sim.IndexBasedProbabilityConnector(Upper()))) == \
        [(i, j) for i in range(8) for j in range(8) if j > i]


def test_no_mutual_keeps_pairs_with_pre_index_above_post_index(sim):
    p, q = line(sim, 6), line(sim, 6)
    lower = [(i, j) for i in range(6) for j in range(6) if i > j]
    assert pairs(sim.Projection(p, p, sim.FixedProbabilityConnector(
        1.0, allow_self_connections="NoMutual"))) == lower
    assert len(sim.Projection(p, q, sim.FixedProbabilityConnector(
        1.0, allow_self_connections="NoMutual"))) == 36  # other population: every pair
    half = pairs(sim.Projection(p, p, sim.FixedProbabilityConnector(
        0.5, allow_self_connections="NoMutual")))
    assert half and set(half) <= set(lower)
    assert pairs(sim.Projection(p, p, sim.DistanceDependentProbabilityConnector(
        "d < 2.5", allow_self_connections="NoMutual"))) == [(i, j) for i, j in lower if i - j <= 2]

    class Everything(IndexBasedExpression):
        def __call__(self, i, j):
            return np.ones(i.shape)

    assert pairs(sim.Projection(p, p, sim.IndexBasedProbabilityConnector(
        Everything(), allow_self_connections="NoMutual"))) == lower
    with pytest.raises(NotImplementedError, match="NoMutual"):
        sim.AllToAllConnector(allow_self_connections="NoMutual")


def test_fixed_number_connectors(sim):
    a, b = line(sim, 30), line(sim, 40)
    pre = sim.Projection(a, b, sim.FixedNumberPreConnector(5, rng=NumpyRNG(seed=1)))
    assert np.all(np.bincount([j for _, j in pairs(pre)], minlength=40) == 5)
    assert len(set(pairs(pre))) == 200  # distinct without replacement
    post = sim.Projection(a, b, sim.FixedNumberPostConnector(3, rng=NumpyRNG(seed=1)))
    assert np.all(np.bincount([i for i, _ in pairs(post)], minlength=30) == 3)
    n = RandomDistribution("uniform_int", (2, 5), rng=NumpyRNG(seed=4))
    rnd = sim.Projection(a, b, sim.FixedNumberPreConnector(n))
    counts = np.bincount([j for _, j in pairs(rnd)], minlength=40)
    assert counts.min() >= 2 and counts.max() <= 4
    total = sim.Projection(a, a, sim.FixedTotalNumberConnector(
        870, allow_self_connections=False, with_replacement=False))
    assert pairs(total) == [(i, j) for i in range(30) for j in range(30) if i != j]


def test_small_world_without_rewiring_is_the_local_graph(sim):
    p = line(sim, 20)
    prj = sim.Projection(p, p, sim.SmallWorldConnector(degree=2, rewiring=0.0,
                                                       allow_self_connections=False))
    assert pairs(prj) == [(i, j) for i in range(20) for j in range(20) if 0 < abs(i - j) < 2]


def test_array_clone_and_csa_connectors(sim):
    a, b = line(sim, 3), line(sim, 4)
    mask = np.zeros((3, 4), dtype=bool)
    mask[0, 1] = mask[2, 3] = mask[2, 0] = True
    arr = sim.Projection(a, b, sim.ArrayConnector(mask))
    assert pairs(arr) == [(0, 1), (2, 0), (2, 3)]
    clone = sim.Projection(a, b, sim.CloneConnector(arr), sim.StaticSynapse(weight=0.7))
    assert pairs(clone) == pairs(arr)
    assert {w for *_, w in clone.get("weight", format="list")} == {stored_weight(0.7)}
    with pytest.raises(ConnectionError):
        sim.Projection(b, a, sim.CloneConnector(arr))
    csa = pytest.importorskip("csa")
    one = sim.Projection(a, b, sim.CSAConnector(csa.oneToOne))
    assert pairs(one) == [(0, 0), (1, 1), (2, 2)]
    valued = sim.Projection(a, b, sim.CSAConnector(csa.cset(csa.oneToOne, 0.25, 2.0)))
    assert valued.get(["weight", "delay"], format="list") == [(0, 0, 0.25, 2.0),
                                                             (1, 1, 0.25, 2.0),
                                                             (2, 2, 0.25, 2.0)]


def test_save_then_from_file_round_trip(sim, tmp_path):
    a, b = line(sim, 20), line(sim, 15)
    w = RandomDistribution("uniform", (0.1, 0.9), rng=NumpyRNG(seed=2))
    prj = sim.Projection(a, b, sim.FixedProbabilityConnector(0.3, rng=NumpyRNG(seed=3)),
                         sim.StaticSynapse(weight=w, delay=1.5))
    f = tmp_path / "conn.txt"
    prj.save("all", str(f))
    assert f.read_text().startswith("# columns = ['i', 'j', 'weight', 'delay']")
    back = sim.Projection(a, b, sim.FromFileConnector(str(f)))
    assert sorted(back.get(["weight", "delay"], format="list")) == \
        sorted(prj.get(["weight", "delay"], format="list"))


def test_save_array_format_writes_zero_for_missing(sim, tmp_path):
    a, b = line(sim, 2), line(sim, 3)
    mask = np.array([[True, False, False], [False, False, True]])
    prj = sim.Projection(a, b, sim.ArrayConnector(mask), sim.StaticSynapse(weight=0.5))
    f = tmp_path / "w.txt"
    prj.save("weight", str(f), format="array")
    np.testing.assert_array_equal(np.loadtxt(f), [[0.5, 0, 0], [0, 0, 0.5]])
    assert len(sim.Projection(a, b, sim.ArrayConnector(np.zeros((2, 3))))) == 0


def test_weights_and_delays_as_functions_of_distance(sim):
    a, b = line(sim, 4), line(sim, 3, x0=100.0)
    prj = sim.Projection(a, b, sim.AllToAllConnector(),
                         sim.StaticSynapse(weight="0.1 + d/1000", delay="1 + d/100"))
    for i, j, w, d in prj.get(["weight", "delay"], format="list"):
        dist = 100.0 + j - i
        assert w == stored_weight(0.1 + dist / 1000)  # stored as float32
        assert d == pytest.approx(round((1 + dist / 100) / 0.1) * 0.1, rel=1e-12)
    slow = sim.Projection(a, b, sim.AllToAllConnector(),
                          sim.StaticSynapse(weight=lambda d: 0.1 + d / 1000))
    np.testing.assert_allclose(slow.get("weight", format="array"),
                               prj.get("weight", format="array"), rtol=1e-14)


def connections(threads, virtual_ranks):
    pineal.setup(threads=threads, virtual_ranks=virtual_ranks, rng_seed=11)
    p = pineal.Population(60, pineal.IF_curr_exp(), structure=space.Grid2D(aspect_ratio=15 / 4))
    w = RandomDistribution("uniform", (0.1, 0.5), rng=NumpyRNG(seed=9))
    out = []
    for c in (pineal.FixedProbabilityConnector(0.2), pineal.FixedNumberPreConnector(4),
              pineal.FixedNumberPostConnector(4), pineal.FixedTotalNumberConnector(300),
              pineal.FixedTotalNumberConnector(300, with_replacement=False),
              pineal.DistanceDependentProbabilityConnector("exp(-d/2)"),
              pineal.SmallWorldConnector(2.0, 0.3)):
        prj = pineal.Projection(p, p, c, pineal.StaticSynapse(weight=w, delay="0.5 + d/10"))
        out.append(sorted(prj.get(["weight", "delay"], format="list")))
    pineal.end()
    return out


def test_connections_do_not_depend_on_threads_or_virtual_ranks():
    assert connections(1, 1) == connections(2, 2)


def test_bad_input(sim, tmp_path):
    p = line(sim, 5)
    with pytest.raises(InvalidParameterValueError, match="position 7"):
        sim.DistanceDependentProbabilityConnector("exp(-d/")
    with pytest.raises(InvalidParameterValueError, match="unknown name 'r'"):
        sim.StaticSynapse(weight="0.1 + r")
    with pytest.raises(InvalidParameterValueError, match=r"\[0, 1\]"):
        sim.Projection(p, p, sim.DistanceDependentProbabilityConnector("1.5 * exp(-d)"))
    with pytest.raises(InvalidParameterValueError, match=r"pair \(0, 0\)"):
        sim.Projection(p, p, sim.DisplacementDependentProbabilityConnector(
            lambda d: np.full(d.shape[1], 2.0)))
    with pytest.raises(InvalidParameterValueError, match="n must be"):
        sim.FixedNumberPreConnector(-1)
    with pytest.raises(ConnectionError, match="distinct connections"):
        sim.Projection(p, p, sim.FixedTotalNumberConnector(26, with_replacement=False))
    with pytest.raises(InvalidParameterValueError, match="rewiring"):
        sim.SmallWorldConnector(1.0, 1.5)
    with pytest.raises(NotImplementedError, match="n_connections with allow_self"):
        sim.SmallWorldConnector(1.0, 0.5, n_connections=3, allow_self_connections="NoMutual")
    with pytest.raises(InvalidParameterValueError, match="n must be"):
        sim.SmallWorldConnector(1.0, 0.5, n_connections=2.5)
    with pytest.raises(ConnectionError, match="source 0 has 1 cells closer than degree"):
        sim.Projection(p, p, sim.SmallWorldConnector(1.5, 0.0, n_connections=2,
                                                     allow_self_connections=False))
    with pytest.raises(InvalidDimensionsError):
        sim.Projection(p, p, sim.ArrayConnector(np.ones((5, 4))))
    with pytest.raises(FileNotFoundError):
        sim.FromFileConnector(str(tmp_path / "missing.txt"))
    bad = tmp_path / "bad.txt"
    bad.write_text("# columns = ['i', 'j', 'weight']\n0 1 0.5\n1 2\n")
    with pytest.raises(ValueError, match="malformed row"):
        sim.FromFileConnector(str(bad))
    out_of_range = tmp_path / "range.txt"
    out_of_range.write_text("0 7 0.1 1.0\n")
    with pytest.raises(ConnectionError, match="post index 7"):
        sim.Projection(p, p, sim.FromFileConnector(str(out_of_range)))
    assert len(pineal.simulator.state.projections) == 0  # nothing half-built


def small_world_n(threads, ranks, rewiring=0.3, allow_self=False):
    pineal.setup(threads=threads, virtual_ranks=ranks, rng_seed=2)
    p = pineal.Population(400, pineal.IF_curr_exp(), structure=space.Grid2D(dx=1.0, dy=1.0))
    prj = pineal.Projection(p, p, pineal.SmallWorldConnector(
        3.0, rewiring, n_connections=6, allow_self_connections=allow_self,
        rng=NumpyRNG(seed=11)))
    out = np.array(pairs(prj)), p.positions
    pineal.end()
    return out


def test_small_world_n_connections_is_the_out_degree():
    """n_connections: exactly n efferent connections per cell, targets among
    the cells closer than degree, each rewired with probability `rewiring`."""
    data, pos = small_world_n(1, 1, rewiring=0.0)
    assert np.bincount(data[:, 0], minlength=400).tolist() == [6] * 400
    d = np.sqrt(((pos[:, data[:, 0]] - pos[:, data[:, 1]]) ** 2).sum(0))
    assert np.all(d < 3.0) and np.all(data[:, 0] != data[:, 1])
    assert len({tuple(r) for r in data}) == len(data)  # distinct targets per source
    # rewiring 0.3: a rewired target is uniform over the 399 other cells, so it
    # lies beyond degree with probability 1 - (local cells)/399
    data, pos = small_world_n(1, 1)
    assert np.bincount(data[:, 0], minlength=400).tolist() == [6] * 400
    all_d = np.sqrt(((pos[:, :, None] - pos[:, None, :]) ** 2).sum(0))
    local = (all_d < 3.0).sum(1) - 1  # minus self
    q = 0.3 * (1 - local[data[:, 0]] / 399)
    far = all_d[data[:, 0], data[:, 1]] >= 3.0
    assert abs(far.sum() - q.sum()) < 5 * np.sqrt((q * (1 - q)).sum())  # fixed seed, 5 sigma
    assert not np.any(data[:, 0] == data[:, 1])
    # independent of threads and virtual ranks
    assert np.array_equal(small_world_n(2, 2)[0], data)
