"""Names PyNN's backends export that pineal does not support yet.

Each one exists (so ``from pineal import *`` and ``sim.DCSource`` resolve as
in PyNN) and raises NotImplementedError naming itself when used: a script
fails at the first unsupported thing it does, never silently. A name that
another module implements is not replaced: ``install`` only fills gaps.
docs/porting.md lists them (a test keeps the two in step).
"""

UNSUPPORTED = {
    "cell types": [
        "IF_curr_alpha", "IF_curr_delta", "IF_cond_alpha", "IF_cond_exp_gsfa_grr",
        "IF_facets_hardware1", "HH_cond_exp", "EIF_cond_alpha_isfa_ista",
        "EIF_cond_exp_isfa_ista", "Izhikevich", "GIF_cond_exp",
        "SpikeSourcePoissonRefractory", "SpikeSourceGamma", "SpikeSourceInhGamma",
        "MultiCompartmentNeuron", "NaChannel", "KdrChannel", "PassiveLeak", "PassiveLeakHH",
    ],
    "synapse types": ["ElectricalSynapse"],
    "connectors": [
        "DistanceDependentProbabilityConnector", "DisplacementDependentProbabilityConnector",
        "IndexBasedProbabilityConnector", "FromFileConnector", "FixedNumberPreConnector",
        "FixedNumberPostConnector", "FixedTotalNumberConnector", "SmallWorldConnector",
        "CSAConnector", "CloneConnector", "ArrayConnector",
    ],
    "current sources": ["DCSource", "ACSource", "StepCurrentSource", "NoisyCurrentSource"],
    "native models and networks": [
        "native_cell_type", "native_synapse_type", "native_electrode_type", "NativeCellType",
        "NativeSynapseType", "NativeElectrodeType", "Network",
    ],
}


def _stub(name, kind):
    message = (f"{name} ({kind}) is not supported yet by pineal; see docs/porting.md for what "
               "is")

    class Unsupported:
        __doc__ = f"Not supported yet by pineal: PyNN's {name}."

        def __init__(self, *args, **kwargs):
            raise NotImplementedError(message)

    Unsupported.__name__ = Unsupported.__qualname__ = name
    Unsupported._pineal_unsupported = True
    return Unsupported


def install(namespace):
    """Adds a stub for each unsupported name missing from `namespace`."""
    for kind, names in UNSUPPORTED.items():
        for name in names:
            if name not in namespace:
                namespace[name] = _stub(name, kind)


def is_stub(obj):
    return getattr(obj, "_pineal_unsupported", False)
