"""The LIF family and the new spike sources give bit-identical spikes and
traces for any (threads, virtual_ranks), and split runs match one run; reset()
starts a new, reproducible trial."""

import numpy as np
import pineal as sim
import pytest

CELLS = [("IF_curr_alpha", dict(i_offset=0.3, tau_refrac=2.0), 0.4, -0.4),
         ("IF_curr_delta", dict(i_offset=0.3, tau_refrac=2.0), 1.0, -1.0),
         ("IF_cond_alpha", dict(i_offset=0.3, tau_refrac=2.0), 0.01, 0.01),
         ("IF_cond_exp_gsfa_grr", dict(i_offset=0.8), 0.01, 0.01),
         ("IF_facets_hardware1", dict(), 0.003, 0.003)]
SOURCES = [("SpikeSourceGamma", dict(alpha=3, beta=600.0)),
           ("SpikeSourcePoissonRefractory", dict(rate=150.0, tau_refrac=2.0)),
           ("SpikeSourceInhGamma", dict(a=sim.Sequence([2.0, 2.0]),
                                        b=sim.Sequence([0.004, 0.008]),
                                        tbins=sim.Sequence([0.0, 100.0])))]


def run_network(threads, virtual_ranks, chunks=(200.0,), trials=1):
    sim.setup(timestep=0.1, threads=threads, virtual_ranks=virtual_ranks, rng_seed=91)
    sources = [sim.Population(7, getattr(sim, name)(**p)) for name, p in SOURCES]
    cells = []
    for name, params, w_e, w_i in CELLS:
        pop = sim.Population(11, getattr(sim, name)(**params), label=name)
        for k, src in enumerate(sources):
            sim.Projection(src, pop, sim.FixedProbabilityConnector(0.5),
                           sim.StaticSynapse(weight=w_e if k != 1 else w_i, delay=0.3 + k),
                           receptor_type="excitatory" if k != 1 else "inhibitory")
        pop.record(["spikes", "v"])
        cells.append(pop)
    for src in sources:
        src.record("spikes")
    for trial in range(trials):
        if trial:
            sim.reset()
        for chunk in chunks:
            sim.run(chunk)
    out = []
    for pop in sources + cells:
        for seg in pop.get_data().segments:
            out.append([st.magnitude.copy() for st in seg.spiketrains])
            if pop in cells:
                out.append(seg.filter(name="v")[0].magnitude.copy())
    sim.end()
    return out


def assert_identical(a, b):
    assert len(a) == len(b)
    for x, y in zip(a, b):
        if isinstance(x, list):
            assert len(x) == len(y)
            for s, t in zip(x, y):
                np.testing.assert_array_equal(s, t)
        else:
            np.testing.assert_array_equal(x, y)


@pytest.fixture(scope="module")
def serial():
    result = run_network(1, 1)
    # every cell population fires
    for pop_result in result[3::2]:  # sources: 0-2; cells: (spikes, v) pairs from 3
        assert sum(len(s) for s in pop_result) > 0
    return result


@pytest.mark.parametrize("threads, virtual_ranks", [(2, 1), (2, 2)])
def test_threads_and_partitions_do_not_change_results(serial, threads, virtual_ranks):
    assert_identical(serial, run_network(threads, virtual_ranks))


def test_split_runs_match_one_run(serial):
    assert_identical(serial, run_network(2, 2, chunks=(60.0, 40.3, 99.7)))


def test_reset_gives_a_new_reproducible_trial():
    a = run_network(1, 1, trials=2)
    b = run_network(2, 2, trials=2)
    assert_identical(a, b)
    # trial 2 of the first source population differs from trial 1
    first, second = a[0], a[1]
    assert any(len(x) != len(y) or not np.array_equal(x, y) for x, y in zip(first, second))
