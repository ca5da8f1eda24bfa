"""The dynamic synapse classes: PyNN's names, parameters, defaults and units
(generated from the C++ catalogue), STDPMechanism's composition, and
Projection.get/save of their parameters and state."""

import numpy as np
import pineal as sim
import pytest
from pineal.errors import InvalidParameterValueError, NonExistentParameterError

DEFAULTS = {  # the shared reference, section 6.1
    "TsodyksMarkramSynapse": {"weight": 0.0, "delay": None, "U": 0.5, "tau_rec": 100.0,
                              "tau_facil": 0.0},
    "SimpleStochasticSynapse": {"weight": 0.0, "delay": None, "p": 0.5},
    "StochasticTsodyksMarkramSynapse": {"weight": 0.0, "delay": None, "U": 0.5,
                                        "tau_rec": 100.0, "tau_facil": 0.0},
    "MultiQuantalSynapse": {"weight": 0.0, "delay": None, "U": 0.5, "n": 1, "tau_rec": 800.0,
                            "tau_facil": 0.0},
    "AdditiveWeightDependence": {"w_min": 0.0, "w_max": 1.0},
    "MultiplicativeWeightDependence": {"w_min": 0.0, "w_max": 1.0},
    "AdditivePotentiationMultiplicativeDepression": {"w_min": 0.0, "w_max": 1.0},
    "GutigWeightDependence": {"w_min": 0.0, "w_max": 1.0, "mu_plus": 0.5, "mu_minus": 0.5},
    "SpikePairRule": {"tau_plus": 20.0, "tau_minus": 20.0, "A_plus": 0.01, "A_minus": 0.01},
    "Vogels2011Rule": {"tau": 20.0, "eta": 1e-10, "rho": 3.0},
}


@pytest.mark.parametrize("name", sorted(DEFAULTS))
def test_names_and_defaults_are_pynns(name):
    cls = getattr(sim, name)
    assert cls.default_parameters == DEFAULTS[name]
    assert cls().parameter_space == DEFAULTS[name]
    with pytest.raises(NonExistentParameterError):
        cls(not_a_parameter=1.0)


def test_stdp_mechanism_merges_its_components():
    m = sim.STDPMechanism(timing_dependence=sim.SpikePairRule(tau_plus=10.0),
                          weight_dependence=sim.GutigWeightDependence(w_max=0.5), weight=0.1)
    assert m.get_parameter_names() == ["weight", "delay", "dendritic_delay_fraction", "tau_plus",
                                       "tau_minus", "A_plus", "A_minus", "w_min", "w_max",
                                       "mu_plus", "mu_minus"]
    assert m.parameter_space["tau_plus"] == 10.0 and m.parameter_space["w_max"] == 0.5
    assert m.units["tau_plus"] == "ms" and m.units["dendritic_delay_fraction"] == ""
    assert m.has_parameter("mu_plus") and not m.has_parameter("tau")
    with pytest.raises(TypeError, match="timing_dependence"):
        sim.STDPMechanism(timing_dependence=sim.AdditiveWeightDependence())
    with pytest.raises(NotImplementedError, match="voltage_dependence"):
        sim.STDPMechanism(voltage_dependence=object())


def test_get_and_save_include_parameters_and_learned_weights(tmp_path):
    sim.setup(timestep=0.1)
    pre = sim.Population(3, sim.SpikeSourceArray(spike_times=[5.0, 40.0]))
    post = sim.Population(2, sim.IF_curr_delta())
    driver = sim.Population(1, sim.SpikeSourceArray(spike_times=[10.0]))
    sim.Projection(driver, post, sim.AllToAllConnector(), sim.StaticSynapse(weight=30.0))
    prj = sim.Projection(pre, post, sim.AllToAllConnector(),
                         sim.STDPMechanism(sim.SpikePairRule(A_plus=0.1),
                                           sim.AdditiveWeightDependence(w_max=0.01),
                                           weight=0.005, delay=1.0))
    sim.run(50.0)
    w = prj.get("weight", format="array")
    assert np.all(w > 0.005)  # post at ~10 ms after pre at 5: potentiated at the pre at 40
    tau, w_max = prj.get(["tau_plus", "w_max"], format="array")
    np.testing.assert_array_equal(tau, 20.0)
    np.testing.assert_array_equal(w_max, 0.01)
    with pytest.raises(NonExistentParameterError, match="u"):
        prj.get("u", format="list")
    path = tmp_path / "w.txt"
    prj.save("all", str(path))
    header = path.read_text().splitlines()[0]
    assert "'w_max'" in header and "'dendritic_delay_fraction'" in header
    saved = np.loadtxt(path)
    assert saved.shape == (6, 2 + len(prj.synapse_type.get_parameter_names()))
    np.testing.assert_allclose(np.sort(saved[:, 2]), np.sort(w.reshape(-1)), rtol=1e-15)
    sim.end()


def test_set_changes_model_parameters_between_runs_and_checks_first():
    sim.setup()
    pre = sim.Population(2, sim.SpikeSourceArray(spike_times=[1.0]))
    post = sim.Population(2, sim.IF_cond_exp())
    shared = sim.TsodyksMarkramSynapse(weight=0.01)
    prj = sim.Projection(pre, post, sim.AllToAllConnector(), shared)
    other = sim.Projection(pre, post, sim.AllToAllConnector(), shared)
    prj.set(U=0.2, tau_rec=[300.0] * 4)  # a constant list is one value
    np.testing.assert_array_equal(prj.get("U", format="array"), 0.2)
    np.testing.assert_array_equal(prj.get("tau_rec", format="array"), 300.0)
    np.testing.assert_array_equal(other.get("U", format="array"), 0.5)  # not shared
    assert shared.parameter_space["U"] == 0.5
    with pytest.raises(InvalidParameterValueError, match="U"):
        prj.set(U=2.0, weight=0.5)  # nothing changes, not even the weight
    np.testing.assert_allclose(prj.get("weight", format="array"), 0.01, rtol=1e-7)
    prj.set(U=sim.RandomDistribution("uniform", (0.1, 0.2)))  # per synapse (TM only)
    U = prj.get("U", format="list", with_address=False)
    assert all(0.1 <= u <= 0.2 for u in U) and len(set(U)) == 4
    with pytest.raises(NotImplementedError, match="MultiQuantalSynapse.n"):
        sim.Projection(pre, post, sim.AllToAllConnector(),
                       sim.MultiQuantalSynapse(n=sim.RandomDistribution("uniform", (1, 5))))
    with pytest.raises(NonExistentParameterError):
        prj.set(A_plus=0.1)
    prj.initialize(u=0.3)
    np.testing.assert_array_equal(prj.get("u", format="array"), 0.3)
    with pytest.raises(NonExistentParameterError):
        prj.initialize(u=0.2, v=1.0)
    sim.end()


def test_set_on_stdp_weights_bounds_and_refused_delays():
    sim.setup()
    pre = sim.Population(2, sim.SpikeSourceArray(spike_times=[1.0]))
    post = sim.Population(2, sim.IF_cond_exp())
    prj = sim.Projection(pre, post, sim.AllToAllConnector(),
                         sim.STDPMechanism(sim.SpikePairRule(),
                                           sim.MultiplicativeWeightDependence(), weight=0.5))
    prj.set(weight=0.1234567, w_max=0.9, A_plus=0.02)
    # learned weights are double: 0.1234567 reads back exactly
    assert prj.get("weight", format="list", with_address=False) == [0.1234567] * 4
    assert prj.synapse_type.weight_dependence.parameter_space["w_max"] == 0.9
    assert prj.get("A_plus", format="list", with_address=False) == [0.02] * 4
    with pytest.raises(InvalidParameterValueError, match="w_min"):
        prj.set(w_min=1.0)  # above w_max
    with pytest.raises(NotImplementedError, match="delay"):
        prj.set(delay=2.0)
    with pytest.raises(NotImplementedError, match="dendritic_delay_fraction"):
        prj.set(dendritic_delay_fraction=0.7)
    sim.end()


def test_external_backends_say_they_lack_dynamic_synapses():
    pytest.importorskip("nest")
    import pineal.nest as nest_sim

    nest_sim.setup()
    pre = nest_sim.Population(2, nest_sim.SpikeSourceArray(spike_times=[1.0]))
    post = nest_sim.Population(2, nest_sim.IF_cond_exp())
    # most types are mapped (test_backend_nest_plasticity.py); the others
    # raise naming themselves
    with pytest.raises(NotImplementedError, match="GutigWeightDependence"):
        nest_sim.Projection(pre, post, nest_sim.AllToAllConnector(), nest_sim.STDPMechanism(
            timing_dependence=nest_sim.SpikePairRule(),
            weight_dependence=nest_sim.GutigWeightDependence(), weight=0.1))
    nest_sim.end()


def test_connection_objects_read_parameters_state_and_set_weights():
    sim.setup()
    pre = sim.Population(2, sim.SpikeSourceArray(spike_times=[1.0, 5.0]))
    post = sim.Population(1, sim.IF_cond_exp())
    prj = sim.Projection(pre, post, sim.AllToAllConnector(),
                         sim.TsodyksMarkramSynapse(U=0.3, weight=0.01))
    sim.run(10.0)
    c = prj[1]
    assert c.U == 0.3 and c.u == pytest.approx(prj.get("u", format="list")[1][2])
    assert "U=0.3" in repr(c)
    c.weight = 0.02
    assert prj.get("weight", format="list", with_address=False)[1] == pytest.approx(0.02, rel=1e-7)
    c.U = 0.5  # one synapse's own U (TsodyksMarkramSynapse keeps U per synapse)
    assert prj.get("U", format="list", with_address=False) == [0.3, 0.5]
    quantal = sim.Projection(pre, post, sim.AllToAllConnector(),
                             sim.MultiQuantalSynapse(n=2, weight=0.01))
    quantal[1].tau_rec = 50.0
    assert quantal.get("tau_rec", format="list", with_address=False) == [800.0, 50.0]
    with pytest.raises(NotImplementedError, match="n of one connection"):
        quantal[0].n = 3
    sim.end()


@pytest.mark.parametrize("connector", [sim.AllToAllConnector(),
                                       sim.FixedNumberPreConnector(2, rng=sim.NumpyRNG(seed=1))])
def test_assembly_sides_keep_the_synapse_dynamics(connector):
    sim.setup()
    a = sim.Population(3, sim.SpikeSourceArray(spike_times=[5.0]))
    b = sim.Population(2, sim.SpikeSourceArray(spike_times=[7.0]))
    p1, p2 = sim.Population(2, sim.IF_cond_exp()), sim.Population(3, sim.IF_cond_exp())
    prj = sim.Projection(a + b, p1 + p2, connector,
                         sim.TsodyksMarkramSynapse(U=0.25, weight=0.01))
    sim.run(20.0)
    u = np.array(prj.get("u", format="list", with_address=False))
    assert len(u) == len(prj) > 0 and np.all(u == 0.25)  # every synapse saw one spike
    sim.end()
