"""The synapse store keeps targets in 16 bits when a shard's block of the
target population has at most 65536 cells, else in 32 bits
(docs/engine.md). Both must deliver the same input to the same cells, the
last cell of a 65536-cell block included, and read back the same weights
and delays."""

import numpy as np
import pineal as sim


def deliver(n_cells, targets):
    sim.setup(timestep=0.1, min_delay=0.1)
    source = sim.Population(1, sim.SpikeSourceArray(spike_times=[1.0]))
    cells = sim.Population(n_cells, sim.IF_curr_exp(tau_refrac=0.1))
    conns = [(0, t, 0.5 + 0.25 * k, 0.1 * (k + 1)) for k, t in enumerate(targets)]
    prj = sim.Projection(source, cells,
                         sim.FromListConnector(conns, column_names=["weight", "delay"]),
                         sim.StaticSynapse())
    view = cells[list(targets)]
    view.record("v")
    sim.run(6.0)
    v = view.get_data().segments[0].filter(name="v")[0].magnitude
    listed = sorted(prj.get(["weight", "delay"], format="list"))
    store = sim.simulator.state.core.synapse_memory()
    sim.end()
    return v, listed, store


def test_narrow_and_wide_targets_deliver_alike():
    targets = [0, 1234, 65535]
    v_narrow, list_narrow, store_narrow = deliver(65536, targets)
    v_wide, list_wide, store_wide = deliver(65537, targets + [65536])
    np.testing.assert_array_equal(v_narrow, v_wide[:, :3])  # bitwise, cell by cell
    assert list_narrow == list_wide[:3]
    # Each cell got its input: a later delay and a larger weight for each.
    rise = v_wide - v_wide[0]
    assert np.all(rise.max(axis=0) > 0.01)
    assert np.all(np.diff(np.argmax(rise > 1e-9, axis=0)) == 1)  # arrivals 0.1 ms apart
    # The layout: rows (4 B per source + 1), segments (8 B each + sentinel;
    # one per delay here), synapses 6 B (16-bit target) or 8 B.
    assert store_narrow["bytes"] == 2 * 4 + 4 * 8 + 3 * 6
    assert store_wide["bytes"] == 2 * 4 + 5 * 8 + 4 * 8
