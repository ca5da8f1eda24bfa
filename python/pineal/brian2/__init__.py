"""The Brian 2 backend: ``import pineal.brian2 as sim`` runs a PyNN script on Brian 2.

Same names and front end as pineal.native; setup() installs the Brian 2
adapter (pineal.backends.brian2.simulation.Simulation) as the current
simulation. Needs Brian 2 (PyPI package brian2) importable with the numpy
installed. Supported models, the mapping and the measured differences:
docs/backends/brian2.md.
"""

from pineal.control import DEFAULT_MIN_DELAY, DEFAULT_TIMESTEP, setup_backend
from pineal.native import *  # noqa: F403 (the same PyNN names as pineal.native)


def setup(timestep=DEFAULT_TIMESTEP, min_delay=DEFAULT_MIN_DELAY, **extra_params):
    """(Re)initialise pineal's description core and a new Brian 2 network; the
    keywords are those of pineal.setup (rng_seed seeds Brian's random numbers;
    threads is accepted, Brian's numpy target runs on one)."""
    from pineal.backends.brian2.simulation import Simulation

    return setup_backend(Simulation, timestep, min_delay, **extra_params)


def list_standard_models():
    """Names of the standard cell types the Brian 2 backend supports."""
    from pineal.backends.brian2.models import MODELS

    return sorted(MODELS)
