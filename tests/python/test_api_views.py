"""PopulationView and cell IDs (pynn-api.md sections 10.2, 10.4, 12)."""

import warnings

import numpy as np
import pytest
from pineal import errors


@pytest.fixture
def pop(sim):
    return sim.Population(10, sim.IF_curr_exp(), label="pop")


# --- selectors ----------------------------------------------------------------------


def test_slice_mask_and_index_array_select_the_same_cells(sim, pop):
    by_slice = pop[2:10:2]
    by_mask = pop[np.arange(10) % 2 == 0][1:]
    by_list = pop[[2, 4, 6, 8]]
    by_tuple = pop[(8, 2, 4, 6)]
    by_array = pop[np.array([-2, 2, 4, 6])]
    for view in (by_slice, by_mask, by_list, by_tuple, by_array):
        assert isinstance(view, sim.PopulationView)
        assert view.size == len(view) == 4
        assert [int(c) for c in view] == [int(pop[i]) for i in (2, 4, 6, 8)]
        assert view == by_slice
    assert by_slice.mask == slice(2, 10, 2)
    np.testing.assert_array_equal(by_list.mask, [2, 4, 6, 8])
    assert by_slice.label == "view of 'pop' with size 4"
    assert by_slice.parent is pop and by_slice.grandparent is pop
    assert by_slice.celltype is pop.celltype
    assert by_slice.first_id == pop[2] and by_slice.last_id == pop[8]
    assert by_slice != pop[2:9:2][:3]


def test_duplicates_are_removed_with_a_warning(pop):
    with pytest.warns(UserWarning, match="duplicate"):
        view = pop[[3, 1, 3]]
    assert [int(c) for c in view] == [int(pop[1]), int(pop[3])]


def test_bad_selectors(pop):
    with pytest.raises(IndexError, match="boolean mask"):
        pop[np.ones(3, dtype=bool)]
    with pytest.raises(IndexError, match=r"\[10\]"):
        pop[[1, 10]]
    with pytest.raises(TypeError, match="float"):
        pop[1.5]
    with pytest.raises(TypeError, match="integer indices"):
        pop[np.array([0.5])]
    with pytest.raises(IndexError, match="out of range"):
        pop[10]


def test_view_of_a_view(pop):
    outer = pop[1:9]          # cells 1..8
    inner = outer[[0, 2, 7]]  # cells 1, 3, 8
    assert inner.parent is outer and inner.grandparent is pop
    assert [int(c) for c in inner] == [int(pop[i]) for i in (1, 3, 8)]
    np.testing.assert_array_equal(inner.index_in_grandparent([0, 1, 2]), [1, 3, 8])
    np.testing.assert_array_equal(inner.index_from_parent_index(np.array([2, 7])), [1, 2])
    assert inner.id_to_index(pop[3]) == 1
    np.testing.assert_array_equal(inner.id_to_index([pop[8], pop[1]]), [2, 0])
    with pytest.raises(IndexError, match="not present"):
        inner.id_to_index(pop[2])
    assert pop[3] in inner and pop[2] not in inner
    assert pop.id_to_index(inner) .tolist() == [1, 3, 8]


def test_membership_iteration_and_cell_lists(sim, pop):
    other = sim.Population(3, sim.IF_curr_exp())
    view = pop[4:7]
    assert list(view) == list(view.all_cells) == list(view.local_cells) == list(view.all())
    assert view.local_size == 3
    assert pop[5] in view and other[0] not in view and 5 not in view
    assert view.is_local(pop[5])
    assert view[1] is pop[5]
    assert view.index_to_id(2) == pop[6]


# --- parameters and state ---------------------------------------------------------


def test_get_and_set_through_a_view_act_on_the_parent(pop):
    view = pop[[1, 3, 5]]
    view.set(tau_m=30.0, cm=[0.5, 0.6, 0.7])
    tau_m = pop.get("tau_m")
    np.testing.assert_array_equal(tau_m[[1, 3, 5]], 30.0)
    np.testing.assert_array_equal(np.delete(tau_m, [1, 3, 5]), 20.0)
    np.testing.assert_array_equal(view.get("cm"), [0.5, 0.6, 0.7])
    assert view.get("tau_m") == 30.0               # simplified: all equal
    np.testing.assert_array_equal(view.get("tau_m", simplify=False), [30.0] * 3)
    # a function of the index gets the index in the view (PyNN's shape=(view.size,))
    view.set(v_thresh=lambda i: -50.0 + i)
    np.testing.assert_array_equal(pop.get("v_thresh")[[1, 3, 5]], [-50.0, -49.0, -48.0])
    with pytest.raises(errors.NonExistentParameterError):
        view.set(tau_x=1.0)
    with pytest.raises(errors.NonExistentParameterError):
        view.get("tau_x")


def test_random_values_through_a_view_are_those_the_population_would_draw(sim, pop):
    rng = sim.NumpyRNG(seed=7)
    pop.set(v_thresh=sim.RandomDistribution("uniform", (-55.0, -45.0), rng=rng))
    whole = pop.get("v_thresh")
    sim.setup()
    p2 = sim.Population(10, sim.IF_curr_exp())
    p2[[2, 7]].set(v_thresh=sim.RandomDistribution("uniform", (-55.0, -45.0),
                                                   rng=sim.NumpyRNG(seed=7)))
    np.testing.assert_array_equal(p2.get("v_thresh")[[2, 7]], whole[[2, 7]])


def test_initialize_through_a_view(sim, pop):
    pop[5:].initialize(v=-70.0)
    v0 = pop.initial_values["v"]
    np.testing.assert_array_equal(v0[:5], -65.0)
    np.testing.assert_array_equal(v0[5:], -70.0)
    pop.record("v")
    sim.run(0.1)
    first = pop.get_data().segments[0].analogsignals[0].magnitude[0]
    np.testing.assert_array_equal(first, v0)
    with pytest.raises(NotImplementedError, match="initial_values"):
        pop[1:].initial_values  # noqa: B018


def test_sample(sim, pop):
    view = pop.sample(4, sim.NumpyRNG(seed=3))
    assert view.size == 4 and len(set(map(int, view))) == 4
    assert all(c in pop for c in view)
    again = pop.sample(4, sim.NumpyRNG(seed=3))
    assert view == again
    with pytest.raises(ValueError, match="n must be"):
        pop.sample(11)


def test_positions_and_nearest(pop, tmp_path):
    view = pop[[2, 5]]
    np.testing.assert_array_equal(view.positions, pop.positions[:, [2, 5]])
    assert pop.nearest(pop.positions[:, 6] + 0.1) == pop[6]
    np.testing.assert_array_equal(pop[4].position, pop.positions[:, 4])
    view.save_positions(str(tmp_path / "pos.txt"))
    rows = np.loadtxt(tmp_path / "pos.txt")
    np.testing.assert_array_equal(rows[:, 1:], view.positions.T)


def test_describe(pop):
    view = pop[:3]
    assert "view of 'pop'" in view.describe()
    assert view.describe(template=None)["parent"] == "pop"
    assert "'pop'" in pop.describe()


# --- IDs ------------------------------------------------------------------------------


def test_id_get_set_and_views(sim, pop):
    cell = pop[4]
    cell.tau_m = 12.0
    assert cell.tau_m == 12.0 and pop.get("tau_m")[4] == 12.0
    assert cell.get_parameters()["tau_m"] == 12.0
    cell.set_parameters(cm=2.0)
    assert pop.get("cm")[4] == 2.0
    cell.set_initial_value("v", -60.0)
    assert cell.get_initial_value("v") == -60.0
    assert pop.initial_values["v"][4] == -60.0
    view = cell.as_view()
    assert view.size == 1 and view[0] is cell
    assert cell.is_standard_cell and cell.local
    with pytest.raises(AttributeError, match=r"p\[i\]\.name = value"):
        cell.set  # noqa: B018
    with pytest.raises(errors.NonExistentParameterError):
        cell.tau_x  # noqa: B018


def test_inject_needs_a_current_source(sim, pop):
    with pytest.raises(TypeError, match="expected a current source"):
        pop.inject(object())
    with pytest.raises(TypeError, match="expected a current source"):
        pop[2].inject(object())
    sources = sim.Population(2, sim.SpikeSourcePoisson())
    with pytest.raises(TypeError, match="spike source"):
        sources.inject(object())


# --- recording ------------------------------------------------------------------------


def test_record_a_view_records_only_its_cells(sim, pop):
    pop.set(i_offset=np.linspace(0.5, 1.5, 10))
    view = pop[[1, 4, 8]]
    view.record(["spikes", "v"])
    sim.run(50.0)
    block = pop.get_data()
    seg = block.segments[0]
    assert [st.annotations["source_index"] for st in seg.spiketrains] == [1, 4, 8]
    np.testing.assert_array_equal(seg.analogsignals[0].array_annotations["channel_index"],
                                  [1, 4, 8])
    sub = view[1:].get_data()  # cells 4 and 8 only
    s2 = sub.segments[0]
    assert [st.annotations["source_index"] for st in s2.spiketrains] == [4, 8]
    np.testing.assert_array_equal(s2.analogsignals[0].magnitude,
                                  seg.analogsignals[0].magnitude[:, 1:])
    np.testing.assert_array_equal(s2.analogsignals[0].annotations["channel_ids"],
                                  [pop[4], pop[8]])
    counts = view.get_spike_counts()
    assert set(counts) == {pop[1], pop[4], pop[8]}
    assert counts[pop[8]] == len(seg.spiketrains[2]) > 0
    assert pop[2:5].get_spike_counts() == {pop[4]: counts[pop[4]]}
    assert view.mean_spike_count() == pytest.approx(np.mean(list(counts.values())))


def test_view_data_of_earlier_segments_are_filtered_too(sim, pop):
    pop.set(i_offset=1.0)
    pop.record(["spikes", "v"])
    sim.run(20.0)
    sim.reset()
    sim.run(10.0)
    block = pop[[0, 9]].get_data()
    assert len(block.segments) == 2
    for seg in block.segments:
        assert [st.annotations["source_index"] for st in seg.spiketrains] == [0, 9]
        assert seg.analogsignals[0].shape[1] == 2


def test_record_none_on_a_view_stops_the_whole_population(sim, pop):
    pop.record("spikes")
    pop[1:3].record(None)
    assert not pop.recorder.recording


def test_record_locations_is_not_supported(pop):
    with pytest.raises(NotImplementedError, match="locations"):
        pop.record("v", locations=["soma"])


def test_deprecated_names_warn_and_work(sim, pop, tmp_path):
    pop.set(i_offset=1.0)
    with pytest.warns(DeprecationWarning, match="record"):
        pop.record_v()
    pop.record("spikes")
    sim.run(30.0)
    with pytest.warns(DeprecationWarning, match="get_data"):
        block = pop.getSpikes()
    assert len(block.segments[0].spiketrains) == 10
    with pytest.warns(DeprecationWarning):
        assert pop.get_v().segments[0].analogsignals[0].name == "v"
    with pytest.warns(DeprecationWarning):
        pop.printSpikes(str(tmp_path / "spikes.pkl"))
    with pytest.warns(DeprecationWarning):
        pop.print_v(str(tmp_path / "v.pkl"))
    with pytest.warns(DeprecationWarning):
        assert pop.meanSpikeCount() == pop.mean_spike_count() > 0
    with pytest.warns(DeprecationWarning):
        pop.tset("tau_m", np.full(10, 15.0))
    assert pop.get("tau_m") == 15.0
    assert (tmp_path / "spikes.pkl").exists() and (tmp_path / "v.pkl").exists()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        pop.get_data()  # the current names do not warn


def test_projection_with_views_and_an_assembly(sim, pop):
    src = sim.Population(2, sim.SpikeSourcePoisson())
    assert len(sim.Projection(src, pop[1:3], sim.AllToAllConnector())) == 4
    # in-degree 2 drawn over the whole Assembly (2 sources + the cells of pop)
    prj = sim.Projection(src + pop, pop, sim.FixedNumberPreConnector(2))
    post = [j for _, j, _ in prj.get("weight", format="list")]
    assert sorted(post) == sorted(list(range(pop.size)) * 2)


def test_wrong_number_of_values_names_the_view(pop):
    with pytest.raises(errors.InvalidDimensionsError, match=r"'view of 'pop' with size 2' \(2 "
                       r"cells\).*tau_m.*got 3"):
        pop[1:3].set(tau_m=[1.0, 2.0, 3.0])
    with pytest.raises(errors.InvalidDimensionsError, match="'pop' .*v.*got 3"):
        pop.initialize(v=[1.0, 2.0, 3.0])
