"""Threads and virtual ranks through the PyNN API: the same script gives
bit-identical spikes, membrane traces and connections for any
(threads, virtual_ranks), and split runs match one run."""

import numpy as np
import pineal as sim
import pytest
from pineal.random import NumpyRNG, RandomDistribution


def run_network(threads, virtual_ranks, chunks=(250.0,)):
    sim.setup(timestep=0.1, threads=threads, virtual_ranks=virtual_ranks, rng_seed=77)
    rng = NumpyRNG(seed=5)
    noise = sim.Population(30, sim.SpikeSourcePoisson(rate=150.0))
    exc = sim.Population(120, sim.IF_curr_exp(i_offset=0.3), label="exc")
    inh = sim.Population(33, sim.IF_cond_exp(tau_refrac=2.0), label="inh")
    exc.initialize(v=RandomDistribution("uniform", (-65.0, -52.0), rng=rng))
    delays = RandomDistribution("uniform", (0.1, 2.5), rng=rng)
    sim.Projection(noise, exc, sim.FixedProbabilityConnector(0.2, rng=rng),
                   sim.StaticSynapse(weight=RandomDistribution("uniform", (0.2, 0.6), rng=rng),
                                     delay=delays))
    sim.Projection(noise, inh, sim.FixedProbabilityConnector(0.2, rng=rng),
                   sim.StaticSynapse(weight=0.01, delay=1.0))
    ee = sim.Projection(exc, exc, sim.FixedProbabilityConnector(0.1, rng=rng),
                        sim.StaticSynapse(weight=0.3, delay=0.7))
    sim.Projection(exc, inh, sim.FixedProbabilityConnector(0.1, rng=rng),
                   sim.StaticSynapse(weight=0.005, delay=0.4))
    sim.Projection(inh, exc, sim.FixedProbabilityConnector(0.2, rng=rng),
                   sim.StaticSynapse(weight=-0.5, delay=0.6), receptor_type="inhibitory")
    for p in (exc, inh):
        p.record(["spikes", "v"])
    for chunk in chunks:
        sim.run(chunk)
    result = {
        "exc_spikes": [st.magnitude for st in exc.get_data().segments[0].spiketrains],
        "inh_spikes": [st.magnitude for st in inh.get_data().segments[0].spiketrains],
        "exc_v": exc.get_data().segments[0].filter(name="v")[0].magnitude,
        "inh_v": inh.get_data().segments[0].filter(name="v")[0].magnitude,
        "ee": ee.get(["weight", "delay"], format="list"),
    }
    sim.end()
    return result


def assert_identical(a, b):
    for key in ("exc_spikes", "inh_spikes"):
        assert len(a[key]) == len(b[key])
        for x, y in zip(a[key], b[key]):
            np.testing.assert_array_equal(x, y)
    for key in ("exc_v", "inh_v"):
        np.testing.assert_array_equal(a[key], b[key])  # bitwise
    assert a["ee"] == b["ee"]


@pytest.fixture(scope="module")
def serial():
    result = run_network(1, 1)
    assert sum(len(s) for s in result["exc_spikes"]) > 200  # an active network
    return result


@pytest.mark.parametrize("threads, virtual_ranks", [(2, 1), (1, 3), (2, 2)])
def test_threads_and_partitions_do_not_change_results(serial, threads, virtual_ranks):
    assert_identical(serial, run_network(threads, virtual_ranks))


def test_split_runs_with_partitions_match_one_run(serial):
    assert_identical(serial, run_network(2, 2, chunks=(100.0, 50.3, 99.7)))


@pytest.mark.parametrize("bad", [0, -1, 1.5, "2", True])
def test_bad_thread_and_partition_counts_are_rejected(bad):
    for key in ("threads", "virtual_ranks"):
        with pytest.raises(ValueError, match=key):
            sim.setup(**{key: bad})


# -- dynamic synapses: plasticity and stochastic release -----------------------
def run_plastic_network(threads, virtual_ranks, chunks=(200.0,), set_between=False):
    """Every dynamic synapse type in one recurrent network: learned weights,
    short-term state and stochastic draws must not depend on the decomposition."""
    sim.setup(timestep=0.1, threads=threads, virtual_ranks=virtual_ranks, rng_seed=91)
    rng = NumpyRNG(seed=8)
    noise = sim.Population(40, sim.SpikeSourcePoisson(rate=80.0))
    exc = sim.Population(90, sim.IF_curr_exp(i_offset=0.2), label="exc")
    inh = sim.Population(25, sim.IF_cond_exp(), label="inh")
    delays = RandomDistribution("uniform", (0.2, 3.0), rng=rng)
    stdp = sim.Projection(
        noise, exc, sim.FixedProbabilityConnector(0.3, rng=rng),
        sim.STDPMechanism(sim.SpikePairRule(A_plus=0.02, A_minus=0.025),
                          sim.MultiplicativeWeightDependence(w_max=1.2),
                          weight=RandomDistribution("uniform", (0.3, 0.9), rng=rng),
                          delay=delays, dendritic_delay_fraction=0.75))
    ee = sim.Projection(
        exc, exc, sim.FixedProbabilityConnector(0.1, rng=rng),
        sim.STDPMechanism(sim.SpikePairRule(), sim.AdditiveWeightDependence(w_max=0.5),
                          weight=0.2, delay=delays, dendritic_delay_fraction=0.3))
    tm = sim.Projection(exc, inh, sim.FixedProbabilityConnector(0.2, rng=rng),
                        sim.TsodyksMarkramSynapse(U=0.3, tau_facil=50.0, weight=0.004,
                                                  delay=0.5))
    vogels = sim.Projection(
        inh, inh, sim.FixedProbabilityConnector(0.3, rng=rng),
        sim.STDPMechanism(sim.Vogels2011Rule(eta=0.0005), sim.AdditiveWeightDependence(w_max=0.05),
                          weight=0.01, delay=0.6), receptor_type="inhibitory")
    stochastic = [
        sim.Projection(noise, inh, sim.FixedProbabilityConnector(0.3, rng=rng), synapse)
        for synapse in (sim.SimpleStochasticSynapse(p=0.4, weight=0.01, delay=1.0),
                        sim.StochasticTsodyksMarkramSynapse(U=0.5, weight=0.01, delay=0.3),
                        sim.MultiQuantalSynapse(U=0.4, n=5, weight=0.02, delay=2.0))]
    for p in (exc, inh):
        p.record("spikes")
    for k, chunk in enumerate(chunks):
        if set_between and k == 1:  # Projection.set between runs
            stdp.set(weight=RandomDistribution("uniform", (0.3, 0.9), rng=NumpyRNG(seed=2)),
                     A_minus=0.03)
            tm.set(U=0.6, delay=RandomDistribution("uniform", (0.2, 2.0), rng=NumpyRNG(seed=3)))
            stochastic[2].set(n=3, weight=0.03)
        sim.run(chunk)
    result = {
        "exc_spikes": [st.magnitude for st in exc.get_data().segments[0].spiketrains],
        "inh_spikes": [st.magnitude for st in inh.get_data().segments[0].spiketrains],
        "stdp": stdp.get(["weight", "delay"], format="list"),
        "ee": ee.get("weight", format="list"),
        "vogels": vogels.get("weight", format="list"),
        "tm": tm.get(["u", "x", "y"], format="list"),
        "stochastic": [s.get(["u", "available"], format="list") for s in stochastic[1:]],
    }
    sim.end()
    return result


@pytest.fixture(scope="module")
def plastic_serial():
    result = run_plastic_network(1, 1)
    assert sum(len(s) for s in result["exc_spikes"]) > 200
    initial = {w for _, _, w in result["ee"]}
    assert len(initial) > 10  # learning happened (all started at 0.2)
    return result


def assert_plastic_identical(a, b):
    for key in ("exc_spikes", "inh_spikes"):
        for x, y in zip(a[key], b[key], strict=True):
            np.testing.assert_array_equal(x, y)
    for key in ("stdp", "ee", "vogels", "tm", "stochastic"):
        assert a[key] == b[key], key  # bitwise


@pytest.mark.parametrize("threads, virtual_ranks", [(2, 1), (1, 3), (2, 2)])
def test_dynamic_synapses_do_not_depend_on_the_decomposition(plastic_serial, threads,
                                                             virtual_ranks):
    assert_plastic_identical(plastic_serial, run_plastic_network(threads, virtual_ranks))


def test_dynamic_synapses_split_runs_match_one_run(plastic_serial):
    assert_plastic_identical(plastic_serial, run_plastic_network(2, 2, chunks=(70.0, 30.3, 99.7)))


def test_dynamic_synapses_set_between_runs_does_not_depend_on_the_decomposition():
    serial = run_plastic_network(1, 1, chunks=(100.0, 100.0), set_between=True)
    unchanged = run_plastic_network(1, 1, chunks=(100.0, 100.0))
    for key in ("stdp", "tm", "stochastic"):
        assert serial[key] != unchanged[key]  # set() took effect
    assert_plastic_identical(serial, run_plastic_network(2, 2, chunks=(100.0, 100.0),
                                                         set_between=True))
    assert_plastic_identical(serial, run_plastic_network(1, 3, chunks=(100.0, 100.0),
                                                         set_between=True))


def run_small_blocks(threads, virtual_ranks):
    """Populations smaller than the number of shards (empty blocks), spike
    sources keyed by cell id, current sources, gsyn and v recording, a
    parameter change and an initialize between runs, then a reset."""
    sim.setup(timestep=0.1, threads=threads, virtual_ranks=virtual_ranks, rng_seed=13)
    drive = sim.Population(5, sim.SpikeSourcePoisson(rate=400.0))
    times = sim.Population(2, sim.SpikeSourceArray(spike_times=[[1.0, 7.5], [3.0]]))
    cells = sim.Population(3, sim.IF_cond_exp(tau_refrac=1.0), label="cells")
    sim.Projection(drive, cells, sim.AllToAllConnector(), sim.StaticSynapse(weight=0.02, delay=0.5))
    sim.Projection(times, cells, sim.AllToAllConnector(), sim.StaticSynapse(weight=0.03, delay=1.0),
                   receptor_type="inhibitory")
    sim.DCSource(amplitude=0.4, start=5.0, stop=30.0).inject_into(cells[0:2])
    noise = sim.NoisyCurrentSource(mean=0.1, stdev=0.3, start=0.0, stop=40.0, dt=0.5)
    noise.inject_into(cells[1:3])
    cells.record(["spikes", "v", "gsyn_exc", "gsyn_inh"])
    sim.run(20.0)
    cells[1:3].set(tau_m=12.0)
    cells.initialize(v=-58.0)
    sim.run(30.0)
    first = cells.get_data()
    sim.reset()
    sim.run(25.0)
    second = cells.get_data()
    sim.end()
    out = []
    for block in (first, second):
        for seg in block.segments:
            out.append([st.magnitude for st in seg.spiketrains])
            out.extend(sig.magnitude for sig in seg.analogsignals)
    return out


@pytest.mark.parametrize("threads, virtual_ranks", [(2, 1), (2, 3), (1, 4)])
def test_blocks_smaller_than_shards_and_per_cell_inputs(threads, virtual_ranks):
    serial, parallel = run_small_blocks(1, 1), run_small_blocks(threads, virtual_ranks)
    assert sum(len(s) for s in serial[0]) > 3  # the cells fire
    assert len(serial) == len(parallel)
    for a, b in zip(serial, parallel):
        if isinstance(a, list):
            for x, y in zip(a, b):
                np.testing.assert_array_equal(x, y)
        else:
            np.testing.assert_array_equal(a, b)  # bitwise
