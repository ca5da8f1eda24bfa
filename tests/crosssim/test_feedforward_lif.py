"""Scenario: a small feed-forward network, written once, run on every
installed backend and compared with the native engine.

Input: 20 SpikeSourceArray cells whose trains pineal draws (numpy, fixed
seed), so every backend sees the same spikes; FixedProbabilityConnector
(seeded) with random weights and delays onto 10 IF_curr_exp cells. The
current-based LIF is integrated exactly by pineal and NEST (iaf_psc_exp), so
the criterion is identical spike steps and V within 1e-9 mV (rounding only).
"""

import numpy as np
import pytest
from backends import load, params

DT = 0.1
T = 200.0


def scenario(sim):
    sim.setup(timestep=DT, rng_seed=11)
    rng = np.random.default_rng(5)
    trains = [np.unique(np.round(np.sort(rng.uniform(1.0, T, 15)), 1)) for _ in range(20)]
    src = sim.Population(20, sim.SpikeSourceArray(spike_times=trains), label="input")
    cells = sim.Population(10, sim.IF_curr_exp(tau_m=15.0, i_offset=0.1), label="lif")
    seed = sim.NumpyRNG(seed=99)
    sim.Projection(src, cells, sim.FixedProbabilityConnector(0.4, rng=seed),
                   sim.StaticSynapse(weight=sim.RandomDistribution("uniform", (0.2, 1.2), rng=seed),
                                     delay=sim.RandomDistribution("uniform", (0.1, 4.0), rng=seed)),
                   receptor_type="excitatory")
    cells.record(["spikes", "v"])
    sim.run(T)
    seg = cells.get_data().segments[0]
    out = ([np.rint(st.magnitude / DT).astype(int).tolist() for st in seg.spiketrains],
           seg.analogsignals[0].magnitude)
    sim.end()
    return out


@pytest.fixture(scope="module")
def reference():
    return scenario(load("pineal.native"))


@pytest.mark.parametrize("backend", params())
def test_feedforward_lif_agrees_with_native(backend, reference):
    spikes, v = scenario(load(backend))
    assert sum(len(s) for s in reference[0]) >= 10  # the cells do fire
    assert spikes == reference[0]
    assert v.shape == reference[1].shape == (int(T / DT) + 1, 10)
    assert np.max(np.abs(v - reference[1])) < 1e-9
