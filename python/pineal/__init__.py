"""pineal: PyNN, the simulator-independent language for spiking neuronal
network models, implemented in C++20. ``import pineal as sim`` gives the
native engine; a PyNN script runs after renaming ``pyNN`` to ``pineal``."""

__version__ = "0.1.0"

from pineal.native import *  # noqa: E402,F401,F403
from pineal.native import cell_types as _cell_types  # noqa: E402

globals().update(_cell_types)
