"""Utilities for simulation scripts, with PyNN's names (``pyNN.utility``).

Plotting lives in ``pineal.utility.plotting`` and is not imported here, so
that matplotlib stays optional.
"""

import numpy as np

from .progress_bar import ProgressBar, SimulationProgressBar
from .script_tools import (
    get_script_args,
    get_simulator,
    init_logging,
    normalized_filename,
    notify,
)
from .timer import Timer

__all__ = [
    "ProgressBar",
    "SimulationProgressBar",
    "Timer",
    "get_script_args",
    "get_simulator",
    "init_logging",
    "normalized_filename",
    "notify",
    "load_population",
    "save_population",
    "sort_by_column",
]


def save_population(population, filename, variables=None):
    """PyNN's shelve-based save of a population (legacy): not supported."""
    raise NotImplementedError("utility.save_population is not supported by pineal; use "
                              "population.write_data(filename)")


def load_population(filename, sim):
    """PyNN's reload of a saved population as SpikeSourceArray (legacy): not supported."""
    raise NotImplementedError("utility.load_population is not supported by pineal; read the "
                              "file with neo (pineal.get_io(filename).read_block())")


def sort_by_column(a, col):
    """The rows of 2-D array ``a`` sorted by column ``col`` (stable: ties keep their order)."""
    a = np.asarray(a)
    return a[np.argsort(a[:, col], kind="stable")]
