"""The NEST backend: ``import pineal.nest as sim`` runs a PyNN script on NEST.

Same names and front end as pineal.native; setup() installs the NEST adapter
(pineal.backends.nest.simulation.Simulation) as the current simulation.
Needs PyNEST (PyPI package nest-simulator). Supported models, the mapping
and the measured differences: docs/backends/nest.md.
"""

from pineal.control import DEFAULT_MIN_DELAY, DEFAULT_TIMESTEP, setup_backend
from pineal.native import *  # noqa: F403 (the same PyNN names as pineal.native)


def setup(timestep=DEFAULT_TIMESTEP, min_delay=DEFAULT_MIN_DELAY, **extra_params):
    """(Re)initialise NEST (ResetKernel) and pineal's description core; the keywords
    are those of pineal.setup (threads -> NEST's local_num_threads, rng_seed ->
    NEST's rng_seed), and PyNN's spike_precision ('on_grid', the default, or
    'off_grid')."""
    from functools import partial

    from pineal.backends.nest.simulation import Simulation

    # spike_precision="off_grid": NEST's precise models (iaf_psc_*_ps,
    # poisson_generator_ps), spike times between grid points (PyNN's option)
    precision = extra_params.get("spike_precision", "on_grid")
    return setup_backend(partial(Simulation, spike_precision=precision), timestep, min_delay,
                         **extra_params)


def list_standard_models():
    """Names of the standard cell types the NEST backend supports."""
    from pineal.backends.nest.models import MODELS

    return sorted(MODELS)
