"""Projection.set and the deprecated setters: every value form PyNN accepts,
checked before anything changes, and seen by the engine from the next run
(spikes already sent keep the weight and delay they were sent with)."""

import warnings

import numpy as np
import pytest
import quantities as pq
from pineal import errors
from stored import stored_weight


def pops(sim, n_pre=3, n_post=4, celltype=None):
    return (sim.Population(n_pre, sim.IF_curr_exp(), label="pre"),
            sim.Population(n_post, celltype or sim.IF_curr_exp(), label="post"))


def all_to_all(sim, n_pre=3, n_post=4, weight=0.5, delay=1.0):
    a, b = pops(sim, n_pre, n_post)
    return sim.Projection(a, b, sim.AllToAllConnector(),
                          sim.StaticSynapse(weight=weight, delay=delay))


def stored(values):
    return np.asarray(values, dtype=np.float32).astype(float)


# --- the value forms -------------------------------------------------------------------


def test_scalar_and_quantity(sim):
    prj = all_to_all(sim)
    prj.set(weight=0.3, delay=2.0)
    np.testing.assert_array_equal(prj.get("weight", format="array"), stored_weight(0.3))
    np.testing.assert_array_equal(prj.get("delay", format="array"), 2.0)
    prj.set(weight=250 * pq.pA, delay=0.003 * pq.s)  # rescaled to nA and ms
    np.testing.assert_array_equal(prj.get("weight", format="array"), stored_weight(0.25))
    np.testing.assert_allclose(prj.get("delay", format="array"), 3.0, rtol=0, atol=1e-12)


def test_array_with_nan_where_there_is_no_connection(sim):
    a, b = pops(sim, 2, 3)
    rows = [(0, 0), (0, 2), (1, 0), (1, 1), (1, 2), (1, 2)]  # (1, 2) twice, (0, 1) absent
    prj = sim.Projection(a, b, sim.FromListConnector(rows), sim.StaticSynapse(weight=0.1))
    w = np.array([[0.1, np.nan, 0.3], [0.4, 0.5, 0.6]])
    prj.set(weight=w)
    got = prj.get("weight", format="list")
    assert len(got) == 6
    for i, j, x in got:  # every synapse of a pair takes the pair's value
        assert x == stored_weight(w[i, j])
    with pytest.raises(errors.ConnectionError, match=r"NaN at \(1, 1\)"):
        prj.set(weight=np.array([[0.1, 0.2, 0.3], [0.4, np.nan, 0.6]]))


def test_list_follows_the_row_major_order_of_the_matrix(sim):
    a, b = pops(sim, 3, 3)
    # given out of order, and the store lists them by target
    rows = [(2, 0), (0, 2), (1, 1), (0, 0), (2, 2)]
    prj = sim.Projection(a, b, sim.FromListConnector(rows), sim.StaticSynapse(weight=0.1))
    values = [0.11, 0.22, 0.33, 0.44, 0.55]
    prj.set(weight=values)
    expected = np.full((3, 3), np.nan)
    for (i, j), v in zip(sorted(rows), values):  # PyNN: non-NaN entries, row by row
        expected[i, j] = stored_weight(v)
    np.testing.assert_array_equal(prj.get("weight", format="array"), expected)
    with pytest.raises(errors.InvalidDimensionsError, match="one value per connection"):
        prj.set(weight=values[:4])


def test_random_distribution_reproducible_for_a_seed(sim):
    def weights():
        sim.setup()
        prj = all_to_all(sim, 20, 30)
        rng = sim.NumpyRNG(seed=11)
        prj.set(weight=sim.RandomDistribution("uniform", (0.2, 0.7), rng=rng),
                delay=sim.RandomDistribution("uniform", (0.5, 3.0), rng=rng))
        return prj.get(["weight", "delay"], format="array")

    (w1, d1), (w2, d2) = weights(), weights()
    np.testing.assert_array_equal(w1, w2)
    np.testing.assert_array_equal(d1, d2)
    assert w1.min() >= 0.2 and w1.max() < 0.7
    assert len(np.unique(w1)) == 600  # one draw per connection
    # delays: rounded to the 0.1 ms step, all of 0.5 .. 3.0 ms occur
    np.testing.assert_allclose(d1 * 10, np.round(d1 * 10), rtol=0, atol=1e-9)
    assert d1.min() >= 0.5 - 1e-12 and d1.max() <= 3.0 + 1e-12
    assert len(np.unique(np.round(d1 * 10))) == 26
    # 600 draws from U(0.2, 0.7): mean 0.45, sd 0.144/sqrt(600) = 0.0059; 5 sigma
    assert abs(w1.mean() - 0.45) < 5 * 0.5 / np.sqrt(12 * 600)


def test_functions_of_distance(sim):
    a = sim.Population(4, sim.IF_curr_exp(), structure=sim.space.Line(dx=10.0))
    b = sim.Population(3, sim.IF_curr_exp(), structure=sim.space.Line(dx=10.0, x0=5.0))
    prj = sim.Projection(a, b, sim.AllToAllConnector(), sim.StaticSynapse(weight=0.1))
    d = np.abs(a.positions[0][:, None] - b.positions[0][None, :])
    prj.set(weight=lambda dist: 0.1 + dist / 100.0)
    np.testing.assert_array_equal(prj.get("weight", format="array"), stored(0.1 + d / 100.0))
    prj.set(weight="0.2 + d / 50", delay="1 + d / 10")  # evaluated by the core
    np.testing.assert_array_equal(prj.get("weight", format="array"), stored(0.2 + d / 50.0))
    np.testing.assert_allclose(prj.get("delay", format="array"),
                               np.floor((1 + d / 10) * 10 + 0.5) / 10, rtol=0, atol=1e-12)


def test_index_based_expression(sim):
    from pineal.core import IndexBasedExpression

    class IndexProduct(IndexBasedExpression):
        def __call__(self, i, j):
            assert self.projection is prj
            return 0.01 * (i + 1) * (j + 1)

    prj = all_to_all(sim, 3, 4)
    prj.set(weight=IndexProduct())
    i, j = np.indices((3, 4))
    np.testing.assert_array_equal(prj.get("weight", format="array"),
                                  stored(0.01 * (i + 1) * (j + 1)))


def test_views_use_view_indices(sim):
    a, b = pops(sim, 6, 8)
    va, vb = a[1:6:2], b[[7, 2, 4]]
    prj = sim.Projection(va, vb, sim.AllToAllConnector(), sim.StaticSynapse(weight=0.1))
    w = np.arange(1.0, 10.0).reshape(3, 3) / 10
    prj.set(weight=w)
    np.testing.assert_array_equal(prj.get("weight", format="array"), stored(w))


def test_assembly_sides_split_the_values(sim):
    a, b = pops(sim, 2, 3)
    c = sim.Population(2, sim.IF_curr_exp(), label="c")
    prj = sim.Projection(a + c, b, sim.AllToAllConnector(), sim.StaticSynapse(weight=0.1))
    w = np.arange(1.0, 13.0).reshape(4, 3) / 100
    prj.set(weight=w)
    np.testing.assert_array_equal(prj.get("weight", format="array"), stored(w))
    values = np.arange(12.0) / 50  # row-major over the whole assembly
    prj.set(weight=values)
    np.testing.assert_array_equal(prj.get("weight", format="array"),
                                  stored(values.reshape(4, 3)))
    prj.set(weight=sim.RandomDistribution("uniform", (0.0, 1.0), rng=sim.NumpyRNG(seed=2)))
    got = prj.get("weight", format="array")
    assert len(np.unique(got)) == 12  # the members do not share streams


# --- checks: nothing half-changed --------------------------------------------------------


def test_bad_input_changes_nothing(sim):
    prj = all_to_all(sim, weight=0.5, delay=1.0)
    before = prj.get(["weight", "delay"], format="list")
    bad = [
        (dict(weight=0.2, delay=-1.0), errors.ConnectionError, "delay"),
        (dict(weight=0.2, delay=0.01), errors.ConnectionError, "below the minimum delay"),
        (dict(delay=2.0, weight=-0.2), errors.ConnectionError, ">= 0"),
        (dict(weight=np.ones((4, 3))), errors.InvalidDimensionsError, r"\(3, 4\)"),
        (dict(weight=np.ones(5)), errors.InvalidDimensionsError, "one value per connection"),
        (dict(weight=0.2, tau_rec=1.0), errors.NonExistentParameterError, "tau_rec"),
        (dict(weight="0.1 + q"), errors.InvalidParameterValueError, "q"),
        (dict(weight=None), errors.InvalidParameterValueError, "weight"),
        (dict(weight=np.nan), errors.ConnectionError, "finite"),
        (dict(weight=1e40), errors.ConnectionError, "float32"),
    ]
    for kwargs, exc, match in bad:
        with pytest.raises(exc, match=match):
            prj.set(**kwargs)
        assert prj.get(["weight", "delay"], format="list") == before, kwargs


def test_max_delay_and_inhibitory_sign(sim):
    sim.setup(timestep=0.1, min_delay=0.5, max_delay=4.0)
    a, b = pops(sim)
    inh = sim.Projection(a, b, sim.AllToAllConnector(), sim.StaticSynapse(weight=-0.5),
                         receptor_type="inhibitory")
    with pytest.raises(errors.ConnectionError, match="<= 0"):
        inh.set(weight=0.1)
    with pytest.raises(errors.ConnectionError, match="max_delay"):
        inh.set(delay=4.2)
    with pytest.raises(errors.ConnectionError, match="minimum delay 0.5"):
        inh.set(delay=0.4)
    inh.set(weight=-1.5, delay=4.0)
    assert {x for _, _, x in inh.get("weight", format="list")} == {-1.5}


def test_initialize_static_synapses_have_no_state(sim):
    prj = all_to_all(sim)
    prj.initialize()  # nothing to initialise
    with pytest.raises(errors.NonExistentParameterError, match="u"):
        prj.initialize(u=0.1)


def test_deprecated_setters(sim):
    prj = all_to_all(sim, 2, 2)
    rd = sim.RandomDistribution("uniform", (1.0, 2.0), rng=sim.NumpyRNG(seed=4))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        prj.setWeights(0.7)
        assert prj.get("weight", format="list", with_address=False) == [stored_weight(0.7)] * 4
        prj.setDelays(np.array([[1.0, 2.0], [3.0, 4.0]]))
        np.testing.assert_array_equal(prj.get("delay", format="array"), [[1, 2], [3, 4]])
        prj.randomizeWeights(rd)
        prj.randomizeDelays(rd)
        w = np.array(prj.getSynapseDynamics("weight"))
        assert np.all((w >= 1.0) & (w < 2.0))
        prj.setSynapseDynamics("weight", 0.25)
        prj.randomizeSynapseDynamics("delay", rd)
    assert prj.get("weight", format="list", with_address=False) == [0.25] * 4
    assert sum(issubclass(c.category, DeprecationWarning) for c in caught) == 7


# --- what the engine does with the new values -----------------------------------------


def delta_run(sim, change=None, t_change=2.0):
    """A spike source (spikes at 1 and 6 ms) onto an IF_curr_delta cell through
    weight 1 mV, delay 3 ms; change(prj) runs at t_change. Returns the times
    and sizes of the jumps of v."""
    sim.setup(timestep=0.1)
    src = sim.Population(1, sim.SpikeSourceArray(spike_times=[1.0, 6.0]))
    cell = sim.Population(1, sim.IF_curr_delta(tau_m=1e6, v_thresh=100.0))
    prj = sim.Projection(src, cell, sim.AllToAllConnector(),
                         sim.StaticSynapse(weight=1.0, delay=3.0))
    cell.record("v")
    sim.run(t_change)
    if change:
        change(prj)
    sim.run(12.0 - t_change)
    v = cell.get_data().segments[0].filter(name="v")[0]
    jumps = np.diff(v.magnitude[:, 0])
    at = np.nonzero(np.abs(jumps) > 1e-3)[0]
    return v.times.magnitude[at + 1], jumps[at]


def test_new_weights_and_delays_act_from_the_next_run(sim):
    t0, j0 = delta_run(sim)
    assert len(t0) == 2
    np.testing.assert_allclose(j0, [1.0, 1.0], rtol=1e-6)  # tau_m = 1e6 ms: no decay
    # Set at 2 ms: the spike of 1 ms is in flight (sent with 1 mV, 3 ms); the
    # spike of 6 ms goes with 2.5 mV and 1 ms, arriving 2 ms earlier than before.
    t1, j1 = delta_run(sim, lambda p: p.set(weight=2.5, delay=1.0))
    np.testing.assert_allclose(t1, [t0[0], t0[1] - 2.0], rtol=0, atol=1e-9)
    np.testing.assert_allclose(j1, [1.0, 2.5], rtol=1e-6)


def test_longer_delays_and_connection_objects_act_too(sim):
    t0, _ = delta_run(sim)

    def change(prj):
        prj[0].delay = 5.0
        prj[0].weight = 0.5

    t1, j1 = delta_run(sim, change)
    np.testing.assert_allclose(t1, [t0[0], t0[1] + 2.0], rtol=0, atol=1e-9)
    np.testing.assert_allclose(j1, [1.0, 0.5], rtol=1e-6)


def test_changes_survive_reset(sim):
    prj = all_to_all(sim)
    sim.run(5.0)
    prj.set(weight=0.125)
    sim.reset()
    np.testing.assert_array_equal(prj.get("weight", format="array"), 0.125)


def test_distance_functions_on_an_assembly_side_are_not_supported(sim):
    a, b = pops(sim, 2, 3)
    prj = sim.Projection(a + sim.Population(2, sim.IF_curr_exp()), b, sim.AllToAllConnector())
    for value in ("0.1 + d", lambda d: 0.1 + d):
        with pytest.raises(NotImplementedError, match="Assembly side"):
            prj.set(weight=value)


def test_each_target_receives_its_new_weight(sim):
    sim.setup(timestep=0.1)
    src = sim.Population(2, sim.SpikeSourceArray(spike_times=[[1.0], [3.0]]))
    cells = sim.Population(3, sim.IF_curr_delta(tau_m=1e6, v_thresh=100.0))
    prj = sim.Projection(src, cells, sim.AllToAllConnector(),
                         sim.StaticSynapse(weight=1.0, delay=1.0))
    w = np.array([[0.5, 1.0, 1.5], [2.0, 2.5, 3.0]])
    prj.set(weight=w, delay=np.array([[1.0, 1.0, 1.0], [0.5, 1.5, 2.5]]))
    cells.record("v")
    sim.run(8.0)
    v = cells.get_data().segments[0].filter(name="v")[0]
    jumps = np.diff(v.magnitude, axis=0)
    for j in range(3):
        at = np.nonzero(jumps[:, j] > 1e-3)[0]
        # source 0 (1 ms) arrives after 1 ms; source 1 (3 ms) after its own delay
        np.testing.assert_allclose(v.times.magnitude[at + 1] - v.times.magnitude[at + 1][0],
                                   [0.0, 2.0 + [0.5, 1.5, 2.5][j] - 1.0], atol=1e-9)
        np.testing.assert_allclose(jumps[at, j], w[:, j], rtol=1e-6)
