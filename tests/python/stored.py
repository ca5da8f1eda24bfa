"""The synaptic weight as the engine stores and integrates it.

pineal stores weights as float32 (docs/engine.md, docs/porting.md):
Projection.get("weight") returns the stored value and the dynamics use it.
References (DOP853 solves, analytic values, NEST runs through PyNEST) are
therefore computed with the stored weight, so that both sides integrate the
same input and the tolerances keep measuring the integrators alone.
"""

import numpy as np


def stored_weight(w):
    """w rounded to float32, as a Python float (0.7 -> 0.699999988079071)."""
    return float(np.float32(w))
