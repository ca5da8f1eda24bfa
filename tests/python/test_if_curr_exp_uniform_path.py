"""IF_curr_exp's vectorised pass has a path for populations whose cells all
share their parameters (constants in registers) and one for heterogeneous
populations (constants per cell), each with and without injected current,
and it skips the threshold check of blocks of 128 cells where no cell
reached the lowest threshold. None of this may change a bit: a cell of a
heterogeneous population must follow exactly the trace of the same cell in
a uniform population with the same input, in any block. (Through the
engine the kernel also zeroes its input buffer as it reads it.)"""

import numpy as np
import pineal as sim

N = 600  # five blocks of the kernel (4 x 128 + 88)


def traces(inject):
    sim.setup(timestep=0.1, rng_seed=5)
    source = sim.Population(5, sim.SpikeSourcePoisson(rate=500.0))
    params = {"tau_m": 15.0, "cm": 0.5, "i_offset": 0.1, "tau_refrac": 2.0}
    uniform = sim.Population(N, sim.IF_curr_exp(**params))
    low = sim.Population(N, sim.IF_curr_exp(v_thresh=-52.0, **params))
    mixed = sim.Population(N, sim.IF_curr_exp(**params))
    thresh = np.full(N, -50.0)
    thresh[[3, 550]] = -52.0  # a lower threshold in each block: per-cell path
    mixed.set(v_thresh=thresh)
    for target in (uniform, low, mixed):
        sim.Projection(source, target, sim.AllToAllConnector(),
                       sim.StaticSynapse(weight=0.4, delay=0.5), receptor_type="excitatory")
        sim.Projection(source, target, sim.AllToAllConnector(),
                       sim.StaticSynapse(weight=-0.2, delay=0.7), receptor_type="inhibitory")
        if inject:
            sim.DCSource(amplitude=0.15, start=50.0, stop=200.0).inject_into(target)
        target.record(["v", "spikes"])
    sim.run(300.0)
    v = [p.get_data().segments[0].filter(name="v")[0].magnitude for p in (uniform, low, mixed)]
    spikes = [p.get_spike_counts() for p in (uniform, low, mixed)]
    sim.end()
    return v, spikes


def check(inject):
    (vu, vl, vm), (su, sl, sm) = traces(inject)
    counts_u = np.array(list(su.values()))
    counts_l = np.array(list(sl.values()))
    assert counts_u.min() > 3 and counts_l.min() > counts_u.min()  # they spike, low more
    for cell in (0, 400, 520, 599):  # both blocks, at the default threshold
        np.testing.assert_array_equal(vu[:, cell], vm[:, cell])  # bitwise
    for cell in (3, 550):  # the low-threshold cells
        np.testing.assert_array_equal(vl[:, cell], vm[:, cell])
    assert not np.array_equal(vu[:, 3], vm[:, 3])


def test_uniform_and_per_cell_paths_give_identical_traces():
    check(inject=False)


def test_paths_agree_with_injected_current():
    check(inject=True)
