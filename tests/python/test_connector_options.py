"""The options every connector takes: safe (weight-sign checks), callback
(progress), and FromFileConnector(distributed=True)."""

import numpy as np
import pineal
import pytest
from pineal.errors import ConnectionError
from pineal.random import NumpyRNG
from pineal.simulator import state
from stored import stored_weight


def pairs(prj):
    return [(int(i), int(j)) for i, j, *_ in prj.get("weight", format="list")]


def test_safe_true_checks_weight_signs(sim):
    a, b = sim.Population(3, sim.IF_curr_exp()), sim.Population(4, sim.IF_curr_exp())
    with pytest.raises(ConnectionError, match="weight"):
        sim.Projection(a, b, sim.AllToAllConnector(safe=True), sim.StaticSynapse(weight=0.5),
                       receptor_type="inhibitory")
    with pytest.raises(ConnectionError, match="weight"):
        sim.Projection(a, b, sim.AllToAllConnector(), sim.StaticSynapse(weight=-0.5),
                       receptor_type="excitatory")


@pytest.mark.parametrize("weight,receptor", [(0.5, "inhibitory"), (-0.3, "excitatory")])
def test_safe_false_skips_weight_sign_checks(sim, weight, receptor):
    a, b = sim.Population(3, sim.IF_curr_exp()), sim.Population(4, sim.IF_curr_exp())
    prj = sim.Projection(a, b, sim.AllToAllConnector(safe=False),
                         sim.StaticSynapse(weight=weight), receptor_type=receptor)
    w = prj.get("weight", format="array")
    assert w.shape == (3, 4) and np.all(w == stored_weight(weight))


def test_safe_must_be_a_bool(sim):
    with pytest.raises(TypeError, match="safe"):
        sim.FixedProbabilityConnector(0.5, safe="no")


def test_callback_reports_progress_every_percent_of_the_targets(sim):
    calls = []
    a, b = sim.Population(20, sim.IF_curr_exp()), sim.Population(300, sim.IF_curr_exp())
    connector = sim.FixedProbabilityConnector(0.2, rng=NumpyRNG(seed=4), callback=calls.append)
    assert calls == []
    prj = sim.Projection(a, b, connector)
    # one thread: every 3 targets (1 % of 300), the last report being 1.0
    assert calls == [3 * k / 300 for k in range(1, 101)] and len(prj) > 0


def test_callback_with_two_threads_increases_to_1():
    calls = []
    pineal.setup(threads=2)
    a = pineal.Population(10, pineal.IF_curr_exp())
    b = pineal.Population(1000, pineal.IF_curr_exp())
    pineal.Projection(a, b, pineal.FixedNumberPreConnector(3, callback=calls.append))
    pineal.end()
    assert np.all(np.diff(calls) > 0) and calls[-1] == 1.0 and len(calls) > 10


@pytest.mark.parametrize("connector", ["AllToAllConnector", "FixedNumberPreConnector"])
def test_callback_on_an_assembly_projection_spans_the_whole_projection(sim, connector):
    """Per member pair (AllToAll) or over the whole Assembly (FixedNumberPre)."""
    calls = []
    a, b = sim.Population(30, sim.IF_curr_exp()), sim.Population(400, sim.IF_curr_exp())
    c = getattr(sim, connector)(*([2] if connector != "AllToAllConnector" else []),
                                callback=calls.append)
    sim.Projection(a + b, b, c)
    assert np.all(np.diff(calls) > 0) and calls[-1] == 1.0 and len(calls) >= 100


def test_a_callback_that_raises_stops_the_projection(sim):
    """The callback's exception reaches the caller unchanged; nothing is kept."""
    p, q = sim.Population(50, sim.IF_curr_exp()), sim.Population(10, sim.IF_curr_exp())

    def fail(fraction):
        if fraction > 0.5:
            raise KeyboardInterrupt("stop")

    # on the engine's threads, and over a whole Assembly (the list path)
    for pre, c in ((p, sim.FixedProbabilityConnector(0.5, callback=fail)),
                   (p + q, sim.FixedNumberPostConnector(2, callback=fail))):
        with pytest.raises(KeyboardInterrupt, match="stop"):
            sim.Projection(pre, p, c)
    assert state.projections == []
    prj = sim.Projection(p, p, sim.OneToOneConnector())
    assert prj._parts[0][0] == 0 and len(prj) == 50  # nothing was left in the core


def test_callback_not_called_when_generation_fails(sim):
    calls = []
    p = sim.Population(5, sim.IF_curr_exp())
    with pytest.raises(ConnectionError):
        sim.Projection(p, p, sim.FixedTotalNumberConnector(26, with_replacement=False,
                                                           callback=calls.append))
    assert calls == []


def test_callback_must_be_callable(sim):
    with pytest.raises(TypeError, match="callback"):
        sim.OneToOneConnector(callback=3)


def test_from_file_distributed_reads_the_rank_file(sim, tmp_path):
    a, b = sim.Population(3, sim.IF_curr_exp()), sim.Population(4, sim.IF_curr_exp())
    base = tmp_path / "conn.txt"
    (tmp_path / "conn.txt.0").write_text("# columns = ['i', 'j', 'weight', 'delay']\n"
                                         "0 1 0.25 1.5\n2 3 0.5 2.0\n")
    base.write_text("0 0 0.1 1.0\n")  # the undistributed file: not read
    prj = sim.Projection(a, b, sim.FromFileConnector(str(base), distributed=True))
    assert sorted(prj.get(["weight", "delay"], format="list")) == \
        [(0, 1, 0.25, 1.5), (2, 3, 0.5, 2.0)]
    with pytest.raises(FileNotFoundError, match=r"other\.txt\.0"):
        sim.FromFileConnector(str(tmp_path / "other.txt"), distributed=True)
    with pytest.raises(TypeError, match="distributed"):
        sim.FromFileConnector(str(base), distributed="yes")


# allow_self_connections='NoMutual' within one population: only pairs with
# pre index > post index are candidates.

def lower_pairs(n, within=None):
    return [(i, j) for j in range(n) for i in range(n)
            if i > j and (within is None or i - j < within)]


def test_fixed_total_number_no_mutual_all_pairs_is_exact(sim):
    p = sim.Population(12, sim.IF_curr_exp())
    prj = sim.Projection(p, p, sim.FixedTotalNumberConnector(
        66, allow_self_connections="NoMutual", with_replacement=False, rng=NumpyRNG(seed=5)))
    assert sorted(pairs(prj)) == sorted(lower_pairs(12))
    with pytest.raises(ConnectionError, match="66 pairs"):
        sim.Projection(p, p, sim.FixedTotalNumberConnector(
            67, allow_self_connections="NoMutual", with_replacement=False))


def test_fixed_total_number_no_mutual_is_uniform_over_lower_pairs(sim):
    n_cells, n = 30, 2000
    p = sim.Population(n_cells, sim.IF_curr_exp())
    prj = sim.Projection(p, p, sim.FixedTotalNumberConnector(
        n, allow_self_connections="NoMutual", rng=NumpyRNG(seed=6)))
    got = pairs(prj)
    assert len(got) == n and all(i > j for i, j in got)
    # Pearson chi-square over the 435 allowed pairs, expected n/435 each:
    # mean = dof = 434, sd = sqrt(2 dof) = 29.5; bound at 5 sigma.
    counts = np.zeros((n_cells, n_cells))
    np.add.at(counts, tuple(np.array(got).T), 1)
    allowed = np.array(lower_pairs(n_cells))
    observed = counts[allowed[:, 0], allowed[:, 1]]
    expected = n / len(allowed)
    chi2 = np.sum((observed - expected) ** 2 / expected)
    dof = len(allowed) - 1
    assert abs(chi2 - dof) < 5 * np.sqrt(2 * dof), chi2


def test_no_mutual_between_two_populations_allows_every_pair(sim):
    a, b = sim.Population(4, sim.IF_curr_exp()), sim.Population(5, sim.IF_curr_exp())
    prj = sim.Projection(a, b, sim.FixedTotalNumberConnector(
        20, allow_self_connections="NoMutual", with_replacement=False))
    assert len(set(pairs(prj))) == 20


def line_population(sim, n):
    from pineal import space

    return sim.Population(n, sim.IF_curr_exp(), structure=space.Line())


def test_small_world_no_mutual_without_rewiring_is_exact(sim):
    p = line_population(sim, 12)
    prj = sim.Projection(p, p, sim.SmallWorldConnector(
        2.5, 0.0, allow_self_connections="NoMutual"))
    assert sorted(pairs(prj)) == sorted(lower_pairs(12, within=3))


def test_small_world_no_mutual_rewires_to_uniform_higher_sources(sim):
    n_cells, degree = 200, 10.5
    p = line_population(sim, n_cells)
    prj = sim.Projection(p, p, sim.SmallWorldConnector(
        degree, 1.0, allow_self_connections="NoMutual", rng=NumpyRNG(seed=7)))
    got = np.array(pairs(prj))
    i, j = got[:, 0], got[:, 1]
    assert np.all(i > j)
    # one connection per in-range pair i > j (the pair count is deterministic)
    assert len(got) == len(lower_pairs(n_cells, within=11))
    # every source is rewired uniformly over j+1 .. n-1: u = (i - j - 1) / m
    # is uniform on {0, 1/m, ..., (m-1)/m}, mean (m-1)/(2m), variance
    # (m^2-1)/(12 m^2); the sum of u lies within 5 sigma of its mean.
    m = n_cells - j - 1
    u = (i - j - 1) / m
    z = (u.sum() - np.sum((m - 1) / (2 * m))) / np.sqrt(np.sum((m ** 2 - 1) / (12 * m ** 2)))
    assert abs(z) < 5, z


@pytest.mark.parametrize("cls", ["FixedNumberPreConnector", "FixedNumberPostConnector"])
def test_fixed_number_no_mutual_is_not_supported(sim, cls):
    with pytest.raises(NotImplementedError, match=f"{cls}.*NoMutual.*no candidate"):
        getattr(sim, cls)(3, allow_self_connections="NoMutual")
