"""Per-connection access: Connection objects, prj[i], iteration, and PyNN's
deprecated printing/histogram helpers (pynn-api.md section 11)."""

import warnings

import numpy as np
import pytest
from pineal.connections import Connection
from stored import stored_weight


@pytest.fixture
def prj(sim):
    a = sim.Population(3, sim.IF_curr_exp(), label="a")
    b = sim.Population(2, sim.IF_curr_exp(), label="b")
    rows = [(0, 0, 0.1, 1.0), (2, 0, 0.2, 2.0), (1, 1, 0.3, 3.0), (2, 1, 0.4, 4.0)]
    return sim.Projection(a, b, sim.FromListConnector(rows, column_names=["weight", "delay"]))


def test_connections_follow_the_list_order(prj):
    rows = prj.get(["weight", "delay"], format="list")
    conns = prj.connections
    assert len(conns) == len(prj) == 4
    for c, row in zip(conns, rows):
        assert isinstance(c, Connection)
        assert (c.presynaptic_index, c.postsynaptic_index, c.weight, c.delay) == row
        assert c.as_tuple("weight", "delay") == row[2:]
    assert [c.as_tuple("delay") for c in prj] == [(r[3],) for r in rows]
    assert prj[-1].as_tuple("weight") == (rows[-1][2],)
    assert [c.presynaptic_index for c in prj[1:3]] == [r[0] for r in rows[1:3]]
    assert prj[0].presynaptic_cell == prj.pre[rows[0][0]]
    assert prj[0].postsynaptic_cell == prj.post[rows[0][1]]
    with pytest.raises(IndexError, match="4 connections"):
        prj[4]
    with pytest.raises(TypeError, match="integers or slices"):
        prj["a"]
    with pytest.raises(AttributeError, match="tau_rec"):
        prj[0].tau_rec  # noqa: B018 (the access itself must raise)


def test_setting_one_connection_changes_only_it(prj):
    before = prj.get(["weight", "delay"], format="list")
    c = prj[2]
    c.weight = 0.0123
    c.delay = 2.5
    after = prj.get(["weight", "delay"], format="list")
    for k, (old, new) in enumerate(zip(before, after)):
        if k == 2:
            assert new == old[:2] + (stored_weight(0.0123), 2.5)
        else:
            assert new == old
    assert (c.weight, c.delay) == (stored_weight(0.0123), 2.5)
    from pineal import errors

    with pytest.raises(errors.ConnectionError, match=">= 0"):
        c.weight = -1.0
    with pytest.raises(AttributeError, match="cannot set"):
        c.presynaptic_index = 1


def test_connections_are_made_only_when_asked_for(sim):
    a = sim.Population(200, sim.SpikeSourcePoisson(rate=1.0))
    b = sim.Population(300, sim.IF_curr_exp())
    big = sim.Projection(a, b, sim.AllToAllConnector(), sim.StaticSynapse(weight=0.1))
    conns = big.connections  # no Connection objects yet
    assert len(conns) == 60000
    last = conns[-1]
    assert (last.presynaptic_index, last.postsynaptic_index) == (199, 299)


def test_printing_and_histogram(prj, tmp_path, sim):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        prj.printWeights(str(tmp_path / "w.txt"))
        prj.printDelays(str(tmp_path / "d.txt"), format="array")
        prj.saveConnections(str(tmp_path / "c.txt"))
        counts, edges = prj.weightHistogram(nbins=3)
        counts2, edges2 = prj.weightHistogram(min=0.0, max=1.0, nbins=2)
        delays = prj.getSynapseDynamics("delay", format="array")
    assert sum(issubclass(c.category, DeprecationWarning) for c in caught) == 6
    w = np.loadtxt(tmp_path / "w.txt")
    np.testing.assert_array_equal(w[:, 2], [x for _, _, x in prj.get("weight", "list")])
    np.testing.assert_array_equal(np.loadtxt(tmp_path / "d.txt"), np.nan_to_num(delays))
    # saveConnections writes what FromFileConnector reads back
    again = sim.Projection(prj.pre, prj.post, sim.FromFileConnector(str(tmp_path / "c.txt")))
    assert again.get(["weight", "delay"], "list") == prj.get(["weight", "delay"], "list")
    weights = [stored_weight(x) for x in (0.1, 0.2, 0.3, 0.4)]
    np.testing.assert_allclose(edges, np.linspace(weights[0], weights[-1], 4))
    assert counts.tolist() == [1, 1, 2]  # 0.1 | 0.2 | 0.3, 0.4 (last bin closed)
    assert counts2.tolist() == [4, 0] and edges2.tolist() == [0.0, 0.5, 1.0]


def test_weight_histogram_of_an_empty_projection(sim):
    a = sim.Population(2, sim.IF_curr_exp())
    empty = sim.Projection(a, a, sim.FromListConnector([]))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        with pytest.raises(ValueError, match="no connections"):
            empty.weightHistogram()
        assert empty.weightHistogram(0.0, 1.0, 2)[0].tolist() == [0, 0]
    assert list(empty) == [] and len(empty.connections) == 0


def test_gather_values_all_give_every_connection(prj):
    # One process: gather=True, 'all' and False all hold every connection.
    rows = prj.get("weight", format="list")
    for gather in (True, "all", False):
        assert prj.get("weight", format="list", gather=gather) == rows
    assert prj.size(gather=False) == prj.size() == 4
