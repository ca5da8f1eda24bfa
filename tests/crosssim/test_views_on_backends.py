"""Scenario: projections from and onto PopulationViews and an Assembly, run on
every installed backend and compared with the native engine. The adapters
map the view indices the core's connectors use to population indices before
handing the synapses over in bulk; criterion as the feed-forward network
(exact integration): identical synapses, spike steps, V within 1e-9 mV."""

import numpy as np
import pytest
from backends import load, params
from sweep import Result

DT = 0.1


def scenario(sim):
    sim.setup(timestep=DT, rng_seed=4)
    rng = np.random.default_rng(9)
    src = sim.Population(6, sim.SpikeSourceArray(spike_times=[
        np.unique(np.round(np.sort(rng.uniform(1.0, 80.0, 12)), 1)) for _ in range(6)]))
    a = sim.Population(8, sim.IF_curr_exp(tau_m=12.0, i_offset=0.2), label="a")
    b = sim.Population(5, sim.IF_curr_exp(tau_m=8.0), label="b")
    seed = sim.NumpyRNG(seed=21)
    weight = sim.RandomDistribution("uniform", (0.5, 2.0), rng=seed)
    projections = [
        sim.Projection(src[1:5], a[::2], sim.AllToAllConnector(), sim.StaticSynapse(
            weight=weight, delay=1.0)),
        sim.Projection(src, sim.Assembly(a[5:8], b), sim.FixedProbabilityConnector(0.5, rng=seed),
                       sim.StaticSynapse(weight=weight, delay=0.7)),
        sim.Projection(a[0:4], b[1:3], sim.AllToAllConnector(), sim.StaticSynapse(
            weight=-0.8, delay=0.3), receptor_type="inhibitory"),
    ]
    cells = sim.Assembly(a, b)
    cells.record(["spikes", "v"])
    sim.run(100.0)
    seg = cells.get_data().segments[0]
    out = ([np.rint(st.magnitude / DT).astype(int).tolist() for st in seg.spiketrains],
           seg.analogsignals[0].magnitude,
           [sorted(p.get(["weight", "delay"], format="list")) for p in projections])
    sim.end()
    return out


def measure(backend):
    ref, got = scenario(load("pineal.native")), scenario(load(backend))
    diff = float(np.max(np.abs(got[1] - ref[1]))) if got[1].shape == ref[1].shape else np.inf
    passed = (all(len(x) > 5 for x in ref[2]) and got[2] == ref[2]
              and sum(map(len, ref[0])) >= 10 and got[0] == ref[0] and diff < 1e-9)
    return Result(passed, f"{sum(map(len, ref[2]))} synapses "
                  f"{'identical' if got[2] == ref[2] else 'DIFFER'}; {sum(map(len, ref[0]))} "
                  f"spikes, steps {'identical' if got[0] == ref[0] else 'DIFFER'}; max abs dV "
                  f"{diff:.2g} mV", "same synapses, identical spike steps, max dV < 1e-9 mV")


@pytest.mark.parametrize("backend", [p for p in params() if p.id != "native"])
def test_view_and_assembly_projections_agree_with_native(backend):
    result = measure(backend)
    assert result.passed, f"{result.difference} (criterion: {result.criterion})"
