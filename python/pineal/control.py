"""Simulation control: setup, run, reset, end and the state queries."""

import math
import warnings

import numpy as np

from pineal import _core
from pineal.simulator import state

DEFAULT_TIMESTEP = 0.1
DEFAULT_MIN_DELAY = "auto"
DEFAULT_MAX_DELAY = "auto"

_FORBIDDEN = ("mindelay", "maxdelay", "dt", "time_step")


def _delay_option(value, name):
    if value is None or (isinstance(value, str) and value == "auto"):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        raise ValueError(f"setup: {name} must be a number of ms or 'auto', got {value!r}") from None


def _count_option(value, name):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"setup: {name} must be a positive integer, got {value!r}")
    return int(value)


def setup(timestep=DEFAULT_TIMESTEP, min_delay=DEFAULT_MIN_DELAY, **extra_params):
    """(Re)initialise the native engine (see setup_backend)."""
    return setup_backend(_core.Simulation, timestep, min_delay, **extra_params)


def setup_backend(simulation_class, timestep=DEFAULT_TIMESTEP, min_delay=DEFAULT_MIN_DELAY,
                  **extra_params):
    """(Re)initialise the simulator, discarding any existing network.

    Extra keywords meant for other backends (verbosity, spike_precision,
    t_flush, ...) are accepted and ignored, as PyNN does; `threads`,
    `virtual_ranks` (partitions with explicit spike exchange, as MPI ranks
    would be, inside this process),
    `rng_seed` and `max_delay` are used. `progress_bar=True` (pineal's own;
    other backends ignore it) draws a text progress bar during every run();
    without it no bar is drawn unless a run() is given a
    utility.SimulationProgressBar callback, as in PyNN.

    `simulation_class` is the backend: a class with the interface of
    _core.Simulation (the native engine, or e.g. backends.nest.simulation's).
    """
    for key in _FORBIDDEN:
        if key in extra_params:
            raise Exception(f"'{key}' is not allowed in setup(); use 'timestep', "
                            "'min_delay' and 'max_delay'")
    max_delay = extra_params.get("max_delay", DEFAULT_MAX_DELAY)
    threads = _count_option(extra_params.get("threads", 1), "threads")
    virtual_ranks = _count_option(extra_params.get("virtual_ranks", 1), "virtual_ranks")
    rng_seed = extra_params.get("rng_seed", 42)
    if not isinstance(rng_seed, (int,)) or isinstance(rng_seed, bool) or rng_seed < 0:
        raise ValueError(f"setup: rng_seed must be a non-negative integer, got {rng_seed!r}")
    core = simulation_class(
        timestep=float(timestep),
        min_delay=_delay_option(min_delay, "min_delay"),
        max_delay=_delay_option(max_delay, "max_delay"),
        threads=threads,
        virtual_ranks=virtual_ranks,
        rng_seed=rng_seed,
    )
    progress_bar = extra_params.get("progress_bar", False)
    if not isinstance(progress_bar, bool):
        raise ValueError(f"setup: progress_bar must be True or False, got {progress_bar!r}")
    state.clear()
    state.core = core
    state.progress_bar = progress_bar
    return rank()


def end(compatible_output=True):
    """Write files registered with record(..., to_file=...) and finish."""
    for population, variables, filename in state.write_on_end:
        population.write_data(filename, variables)
    state.write_on_end = []


def run_until(time_point, callbacks=None):
    """Advance to `time_point` ms, calling each callback f(t) -> next t as due."""
    core = state.require("run_until()")
    time_point = float(time_point)
    if not math.isfinite(time_point):
        raise ValueError(f"run_until: the time must be a finite number of ms, got {time_point}")
    if time_point < core.time - core.dt / 2:
        raise ValueError(f"run_until: {time_point} ms lies before the current time {core.time} ms")
    if not callbacks:
        core.run_until(time_point)
        return core.time
    # As PyNN: each callback is asked once for its first event time; the run
    # advances to the earliest pending event (capped at time_point), and that
    # callback, with every other whose event lies within one dt of it, is
    # called with the time reached. So the earliest pending callback is also
    # called at time_point when its event lies beyond it.
    pending = [(cb(core.time), k, cb) for k, cb in enumerate(callbacks)]
    while core.time + 1e-9 < time_point:
        pending = [e for e in pending if e[0] is not None]  # None: no more events
        if not pending:
            core.run_until(time_point)
            break
        pending.sort(key=lambda e: (e[0], e[1]))
        first = pending[0][0]
        due = [e for e in pending if abs(e[0] - first) < core.dt]
        pending = [e for e in pending if abs(e[0] - first) >= core.dt]
        target = min(first, time_point)
        if target < core.time + core.dt / 2:
            target = core.time + core.dt  # an event not after now: the next step
        before = core.time
        core.run_until(min(target, time_point))
        pending += [(cb(core.time), k, cb) for _, k, cb in due]
        if core.time <= before:  # time_point lies less than dt/2 ahead: reached
            break
    return core.time


def run(simtime, callbacks=None):
    """Advance the simulation by `simtime` ms; returns the current time."""
    core = state.require("run()")
    simtime = float(simtime)
    if not simtime >= 0:  # also NaN
        raise ValueError(f"run: simtime must be >= 0 ms, got {simtime}")
    if getattr(state, "progress_bar", False) and simtime > 0:
        from pineal.utility.progress_bar import SimulationProgressBar

        t_stop = core.time + simtime
        # 100 redraws per run: each splits the run at a step boundary, which
        # leaves the results unchanged (time is a whole number of steps)
        bar = SimulationProgressBar(max(simtime / 100, core.dt), t_stop)
        callbacks = list(callbacks or []) + [bar]
    return run_until(core.time + simtime, callbacks)


run_for = run


def reset(annotations=None):
    """Return to t = 0 with the initial state; the next data form a new segment."""
    core = state.require("reset()")
    if hasattr(core, "check_reset"):  # a backend that cannot reset says so before anything moves
        core.check_reset()
    for population in state.populations:
        population.recorder.store_segment(annotations or {})
    core.reset()


def get_current_time():
    return state.require("get_current_time()").time


def get_time_step():
    return state.require("get_time_step()").dt


def get_min_delay():
    return state.require("get_min_delay()").min_delay


def get_max_delay():
    return state.require("get_max_delay()").max_delay


def num_processes():
    return state.num_processes


def rank():
    return state.mpi_rank


def list_standard_models():
    """Names of the standard cell types of the native engine."""
    return [m.name for m in _core.standard_models()]


def _warn_unused(**kwargs):
    for key in kwargs:
        warnings.warn(f"argument {key!r} is ignored by pineal", stacklevel=3)
