"""Projection.set on the NEST adapter (skipped where PyNEST does not import):
a change of the description before the projection is realised in NEST; after
it, NotImplementedError naming the backend (docs/backends/nest.md)."""

import numpy as np
import pytest

pytest.importorskip("nest", reason="PyNEST (pip install nest-simulator) is not installed")

import pineal.nest as sim


def test_set_before_the_first_run_reaches_nest():
    import nest

    sim.setup(timestep=0.1)
    a = sim.Population(2, sim.SpikeSourceArray(spike_times=[1.0]))
    b = sim.Population(3, sim.IF_curr_exp())
    prj = sim.Projection(a, b, sim.AllToAllConnector(), sim.StaticSynapse(weight=0.5, delay=1.0))
    w = np.arange(1.0, 7.0).reshape(2, 3) / 10
    prj.set(weight=w, delay=2.0)
    sim.run(1.0)  # realises the network in NEST
    core = prj._core
    src = core._pops[a._handle].nodes[0].global_id
    dst = core._pops[b._handle].nodes[0].global_id
    conns = nest.GetConnections(core._pops[a._handle].nodes, core._pops[b._handle].nodes)
    got = sorted(zip(np.array(conns.source) - src, np.array(conns.target) - dst,
                     np.round(np.array(conns.weight) / 1000.0, 6), conns.delay))
    assert got == sorted((i, j, round(float(np.float32(w[i, j])), 6), 2.0)
                         for i in range(2) for j in range(3))
    with pytest.raises(NotImplementedError, match="Projection.set.*NEST"):
        prj.set(weight=0.1)
    sim.end()
