"""Projection and connectors (pynn-api.md sections 6, 7, 11; docs/timing.md)."""

import numpy as np
import pytest
import quantities as pq
from pineal import errors
from stored import stored_weight


def pops(sim, n_pre=5, n_post=4):
    return (sim.Population(n_pre, sim.IF_curr_exp(), label="pre"),
            sim.Population(n_post, sim.IF_curr_exp(), label="post"))


def assert_rows(actual, expected, weight=2):
    """Compare lists of (i, j, values...) rows, whatever their order. Column
    `weight` holds weights: the native synapse store keeps them as float32
    (docs/engine.md), so the read-back weight equals the given one rounded to
    float32, exactly."""
    e = np.array(expected, dtype=float)
    e[:, weight] = [stored_weight(w) for w in e[:, weight]]
    a = np.array(sorted(actual), dtype=float)
    e = np.array(sorted(map(tuple, e)), dtype=float)
    assert a.shape == e.shape
    np.testing.assert_array_equal(a[:, weight], e[:, weight])
    np.testing.assert_allclose(a, e, rtol=0, atol=1e-12)


def connected(prj):
    """Set of (pre, post) pairs of a projection."""
    return {(i, j) for i, j, _ in prj.get("weight", format="list")}


# --- size, get ------------------------------------------------------------------------


def test_all_to_all_size_and_len(sim):
    a, b = pops(sim)
    prj = sim.Projection(a, b, sim.AllToAllConnector(), sim.StaticSynapse(weight=0.5))
    assert prj.size() == len(prj) == 20
    assert prj.size(gather=False) == 20
    assert prj.shape == (5, 4)
    assert connected(prj) == {(i, j) for i in range(5) for j in range(4)}
    assert prj.pre is a and prj.post is b


def test_one_to_one(sim):
    a, b = pops(sim)
    prj = sim.Projection(a, b, sim.OneToOneConnector(), sim.StaticSynapse(weight=0.5))
    assert len(prj) == 4
    assert connected(prj) == {(0, 0), (1, 1), (2, 2), (3, 3)}


def test_get_list_and_array(sim):
    a, b = pops(sim, 3, 2)
    rows = [(0, 1, 0.1, 1.0), (2, 0, 0.2, 2.0), (1, 1, 0.3, 3.0)]
    prj = sim.Projection(a, b, sim.FromListConnector(rows))
    got = prj.get(["weight", "delay"], format="list")
    assert_rows(got, rows)
    for row in got:
        assert isinstance(row, tuple) and len(row) == 4
    assert sorted(prj.get("weight", format="list", with_address=False)) == \
        [stored_weight(0.1), stored_weight(0.2), stored_weight(0.3)]
    values = prj.get(["weight", "delay"], format="list", with_address=False)
    assert all(isinstance(v, tuple) for v in values)
    assert_rows(values, [(0.1, 1.0), (0.2, 2.0), (0.3, 3.0)], weight=0)
    w = prj.get("weight", format="array")
    assert w.shape == (3, 2)
    expected = np.array([[np.nan, 0.1], [np.nan, 0.3], [0.2, np.nan]])
    np.testing.assert_array_equal(np.isnan(w), np.isnan(expected))
    np.testing.assert_array_equal(w[~np.isnan(w)],
                                  expected[~np.isnan(expected)].astype(np.float32))
    w2, d2 = prj.get(["weights", "delays"], format="array")
    np.testing.assert_array_equal(w2, w)
    assert d2[2, 0] == pytest.approx(2.0)


def test_get_with_an_unknown_format_or_attribute(sim):
    a, b = pops(sim)
    prj = sim.Projection(a, b, sim.AllToAllConnector())
    with pytest.raises(Exception, match="format"):
        prj.get("weight", format="dict")
    with pytest.raises(errors.NonExistentParameterError, match="tau_x"):
        prj.get("tau_x", format="list")


def test_multiple_synapses_in_array_format(sim):
    a, b = pops(sim, 2, 2)
    rows = [(0, 1, 0.1, 1.0), (0, 1, 0.4, 1.0), (0, 1, 0.2, 1.0), (1, 0, 0.5, 1.0)]
    prj = sim.Projection(a, b, sim.FromListConnector(rows))
    assert len(prj) == 4  # duplicate rows are separate synapses
    w1, w4, w2 = stored_weight(0.1), stored_weight(0.4), stored_weight(0.2)
    # stored (float32) weights; their sum in double
    expected = {"sum": w1 + w4 + w2, "min": w1, "max": w4, "first": w1, "last": w2}
    for how, value in expected.items():
        w = prj.get("weight", format="array", multiple_synapses=how)
        assert w[0, 1] == value, how
        assert w[1, 0] == 0.5
        assert np.isnan(w[0, 0]) and np.isnan(w[1, 1])
    with pytest.raises(ValueError):
        prj.get("weight", format="array", multiple_synapses="mean")


# --- synapse parameters -----------------------------------------------------------------


def test_delays_are_rounded_to_the_time_step(sim):
    sim.setup(timestep=0.1, min_delay=0.1, max_delay=10.0)
    a, b = pops(sim, 1, 1)
    for given, expected in ((0.26, 0.3), (0.14, 0.1), (1.0, 1.0), (2.349, 2.3)):
        prj = sim.Projection(a, b, sim.AllToAllConnector(),
                             sim.StaticSynapse(weight=0.1, delay=given))
        assert prj.get("delay", format="list")[0][2] == pytest.approx(expected, abs=1e-12)
    sim.setup(timestep=0.25, min_delay=0.25, max_delay=10.0)
    a, b = pops(sim, 1, 1)
    prj = sim.Projection(a, b, sim.AllToAllConnector(), sim.StaticSynapse(weight=0.1, delay=0.6))
    assert prj.get("delay", format="list")[0][2] == pytest.approx(0.5, abs=1e-12)


def test_default_delay_is_min_delay(sim):
    sim.setup(timestep=0.1, min_delay=0.5, max_delay=10.0)
    a, b = pops(sim)
    prj = sim.Projection(a, b, sim.AllToAllConnector(), sim.StaticSynapse(weight=0.1))
    np.testing.assert_allclose(prj.get("delay", format="list", with_address=False), 0.5)


def test_default_delay_is_dt_when_min_delay_is_auto(sim):
    sim.setup(timestep=0.2)
    a, b = pops(sim)
    prj = sim.Projection(a, b, sim.AllToAllConnector(), sim.StaticSynapse(weight=0.1))
    np.testing.assert_allclose(prj.get("delay", format="list", with_address=False), 0.2)


def test_min_delay_auto_follows_the_connections(sim):
    # NEST's test_issue231: all delays 0.5 -> get_min_delay() == 0.5
    a, b = pops(sim)
    sim.Projection(a, b, sim.AllToAllConnector(), sim.StaticSynapse(weight=0.1, delay=0.5))
    sim.run(1.0)
    assert sim.get_min_delay() == pytest.approx(0.5)
    assert sim.get_max_delay() == pytest.approx(0.5)


def test_weight_and_delay_arrays_and_random_distributions(sim):
    a, b = pops(sim, 3, 2)
    w = np.arange(6, dtype=float).reshape(3, 2) / 10.0
    prj = sim.Projection(a, b, sim.AllToAllConnector(), sim.StaticSynapse(weight=w, delay=1.0))
    np.testing.assert_array_equal(prj.get("weight", format="array"), w.astype(np.float32))
    rng = sim.NumpyRNG(seed=3)
    rd = sim.RandomDistribution("uniform", (1.0, 3.0), rng=rng)
    prj2 = sim.Projection(a, b, sim.AllToAllConnector(), sim.StaticSynapse(weight=0.1, delay=rd))
    d = np.array(prj2.get("delay", format="list", with_address=False))
    assert np.all((d >= 1.0) & (d <= 3.0))
    assert len(np.unique(d)) > 1
    # rounded to the grid
    np.testing.assert_allclose(d * 10, np.round(d * 10), atol=1e-9)


def test_synapse_quantities(sim):
    a, b = pops(sim)
    prj = sim.Projection(a, b, sim.AllToAllConnector(),
                         sim.StaticSynapse(weight=500 * pq.pA, delay=0.002 * pq.s))
    w, d = prj.get(["weight", "delay"], format="list", with_address=False)[0]
    assert w == pytest.approx(0.5)
    assert d == pytest.approx(2.0)


# --- receptor types and labels -------------------------------------------------------------


def test_receptor_type_is_guessed_from_the_sign_of_the_weight(sim):
    a, b = pops(sim)
    exc = sim.Projection(a, b, sim.AllToAllConnector(), sim.StaticSynapse(weight=0.5))
    inh = sim.Projection(a, b, sim.AllToAllConnector(), sim.StaticSynapse(weight=-0.5))
    assert exc.receptor_type == "excitatory"
    assert inh.receptor_type == "inhibitory"
    chosen = sim.Projection(a, b, sim.AllToAllConnector(), sim.StaticSynapse(weight=-0.5),
                            receptor_type="inhibitory")
    assert chosen.receptor_type == "inhibitory"
    default = sim.Projection(a, b, sim.AllToAllConnector(), sim.StaticSynapse(weight=-0.1),
                             receptor_type="default")
    assert default.receptor_type == "inhibitory"


def test_default_label_has_the_arrow(sim):
    a, b = pops(sim)
    prj = sim.Projection(a, b, sim.AllToAllConnector())
    assert prj.label == "pre\u2192post"
    named = sim.Projection(a, b, sim.AllToAllConnector(), label="mine")
    assert named.label == "mine"


# --- FixedProbabilityConnector --------------------------------------------------------------


def test_fixed_probability_count_statistics(sim):
    a, b = pops(sim, 300, 200)
    p = 0.1
    prj = sim.Projection(a, b, sim.FixedProbabilityConnector(p, rng=sim.NumpyRNG(seed=42)))
    n = 300 * 200
    mean, sd = n * p, np.sqrt(n * p * (1 - p))  # binomial: 6000 +- 73.5
    assert abs(len(prj) - mean) < 5 * sd
    # each target's in-degree is Binomial(300, 0.1): mean 30, so the mean over
    # 200 targets has sd sqrt(27/200) = 0.37
    indegree = np.bincount([j for _, j, _ in prj.get("weight", format="list")], minlength=200)
    assert abs(indegree.mean() - 30.0) < 5 * 0.37
    # no multiple synapses
    assert len(connected(prj)) == len(prj)


def test_fixed_probability_zero_and_one(sim):
    a, b = pops(sim, 20, 10)
    assert len(sim.Projection(a, b, sim.FixedProbabilityConnector(0.0))) == 0
    assert len(sim.Projection(a, b, sim.FixedProbabilityConnector(1.0))) == 200


def _fixed_probability_pairs(sim, seed):
    sim.setup()
    a, b = pops(sim, 50, 50)
    rng = sim.NumpyRNG(seed=seed)
    first = sim.Projection(a, b, sim.FixedProbabilityConnector(0.2, rng=rng))
    second = sim.Projection(a, b, sim.FixedProbabilityConnector(0.2, rng=rng))
    return connected(first), connected(second)


def test_fixed_probability_reproducibility(sim):
    a1, a2 = _fixed_probability_pairs(sim, 1)
    b1, b2 = _fixed_probability_pairs(sim, 1)
    c1, _ = _fixed_probability_pairs(sim, 2)
    assert a1 == b1 and a2 == b2          # same seed: same connectivity
    assert a1 != a2                       # one shared rng: two connectors differ
    assert a1 != c1                       # another seed: other connectivity
    # the overlap of two independent p=0.2 draws is about 0.2 of each
    assert len(a1 & a2) < 0.5 * len(a1)


def test_fixed_probability_rng_none_follows_rng_seed(sim):
    def pairs(seed):
        sim.setup(rng_seed=seed)
        a, b = pops(sim, 30, 30)
        return connected(sim.Projection(a, b, sim.FixedProbabilityConnector(0.3)))

    assert pairs(5) == pairs(5)
    assert pairs(5) != pairs(6)


def test_fixed_probability_without_self_connections(sim):
    p = sim.Population(5, sim.IF_curr_exp())
    fp = sim.Projection(p, p, sim.FixedProbabilityConnector(1.0, allow_self_connections=False))
    a2a = sim.Projection(p, p, sim.AllToAllConnector(allow_self_connections=False))
    assert len(fp) == len(a2a) == 20
    assert connected(fp) == connected(a2a)


# --- AllToAll, FromList -----------------------------------------------------------------------


def test_all_to_all_without_self_connections(sim):
    n = 7
    p = sim.Population(n, sim.IF_curr_exp())
    prj = sim.Projection(p, p, sim.AllToAllConnector(allow_self_connections=False))
    assert len(prj) == n * (n - 1)
    assert all(i != j for i, j in connected(prj))
    # between two populations, equal indices are not "self"
    q = sim.Population(n, sim.IF_curr_exp())
    assert len(sim.Projection(p, q, sim.AllToAllConnector(allow_self_connections=False))) == n * n


def test_from_list_with_two_columns_uses_the_synapse_type(sim):
    a, b = pops(sim)
    prj = sim.Projection(a, b, sim.FromListConnector([(0, 1), (4, 3)]),
                         sim.StaticSynapse(weight=0.25, delay=1.5))
    assert_rows(prj.get(["weight", "delay"], format="list"), [(0, 1, 0.25, 1.5), (4, 3, 0.25, 1.5)])


def test_from_list_with_four_columns(sim):
    a, b = pops(sim)
    rows = np.array([[0, 0, 0.1, 1.0], [3, 2, 0.2, 2.5]])
    prj = sim.Projection(a, b, sim.FromListConnector(rows))
    assert_rows(prj.get(["weight", "delay"], format="list"), [(0, 0, 0.1, 1.0), (3, 2, 0.2, 2.5)])


def test_from_list_with_column_names(sim):
    a, b = pops(sim)
    prj = sim.Projection(a, b, sim.FromListConnector([(0, 1, 0.3), (2, 3, 0.4)],
                                                     column_names=["weight"]),
                         sim.StaticSynapse(delay=0.7))
    assert_rows(prj.get(["weight", "delay"], format="list"), [(0, 1, 0.3, 0.7), (2, 3, 0.4, 0.7)])
    prj = sim.Projection(a, b, sim.FromListConnector([(0, 1, 1.5, 0.3)],
                                                     column_names=["delay", "weight"]))
    assert_rows(prj.get(["weight", "delay"], format="list"), [(0, 1, 0.3, 1.5)])


def test_from_list_column_errors(sim):
    with pytest.raises(TypeError):
        sim.FromListConnector([(0, 1, 0.3)])  # 3 columns, no names
    with pytest.raises(ValueError):
        sim.FromListConnector([(0, 1, 0.3)], column_names=["weight", "delay"])


def test_from_list_index_out_of_range(sim):
    a, b = pops(sim)
    with pytest.raises(errors.ConnectionError, match="pre"):
        sim.Projection(a, b, sim.FromListConnector([(0, 0), (5, 0)]))
    with pytest.raises(errors.ConnectionError, match="post"):
        sim.Projection(a, b, sim.FromListConnector([(0, 4)]))


def test_from_list_empty(sim):
    a, b = pops(sim)
    assert len(sim.Projection(a, b, sim.FromListConnector([]))) == 0


# --- delivery ---------------------------------------------------------------------------------


def _first_response_step(sim, delay):
    sim.setup(timestep=0.1, min_delay=0.1, max_delay=10.0)
    src = sim.Population(1, sim.SpikeSourceArray(spike_times=[2.0]))
    cell = sim.Population(1, sim.IF_curr_exp())
    cell.record("v")
    sim.Projection(src, cell, sim.AllToAllConnector(),
                   sim.StaticSynapse(weight=0.5, delay=delay))
    sim.run(10.0)
    v = cell.get_data().segments[0].analogsignals[0].magnitude[:, 0]
    return int(np.argmax(v != v[0]))


def test_spike_arrives_after_the_delay(sim):
    # docs/timing.md: the current jumps at t_s + d, so v first moves one step later
    assert _first_response_step(sim, 1.0) == 31
    assert _first_response_step(sim, 4.0) == 61


def test_inhibitory_weights_hyperpolarise(sim):
    src = sim.Population(1, sim.SpikeSourceArray(spike_times=[1.0]))
    cell = sim.Population(2, sim.IF_curr_exp())
    cell.record("v")
    sim.Projection(src, cell, sim.AllToAllConnector(),
                   sim.StaticSynapse(weight=-0.5, delay=1.0))
    sim.run(10.0)
    v = cell.get_data().segments[0].analogsignals[0].magnitude
    assert v.min() < -65.5 and v.max() == -65.0
