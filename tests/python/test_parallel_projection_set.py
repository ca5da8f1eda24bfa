"""Projection.set between runs with threads and virtual ranks: random weights
and delays are drawn target by target, so the connections, spikes and traces
are bit-identical for any (threads, virtual_ranks)."""

import numpy as np
import pineal as sim
import pytest
from pineal.random import NumpyRNG, RandomDistribution


def run_network(threads, virtual_ranks):
    sim.setup(timestep=0.1, threads=threads, virtual_ranks=virtual_ranks, rng_seed=31)
    rng = NumpyRNG(seed=8)
    noise = sim.Population(40, sim.SpikeSourcePoisson(rate=120.0))
    exc = sim.Population(90, sim.IF_curr_exp(i_offset=0.2), label="exc")
    inp = sim.Projection(noise, exc, sim.FixedProbabilityConnector(0.2, rng=rng),
                         sim.StaticSynapse(weight=0.2, delay=1.0))
    rec = sim.Projection(exc, exc, sim.FixedProbabilityConnector(0.1, rng=rng),
                         sim.StaticSynapse(weight=0.1, delay=1.5))
    exc.record(["spikes", "v"])
    sim.run(60.0)
    inp.set(weight=RandomDistribution("uniform", (0.3, 0.9), rng=rng),
            delay=RandomDistribution("uniform", (0.2, 4.0), rng=rng))
    rec.set(weight=RandomDistribution("normal_clipped", (0.3, 0.2, 0.0, 1.0), rng=rng))
    sim.run(60.0)
    rec.set(delay=0.5)  # shorter than the delays of spikes in flight
    sim.run(60.0)
    data = exc.get_data().segments[0]
    result = {"spikes": [st.magnitude for st in data.spiketrains],
              "v": data.filter(name="v")[0].magnitude,
              "inp": inp.get(["weight", "delay"], format="list"),
              "rec": rec.get(["weight", "delay"], format="list")}
    sim.end()
    return result


@pytest.fixture(scope="module")
def serial():
    result = run_network(1, 1)
    assert sum(len(s) for s in result["spikes"]) > 100  # an active network
    assert len({w for _, _, w, _ in result["inp"]}) > 0.9 * len(result["inp"])
    return result


@pytest.mark.parametrize("threads, virtual_ranks", [(2, 1), (1, 3), (2, 2)])
def test_set_between_runs_does_not_depend_on_the_decomposition(serial, threads, virtual_ranks):
    other = run_network(threads, virtual_ranks)
    assert other["inp"] == serial["inp"]
    assert other["rec"] == serial["rec"]
    for x, y in zip(other["spikes"], serial["spikes"]):
        np.testing.assert_array_equal(x, y)
    np.testing.assert_array_equal(other["v"], serial["v"])  # bitwise
