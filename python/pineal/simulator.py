"""The current simulation context of PyNN's procedural API.

The C++ core has no global state; PyNN's module-level functions (setup, run,
Population(...)) need one current context, and this module holds it.
"""

name = "pineal"  # the simulator name written into recorded data


class State:
    def __init__(self):
        self.core = None          # _core.Simulation, once setup() ran
        self.populations = []
        self.projections = []
        self.write_on_end = []    # (population, variables, filename)
        self.population_counter = 0
        self.mpi_rank = 0
        self.num_processes = 1

    def require(self, action):
        if self.core is None:
            raise RuntimeError(
                f"pineal: call setup() before {action} (no simulation is set up)")
        return self.core

    def live(self, obj, action):
        """The core of `obj` (a Population or Projection), if it is the current one."""
        core = self.require(action)
        if obj._core is not core:
            raise RuntimeError(
                f"pineal: {type(obj).__name__} '{obj.label}' belongs to a simulation that a "
                f"later setup() replaced; create it again after setup() (in {action})")
        return core

    def clear(self):
        self.__init__()

    @property
    def t(self):
        return self.require("get_current_time()").time

    @property
    def dt(self):
        return self.require("get_time_step()").dt

    def native_stream(self):
        """Stream number for a use of the simulator's own RNG (rng=None, NativeRNG).

        The top bit keeps these streams apart from those of a NumpyRNG whose seed
        happens to equal rng_seed.
        """
        return self.require("drawing random numbers").next_stream() | (1 << 63)


state = State()
