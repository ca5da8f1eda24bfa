"""Fails if any cell type of PyNN's list (shared reference §2.3, the names every
backend module exports) is missing from the native engine.

Every name must be a real, working model: a population of it is built and
run (the spike sources and cells here; PointNeuron with each body and each
post-synaptic response). The multicompartment names (MultiCompartmentNeuron,
NaChannel, KdrChannel, PassiveLeak, PassiveLeakHH) are exported by PyNN's
NEURON and Arbor backends only; they are not native-engine models, so here
they must be explicit NotImplementedError stubs, listed in docs/porting.md.
"""

import pineal as sim
import pytest
from pineal.unsupported import is_stub

# PyNN's list, §2.3 of the reference.
STANDARD_CELLS = [
    "IF_curr_alpha", "IF_curr_exp", "IF_curr_delta", "IF_cond_alpha", "IF_cond_exp",
    "IF_cond_exp_gsfa_grr", "IF_facets_hardware1", "HH_cond_exp", "EIF_cond_alpha_isfa_ista",
    "EIF_cond_exp_isfa_ista", "Izhikevich", "GIF_cond_exp", "SpikeSourcePoisson",
    "SpikeSourcePoissonRefractory", "SpikeSourceGamma", "SpikeSourceInhGamma",
    "SpikeSourceArray",
]
BODIES = ["LIF", "AdExp"]
RESPONSES = ["CurrExpPostSynapticResponse", "CondExpPostSynapticResponse",
             "CondAlphaPostSynapticResponse", "CondBetaPostSynapticResponse"]
ALIASES = {"ExpPSR": "CondExpPostSynapticResponse", "AlphaPSR": "CondAlphaPostSynapticResponse",
           "BetaPSR": "CondBetaPostSynapticResponse"}
MULTICOMPARTMENT = ["MultiCompartmentNeuron", "NaChannel", "KdrChannel", "PassiveLeak",
                    "PassiveLeakHH"]


def run_one(celltype):
    """Builds 2 cells of `celltype`, drives them (current into cells) and runs 20 ms."""
    sim.setup(timestep=0.1)
    pop = sim.Population(2, celltype)
    if celltype.injectable:
        sim.DCSource(amplitude=0.5, start=1.0).inject_into(pop)
    pop.record("spikes")
    sim.run(20.0)
    assert sim.get_current_time() == pytest.approx(20.0)
    n = len(pop.get_data().segments[0].spiketrains)
    sim.end()
    return n


@pytest.mark.parametrize("name", STANDARD_CELLS)
def test_standard_cell_type_is_a_working_model(name):
    cls = getattr(sim, name)
    assert not is_stub(cls), f"{name} is missing from the native engine"
    assert name in sim.list_standard_models()
    assert run_one(cls()) == 2


@pytest.mark.parametrize("body", BODIES)
@pytest.mark.parametrize("response", RESPONSES)
def test_point_neuron_components_are_working(body, response):
    for name in ("PointNeuron", body, response):
        assert not is_stub(getattr(sim, name)), f"{name} is missing from the native engine"
    cell = sim.PointNeuron(getattr(sim, body)(), A=getattr(sim, response)(),
                           B=getattr(sim, response)())
    assert cell.receptor_types == ("A", "B")
    assert run_one(cell) == 2


@pytest.mark.parametrize("alias", sorted(ALIASES))
def test_psr_aliases(alias):
    assert getattr(sim, alias) is getattr(sim, ALIASES[alias])


@pytest.mark.parametrize("name", MULTICOMPARTMENT)
def test_multicompartment_names_are_explicitly_unsupported(name):
    assert is_stub(getattr(sim, name))
    with pytest.raises(NotImplementedError, match=name):
        getattr(sim, name)()
