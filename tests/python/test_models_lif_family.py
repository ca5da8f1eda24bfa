"""The LIF family and the spike sources carry PyNN's names, defaults, units,
state variables, initial values, recordables and receptor types (shared
reference §4.1, §4.6), and run with their defaults."""

import numpy as np
import pineal as sim
import pytest

LIF = dict(v_rest=-65.0, cm=1.0, tau_m=20.0, tau_refrac=0.1, i_offset=0.0, v_reset=-65.0,
           v_thresh=-50.0)
COND = dict(LIF, e_rev_E=0.0, e_rev_I=-70.0)
CURR_STATE = dict(v=-65.0, isyn_exc=0.0, isyn_inh=0.0)
COND_STATE = dict(v=-65.0, gsyn_exc=0.0, gsyn_inh=0.0)
COND_REC = {"spikes", "v", "gsyn_exc", "gsyn_inh"}

EXPECTED = {
    "IF_curr_alpha": (dict(LIF, tau_syn_E=0.5, tau_syn_I=0.5), CURR_STATE, {"spikes", "v"}),
    "IF_curr_exp": (dict(LIF, tau_syn_E=5.0, tau_syn_I=5.0), CURR_STATE, {"spikes", "v"}),
    "IF_cond_alpha": (dict(COND, tau_syn_E=0.3, tau_syn_I=0.5), COND_STATE, COND_REC),
    "IF_cond_exp": (dict(COND, tau_syn_E=5.0, tau_syn_I=5.0), COND_STATE, COND_REC),
    "IF_curr_delta": (dict(LIF), dict(v=-65.0), {"spikes", "v"}),
    "IF_cond_exp_gsfa_grr": (
        dict(COND, tau_syn_E=5.0, tau_syn_I=5.0, tau_sfa=100.0, e_rev_sfa=-75.0, q_sfa=15.0,
             tau_rr=2.0, e_rev_rr=-75.0, q_rr=3000.0),
        dict(COND_STATE, g_r=0.0, g_s=0.0), COND_REC | {"g_r", "g_s"}),
    "IF_facets_hardware1": (
        dict(g_leak=40.0, tau_syn_E=30.0, tau_syn_I=30.0, v_reset=-80.0, e_rev_I=-80.0,
             v_rest=-65.0, v_thresh=-55.0), COND_STATE, COND_REC),
}

UNITS = {"v_rest": "mV", "cm": "nF", "tau_m": "ms", "tau_refrac": "ms", "tau_syn_E": "ms",
         "tau_syn_I": "ms", "i_offset": "nA", "v_reset": "mV", "v_thresh": "mV",
         "e_rev_E": "mV", "e_rev_I": "mV", "tau_sfa": "ms", "e_rev_sfa": "mV", "q_sfa": "nS",
         "tau_rr": "ms", "e_rev_rr": "mV", "q_rr": "nS", "g_leak": "nS", "v": "mV",
         "isyn_exc": "nA", "isyn_inh": "nA", "gsyn_exc": "uS", "gsyn_inh": "uS", "g_r": "nS",
         "g_s": "nS"}

SOURCES = {
    "SpikeSourceGamma": dict(alpha=2.0, beta=1.0, start=0.0, duration=1e10),
    "SpikeSourcePoissonRefractory": dict(rate=1.0, tau_refrac=0.0, start=0.0, duration=1e10),
    "SpikeSourceInhGamma": dict(start=0.0, duration=1e10),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_cell_type_matches_pynn(name):
    params, state, recordable = EXPECTED[name]
    cls = getattr(sim, name)
    assert cls.default_parameters == params
    assert cls.default_initial_values == state
    assert set(cls.recordable) == recordable
    assert cls.receptor_types == ("excitatory", "inhibitory")
    assert cls.conductance_based == (name not in ("IF_curr_alpha", "IF_curr_exp",
                                                  "IF_curr_delta"))
    for k in list(params) + list(state):
        assert cls.units[k] == UNITS[k], k
    assert name in sim.list_standard_models()


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_source_type_matches_pynn(name):
    cls = getattr(sim, name)
    for k, v in SOURCES[name].items():
        assert cls.default_parameters[k] == v
    assert cls.recordable == ["spikes"]
    assert cls.receptor_types == ()
    assert not cls.injectable
    assert cls.default_initial_values == {}


@pytest.mark.parametrize("name", sorted(EXPECTED) + sorted(SOURCES))
def test_runs_with_defaults_and_records(name, sim):
    cls = getattr(sim, name)
    p = sim.Population(3, cls())
    p.record(list(cls.recordable))
    sim.run(5.0)
    block = p.get_data()
    assert len(block.segments[0].spiketrains) == 3
    for var in cls.recordable:
        if var != "spikes":
            sig = block.segments[0].filter(name=var)[0]
            assert sig.shape == (51, 3)
            assert np.allclose(sig.magnitude[0], cls.default_initial_values[var])


def test_parameters_may_change_between_runs(sim):
    p = sim.Population(1, sim.IF_cond_alpha(i_offset=0.0))
    p.record("spikes")
    sim.run(50.0)
    p.set(i_offset=2.0)
    sim.run(50.0)
    spikes = p.get_data().segments[0].spiketrains[0].magnitude
    assert len(spikes) > 0 and spikes.min() > 50.0
