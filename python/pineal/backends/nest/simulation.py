"""pineal's Simulation interface, realised in NEST.

The PyNN front end talks to `state.core`; on the native backend that is a
pineal._core.Simulation. This class has the same interface and keeps one as
the *description core*: it holds the populations' parameters and initial
values, checks every input, and generates the connections with pineal's C++
connectors, so the same seed gives the same synapses on every backend. The
native engine is never run: before each NEST Simulate, whatever was added or
changed since the last one is realised in NEST in bulk (one nest.Create per
population with parameter arrays, one array nest.Connect per projection,
one recorder per population and variable).

NEST conventions met here (measured with nest-simulator 3.10):
- a multimeter hands its samples over one min_delay late, so the kernel's
  min_delay is set to dt and the sample at the end of a run is read from
  the cells' state directly (it is delivered by the next Simulate);
- the first sample (t = 0, or the time of a clear) is the cells' state read
  before running, as pineal's engine records it; NEST's multimeter starts at dt;
- a spike_generator emits time t at the end of the step ending at t, as
  pineal's SpikeSourceArray does; connected straight to the targets (and to
  the spike_recorder) it needs no parrot and no min_delay shift. NEST cannot
  emit a spike at t = 0, which pineal's engine can: that raises.
"""

import os

import numpy as np

from pineal import _core
from pineal.backends.adapter import DescriptionBackedSimulation
from pineal.backends.nest.models import lookup

BACKEND = "pineal's NEST backend"


def _import_nest():
    os.environ.setdefault("PYNEST_QUIET", "1")  # no banner on import
    try:
        import nest
    except Exception as err:  # ImportError, or a broken binary install
        raise ImportError(f"pineal.nest needs PyNEST (pip install nest-simulator): {err}") from err
    nest.verbosity = nest.VerbosityLevel.ERROR
    return nest


def _unsupported(feature):
    return NotImplementedError(f"{feature} is not supported by {BACKEND}")


class _Params(dict):
    """PyNN parameter arrays of one population, fetched from the core on first use."""

    def __init__(self, desc, handle):
        super().__init__()
        self.desc, self.handle = desc, handle

    def __missing__(self, name):
        value = np.asarray(self.desc.get_parameter(self.handle, name), dtype=float)
        self[name] = value
        return value


class _Population:
    """What NEST holds of one population."""

    def __init__(self, name, model, size):
        self.name = name          # the PyNN model name
        self.model = model        # its models.NestModel
        self.size = size
        self.nodes = None         # the cells (neurons, generators or parrots), ids contiguous
        self.generators = None    # poisson_generators behind the parrots
        self.params_dirty = True
        self.initial_dirty = set()
        self.spike_cells = None   # indices recording spikes (sorted)
        self.signals = {}         # variable -> dict(cells, steps, device, first)
        self.spike_recorder = None
        self.t_start_step = 0     # start of the current data (0 or the last clear)

    def ids(self, indices):
        return self.nodes[0].global_id + np.asarray(indices, dtype=np.int64)


class Simulation(DescriptionBackedSimulation):
    """The interface of pineal._core.Simulation, on NEST."""
    BACKEND = BACKEND

    simulator_name = "pineal.nest"

    def __init__(self, timestep, min_delay=None, max_delay=None, threads=1, virtual_ranks=1,
                 rng_seed=42):
        nest = _import_nest()
        if virtual_ranks != 1:
            raise _unsupported(f"setup(virtual_ranks={virtual_ranks})")
        self._desc = _core.Simulation(timestep=timestep, min_delay=min_delay,
                                      max_delay=max_delay, threads=threads,
                                      virtual_ranks=virtual_ranks, rng_seed=rng_seed)
        self._nest = nest
        nest.ResetKernel()
        nest.verbosity = nest.VerbosityLevel.ERROR
        nest.resolution = timestep
        nest.local_num_threads = threads
        # NEST takes seeds in [1, 2**32 - 1]; pineal's are 64-bit and may be 0.
        nest.rng_seed = rng_seed if 1 <= rng_seed < 2**32 else rng_seed % (2**32 - 1) + 1
        self._step = 0
        self._pops = []
        self._projections = []   # (pre, post, inhibitory, pre_cells, post_cells) per handle
        self._realised_projections = 0
        self._kernel_ready = False

    # -- description, delegated to the core ---------------------------------
    def create_population(self, model, size, label):
        entry = lookup(model)
        handle = self._desc.create_population(model, size, label)
        self._pops.append(_Population(model, entry, size))
        return handle

    def discard_last_population(self):
        if self._pops and self._pops[-1].nodes is not None:
            raise RuntimeError("pineal.nest: a population already realised in NEST cannot be "
                               "discarded")
        self._desc.discard_last_population()
        self._pops.pop()

    def connect(self, pre, post, connector, weight, delay, receptor_type, label, pre_cells=None,
                post_cells=None, progress=None):
        handle = self._desc.connect(pre, post, connector, weight, delay, receptor_type, label,
                                    pre_cells, post_cells, progress=progress)
        # NEST tells inhibitory conductance input by a negative weight
        self._projections.append((pre, post, receptor_type == "inhibitory", pre_cells,
                                  post_cells))
        return handle

    def discard_last_projection(self):
        self._desc.discard_last_projection()
        self._projections.pop()

    def connections(self, projection):
        # The synapses NEST holds are exactly these (static synapses do not
        # change); tests compare them with nest.GetConnections.
        return self._desc.connections(projection)

    # -- recording ------------------------------------------------------------
    def _realised(self, pop):
        return pop.nodes is not None

    def spikes(self, population, clear=False):
        pop = self._pops[population]
        index, time = np.zeros(0, dtype=np.uint32), np.zeros(0)
        if pop.spike_recorder is not None:
            events = pop.spike_recorder.get("events")
            steps = np.rint(np.asarray(events["times"], dtype=float) / self.dt).astype(np.int64)
            senders = np.asarray(events["senders"], dtype=np.int64)
            order = np.lexsort((senders, steps))
            index = (senders[order] - pop.nodes[0].global_id).astype(np.uint32)
            time = self._steps_to_ms(steps[order])
        if clear:
            self._clear(pop)
        return index, time

    def signal(self, population, variable, clear=False):
        pop = self._pops[population]
        spec = pop.signals.get(variable)
        if spec is None or "device" not in spec:
            out = (np.zeros((0, 0)), np.zeros(0, dtype=np.uint32), self._steps_to_ms(
                pop.t_start_step), (spec or {}).get("steps", 1) * self.dt)
        else:
            out = (self._samples(pop, variable, spec), spec["cells"].astype(np.uint32),
                   float(self._steps_to_ms(pop.t_start_step)), spec["steps"] * self.dt)
        if clear:
            self._clear(pop)
        return out

    def _samples(self, pop, variable, spec):
        name, factor = pop.model.variables[variable]
        k, t0, cells = spec["steps"], pop.t_start_step, spec["cells"]
        n = (self._step - t0) // k + 1
        values = np.full((n, cells.size), np.nan)
        values[0] = spec["first"]
        events = spec["device"].get("events")
        steps = np.rint(np.asarray(events["times"], dtype=float) / self.dt).astype(np.int64)
        keep = (steps > t0) & (steps <= self._step) & ((steps - t0) % k == 0)
        rows = (steps[keep] - t0) // k
        cols = np.searchsorted(cells, np.asarray(events["senders"])[keep] - pop.nodes[0].global_id)
        values[rows, cols] = np.asarray(events[name], dtype=float)[keep] / factor
        if (self._step - t0) % k == 0 and n > 1:
            # NEST delivers the sample at the current time with the next
            # Simulate; the cells' state now is that sample.
            values[-1] = self._state(pop, cells, name) / factor
        if np.isnan(values).any():
            raise RuntimeError(f"pineal.nest: samples of {variable!r} missing from NEST's "
                               f"multimeter (rows {np.unique(np.nonzero(np.isnan(values))[0])})")
        return values

    def _state(self, pop, cells, name):
        nodes = self._nest.NodeCollection(pop.ids(cells).tolist())
        return np.atleast_1d(np.asarray(nodes.get(name), dtype=float))

    def _clear(self, pop):
        if pop.spike_recorder is not None:
            pop.spike_recorder.n_events = 0
        for spec in pop.signals.values():
            if "device" in spec:
                spec["device"].n_events = 0
                name, factor = pop.model.variables[spec["variable"]]
                spec["first"] = self._state(pop, spec["cells"], name) / factor
        pop.t_start_step = self._step

    # -- running ----------------------------------------------------------------
    def run_until(self, t_ms):
        if not np.isfinite(t_ms) or t_ms < self.time - 0.5 * self.dt:
            raise ValueError(f"run_until: {t_ms} ms lies before the current time {self.time} ms")
        target = int(round(t_ms / self.dt))
        if target <= self._step:
            return
        self._realise()
        self._nest.Simulate((target - self._step) * self.dt)
        reached = int(round(self._nest.biological_time / self.dt))
        if reached != target:
            raise RuntimeError(f"pineal.nest: NEST stopped at step {reached}, not {target}")
        self._step = target

    def check_reset(self):
        """reset() is exact only before anything ran: NEST cannot go back to t = 0."""
        if self._step > 0:
            raise _unsupported("reset() after run() (NEST cannot return to t = 0 and restore "
                               "the initial state)")

    def reset(self):
        self.check_reset()
        self._desc.reset()  # the segment number moves on, as on the native engine

    # -- realisation in NEST ----------------------------------------------------
    def _realise(self):
        nest = self._nest
        if not self._kernel_ready:
            # min_delay = dt: the multimeter then lags by one step only (read
            # directly at the end of a run). Delays of later projections
            # must fit in max_delay, fixed now.
            nest.SetKernelStatus({"min_delay": self.dt,
                                  "max_delay": max(self._desc.max_delay, 10.0, self.dt)})
            self._kernel_ready = True
        for handle, pop in enumerate(self._pops):
            if pop.nodes is None:
                self._create(handle, pop)
            if pop.params_dirty:
                self._push_parameters(handle, pop)
            if pop.initial_dirty:
                self._push_initial(handle, pop, sorted(pop.initial_dirty))
        for projection in range(self._realised_projections, len(self._projections)):
            self._connect(projection)
        self._realised_projections = len(self._projections)
        for pop in self._pops:
            self._create_recorders(pop)

    def _create(self, handle, pop):
        nest, model = self._nest, pop.model
        if model.kind == "poisson":
            pop.generators = nest.Create("poisson_generator", pop.size)
            pop.nodes = nest.Create("parrot_neuron", pop.size)
            nest.Connect(pop.generators, pop.nodes, "one_to_one",
                         syn_spec={"delay": self.dt, "weight": 1.0})
        else:
            pop.nodes = nest.Create(model.nest_name, pop.size)
        pop.initial_dirty = set(self._initial_names(handle, pop))

    def _initial_names(self, handle, pop):
        if pop.model.kind != "neuron":
            return []
        return [state.name for state in _STATE_INFO[self._model_name(handle)].state]

    def _push_parameters(self, handle, pop):
        model = pop.model
        if model.kind == "neuron":
            params = model.parameters(_Params(self._desc, handle))
            pop.nodes.set({k: np.broadcast_to(v, (pop.size,)).tolist()
                           for k, v in params.items()})
        elif model.kind == "spike_array":
            self._push_spike_times(handle, pop)
        else:
            p = _Params(self._desc, handle)
            # pineal stamps Poisson spikes in (start, start + duration] on the
            # grid. NEST's poisson_generator stamps in (start + dt, stop + dt]
            # (measured) and the parrot relay adds dt: both ends move two
            # steps earlier. NEST takes no negative start: a start below 2 dt
            # stays at 0, and the first spikes come at 3 dt instead of dt.
            start = np.maximum(p["start"] - 2 * self.dt, 0.0)
            stop = np.maximum(p["start"] + p["duration"] - 2 * self.dt, start)
            pop.generators.set({"rate": p["rate"].tolist(), "start": start.tolist(),
                                "stop": stop.tolist()})
        pop.params_dirty = False

    def _push_spike_times(self, handle, pop):
        times = []
        for train in self._desc.get_sequence(handle, "spike_times"):
            train = np.asarray(train, dtype=float)
            steps = np.ceil(train / self.dt - 1e-9)
            if self._step == 0 and np.any(steps <= 0):
                raise _unsupported("a SpikeSourceArray spike at t = 0 (NEST emits spikes from "
                                   "t = dt on)")
            times.append(train[steps > self._step].tolist())  # past times are not re-emitted
        pop.nodes.set([{"allow_offgrid_times": True, "spike_times": t} for t in times])

    def _push_initial(self, handle, pop, names):
        for name in names:
            values = np.asarray(self._desc.get_initial_value(handle, name), dtype=float)
            settable = pop.model.settable or pop.model.variables
            if name not in settable:
                if np.any(values != 0.0):
                    raise _unsupported(f"a non-zero initial value of {name!r} "
                                       f"({self._model_name(handle)})")
                continue
            nest_name, factor = pop.model.variables[name]
            pop.nodes.set({nest_name: (values * factor).tolist()})
        pop.initial_dirty = set()

    def _connect(self, projection):
        nest = self._nest
        pre, post, inhibitory, pre_cells, post_cells = self._projections[projection]
        i, j, weight, delay = self._desc.connections(projection)
        if len(i) == 0:
            return
        # indices within views -> population indices
        if pre_cells is not None:
            i = np.asarray(pre_cells, dtype=np.int64)[i]
        if post_cells is not None:
            j = np.asarray(post_cells, dtype=np.int64)[j]
        target = self._pops[post]
        weight = np.asarray(weight, dtype=float) * target.model.weight_scale
        if target.model.conductance_based and inhibitory:
            weight = -weight
        if np.max(delay) > nest.GetKernelStatus("max_delay") + 1e-9:
            raise _unsupported(f"a delay of {np.max(delay)} ms after the first run (NEST's "
                               f"max_delay was fixed at {nest.GetKernelStatus('max_delay')} ms)")
        nest.Connect(self._pops[pre].ids(i), target.ids(j), "one_to_one",
                     syn_spec={"synapse_model": "static_synapse", "weight": weight,
                               "delay": np.asarray(delay, dtype=float)})

    def _create_recorders(self, pop):
        nest = self._nest
        if pop.spike_cells is not None and pop.spike_recorder is None and pop.spike_cells.size:
            pop.spike_recorder = nest.Create("spike_recorder")
            nest.Connect(nest.NodeCollection(pop.ids(pop.spike_cells).tolist()),
                         pop.spike_recorder)
        for variable, spec in pop.signals.items():
            if "device" in spec or spec["cells"].size == 0:
                continue
            name, factor = pop.model.variables[variable]
            spec["device"] = nest.Create("multimeter", params={
                "record_from": [name], "interval": spec["steps"] * self.dt})
            nest.Connect(spec["device"], nest.NodeCollection(pop.ids(spec["cells"]).tolist()))
            spec["variable"] = variable
            spec["first"] = self._state(pop, spec["cells"], name) / factor

    # -- state queries ----------------------------------------------------------
    def _model_name(self, handle):
        return self._pops[handle].name

_STATE_INFO = {m.name: m for m in _core.standard_models()}
