"""The native engine takes a dynamic synapse's model parameters and initial
state per synapse (docs/plasticity.md); the NEST and Brian 2 adapters map one
value per projection, so a value per synapse must raise NotImplementedError
naming the backend, not run with the default (docs/porting.md)."""

import importlib

import pytest

BACKENDS = [("nest", "nest", "NEST"), ("brian2", "brian2", "Brian 2")]


@pytest.mark.parametrize("how", ["construction", "set", "initialize"])
@pytest.mark.parametrize("module, requires, backend", BACKENDS)
def test_per_synapse_dynamics_values_raise_instead_of_being_dropped(module, requires, backend,
                                                                    how):
    pytest.importorskip(requires, reason=f"{requires} is not installed")
    sim = importlib.import_module(f"pineal.{module}")
    sim.setup(timestep=0.1)
    pre = sim.Population(3, sim.SpikeSourceArray(spike_times=[1.0, 5.0]))
    post = sim.Population(2, sim.IF_curr_exp())
    per_synapse = sim.RandomDistribution("uniform", (0.1, 0.5))
    with pytest.raises(NotImplementedError, match=rf"(?i)'u'.*per synapse.*{backend}"):
        if how == "construction":
            sim.Projection(pre, post, sim.AllToAllConnector(),
                           sim.TsodyksMarkramSynapse(U=per_synapse, weight=0.5))
        prj = sim.Projection(pre, post, sim.AllToAllConnector(),
                             sim.TsodyksMarkramSynapse(weight=0.5))
        if how == "set":
            prj.set(U=per_synapse)
        else:
            prj.initialize(u=per_synapse)
