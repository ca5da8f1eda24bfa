"""Dynamic synapses on pineal.brian2 (docs/backends/brian2.md, "Dynamic
synapses"): TsodyksMarkramSynapse is mapped (its agreement with the native
engine: tests/crosssim/test_plasticity_on_backends.py); the other types
raise NotImplementedError naming the type and the backend, before anything
is built."""

import numpy as np
import pytest

pytest.importorskip("brian2", reason="brian2 is not installed")

import pineal.brian2
import pineal.native


def _tm_state(sim):
    sim.setup(timestep=0.1)
    src = sim.Population(1, sim.SpikeSourceArray(spike_times=[[5.0, 10.0, 12.0]]))
    cells = sim.Population(2, sim.IF_curr_exp(tau_syn_E=[2.0, 7.0]))
    prj = sim.Projection(src, cells, sim.AllToAllConnector(),
                         sim.TsodyksMarkramSynapse(U=0.4, tau_facil=30.0, weight=0.5, delay=1.0))
    before = np.array(prj.get(["u", "x", "y"], format="list"))
    sim.run(20.0)
    after = np.array(prj.get(["u", "x", "y"], format="list"))
    if sim is pineal.brian2:
        with pytest.raises(NotImplementedError, match="initialize.*Brian 2"):
            prj.initialize(u=0.1)
    sim.end()
    return before, after


def test_tsodyks_markram_state_reads_back_per_synapse():
    (b0, a0), (b1, a1) = _tm_state(pineal.native), _tm_state(pineal.brian2)
    np.testing.assert_array_equal(b0, b1)  # the initial state before a run
    # tau_psc per target cell (2 and 7 ms): y differs between the synapses
    assert abs(a0[0, 4] - a0[1, 4]) > 1e-3
    np.testing.assert_allclose(a1, a0, rtol=0, atol=1e-14)


@pytest.mark.parametrize("synapse,match", [
    (lambda sim: sim.STDPMechanism(timing_dependence=sim.SpikePairRule(),
                                   weight_dependence=sim.AdditiveWeightDependence(), weight=0.1),
     r"STDPMechanism\(SpikePairRule, AdditiveWeightDependence\).*Brian 2"),
    (lambda sim: sim.SimpleStochasticSynapse(weight=0.1), r"SimpleStochasticSynapse.*Brian 2"),
    (lambda sim: sim.MultiQuantalSynapse(weight=0.1), r"MultiQuantalSynapse.*Brian 2"),
    (lambda sim: sim.TsodyksMarkramSynapse(tau_rec=5.0, weight=0.1),
     r"TsodyksMarkramSynapse with tau_rec = 5.0 ms equal.*Brian 2"),
])
def test_unmapped_dynamics_raise_naming_type_and_backend(synapse, match):
    sim = pineal.brian2
    sim.setup(timestep=0.1)
    src = sim.Population(1, sim.SpikeSourceArray(spike_times=[[5.0]]))
    cells = sim.Population(1, sim.IF_curr_exp())
    with pytest.raises(NotImplementedError, match=match):
        sim.Projection(src, cells, sim.AllToAllConnector(), synapse(sim))
    sim.run(10.0)  # nothing half-built
    sim.end()
