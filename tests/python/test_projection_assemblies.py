"""Projections with an Assembly side: one core projection per pair of members,
for connectors that decide every pair of cells on its own (AllToAll,
FixedProbability), the others generated over the whole Assembly; indices are
assembly indices, self-connections are decided by cell id, and an error in a
later pair leaves nothing built."""

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
    with pytest.raises(ConnectionError, match="index"):
        sim.Projection(a, p, sim.FromListConnector([(0, 4)]))  # p has 4 cells: 0..3
    with pytest.raises(ConnectionError, match="cannot make 17 distinct connections"):
        sim.Projection(a, p, sim.FixedTotalNumberConnector(17, with_replacement=False))
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


# -- connectors that draw across the whole side or use its indices/positions --

def whole_side_connectors():
    """(name, connector factory, synapse) for every connector realised over the
    whole Assembly; each factory gives a fresh RNG with the same seed."""
    def rng():
        return NumpyRNG(seed=31)

    rows = [(0, 3, 0.5, 1.5), (7, 3, 0.25, 2.0), (11, 0, 1.0, 0.5), (7, 3, 0.75, 1.0)]
    mask = (np.arange(12 * 12).reshape(12, 12) % 5 == 0)
    return [
        ("FixedNumberPre", lambda: sim_.FixedNumberPreConnector(4, allow_self_connections=False,
                                                                rng=rng()), None),
        ("FixedNumberPre with replacement", lambda: sim_.FixedNumberPreConnector(
            5, with_replacement=True, rng=rng()), None),
        ("FixedNumberPost", lambda: sim_.FixedNumberPostConnector(3, rng=rng()), None),
        ("FixedTotalNumber", lambda: sim_.FixedTotalNumberConnector(
            40, with_replacement=False, allow_self_connections=False, rng=rng()), None),
        ("FixedTotalNumber NoMutual", lambda: sim_.FixedTotalNumberConnector(
            20, allow_self_connections="NoMutual", rng=rng()), None),
        ("FixedProbability NoMutual", lambda: sim_.FixedProbabilityConnector(
            0.5, allow_self_connections="NoMutual", rng=rng()), None),
        ("OneToOne", lambda: sim_.OneToOneConnector(), None),
        ("FromList", lambda: sim_.FromListConnector(rows, column_names=["weight", "delay"]),
         None),
        ("Array", lambda: sim_.ArrayConnector(mask), None),
        ("DistanceDependent", lambda: sim_.DistanceDependentProbabilityConnector(
            "0.9*exp(-d/150)", allow_self_connections=False, rng=rng()), None),
        ("SmallWorld", lambda: sim_.SmallWorldConnector(250.0, 0.3, rng=rng()), None),
        ("IndexBased", lambda: sim_.IndexBasedProbabilityConnector(
            lambda i, j: ((i + j) % 3 == 0) * 0.8, rng=rng()), None),
        ("weights of distance", lambda: sim_.AllToAllConnector(),
         lambda: sim_.StaticSynapse(weight="0.1 + d/1000", delay="0.5 + d/500")),
        ("weight callable", lambda: sim_.AllToAllConnector(),
         lambda: sim_.StaticSynapse(weight=lambda d: 0.2 + d / 2000, delay=1.0)),
    ]


sim_ = pineal


@pytest.mark.parametrize("case", range(len(whole_side_connectors())),
                         ids=[c[0] for c in whole_side_connectors()])
def test_an_assembly_of_a_population_s_parts_connects_as_the_population(sim, case):
    """Assembly(p[0:5], p[5:12]) is p's cells in p's order with p's ids and
    positions: every connector must give exactly p's connections (same seed)."""
    _, connector, synapse = whole_side_connectors()[case]
    grid = sim.space.Grid2D(dx=100.0, dy=100.0, aspect_ratio=3.0 / 4.0)
    p = sim.Population(12, sim.IF_curr_exp(), structure=grid)
    syn = synapse() if synapse else sim.StaticSynapse(weight=0.1, delay=1.0)
    whole = sim.Projection(p, p, connector(), syn)
    parts = p[0:5] + p[5:12]
    assert len(parts.populations) == 2
    syn = synapse() if synapse else sim.StaticSynapse(weight=0.1, delay=1.0)
    assembled = sim.Projection(parts, parts, connector(), syn)
    expected = whole.get(["weight", "delay"], format="list")
    assert len(expected) > 0
    assert assembled.get(["weight", "delay"], format="list") == expected
    assert len(assembled._parts) == 4  # one core projection per member pair


def test_fixed_number_pre_over_an_assembly_out_of_creation_order(sim):
    """In-degree n over the whole Assembly, drawn from all its cells; the
    self-pair (by cell id) is excluded although ids do not ascend."""
    p = sim.Population(30, sim.IF_curr_exp())
    q = sim.Population(20, sim.IF_cond_exp())
    r = sim.Population(10, sim.IF_curr_exp())
    pre = q + p[10:30] + r           # ids not ascending: q was created after p
    post = r + p[0:20]               # p[10:20] on both sides
    prj = sim.Projection(pre, post, sim.FixedNumberPreConnector(
        25, allow_self_connections=False, rng=NumpyRNG(seed=5)),
        sim.StaticSynapse(weight=0.2, delay=1.0))
    data = np.array(pairs(prj))
    counts = np.bincount(data[:, 1], minlength=post.size)
    assert counts.tolist() == [25] * post.size
    assert not np.any(ids(pre)[data[:, 0]] == ids(post)[data[:, 1]])
    # distinct sources per target (without replacement)
    assert len({(i, j) for i, j in data}) == len(data)
    # sources come from every member: 25 of 49 or 50 candidates, members of 20/20/10
    members = np.searchsorted([20, 40], data[:, 0], side="right")
    share = np.bincount(members, minlength=3) / len(data)
    # each source is chosen with probability about 25/50; 5 sigma on the shares
    n = len(data)
    for k, size in enumerate((20, 20, 10)):
        expected = size / 50
        assert abs(share[k] - expected) < 5 * np.sqrt(expected * (1 - expected) / n) + 0.02


def test_fixed_total_number_over_an_assembly_is_exact_and_spans_the_members(sim):
    p = sim.Population(40, sim.IF_curr_exp())
    q = sim.Population(60, sim.IF_curr_exp())
    prj = sim.Projection(q + p, p + q, sim.FixedTotalNumberConnector(
        3000, with_replacement=False, rng=NumpyRNG(seed=8)))
    data = np.array(pairs(prj))
    assert len(data) == 3000 and len({(i, j) for i, j in data}) == 3000
    # pairs uniform over the 100 x 100: the q->p block (60 x 40 of 10^4) holds
    # a hypergeometric count, mean 720, sd < 25
    block = np.sum((data[:, 0] < 60) & (data[:, 1] < 40))
    assert abs(block - 720) < 5 * 25


def test_a_failure_on_the_list_path_leaves_nothing(sim):
    p = sim.Population(5, sim.IF_curr_exp())
    a = p[0:2] + p[2:5]
    with pytest.raises(ConnectionError, match="below the minimum delay"):
        sim.Projection(a, a, sim.FromListConnector([(0, 0, 0.1, 1.0), (4, 4, 0.1, 0.01)]))
    assert state.projections == []
    assert len(sim.Projection(a, a, sim.OneToOneConnector())) == 5


def whole_assembly_connections(threads, ranks):
    pineal.setup(threads=threads, virtual_ranks=ranks, rng_seed=3)
    p = pineal.Population(30, pineal.IF_curr_exp())
    q = pineal.Population(17, pineal.IF_curr_exp())
    w = RandomDistribution("uniform", (0.1, 0.5), rng=NumpyRNG(seed=9))
    prj = pineal.Projection(q + p[3:20], q[::2] + p, pineal.FixedNumberPreConnector(
        5, allow_self_connections=False), pineal.StaticSynapse(weight=w, delay=0.7))
    out = prj.get(["weight", "delay"], format="list")
    pineal.end()
    return out


def test_whole_assembly_connections_do_not_depend_on_threads_or_virtual_ranks():
    one = whole_assembly_connections(1, 1)
    assert len(one) == 5 * (9 + 30)
    assert one == whole_assembly_connections(2, 2)
