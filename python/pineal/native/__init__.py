"""The native engine backend: ``import pineal.native as sim`` (also what
``import pineal as sim`` gives).

The imports marked ``noqa: F401`` are PyNN's API re-exported (``sim.Projection``),
not unused names."""

from pineal import errors, random, space  # noqa: F401
from pineal.assembly import Assembly  # noqa: F401
from pineal.composed import components as _components
from pineal.connectors import (  # noqa: F401
    AllToAllConnector,
    ArrayConnector,
    CloneConnector,
    Connector,
    CSAConnector,
    DisplacementDependentProbabilityConnector,
    DistanceDependentProbabilityConnector,
    FixedNumberPostConnector,
    FixedNumberPreConnector,
    FixedProbabilityConnector,
    FixedTotalNumberConnector,
    FromFileConnector,
    FromListConnector,
    IndexBasedProbabilityConnector,
    OneToOneConnector,
    SmallWorldConnector,
)
from pineal.control import (  # noqa: F401
    end,
    get_current_time,
    get_max_delay,
    get_min_delay,
    get_time_step,
    list_standard_models,
    num_processes,
    rank,
    reset,
    run,
    run_for,
    run_until,
    setup,
)
from pineal.core import IndexBasedExpression  # noqa: F401
from pineal.electrodes import (  # noqa: F401
    ACSource,
    DCSource,
    NoisyCurrentSource,
    StepCurrentSource,
)
from pineal.parameters import ArrayParameter, Sequence  # noqa: F401
from pineal.populations import ID, Population  # noqa: F401
from pineal.procedural import (  # noqa: F401
    build_record,
    connect,
    create,
    initialize,
    record,
    record_gsyn,
    record_v,
    set,
)
from pineal.projections import Projection  # noqa: F401
from pineal.random import GSLRNG, NativeRNG, NumpyRNG, RandomDistribution  # noqa: F401
from pineal.recording import get_io  # noqa: F401
from pineal.space import Space  # noqa: F401
from pineal.standardmodels import StaticSynapse, cell_types  # noqa: F401
from pineal.synapses import synapse_types
from pineal.unsupported import install as _install_unsupported
from pineal.views import PopulationView  # noqa: F401

globals().update(cell_types)
globals().update(synapse_types)  # TsodyksMarkramSynapse, STDPMechanism, ...
globals().update(_components)  # PointNeuron, LIF, AdExp, the PSRs

# PyNN names not supported yet: each raises NotImplementedError naming itself
_install_unsupported(globals())
