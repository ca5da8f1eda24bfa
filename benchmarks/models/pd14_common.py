"""What the pineal and NEST microcircuit benchmark scripts share: which
network a model name and a scale mean, and the transient left out of the
per-population rates."""

import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "examples" / "microcircuit"))
from parameters import FULL_MEAN_RATES as PUBLISHED_RATES  # noqa: F401
from parameters import POPULATIONS, Network  # noqa: F401

# Background of each benchmark model: the paper's Poisson input, or the DC
# input NEST's example recommends for benchmarks.
BACKGROUND = {"pd14": "poisson", "pd14_dc": "dc"}
TRANSIENT = 100.0  # ms: the initial burst (v0 ~ N(-58, 10) mV) is not counted


def network_of(model, scale):
    """--scale scales both the neurons and the in-degrees (NEST's example
    uses 0.1 and 0.1 for local runs), with van Albada's compensation."""
    return Network(n_scale=scale, k_scale=scale, background=BACKGROUND[model])


def transient(tstop):
    return min(TRANSIENT, tstop / 2.0)
