"""Recording and the neo layout of get_data (pynn-api.md section 12;
docs/timing.md, "recorded samples")."""

import neo
import numpy as np
import pytest
import quantities as pq

SPIKES = [[1.0, 5.0, 7.3], [2.0], []]


def spiking(sim, label="src"):
    """Three SpikeSourceArray cells with known spikes."""
    return sim.Population(3, sim.SpikeSourceArray(spike_times=SPIKES), label=label)


def test_block_annotations(sim):
    p = sim.Population(4, sim.IF_curr_exp(), label="cells")
    p.annotate(experiment="A")
    p.record("v")
    sim.run(10.0)
    block = p.get_data(annotations={"trial": 3})
    assert isinstance(block, neo.Block)
    assert block.name == "cells"
    ann = block.annotations
    assert ann["size"] == 4
    assert ann["first_id"] == p.first_id and ann["last_id"] == p.last_id
    assert ann["first_index"] == 0 and ann["last_index"] == 4
    assert ann["label"] == "cells"
    assert ann["simulator"] == "pineal"
    assert ann["dt"] == 0.1
    assert ann["mpi_processes"] == 1
    assert ann["experiment"] == "A" and ann["trial"] == 3
    assert len(block.segments) == 1
    assert block.segments[0].name == "segment000"


def test_spiketrains_layout(sim):
    src = spiking(sim)
    src.record("spikes")
    sim.run(20.0)
    seg = src.get_data().segments[0]
    assert len(seg.spiketrains) == 3
    for k, (st, expected) in enumerate(zip(seg.spiketrains, SPIKES)):
        assert st.units == pq.ms
        np.testing.assert_allclose(st.magnitude, expected, rtol=0, atol=1e-9)
        assert float(st.t_start) == 0.0 and float(st.t_stop) == pytest.approx(20.0)
        assert st.annotations["source_population"] == "src"
        assert st.annotations["channel_id"] == src.first_id + k
        assert isinstance(st.annotations["channel_id"], int)
        assert st.annotations["source_index"] == k
        assert st.annotations["source_id"] == src.first_id + k


def test_analogsignal_layout(sim):
    p = sim.Population(3, sim.IF_curr_exp(), initial_values={"v": [-70.0, -65.0, -60.0]},
                       label="cells")
    p.record(["v", "spikes"])
    sim.run(100.0)
    seg = p.get_data().segments[0]
    assert len(seg.analogsignals) == 1
    sig = seg.analogsignals[0]
    assert sig.name == "v"
    assert sig.shape == (1001, 3)  # 100 ms at dt 0.1: t/dt + 1 samples
    assert sig.units == pq.mV
    assert float(sig.t_start) == 0.0
    assert float(sig.sampling_period.rescale(pq.ms)) == pytest.approx(0.1)
    np.testing.assert_array_equal(sig.magnitude[0], [-70.0, -65.0, -60.0])
    np.testing.assert_array_equal(sig.annotations["channel_ids"], p.all_cells.astype(int))
    np.testing.assert_array_equal(sig.array_annotations["channel_index"], [0, 1, 2])
    assert sig.annotations["source_population"] == "cells"
    assert len(seg.spiketrains) == 3


def test_membrane_trace_matches_the_analytic_solution(sim):
    # IF_curr_exp with a constant current, below threshold:
    # v(t) = v_rest + R I (1 - exp(-t / tau_m)), R = tau_m / cm
    p = sim.Population(1, sim.IF_curr_exp(i_offset=0.5, tau_m=10.0, cm=0.5, v_rest=-65.0))
    p.record("v")
    sim.run(30.0)
    sig = p.get_data().segments[0].analogsignals[0]
    t = sig.times.rescale(pq.ms).magnitude
    expected = -65.0 + 20.0 * 0.5 * (1 - np.exp(-t / 10.0))
    np.testing.assert_allclose(sig.magnitude[:, 0], expected, rtol=0, atol=1e-9)


@pytest.mark.parametrize(("interval", "samples"), [(1.0, 11), (0.5, 21), (0.1, 101)])
def test_sampling_interval(sim, interval, samples):
    p = sim.Population(2, sim.IF_curr_exp(i_offset=0.2))
    p.record("v", sampling_interval=interval)
    sim.run(10.0)
    sig = p.get_data().segments[0].analogsignals[0]
    assert sig.shape == (samples, 2)
    assert float(sig.sampling_period.rescale(pq.ms)) == pytest.approx(interval)
    np.testing.assert_allclose(sig.times.magnitude, np.arange(samples) * interval, atol=1e-9)


def test_sampling_interval_not_a_multiple_of_dt(sim):
    p = sim.Population(2, sim.IF_curr_exp())
    with pytest.raises(ValueError, match="sampling_interval"):
        p.record("v", sampling_interval=0.25)


def test_two_runs_give_one_signal(sim):
    p = sim.Population(2, sim.IF_curr_exp(i_offset=0.3))
    p.record("v")
    sim.run(100.0)
    sim.run(100.0)
    split = p.get_data().segments[0].analogsignals[0].magnitude
    assert split.shape == (2001, 2)
    sim.setup()
    q = sim.Population(2, sim.IF_curr_exp(i_offset=0.3))
    q.record("v")
    sim.run(200.0)
    np.testing.assert_array_equal(split, q.get_data().segments[0].analogsignals[0].magnitude)


def test_segments_after_reset(sim):
    src = spiking(sim)
    cells = sim.Population(2, sim.IF_curr_exp(i_offset=1.0))
    src.record("spikes")
    cells.record(["spikes", "v"])
    sim.run(10.0)
    sim.reset(annotations={"trial": 0})
    sim.run(20.0)
    sim.reset()
    sim.run(5.0)
    block = cells.get_data()
    assert [s.name for s in block.segments] == ["segment000", "segment001", "segment002"]
    assert block.segments[0].annotations["trial"] == 0
    shapes = [s.analogsignals[0].shape for s in block.segments]
    assert shapes == [(101, 2), (201, 2), (51, 2)]
    for seg in block.segments:
        np.testing.assert_array_equal(seg.analogsignals[0].magnitude[0], [-65.0, -65.0])
        assert float(seg.spiketrains[0].t_start) == 0.0
    # spike sources replay their spikes in each trial
    src_block = src.get_data()
    assert len(src_block.segments) == 3
    np.testing.assert_allclose(src_block.segments[1].spiketrains[0].magnitude, SPIKES[0])
    # a spike at exactly the end of the run (5.0) is in the data
    np.testing.assert_allclose(src_block.segments[2].spiketrains[0].magnitude, [1.0, 5.0])


def test_get_data_with_clear(sim):
    p = sim.Population(2, sim.IF_curr_exp(i_offset=1.0))
    p.record(["spikes", "v"])
    sim.run(50.0)
    first = p.get_data(clear=True)
    assert first.segments[0].analogsignals[0].shape == (501, 2)
    n_before = sum(len(st) for st in first.segments[0].spiketrains)
    assert n_before > 0
    sim.run(10.0)
    block = p.get_data()
    assert len(block.segments) == 1
    sig = block.segments[0].analogsignals[0]
    assert sig.shape == (101, 2)
    assert float(sig.t_start) == pytest.approx(50.0)
    for st in block.segments[0].spiketrains:
        assert float(st.t_start) == pytest.approx(50.0)
        assert np.all(st.magnitude > 50.0)


def test_get_data_filters_variables(sim):
    p = sim.Population(2, sim.IF_curr_exp(i_offset=1.0))
    p.record(["spikes", "v"])
    sim.run(30.0)
    only_spikes = p.get_data("spikes").segments[0]
    assert len(only_spikes.spiketrains) == 2 and len(only_spikes.analogsignals) == 0
    only_v = p.get_data(["v"]).segments[0]
    assert len(only_v.spiketrains) == 0 and len(only_v.analogsignals) == 1


def test_spike_counts(sim):
    src = spiking(sim)
    src.record("spikes")
    sim.run(20.0)
    counts = src.get_spike_counts()
    assert counts == {src.first_id: 3, src.first_id + 1: 1, src.first_id + 2: 0}
    for key in counts:
        assert key in src.all_cells and key.parent is src
    assert src.mean_spike_count() == pytest.approx(4 / 3)


def test_spike_counts_match_the_spiketrains(sim):
    p = sim.Population(5, sim.IF_curr_exp(i_offset=[0.0, 0.5, 1.0, 1.5, 2.0]))
    p.record("spikes")
    sim.run(100.0)
    trains = p.get_data().segments[0].spiketrains
    counts = p.get_spike_counts()
    assert [counts[c] for c in p.all_cells] == [len(st) for st in trains]
    assert counts[p[0]] == 0 and counts[p[4]] > counts[p[2]] > 0


def test_record_more_variables_later(sim):
    p = sim.Population(2, sim.IF_curr_exp())
    p.record("v")
    sim.run(5.0)
    p.record("spikes")
    sim.run(5.0)
    seg = p.get_data().segments[0]
    assert seg.analogsignals[0].shape == (101, 2)
    assert len(seg.spiketrains) == 2


def test_record_none_stops_recording(sim):
    src = spiking(sim)
    src.record("spikes")
    sim.run(3.0)
    src.record(None)
    sim.run(10.0)
    seg = src.get_data().segments[0]
    assert len(seg.spiketrains) == 0 and len(seg.analogsignals) == 0
    assert src.get_spike_counts() == {}


def test_write_data_to_a_pickle_file(sim, tmp_path):
    p = sim.Population(2, sim.IF_curr_exp(i_offset=1.0), label="cells")
    p.record(["spikes", "v"])
    sim.run(30.0)
    path = tmp_path / "out" / "data.pkl"
    p.write_data(str(path))
    block = neo.io.PickleIO(filename=str(path)).read_block()
    original = p.get_data()
    assert block.annotations["label"] == "cells"
    np.testing.assert_array_equal(block.segments[0].analogsignals[0].magnitude,
                                  original.segments[0].analogsignals[0].magnitude)
    for a, b in zip(block.segments[0].spiketrains, original.segments[0].spiketrains):
        np.testing.assert_array_equal(a.magnitude, b.magnitude)
    assert sum(len(st) for st in block.segments[0].spiketrains) > 0


def test_record_to_file_is_written_at_end(sim, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    src = spiking(sim)
    src.record("spikes", to_file="spikes.pkl")
    sim.run(10.0)
    assert not (tmp_path / "spikes.pkl").exists()
    sim.end()
    block = neo.io.PickleIO(filename="spikes.pkl").read_block()
    trains = block.segments[0].spiketrains
    np.testing.assert_allclose(trains[0].magnitude, SPIKES[0])
    np.testing.assert_allclose(trains[1].magnitude, SPIKES[1])


def test_get_io_by_extension(sim, tmp_path):
    assert isinstance(sim.get_io(str(tmp_path / "a.pkl")), neo.io.PickleIO)
    with pytest.raises(IOError):
        sim.get_io(str(tmp_path / "a.txt"))
