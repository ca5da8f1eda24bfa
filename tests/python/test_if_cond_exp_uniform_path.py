"""IF_cond_exp has two code paths for its vectorised pass: one for
populations whose cells all share their parameters (constants kept in
registers) and one for heterogeneous populations (constants per cell). Both
must give the same bits for the same cell: a cell of a heterogeneous
population must follow exactly the trace of the same cell alone in a uniform
population, with the same input."""

import numpy as np
import pineal as sim


def test_uniform_and_per_cell_paths_give_identical_traces():
    sim.setup(timestep=0.1, rng_seed=3)
    source = sim.Population(5, sim.SpikeSourcePoisson(rate=400.0))
    params = {"tau_m": 15.0, "cm": 0.5, "i_offset": 0.2, "tau_refrac": 2.0}
    uniform = sim.Population(3, sim.IF_cond_exp(**params))
    mixed = sim.Population(3, sim.IF_cond_exp(**params))
    mixed.set(tau_syn_E=np.array([5.0, 2.0, 5.0]))  # one different cell: per-cell path
    for target in (uniform, mixed):
        sim.Projection(source, target, sim.AllToAllConnector(),
                       sim.StaticSynapse(weight=0.02, delay=0.5), receptor_type="excitatory")
        sim.Projection(source, target, sim.AllToAllConnector(),
                       sim.StaticSynapse(weight=0.01, delay=0.7), receptor_type="inhibitory")
        target.record(["v", "spikes"])
    sim.run(300.0)
    vu = uniform.get_data().segments[0].filter(name="v")[0].magnitude
    vm = mixed.get_data().segments[0].filter(name="v")[0].magnitude
    sim.end()
    assert np.ptp(vu[:, 0]) > 5.0  # the cells are driven, and spike
    for cell in (0, 2):
        np.testing.assert_array_equal(vu[:, cell], vm[:, cell])  # bitwise
    assert not np.array_equal(vu[:, 1], vm[:, 1])
