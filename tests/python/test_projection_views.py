"""Projections whose sides are PopulationViews (PyNN reference section 11.1):
connectors work in indices within the views, self-connections are decided by
cell id, spikes reach exactly the view's cells, and the result does not
depend on threads or virtual ranks."""

import numpy as np
import pineal
import pytest
from pineal import space
from pineal.core import IndexBasedExpression
from pineal.errors import ConnectionError, InvalidDimensionsError, InvalidParameterValueError
from pineal.random import NumpyRNG, RandomDistribution
from pineal.simulator import state
from stored import stored_weight


def pairs(prj):
    return sorted((int(i), int(j)) for i, j, *_ in prj.get("weight", format="list"))


def root_index(view):
    """Population index of each cell of a view (or of a whole population)."""
    return np.asarray(view.all_cells, dtype=np.int64) - int(view._root.first_id)


def selectors(p):
    """Views of one population: slice, boolean mask, index array, view of a view."""
    mask = np.zeros(p.size, dtype=bool)
    mask[[1, 2, 5, 8, 11]] = True
    return {"slice": p[2:9], "mask": p[mask], "indices": p[[0, 3, 4, 7, 10, 11]],
            "view of view": p[1:12][::2], "population": p}


def expected_pairs(pre, post, rule):
    """(i, j) in view indices for which rule(pre population index, post population
    index, i, j) holds."""
    a, b = root_index(pre), root_index(post)
    return [(i, j) for i in range(pre.size) for j in range(post.size)
            if rule(a[i], b[j], i, j)]


VIEW_PAIRS = [("slice", "mask"), ("indices", "slice"), ("view of view", "indices"),
              ("population", "view of view"), ("mask", "population"), ("slice", "slice")]


@pytest.mark.parametrize("pre_name,post_name", VIEW_PAIRS)
def test_deterministic_connectors_between_views_of_one_population(sim, pre_name, post_name):
    p = sim.Population(12, sim.IF_curr_exp(), structure=space.Line())
    views = selectors(p)
    pre, post = views[pre_name], views[post_name]
    def not_self(a, b, i, j):
        return a != b

    n_allowed = len(expected_pairs(pre, post, not_self))
    cases = [
        (sim.AllToAllConnector(), lambda a, b, i, j: True),
        (sim.AllToAllConnector(allow_self_connections=False), not_self),
        (sim.OneToOneConnector(), lambda a, b, i, j: i == j),
        (sim.FixedProbabilityConnector(1.0, allow_self_connections=False), not_self),
        # positions are the views' own: |x_pre - x_post| is the population index distance
        (sim.DistanceDependentProbabilityConnector("d < 2.5", allow_self_connections=False),
         lambda a, b, i, j: a != b and abs(a - b) < 2.5),
        (sim.SmallWorldConnector(1.5, 0.0), lambda a, b, i, j: abs(a - b) < 1.5),
        # every candidate, without replacement: the whole allowed set, deterministic
        (sim.FixedNumberPreConnector(pre.size - 1, allow_self_connections=False)
         if pre_name == post_name else sim.FixedNumberPreConnector(pre.size), None),
        (sim.FixedTotalNumberConnector(n_allowed, allow_self_connections=False,
                                       with_replacement=False), not_self),
    ]
    for connector, rule in cases:
        prj = sim.Projection(pre, post, connector)
        if rule is None:  # FixedNumberPre with n = all candidates
            rule = not_self if pre_name == post_name else (lambda a, b, i, j: True)
        assert pairs(prj) == expected_pairs(pre, post, rule), type(connector).__name__
        assert prj.shape == (pre.size, post.size)


def test_fixed_number_post_takes_every_candidate_of_the_view(sim):
    p = sim.Population(12, sim.IF_curr_exp())
    pre, post = p[0:6], p[3:10]
    prj = sim.Projection(pre, post, sim.FixedNumberPostConnector(
        post.size - 1, allow_self_connections=False))
    got = pairs(prj)
    # sources 3, 4, 5 are targets 0, 1, 2 of the post view: 6 candidates, all taken
    for i in (3, 4, 5):
        assert [j for a, j in got if a == i] == [j for j in range(7) if j != i - 3]
    # the others pick 6 of their 7 candidates
    assert [sum(a == i for a, _ in got) for i in range(6)] == [6] * 6


def test_index_based_expressions_and_lists_use_view_indices(sim):
    p = sim.Population(10, sim.IF_curr_exp())
    pre, post = p[[1, 4, 6, 9]], p[2:7]

    class Upper(IndexBasedExpression):
        def __call__(self, i, j):
            return (i < j).astype(float)

    assert pairs(sim.Projection(pre, post, sim.IndexBasedProbabilityConnector(Upper()))) == \
        [(i, j) for i in range(4) for j in range(5) if i < j]
    rows = [(3, 0, 0.25, 1.5), (0, 4, 0.5, 2.0), (1, 1, 0.75, 0.5)]
    prj = sim.Projection(pre, post, sim.FromListConnector(rows, column_names=["weight",
                                                                                "delay"]))
    assert sorted(prj.get(["weight", "delay"], format="list")) == \
        sorted((i, j, stored_weight(w), d) for i, j, w, d in rows)
    matrix = np.zeros((4, 5), dtype=bool)
    matrix[2, 3] = matrix[0, 0] = True
    assert pairs(sim.Projection(pre, post, sim.ArrayConnector(matrix))) == [(0, 0), (2, 3)]


def test_get_and_weight_arrays_are_in_view_shape(sim):
    p = sim.Population(10, sim.IF_curr_exp(), structure=space.Line(dx=2.0))
    pre, post = p[[0, 5, 9]], p[1:5]
    w = np.arange(12, dtype=float).reshape(3, 4) / 10 + 0.1
    prj = sim.Projection(pre, post, sim.AllToAllConnector(), sim.StaticSynapse(weight=w))
    np.testing.assert_array_equal(prj.get("weight", format="array"),
                                  w.astype(np.float32).astype(float))
    # a string expression sees the views' positions: d = 2 * |a - b|
    prj = sim.Projection(pre, post, sim.AllToAllConnector(),
                         sim.StaticSynapse(weight="0.01 * d", delay="0.1 + d / 10"))
    d = 2.0 * np.abs(root_index(pre)[:, None] - root_index(post)[None, :])
    np.testing.assert_array_equal(prj.get("weight", format="array"),
                                  (0.01 * d).astype(np.float32).astype(float))
    # delays are rounded to the 0.1 ms step: compare in steps
    np.testing.assert_array_equal(np.round(prj.get("delay", format="array") * 10),
                                  np.floor((0.1 + d / 10) * 10 + 0.5))


def test_self_connections_between_overlapping_views_are_decided_by_id(sim):
    # PyNN test_issue622: "self" is the same cell id, whatever the indices
    p = sim.Population(10, sim.IF_curr_exp())
    a, b = p[0:6], p[3:10]
    for c, n in ((sim.AllToAllConnector(allow_self_connections=False), 6 * 7 - 3),
                 (sim.FixedProbabilityConnector(1.0, allow_self_connections=False), 6 * 7 - 3),
                 # targets 0..2 have 5 candidates (all taken), targets 3..6 pick 5 of 6
                 (sim.FixedNumberPreConnector(5, allow_self_connections=False), 7 * 5)):
        prj = sim.Projection(a, b, c)
        got = pairs(prj)
        assert (3, 0) not in got and (4, 1) not in got and (5, 2) not in got
        assert (0, 0) in got and (3, 1) in got  # the same indices, different cells
        assert len(got) == len(set(got)) == n
    # views of different populations never have self-connections
    q = sim.Population(10, sim.IF_curr_exp())
    assert len(sim.Projection(p[0:6], q[0:6], sim.AllToAllConnector(
        allow_self_connections=False))) == 36


def test_fixed_probability_statistics_on_views(sim):
    p = sim.Population(1000, sim.IF_curr_exp())
    pre, post = p[100:400], p[::5]  # 300 x 200 pairs, 60 of them self pairs
    q = 0.3
    prj = sim.Projection(pre, post, sim.FixedProbabilityConnector(
        q, allow_self_connections=False, rng=NumpyRNG(seed=1234)))
    n_pairs = 300 * 200 - 60
    mean, sd = n_pairs * q, np.sqrt(n_pairs * q * (1 - q))
    assert abs(len(prj) - mean) < 5 * sd  # fixed seed; 5 sigma of the binomial
    data = np.array(pairs(prj))
    assert data[:, 0].max() < 300 and data[:, 1].max() < 200
    ids_pre = root_index(pre)[data[:, 0]]
    ids_post = root_index(post)[data[:, 1]]
    assert not np.any(ids_pre == ids_post)
    # every source of the view is used evenly: each row is binomial(200-ish, q)
    rows = np.bincount(data[:, 0], minlength=300)
    assert abs(rows[:150].sum() - rows[150:].sum()) < 5 * np.sqrt(2 * n_pairs / 2 * q * (1 - q))


def connections(threads, virtual_ranks):
    pineal.setup(threads=threads, virtual_ranks=virtual_ranks, rng_seed=5)
    p = pineal.Population(40, pineal.IF_curr_exp(), structure=space.Line())
    pre, post = p[3:31], p[::3][1:]
    w = RandomDistribution("uniform", (0.1, 0.5), rng=NumpyRNG(seed=9))
    out = []
    for c in (pineal.FixedProbabilityConnector(0.3, allow_self_connections=False),
              pineal.FixedNumberPreConnector(4, allow_self_connections=False),
              pineal.FixedNumberPostConnector(4, allow_self_connections=False),
              pineal.FixedTotalNumberConnector(100, allow_self_connections=False),
              pineal.DistanceDependentProbabilityConnector("exp(-d/3)"),
              pineal.SmallWorldConnector(2.0, 0.3)):
        prj = pineal.Projection(pre, post, c, pineal.StaticSynapse(weight=w, delay="0.5 + d/10"))
        out.append(sorted(prj.get(["weight", "delay"], format="list")))
    pineal.end()
    return out


def test_view_connections_do_not_depend_on_threads_or_virtual_ranks():
    one, four = connections(1, 1), connections(2, 2)
    assert all(len(x) > 0 for x in one)
    assert one == four


TARGETS = [1, 4, 6]


def drive_view(sim, **setup):
    """Sources 1 and 3 (a view) drive cells 1, 4, 6 (a view) of 8; v of all 8."""
    sim.setup(timestep=0.1, min_delay=0.1, **setup)
    src = sim.Population(4, sim.SpikeSourceArray(spike_times=[[2.0], [10.0], [2.0], [14.0]]))
    cells = sim.Population(8, sim.IF_curr_exp(v_rest=-65.0, v_thresh=-40.0))
    cells.initialize(v=-65.0)
    prj = sim.Projection(src[[1, 3]], cells[TARGETS], sim.AllToAllConnector(),
                         sim.StaticSynapse(weight=1.0, delay=1.0))
    assert len(prj) == 6
    cells.record("v")
    sim.run(20.0)
    v = np.asarray(cells.get_data().segments[0].analogsignals[0])  # (samples, 8)
    sim.end()
    return v


@pytest.mark.parametrize("threads,ranks", [(1, 1), (2, 2)])
def test_spikes_from_a_source_view_reach_only_the_target_view(threads, ranks):
    v = drive_view(pineal, threads=threads, virtual_ranks=ranks)
    targets = TARGETS
    t = np.arange(v.shape[0]) * 0.1
    others = [k for k in range(8) if k not in targets]
    # untouched cells stay exactly at rest (no input, v_rest = v(0))
    assert np.all(v[:, others] == -65.0)
    # the spike of source 0 at 2 ms is not in the view: nothing before 10 + 1 ms
    assert np.all(v[t <= 11.0 + 1e-9][:, targets] == -65.0)
    assert np.all(v[-1, targets] > -65.0 + 0.1)
    # every target gets the same input (two spikes, same weights)
    np.testing.assert_array_equal(v[:, 1], v[:, 4])
    np.testing.assert_array_equal(v[:, 1], v[:, 6])


def test_views_on_the_nest_backend_drive_the_same_cells():
    pytest.importorskip("nest", reason="PyNEST (pip install nest-simulator) is not installed")
    import pineal.nest

    native, nest = drive_view(pineal), drive_view(pineal.nest)
    assert np.all(nest[:, [0, 2, 3, 5, 7]] == -65.0)
    # both integrate IF_curr_exp exactly (propagators): agreement to rounding,
    # bound as tests/python/test_backend_nest.py
    np.testing.assert_allclose(nest, native, rtol=0, atol=1e-9)


def test_procedural_connect_with_single_ids(sim):
    p = sim.Population(5, sim.IF_curr_exp())
    with pytest.warns(DeprecationWarning):
        prj = sim.connect(p[3], p[1], weight=0.25, delay=0.5)
    assert prj.get(["weight", "delay"], format="list") == [(0, 0, 0.25, 0.5)]
    # the one cell of a 1-cell view to itself is a self-connection
    assert len(sim.Projection(p[2:3], p[[2]], sim.AllToAllConnector(
        allow_self_connections=False))) == 0


def test_bad_input_names_the_view(sim):
    p = sim.Population(10, sim.IF_curr_exp())
    pre, post = p[0:3], p[5:9]
    with pytest.raises(ConnectionError, match="post index 4 but the post-synaptic side"):
        sim.Projection(pre, post, sim.FromListConnector([(0, 4, 0.1, 1.0)]))
    with pytest.raises(InvalidDimensionsError, match=r"\(3, 4\)"):
        sim.Projection(pre, post, sim.AllToAllConnector(),
                       sim.StaticSynapse(weight=np.ones((10, 10))))
    with pytest.raises(ConnectionError, match="PopulationView or Assembly, got list"):
        sim.Projection([1, 2], post, sim.AllToAllConnector())
    assert state.projections == []  # nothing half-built


def test_core_checks_the_selections(sim):
    p = sim.Population(10, sim.IF_curr_exp())
    core = state.core
    rule = pineal._core.Connector(sim.AllToAllConnector()._core_connector(None))
    w = pineal._core.Value.scalar(0.1)
    with pytest.raises(InvalidParameterValueError, match="pre_cells must be strictly ascending"):
        core.connect(p._handle, p._handle, rule, w, None, "excitatory", "x", [3, 1], None)
    with pytest.raises(IndexError, match="post_cells has cell index 10 but population"):
        core.connect(p._handle, p._handle, rule, w, None, "excitatory", "x", None, [2, 10])
    k = core.connect(p._handle, p._handle, rule, w, None, "excitatory", "x", [1, 2], [])
    assert core.projection_size(k) == 0 and k == 0  # the failed calls left nothing
