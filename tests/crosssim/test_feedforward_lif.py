"""Scenario: a small feed-forward network, one per connector type, written
once, run on every installed backend and compared with the native engine.

Input: 20 SpikeSourceArray cells whose trains pineal draws (numpy, fixed
seed), so every backend sees the same spikes; a connector (seeded where it
draws) with random weights and delays from a seeded NumpyRNG onto 20
IF_curr_exp cells on a line (1 unit apart, for the distance-dependent
connectors). The synapses come from pineal's C++ connectors on every backend,
so the criterion is: the same synapses (Projection.get), identical spike
steps, V within 1e-9 mV (the current-based LIF is integrated exactly by
pineal, NEST's iaf_psc_exp and the Brian 2 adapter's propagators: rounding
only). The default run uses FixedProbabilityConnector; the others are in the
full sweep (sweep.py).
"""

import numpy as np
import pytest
from backends import load, params
from pineal.space import Line
from sweep import Result, full_only

DT = 0.1
T = 200.0
N = 20


def _connectors(sim, rng):
    return {
        "FixedProbabilityConnector": lambda: sim.FixedProbabilityConnector(0.4, rng=rng),
        "AllToAllConnector": lambda: sim.AllToAllConnector(),
        "OneToOneConnector": lambda: sim.OneToOneConnector(),
        "FixedNumberPreConnector": lambda: sim.FixedNumberPreConnector(6, rng=rng),
        "FixedNumberPostConnector": lambda: sim.FixedNumberPostConnector(6, rng=rng),
        "FixedTotalNumberConnector": lambda: sim.FixedTotalNumberConnector(120, rng=rng),
        "DistanceDependentProbabilityConnector":
            lambda: sim.DistanceDependentProbabilityConnector("exp(-d / 4)", rng=rng),
        "SmallWorldConnector": lambda: sim.SmallWorldConnector(degree=3.0, rewiring=0.2, rng=rng),
        "ArrayConnector": lambda: sim.ArrayConnector(
            np.random.default_rng(3).random((N, N)) < 0.3),
        "DisplacementDependentProbabilityConnector":
            lambda: sim.DisplacementDependentProbabilityConnector(
                lambda d: np.exp(-np.abs(d[0]) / 4.0), rng=rng),
        "IndexBasedProbabilityConnector": lambda: sim.IndexBasedProbabilityConnector(
            lambda i, j: np.where((i + j) % 3 == 0, 0.8, 0.1), rng=rng),
        "CSAConnector": lambda: sim.CSAConnector(_csa_mask()),
        "FromListConnector": lambda: sim.FromListConnector(
            [(i, (7 * i + 3) % N, 0.2 + 0.05 * i, 0.1 * (1 + i % 9)) for i in range(N)]
            + [(i, (3 * i + 1) % N, 0.9, 1.3) for i in range(0, N, 2)],
            column_names=["weight", "delay"]),
    }


def _csa_mask():
    import csa

    # deterministic (csa.random draws from Python's unseeded generator)
    return csa.cross(range(0, N, 3), range(N)) - csa.oneToOne


CONNECTORS = list(_connectors(None, None)) + ["CloneConnector"]
# weight scale per connector: about the same input per cell
WEIGHT = {"AllToAllConnector": 0.25, "OneToOneConnector": 4.0, "FromListConnector": 1.0}


def scenario(sim, connector):
    sim.setup(timestep=DT, rng_seed=11)
    rng = np.random.default_rng(5)
    trains = [np.unique(np.round(np.sort(rng.uniform(1.0, T, 15)), 1)) for _ in range(N)]
    line = Line(dx=1.0)
    src = sim.Population(N, sim.SpikeSourceArray(spike_times=trains), structure=line,
                         label="input")
    cells = sim.Population(N, sim.IF_curr_exp(tau_m=15.0, i_offset=0.1), structure=line,
                           label="lif")
    seed = sim.NumpyRNG(seed=99)
    w = WEIGHT.get(connector, 1.0)
    synapse = sim.StaticSynapse() if connector == "FromListConnector" else sim.StaticSynapse(
        weight=sim.RandomDistribution("uniform", (0.2 * w, 1.2 * w), rng=seed),
        delay=sim.RandomDistribution("uniform", (0.1, 4.0), rng=seed))
    if connector == "CloneConnector":  # the pattern of a FixedProbability projection
        reference = sim.Projection(src, cells, sim.FixedProbabilityConnector(0.3, rng=seed),
                                   sim.StaticSynapse(weight=0.0), receptor_type="inhibitory")
        made = sim.CloneConnector(reference)
    else:
        made = _connectors(sim, seed)[connector]()
    projection = sim.Projection(src, cells, made, synapse, receptor_type="excitatory")
    cells.record(["spikes", "v"])
    sim.run(T)
    seg = cells.get_data().segments[0]
    out = ([np.rint(st.magnitude / DT).astype(int).tolist() for st in seg.spiketrains],
           seg.analogsignals[0].magnitude, sorted(projection.get(["weight", "delay"], "list")))
    sim.end()
    return out


_NATIVE = {}


def measure(backend, connector):
    if connector not in _NATIVE:
        _NATIVE[connector] = scenario(load("pineal.native"), connector)
    ref, (spikes, v, synapses) = _NATIVE[connector], scenario(load(backend), connector)
    n_spikes = sum(len(s) for s in ref[0])
    diff = float(np.max(np.abs(v - ref[1]))) if v.shape == ref[1].shape else np.inf
    passed = (n_spikes >= 10 and len(ref[2]) >= N and synapses == ref[2] and spikes == ref[0]
              and diff < 1e-9)
    return Result(passed, f"{len(ref[2])} synapses "
                  f"{'identical' if synapses == ref[2] else 'DIFFER'}"
                  f"; {n_spikes} spikes, steps {'identical' if spikes == ref[0] else 'DIFFER'}"
                  f"; max abs dV {diff:.2g} mV",
                  "same synapses, identical spike steps, max dV < 1e-9 mV")


CASES = CONNECTORS


@pytest.mark.parametrize("backend", [p for p in params() if p.id != "native"])
@pytest.mark.parametrize("connector", [
    c if c == "FixedProbabilityConnector" else full_only(c, id=c) for c in CONNECTORS])
def test_feedforward_network_agrees_with_native(connector, backend):
    result = measure(backend, connector)
    assert result.passed, f"{result.difference} (criterion: {result.criterion})"
