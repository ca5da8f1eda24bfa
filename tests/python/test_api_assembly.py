"""Assembly (pynn-api.md section 10.3) and the procedural API (section 2.2)."""

import logging

import numpy as np
import pytest
from pineal import errors


@pytest.fixture
def pops(sim):
    exc = sim.Population(6, sim.IF_curr_exp(), label="exc")
    inh = sim.Population(4, sim.IF_cond_exp(), label="inh")
    return exc, inh


def test_sum_of_populations_and_views(sim, pops):
    exc, inh = pops
    a = exc + inh
    assert isinstance(a, sim.Assembly)
    assert a.size == len(a) == 10
    assert a.populations == [exc, inh]
    assert list(a) == list(exc) + list(inh) == list(a.all_cells)
    assert a.first_id == exc.first_id and a.last_id == inh.last_id
    assert a[7] is inh[1] and a[-1] is inh[3]
    assert exc[2] in a and a.get_population("inh") is inh
    with pytest.raises(KeyError, match="no population labelled 'x'"):
        a.get_population("x")
    b = exc[:2] + inh[1:3] + exc[4:]
    assert b.size == 6
    assert [p.label for p in b.populations][0] == "view of 'exc' with size 2"
    assert a.id_to_index(inh[0]) == 6
    np.testing.assert_array_equal(b.id_to_index([exc[5], inh[2]]), [5, 3])
    with pytest.raises(IndexError, match="not present"):
        b.id_to_index(exc[3])
    c = sim.Assembly(exc, label="only exc")
    c += inh
    c += sim.Assembly(inh[1:])  # overlaps inh: left out
    assert c.populations == [exc, inh] and c.label == "only exc"
    assert (a + exc[0:1]).size == 10  # exc[0:1] overlaps exc


def test_duplicates_and_overlaps_are_left_out_with_a_warning(sim, pops, caplog):
    exc, inh = pops
    with caplog.at_level(logging.WARNING, logger="pineal"):
        a = sim.Assembly(exc, exc, exc[1:3], inh[1:], inh[:2])
    assert a.populations[:2] == [exc, inh[1:]]
    assert len(a.populations) == 2
    assert sum("not added" in r.message for r in caplog.records) == 3
    with pytest.raises(TypeError, match="members must be"):
        sim.Assembly(exc, [1, 2])
    with pytest.raises(TypeError):
        sim.Assembly(exc, size=3)


def test_indexing_gives_assemblies_of_views(sim, pops):
    exc, inh = pops
    a = exc + inh
    sub = a[4:8]
    assert isinstance(sub, sim.Assembly) and sub.size == 4
    assert [int(c) for c in sub] == [int(exc[4]), int(exc[5]), int(inh[0]), int(inh[1])]
    mask = np.zeros(10, dtype=bool)
    mask[[0, 9]] = True
    assert [int(c) for c in a[mask]] == [int(exc[0]), int(inh[3])]
    assert a.sample(5, sim.NumpyRNG(seed=1)).size == 5
    with pytest.raises(TypeError, match="indices must be"):
        a["x"]
    with pytest.raises(IndexError):
        a[10]


def test_get_set_initialize(sim, pops):
    exc, inh = pops
    a = exc + inh
    a.set(tau_m=15.0)
    assert a.get("tau_m") == 15.0
    a.set(v_thresh=np.arange(10.0) - 60.0)  # one value per cell: split between the members
    np.testing.assert_array_equal(exc.get("v_thresh"), np.arange(6.0) - 60.0)
    np.testing.assert_array_equal(inh.get("v_thresh"), np.arange(6.0, 10.0) - 60.0)
    tau, cm = a.get(["tau_m", "cm"], simplify=False)
    assert tau.shape == (10,) and cm.shape == (10,)
    with pytest.raises(errors.NonExistentParameterError):
        a.set(e_rev_E=0.0)  # only IF_cond_exp has it: nothing is changed
    a.initialize(v=-70.0)
    assert exc.initial_values["v"] == -70.0 and inh.initial_values["v"] == -70.0


def test_model_facts(pops):
    exc, inh = pops
    a = exc + inh
    assert not a.conductance_based and not a._homogeneous_synapses
    assert set(a.receptor_types) == {"excitatory", "inhibitory"}
    assert a.injectable
    assert a.find_units("v") == "mV"
    assert a.positions.shape == (3, 10)
    exc.annotate(kind="E")
    inh.annotate(kind="I")
    np.testing.assert_array_equal(a.get_annotations("kind")["kind"], ["E", "I"])
    assert "Assembly" in a.describe() and len(a.describe(template=None)["populations"]) == 2


def test_get_data_merges_the_members(sim, pops):
    exc, inh = pops
    exc.set(i_offset=1.0)
    inh.set(i_offset=1.0)
    a = exc[[1, 3]] + inh
    a.record(["spikes", "v"])
    sim.run(40.0)
    block = a.get_data()
    assert block.name == a.label and block.annotations["size"] == 6
    seg = block.segments[0]
    assert [st.annotations["source_population"] for st in seg.spiketrains] == \
        ["exc"] * 2 + ["inh"] * 4
    assert [st.annotations["channel_id"] for st in seg.spiketrains] == \
        [int(exc[1]), int(exc[3])] + [int(c) for c in inh]
    (v,) = seg.analogsignals
    assert v.shape == (401, 6) and v.name == "v"
    np.testing.assert_array_equal(v.array_annotations["channel_index"], np.arange(6))
    np.testing.assert_array_equal(v.annotations["channel_ids"], [int(c) for c in a])
    np.testing.assert_array_equal(v.magnitude[:, 2:],
                                  inh.get_data().segments[0].analogsignals[0].magnitude)
    counts = a.get_spike_counts()
    assert set(counts) == set(a.all_cells)
    assert a.mean_spike_count() == pytest.approx(np.mean(list(counts.values())))
    assert exc[0] not in counts  # not recorded


def test_get_data_segments_after_reset(sim, pops, tmp_path):
    exc, inh = pops
    a = exc + inh
    a.record("v", sampling_interval=1.0)
    sim.run(10.0)
    sim.reset()
    sim.run(5.0)
    block = a.get_data()
    assert [s.name for s in block.segments] == ["segment000", "segment001"]
    assert [s.analogsignals[0].shape for s in block.segments] == [(11, 10), (6, 10)]
    a.write_data(str(tmp_path / "a.pkl"))
    assert (tmp_path / "a.pkl").exists()


def test_different_sampling_intervals_stay_separate_signals(sim, pops):
    exc, inh = pops
    exc.record("v", sampling_interval=1.0)
    inh.record("v", sampling_interval=0.5)
    sim.run(5.0)
    sigs = (exc + inh).get_data().segments[0].analogsignals
    assert sorted(s.shape for s in sigs) == [(6, 6), (11, 4)]
    np.testing.assert_array_equal(sigs[1].array_annotations["channel_index"], [6, 7, 8, 9])


# --- procedural API --------------------------------------------------------------------


def test_procedural_api(sim, tmp_path):
    with pytest.warns(DeprecationWarning, match="create"):
        cells = sim.create(sim.IF_curr_exp(), n=5)
    with pytest.warns(DeprecationWarning):
        src = sim.create(sim.SpikeSourceArray(spike_times=[1.0, 2.0]), n=2)
    assert isinstance(cells, sim.Population) and cells.size == 5
    with pytest.warns(DeprecationWarning, match="connect"):
        prj = sim.connect(src, cells, weight=0.5, delay=1.0, p=1.0)
    assert len(prj) == 10 and prj.receptor_type == "excitatory"
    with pytest.warns(DeprecationWarning, match="set"):
        sim.set(cells, tau_m=10.0)
    assert cells.get("tau_m") == 10.0
    with pytest.warns(DeprecationWarning), pytest.raises(AttributeError, match="tau_m = 20"):
        sim.set(cells[0], tau_m=10.0)
    with pytest.warns(DeprecationWarning, match="initialize"):
        sim.initialize(cells, v=-60.0)
    assert cells.initial_values["v"] == -60.0
    with pytest.warns(DeprecationWarning, match="record"):
        sim.record("spikes", cells, str(tmp_path / "spikes.pkl"), annotations={"run": 1})
    with pytest.warns(DeprecationWarning):
        sim.record_v(cells[0], str(tmp_path / "v.pkl"))
    assert cells.annotations == {"run": 1}
    sim.run(10.0)
    sim.end()
    assert (tmp_path / "spikes.pkl").exists() and (tmp_path / "v.pkl").exists()
    v = sim.get_io(str(tmp_path / "v.pkl")).read_block().segments[0].analogsignals[0]
    assert v.shape[1] == 1 and v.annotations["channel_ids"][0] == cells[0]
    sim.setup()
    c = sim.Population(2, sim.IF_curr_exp())
    with pytest.warns(DeprecationWarning):
        prj = sim.connect(c[0], c[1], weight=0.5)  # single IDs: 1-cell views, as PyNN
    assert prj.get("weight", "list") == [(0, 0, 0.5)]
    with pytest.warns(DeprecationWarning), pytest.raises(TypeError, match="Population"):
        sim.connect([1], c)


def test_record_to_file_of_views_and_assemblies_is_written_at_end(sim, pops, tmp_path):
    exc, inh = pops
    a = exc + inh
    a.record("spikes", to_file=str(tmp_path / "a.pkl"))
    exc[2:4].record("v", to_file=str(tmp_path / "v.pkl"))
    sim.run(5.0)
    sim.end()
    a_block = sim.get_io(str(tmp_path / "a.pkl")).read_block()
    assert a_block.name == a.label and len(a_block.segments[0].spiketrains) == 10
    (v,) = sim.get_io(str(tmp_path / "v.pkl")).read_block().segments[0].analogsignals
    np.testing.assert_array_equal(v.array_annotations["channel_index"], [2, 3])
