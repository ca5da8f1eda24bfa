"""Dynamic synapses on pineal.nest (docs/backends/nest.md, "Dynamic synapses"):
what is mapped reads back in pineal's units and order; what NEST's models do
not compute as pineal defines it raises NotImplementedError naming the
synapse type, the parameters and the backend, before anything is built.
The agreement of the dynamics themselves is in
tests/crosssim/test_plasticity_on_backends.py.
"""

import numpy as np
import pytest

pytest.importorskip("nest", reason="PyNEST (pip install nest-simulator) is not installed")

import pineal.native
import pineal.nest

DT = 0.1


def _stdp(sim, **weight_dependence):
    return sim.STDPMechanism(
        timing_dependence=sim.SpikePairRule(tau_plus=20.0, tau_minus=20.0, A_plus=0.02,
                                            A_minus=0.025),
        weight_dependence=sim.AdditiveWeightDependence(**{"w_max": 0.05, **weight_dependence}),
        weight=0.02, delay=1.0)


def _learn_through_views(sim):
    """STDP from a view onto a view, synapses listed out of order with a
    multapse: the weights come back in pineal's order."""
    sim.setup(timestep=DT)
    rng = np.random.default_rng(2)
    trains = [np.unique(np.round(np.sort(rng.uniform(2.0, 300.0, 20)), 1)) for _ in range(6)]
    src = sim.Population(6, sim.SpikeSourceArray(spike_times=trains))
    cells = sim.Population(5, sim.IF_curr_exp(i_offset=1.2, tau_refrac=2.0))
    conns = [(3, 2, 0.03, 1.0), (0, 0, 0.01, 2.0), (2, 1, 0.02, 0.5), (0, 0, 0.04, 2.0),
             (1, 2, 0.025, 3.0), (3, 0, 0.015, 1.5)]
    prj = sim.Projection(src[[0, 2, 3, 5]], cells[1:5], sim.FromListConnector(
        conns, column_names=["weight", "delay"]), _stdp(sim), receptor_type="excitatory")
    sim.run(320.0)
    out = np.array(prj.get(["weight", "delay"], format="list"))
    sim.end()
    return out


def test_learned_weights_come_back_in_pineal_order_and_units():
    native, nest = _learn_through_views(pineal.native), _learn_through_views(pineal.nest)
    assert native.shape == (6, 4)
    np.testing.assert_array_equal(native[:, :2], nest[:, :2])
    np.testing.assert_array_equal(native[:, 3], nest[:, 3])
    # learned (not the initial weights), and equal to rounding (1e-12 of w_max)
    initial = np.array([0.03, 0.01, 0.02, 0.04, 0.025, 0.015])
    assert np.max(np.abs(np.sort(native[:, 2]) - np.sort(initial))) > 1e-3
    assert np.max(np.abs(native[:, 2] - nest[:, 2])) < 1e-12 * 0.05


def test_weights_read_from_nest_equal_get_connections():
    sim = pineal.nest
    sim.setup(timestep=DT)
    src = sim.Population(2, sim.SpikeSourceArray(spike_times=[[5.0, 30.0, 60.0], [10.0, 50.0]]))
    cells = sim.Population(2, sim.IF_curr_exp(i_offset=1.5))
    prj = sim.Projection(src, cells, sim.AllToAllConnector(), _stdp(sim),
                         receptor_type="excitatory")
    sim.run(80.0)
    import nest

    got = nest.GetConnections(synapse_model="pineal_projection_0").get(["source", "target",
                                                                        "weight"])
    pineal_w = {(int(i), int(j)): w for i, j, w in prj.get("weight", format="list")}
    assert len(got["weight"]) == 4
    # pA in NEST, nA in pineal; sources and targets are the NEST ids in order
    src_ids = sorted(set(got["source"]))
    cell_ids = sorted(set(got["target"]))
    for s, t, w in zip(got["source"], got["target"], got["weight"]):
        assert pineal_w[(src_ids.index(s), cell_ids.index(t))] == pytest.approx(w / 1000.0,
                                                                              rel=1e-15)
    assert any(abs(w - 0.02) > 1e-4 for w in pineal_w.values())
    sim.end()


def _expect_error(build, match):
    sim = pineal.nest
    sim.setup(timestep=DT)
    src = sim.Population(2, sim.SpikeSourceArray(spike_times=[[5.0], [6.0]]))
    cells = sim.Population(2, sim.IF_curr_exp())
    with pytest.raises(NotImplementedError, match=match):
        build(sim, src, cells)
    # nothing half-built: the run works and holds only what succeeded
    sim.run(10.0)
    sim.end()


@pytest.mark.parametrize("build,match", [
    (lambda sim, a, b: sim.Projection(a, b, sim.AllToAllConnector(), sim.STDPMechanism(
        timing_dependence=sim.SpikePairRule(), weight_dependence=sim.AdditiveWeightDependence(),
        dendritic_delay_fraction=0.5, weight=0.1)),
     r"STDPMechanism with dendritic_delay_fraction = 0.5.*NEST"),
    (lambda sim, a, b: sim.Projection(a, b, sim.AllToAllConnector(), _stdp(sim, w_min=0.01)),
     r"STDPMechanism with w_min = 0.01.*NEST"),
    (lambda sim, a, b: sim.Projection(a, b, sim.AllToAllConnector(), sim.STDPMechanism(
        timing_dependence=sim.SpikePairRule(), weight_dependence=sim.GutigWeightDependence(),
        weight=0.1)), r"STDPMechanism\(SpikePairRule, GutigWeightDependence\).*NEST"),
    (lambda sim, a, b: sim.Projection(a, b, sim.AllToAllConnector(), sim.STDPMechanism(
        timing_dependence=sim.Vogels2011Rule(), weight_dependence=sim.AdditiveWeightDependence(),
        weight=0.1)), r"STDPMechanism\(Vogels2011Rule, AdditiveWeightDependence\).*NEST"),
    (lambda sim, a, b: sim.Projection(a, sim.Population(1, sim.IF_cond_exp()),
                                      sim.AllToAllConnector(), _stdp(sim),
                                      receptor_type="inhibitory"),
     r"STDPMechanism on an inhibitory projection.*NEST"),
    (lambda sim, a, b: sim.Projection(a, b, sim.AllToAllConnector(),
                                      sim.TsodyksMarkramSynapse(tau_rec=5.0, weight=0.5)),
     r"TsodyksMarkramSynapse with tau_rec = 5.0 ms equal to the target's tau_syn_E.*NEST"),
    (lambda sim, a, b: sim.Projection(a, sim.Population(1, sim.IF_curr_delta()),
                                      sim.AllToAllConnector(), sim.TsodyksMarkramSynapse()),
     r"TsodyksMarkramSynapse onto a receptor without a synaptic time constant.*NEST"),
])
def test_unmapped_dynamics_raise_naming_type_and_backend(build, match):
    _expect_error(build, match)


def test_different_tau_minus_onto_one_population_raise():
    def build(sim, a, b):
        sim.Projection(a, b, sim.AllToAllConnector(), _stdp(sim), receptor_type="excitatory")
        other = sim.STDPMechanism(timing_dependence=sim.SpikePairRule(tau_minus=30.0),
                                  weight_dependence=sim.AdditiveWeightDependence(), weight=0.1)
        sim.Projection(a, b, sim.AllToAllConnector(), other, receptor_type="excitatory")
    _expect_error(build, r"different tau_minus \(20.0 and 30.0 ms.*NEST")


def test_tsodyks_markram_state_and_changes_after_a_run():
    sim = pineal.nest
    sim.setup(timestep=DT)
    src = sim.Population(1, sim.SpikeSourceArray(spike_times=[[5.0, 10.0]]))
    cells = sim.Population(1, sim.IF_curr_exp())
    prj = sim.Projection(src, cells, sim.AllToAllConnector(),
                         sim.TsodyksMarkramSynapse(U=0.4, weight=0.5, delay=1.0))
    assert prj.get("u", format="array")[0, 0] == 0.0  # before a run: the initial state
    sim.run(20.0)
    # after two spikes without facilitation u = U; x from the recursion
    assert prj.get("u", format="array")[0, 0] == pytest.approx(0.4, rel=1e-15)
    assert 0.0 < prj.get("x", format="array")[0, 0] < 0.6
    with pytest.raises(NotImplementedError, match="NEST"):
        prj.set(U=0.2)
    with pytest.raises(NotImplementedError, match="initialize.*NEST"):
        prj.initialize(u=0.1)
    sim.end()


def test_spike_source_through_dynamic_synapse_needs_time_two_steps():
    sim = pineal.nest
    sim.setup(timestep=DT)
    src = sim.Population(1, sim.SpikeSourceArray(spike_times=[[0.1, 5.0]]))
    cells = sim.Population(1, sim.IF_curr_exp())
    sim.Projection(src, cells, sim.AllToAllConnector(), sim.TsodyksMarkramSynapse(weight=0.5))
    with pytest.raises(NotImplementedError, match="SpikeSourceArray spike at 0.1 ms.*NEST"):
        sim.run(10.0)
    sim.end()


def test_multi_quantal_weight_per_quantum_and_available_sites():
    sim = pineal.nest
    sim.setup(timestep=DT)
    src = sim.Population(1, sim.SpikeSourceArray(spike_times=[[5.0]]))
    cells = sim.Population(3, sim.IF_curr_exp())
    prj = sim.Projection(src, cells, sim.AllToAllConnector(),
                         sim.MultiQuantalSynapse(n=4, U=1.0, weight=0.8, delay=1.0))
    assert prj.get("available", format="list")[0][2] == 4.0
    sim.run(10.0)
    import nest

    # NEST sends released * weight: the quantum is weight / n (pA)
    got = nest.GetConnections(synapse_model="pineal_projection_0").get(["weight", "n", "u"])
    assert np.allclose(got["weight"], 800.0 / 4) and list(got["n"]) == [4] * 3
    # U = 1: the first spike (u = U) releases every site
    np.testing.assert_array_equal(prj.get("available", format="array")[0], [0.0, 0.0, 0.0])
    with pytest.raises(NotImplementedError, match="synapse state 'u'.*NEST"):
        prj.get("u", format="list")
    sim.end()

