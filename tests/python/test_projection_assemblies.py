"""Projections with an Assembly side: one core projection per pair of members,
for connectors that decide every pair of cells on its own (AllToAll,
FixedProbability); indices are assembly indices, self-connections are
decided by cell id, and an error in a later pair leaves nothing built."""

import numpy as np
import pineal
import pytest
from pineal.errors import ConnectionError, InvalidDimensionsError
from pineal.random import NumpyRNG, RandomDistribution
from pineal.simulator import state
from stored import stored_weight


def pairs(prj):
    return sorted((int(i), int(j)) for i, j, *_ in prj.get("weight", format="list"))


def ids(cells):
    return np.asarray(cells.all_cells, dtype=np.int64)


def test_all_to_all_between_assemblies_uses_assembly_indices_and_ids(sim):
    p = sim.Population(6, sim.IF_curr_exp())
    q = sim.Population(5, sim.IF_curr_exp())
    a = p[0:3] + q[2:5]
    b = q[0:4] + p[[1, 4]]
    w = np.arange(36, dtype=float).reshape(6, 6) / 7 + 0.1
    prj = sim.Projection(a, b, sim.AllToAllConnector(allow_self_connections=False),
                         sim.StaticSynapse(weight=w, delay=0.5))
    ia, ib = ids(a), ids(b)
    expected = [(i, j) for i in range(6) for j in range(6) if ia[i] != ib[j]]
    assert len(expected) == 36 - 3  # cells p[1], q[2], q[3] are on both sides
    assert pairs(prj) == expected
    got = prj.get("weight", format="array")
    allowed = ia[:, None] != ib[None, :]
    np.testing.assert_array_equal(got[allowed], w.astype(np.float32).astype(float)[allowed])
    assert np.all(np.isnan(got[~allowed]))
    assert prj.shape == (6, 6) and len(prj) == 33
    # a Population on one side, an Assembly on the other
    assert pairs(sim.Projection(p, b, sim.AllToAllConnector())) == \
        [(i, j) for i in range(6) for j in range(6)]


def test_fixed_probability_statistics_per_member_pair(sim):
    p = sim.Population(300, sim.IF_curr_exp())
    q = sim.Population(200, sim.IF_cond_exp())  # current- and conductance-based sources
    r = sim.Population(250, sim.IF_curr_exp())
    pre, post = p + q, r[0:100] + p[100:250]
    prj = sim.Projection(pre, post, sim.FixedProbabilityConnector(
        0.25, allow_self_connections=False, rng=NumpyRNG(seed=77)))
    data = np.array(pairs(prj))
    # block counts: binomial; 150 self pairs (p[100:250] onto itself) excluded
    blocks = {(0, 0): 300 * 100, (0, 1): 300 * 150 - 150, (1, 0): 200 * 100, (1, 1): 200 * 150}
    for (bi, bj), n in blocks.items():
        in_i = (data[:, 0] >= 300) == bool(bi)
        in_j = (data[:, 1] >= 100) == bool(bj)
        count = np.sum(in_i & in_j)
        mean, sd = n * 0.25, np.sqrt(n * 0.25 * 0.75)
        assert abs(count - mean) < 5 * sd, (bi, bj)  # fixed seed; 5 sigma
    assert not np.any(ids(pre)[data[:, 0]] == ids(post)[data[:, 1]])


def connections(threads, ranks):
    pineal.setup(threads=threads, virtual_ranks=ranks, rng_seed=3)
    p = pineal.Population(30, pineal.IF_curr_exp())
    q = pineal.Population(17, pineal.IF_curr_exp())
    w = RandomDistribution("uniform", (0.1, 0.5), rng=NumpyRNG(seed=9))
    prj = pineal.Projection(p[3:20] + q, q[::2] + p, pineal.FixedProbabilityConnector(
        0.3, allow_self_connections=False), pineal.StaticSynapse(weight=w, delay=0.7))
    out = prj.get(["weight", "delay"], format="list")
    pineal.end()
    return out


def test_assembly_connections_do_not_depend_on_threads_or_virtual_ranks():
    one = connections(1, 1)
    assert len(one) > 100
    assert one == connections(2, 2)  # same order too: the canonical one


def test_spikes_from_an_assembly_reach_its_targets(sim):
    s1 = sim.Population(2, sim.SpikeSourceArray(spike_times=[[3.0], [30.0]]))
    s2 = sim.Population(1, sim.SpikeSourceArray(spike_times=[[6.0]]))
    c1 = sim.Population(3, sim.IF_curr_exp())
    c2 = sim.Population(3, sim.IF_curr_exp())
    sim.Projection(s1[[0]] + s2, c1[[2]] + c2[0:1], sim.AllToAllConnector(),
                   sim.StaticSynapse(weight=1.0, delay=1.0))
    (c1 + c2).record("v")
    sim.run(10.0)
    v = np.asarray((c1 + c2).get_data().segments[0].analogsignals[0])
    moved = np.any(v != -65.0, axis=0)
    assert moved.tolist() == [False, False, True, True, False, False]


def test_unsupported_and_bad_input(sim):
    p = sim.Population(4, sim.IF_curr_exp())
    q = sim.Population(4, sim.IF_cond_exp())
    a = p[0:2] + p[2:4]
    for c in (sim.FixedNumberPreConnector(1), sim.FixedTotalNumberConnector(3),
              sim.OneToOneConnector(), sim.FromListConnector([(0, 0)])):
        with pytest.raises(NotImplementedError, match=f"Assembly side and {type(c).__name__}"):
            sim.Projection(a, p, c)
    with pytest.raises(NotImplementedError, match="function of distance"):
        sim.Projection(p, a, sim.AllToAllConnector(), sim.StaticSynapse(weight="0.1 + d"))
    with pytest.raises(ConnectionError, match="mix current- and conductance-based"):
        sim.Projection(p, p + q, sim.AllToAllConnector())
    with pytest.raises(InvalidDimensionsError, match=r"\(4, 4\)"):
        sim.Projection(p, a, sim.AllToAllConnector(), sim.StaticSynapse(weight=np.ones((4, 2))))
    # the second pair of members fails (a delay below dt): the first is dropped too
    d = np.full((4, 4), 1.0)
    d[0, 3] = 0.01
    with pytest.raises(ConnectionError, match="below the minimum delay"):
        sim.Projection(p, a, sim.AllToAllConnector(), sim.StaticSynapse(weight=0.1, delay=d))
    assert state.projections == []
    prj = sim.Projection(p, a, sim.AllToAllConnector(), sim.StaticSynapse(weight=0.1))
    assert prj._parts[0][0] == 0 and len(prj) == 16  # nothing was left in the core
    assert prj.get("weight", format="list")[0] == (0, 0, stored_weight(0.1))
