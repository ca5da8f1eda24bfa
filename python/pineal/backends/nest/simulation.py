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
from pineal.backends.adapter import DescriptionBackedSimulation, PopulationParameters
from pineal.backends.current_sources import CurrentSource
from pineal.backends.nest.current_sources import NEST_MODEL, nest_parameters
from pineal.backends.nest.models import lookup
from pineal.backends.nest.synapses import translate
from pineal.backends.renewal_sources import make_trains, source_parameters

BACKEND = "pineal's NEST backend"
# setup(spike_precision="off_grid"): NEST's precise counterparts (PyNN's mapping)
PRECISE = {"iaf_psc_exp": "iaf_psc_exp_ps", "iaf_psc_alpha": "iaf_psc_alpha_ps",
           "iaf_psc_delta": "iaf_psc_delta_ps"}


def _import_nest():
    os.environ.setdefault("PYNEST_QUIET", "1")  # no banner on import
    try:
        import nest
    except Exception as err:  # ImportError, or a broken binary install
        raise ImportError(f"pineal.nest needs PyNEST (pip install nest-simulator): {err}") from err
    nest.verbosity = nest.VerbosityLevel.ERROR
    return nest


def _params(desc, handle):
    # NEST's spike_generator takes spike times as lists
    return PopulationParameters(desc, handle, lambda x: np.asarray(x, dtype=float).tolist())


def _unsupported(feature):
    return NotImplementedError(f"{feature} is not supported by {BACKEND}")



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
        # a spike_generator population sending through a dynamic synapse:
        # NEST connects devices with static synapses only, so the generators
        # (emitting one step early) drive parrot_neurons that send
        self.relayed = False
        self.tau_minus = None     # set by an STDP projection onto it

    @property
    def emitters(self):
        """The spike_generators of a spike_array or renewal population."""
        return self.generators if self.relayed else self.nodes

    def ids(self, indices):
        return self.nodes[0].global_id + np.asarray(indices, dtype=np.int64)


class Simulation(DescriptionBackedSimulation):
    """The interface of pineal._core.Simulation, on NEST."""
    BACKEND = BACKEND

    simulator_name = "pineal.nest"
    # the dynamic synapse types mapped (docs/backends/nest.md, "Dynamic synapses")
    SUPPORTS_DYNAMICS = ("TsodyksMarkramSynapse", "STDPMechanism", "SimpleStochasticSynapse",
                         "StochasticTsodyksMarkramSynapse", "MultiQuantalSynapse")

    def __init__(self, timestep, min_delay=None, max_delay=None, threads=1, virtual_ranks=1,
                 rng_seed=42, spike_precision="on_grid"):
        nest = _import_nest()
        if spike_precision not in ("on_grid", "off_grid"):
            raise ValueError(f"pineal.nest.setup: spike_precision must be 'on_grid' or "
                             f"'off_grid', got {spike_precision!r}")
        # off_grid: NEST's precise models where they exist (PyNN's choice,
        # pynn-api.md §4.7): spike times between grid points
        self._precise = spike_precision == "off_grid"
        if virtual_ranks != 1:
            raise _unsupported(f"setup(virtual_ranks={virtual_ranks})")
        self._desc = _core.Simulation(timestep=timestep, min_delay=min_delay,
                                      max_delay=max_delay, threads=threads,
                                      virtual_ranks=virtual_ranks, rng_seed=rng_seed)
        self._nest = nest
        self._new_kernel(segment=0)
        self._step = 0
        self._pops = []
        # (pre, post, inhibitory, pre_cells, post_cells, NestSynapse or None) per handle
        self._projections = []
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
                post_cells=None, progress=None, dynamics=None):
        extra = {} if dynamics is None else {"dynamics": dynamics}
        handle = self._desc.connect(pre, post, connector, weight, delay, receptor_type, label,
                                    pre_cells, post_cells, progress=progress, **extra)
        # NEST tells inhibitory conductance input by a negative weight
        inhibitory = receptor_type == "inhibitory"
        synapse = None
        if dynamics is not None:
            try:
                synapse = self._translate(handle, pre, post, inhibitory, post_cells, dynamics,
                                          receptor_type)
            except Exception:
                self._desc.discard_last_projection()
                raise
        self._projections.append((pre, post, inhibitory, pre_cells, post_cells, synapse))
        return handle

    def _translate(self, handle, pre, post, inhibitory, post_cells, dynamics, receptor_type):
        """The NEST synapse of a dynamic projection, checked before anything is built."""
        source, target = self._pops[pre], self._pops[post]
        _, j, weight, _ = self._desc.connections(handle)
        if post_cells is not None:
            j = np.asarray(post_cells, dtype=np.int64)[j]
        negative = (target.model.conductance_based and inhibitory) or bool(
            np.any(np.asarray(weight) < 0))
        synapse = translate(dynamics, receptor_type, target.model, _params(self._desc, post),
                            np.asarray(j, dtype=np.int64), target.model.weight_scale, negative)
        if self._precise:
            raise _unsupported(f"{dynamics.model} with spike_precision='off_grid'")
        if source.model.kind in ("spike_array", "renewal") and not source.relayed:
            if source.nodes is not None:
                raise _unsupported(f"a {dynamics.model} projection from a spike source "
                                   "array simulated before without one")
            source.relayed = True
        tau_minus = synapse.post.get("tau_minus")
        if tau_minus is not None:
            if target.tau_minus not in (None, tau_minus):
                raise _unsupported(f"STDP projections onto one population with different "
                                   f"tau_minus ({target.tau_minus} and {tau_minus} ms; NEST "
                                   f"keeps tau_minus in the post neuron)")
            target.tau_minus = tau_minus
        return synapse

    def connections(self, projection):
        # The synapses NEST holds are these (static synapses do not change;
        # tests compare them with nest.GetConnections); learned weights are
        # read back from NEST.
        i, j, weight, delay = self._desc.connections(projection)
        synapse = self._projections[projection][5]
        if synapse is not None and synapse.weight_learned and self._nest_holds(projection):
            learned = self._read_back(projection, "weight")
            post = self._pops[self._projections[projection][1]]
            weight = np.abs(learned) / post.model.weight_scale
        return i, j, weight, delay

    def synapse_state(self, projection, name):
        synapse = self._projections[projection][5]
        if synapse is None or name not in synapse.state:
            # (quantal_stp_synapse's u starts at U, pineal's at 0 until the
            # first spike: not comparable before it)
            raise _unsupported(f"reading the synapse state {name!r}")
        if not self._nest_holds(projection):
            return np.full(self._desc.projection_size(projection),
                           float(synapse.defaults[synapse.state[name][0]]))
        return self._read_back(projection, synapse.state[name][0]) / synapse.state[name][1]

    def _nest_holds(self, projection):
        return projection < self._realised_projections and self._kernel_ready

    def _read_back(self, projection, nest_name):
        """A NEST connection attribute in pineal's order of the projection's
        synapses. Each dynamic projection has its own copy of the NEST model,
        so its connections are exactly those of that model; both sides are
        sorted by (source, target, delay), stably (multapses with one delay
        keep their creation order on both)."""
        nest = self._nest
        pre, post, _, pre_cells, post_cells, _ = self._projections[projection]
        i, j, _, delay = self._desc.connections(projection)
        if pre_cells is not None:
            i = np.asarray(pre_cells, dtype=np.int64)[i]
        if post_cells is not None:
            j = np.asarray(post_cells, dtype=np.int64)[j]
        conns = nest.GetConnections(synapse_model=self._model_copy(projection))
        got = {k: np.atleast_1d(v) for k, v in
               conns.get(["source", "target", "delay", nest_name]).items()}
        source = np.asarray(got["source"], dtype=np.int64) - self._pops[pre].nodes[0].global_id
        target = np.asarray(got["target"], dtype=np.int64) - self._pops[post].nodes[0].global_id
        steps = np.rint(np.asarray(got["delay"], dtype=float) / self.dt).astype(np.int64)
        if source.size != len(i):
            raise RuntimeError(f"pineal.nest: NEST holds {source.size} synapses of projection "
                               f"{projection}, the description {len(i)}")
        ours = np.lexsort((np.rint(np.asarray(delay) / self.dt).astype(np.int64),
                           np.asarray(j, dtype=np.int64), np.asarray(i, dtype=np.int64)))
        theirs = np.lexsort((steps, target, source))
        out = np.empty(source.size)
        out[ours] = np.asarray(got[nest_name], dtype=float)[theirs]
        return out

    def _model_copy(self, projection):
        return f"pineal_projection_{projection}"

    # -- recording ------------------------------------------------------------
    def _realised(self, pop):
        return pop.nodes is not None

    def spikes(self, population, clear=False):
        pop = self._pops[population]
        index, time = np.zeros(0, dtype=np.uint32), np.zeros(0)
        if pop.spike_recorder is not None:
            events = pop.spike_recorder.get("events")
            times = np.asarray(events["times"], dtype=float)
            steps = np.rint(times / self.dt).astype(np.int64)
            senders = np.asarray(events["senders"], dtype=np.int64)
            if self._precise:  # the precise times, not their steps
                order = np.lexsort((senders, times))
                time = times[order]
            else:
                order = np.lexsort((senders, steps))
                time = self._steps_to_ms(steps[order])
            index = (senders[order] - pop.nodes[0].global_id).astype(np.uint32)
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

    def _first(self, pop, variable, cells):
        """The sample at the start of the data: the cells' state now. NEST
        computes derived variables (GIF's v_t, i_eta) at its first update, so
        before any run they are the initial values, as pineal records them."""
        name, factor = pop.model.variables[variable]
        if self._step == 0 and variable in pop.model.derived:
            handle = self._pops.index(pop)
            return np.asarray(self._desc.get_initial_value(handle, variable), dtype=float)[cells]
        return self._state(pop, cells, name) / factor

    def _state(self, pop, cells, name):
        nodes = self._nest.NodeCollection(pop.ids(cells).tolist())
        return np.atleast_1d(np.asarray(nodes.get(name), dtype=float))

    def _clear(self, pop):
        if pop.spike_recorder is not None:
            pop.spike_recorder.n_events = 0
        for spec in pop.signals.values():
            if "device" in spec:
                spec["device"].n_events = 0
                spec["first"] = self._first(pop, spec["variable"], spec["cells"])
        pop.t_start_step = self._step

    # -- running ----------------------------------------------------------------
    def run_until(self, t_ms):
        if not np.isfinite(t_ms) or t_ms < self.time - 0.5 * self.dt:
            raise ValueError(f"run_until: {t_ms} ms lies before the current time {self.time} ms")
        target = int(round(t_ms / self.dt))
        if target <= self._step:
            return
        self._realise()
        self._push_renewal_spikes(target)
        self._record_sources(self._step, target)
        self._nest.Simulate((target - self._step) * self.dt)
        reached = int(round(self._nest.biological_time / self.dt))
        if reached != target:
            raise RuntimeError(f"pineal.nest: NEST stopped at step {reached}, not {target}")
        self._step = target

    def _new_kernel(self, segment):
        nest = self._nest
        nest.ResetKernel()
        nest.verbosity = nest.VerbosityLevel.ERROR
        nest.resolution = self.dt
        nest.local_num_threads = self.threads
        # NEST takes seeds in [1, 2**32 - 1]; pineal's are 64-bit and may be 0.
        # Each segment after a reset is a new trial of NEST's random numbers.
        seed = (self.rng_seed + segment * 0x9E3779B9) % (2**32 - 1) + 1
        nest.rng_seed = self.rng_seed if segment == 0 and 1 <= self.rng_seed < 2**32 else seed

    def reset(self):
        """NEST cannot go back to t = 0: a new kernel, and the whole network
        realised again from the description at the next run (the same
        populations, synapses, sources and recorders; the current parameters
        and initial values), as the native engine restarts."""
        self._desc.reset()  # the segment number moves on, as on the native engine
        if self._step == 0 and not self._kernel_ready:
            return  # nothing realised yet
        self._new_kernel(segment=self._desc.segment)
        self._step = 0
        self._kernel_ready = False
        self._realised_projections = 0
        for pop in self._pops:
            pop.nodes = pop.generators = pop.spike_recorder = None
            pop.params_dirty, pop.initial_dirty, pop.t_start_step = True, set(), 0
            for spec in pop.signals.values():
                for key in ("device", "first", "variable"):
                    spec.pop(key, None)
        for source in self._current_sources():
            source.device, source.connected, source.dirty = None, 0, True
            source.late = None
            source.restart()

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
        for source in self._current_sources():
            self._realise_source(source)

    # -- current sources: NEST's generators (backends/nest/current_sources.py) --
    def _sources_changed(self, source):
        source.dirty = True

    def _realise_source(self, source):
        nest = self._nest
        if source.device is None:
            source.device = nest.Create(NEST_MODEL[source.kind])
            source.connected = 0
        if getattr(source, "dirty", False):
            source.device.set(nest_parameters(source, self.dt, _unsupported))
            source.dirty = False
        for population, cells in source.targets[source.connected:]:
            pop = self._pops[population]
            nest.Connect(source.device, nest.NodeCollection(pop.ids(cells).tolist()),
                         syn_spec={"delay": self.dt})
        source.connected = len(source.targets)

    def set_current_source(self, handle, values):
        source = self._current_sources()[handle]
        old = dict(source.values)
        super().set_current_source(handle, values)
        if source.device is not None and self._step > 0:
            # measured: NEST applies a change made between runs two steps
            # late (its generators have already computed the values of the
            # next two steps); the recorded current says so
            source.late = (self._step + 2, old)

    def _recorded_current(self, source, steps):
        current = super()._recorded_current(source, steps)
        late = getattr(source, "late", None)
        if late is not None and np.any(steps < late[0]):
            before = CurrentSource(source.kind, late[1], source.seed)
            before.targets = source.targets
            mask = steps < late[0]
            current[mask] = before.current(self.dt, steps[mask], source.n_target_cells)[:, 0]
        return current

    def record_current_source(self, handle):
        source = self._current_sources()[handle]
        if source.kind == "NoisyCurrentSource":
            # a multimeter on NEST's noise_generator records values that are
            # the current of none of its targets (measured: replayed into a
            # cell they do not give its v), so there is nothing faithful to read
            raise _unsupported("record() of a NoisyCurrentSource")
        super().record_current_source(handle)

    def _create(self, handle, pop):
        nest, model = self._nest, pop.model
        precise = self._precise
        if model.kind == "poisson":
            pop.generators = nest.Create("poisson_generator_ps" if precise else
                                         "poisson_generator", pop.size)
            pop.nodes = nest.Create("parrot_neuron_ps" if precise else "parrot_neuron", pop.size)
            nest.Connect(pop.generators, pop.nodes, "one_to_one",
                         syn_spec={"delay": self.dt, "weight": 1.0})
        elif model.kind == "renewal":
            pop.nodes = nest.Create("spike_generator", pop.size)
            pop.trains = make_trains(pop.name, pop.size, (self.rng_seed, handle))
            self._relay(pop)
        elif model.kind == "spike_array" and pop.relayed:
            pop.nodes = nest.Create(model.nest_name, pop.size)
            self._relay(pop)
        elif model.kind == "spike_array" and precise:
            pop.nodes = nest.Create(model.nest_name, pop.size, params={"precise_times": True})
        else:
            name = model.nest_name
            pop.nodes = nest.Create(PRECISE.get(name, name) if precise else name, pop.size)
        pop.initial_dirty = set(self._initial_names(handle, pop))

    def _relay(self, pop):
        """Generators one step early -> parrots (delay dt), which send."""
        if pop.relayed:
            pop.generators = pop.nodes
            pop.nodes = self._nest.Create("parrot_neuron", pop.size)
            self._nest.Connect(pop.generators, pop.nodes, "one_to_one",
                               syn_spec={"delay": self.dt, "weight": 1.0})

    def _initial_names(self, handle, pop):
        if pop.model.kind != "neuron":
            return []
        return [state.name for state in _STATE_INFO[self._model_name(handle)].state]

    def _push_parameters(self, handle, pop):
        model = pop.model
        if model.kind == "neuron":
            params = model.parameters(_params(self._desc, handle))
            per_cell = {k: v for k, v in params.items() if isinstance(v, list)}  # sequences
            pop.nodes.set({k: np.broadcast_to(v, (pop.size,)).tolist()
                           for k, v in params.items() if k not in per_cell})
            if per_cell:
                pop.nodes.set([{k: v[i] for k, v in per_cell.items()} for i in range(pop.size)])
        elif model.kind == "spike_array":
            self._push_spike_times(handle, pop)
        elif model.kind == "renewal":
            # a change (or the start) restarts the processes in equilibrium now
            names = [p.name for p in _STATE_INFO[pop.name].parameters]
            pop.trains.restart(source_parameters(self._desc, handle, names),
                               float(self._steps_to_ms(self._step)), self._desc.segment)
        else:
            p = _params(self._desc, handle)
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

    def _push_renewal_spikes(self, target):
        for pop, cells, steps in self._new_renewal_spikes(target):
            if pop.relayed:  # emitted one step early, relayed by the parrots
                if np.any(steps <= self._step + 1):
                    raise _unsupported("a renewal source spike in the first step of a run, "
                                       "relayed to a dynamic synapse (NEST emits it a step "
                                       "early)")
                steps = steps - 1
            trains = np.split(self._steps_to_ms(steps),
                              np.searchsorted(cells, np.arange(1, pop.size)))
            pop.emitters.set([{"spike_times": t.tolist()} for t in trains])

    def _push_spike_times(self, handle, pop):
        times = []
        for train in self._desc.get_sequence(handle, "spike_times"):
            train = np.asarray(train, dtype=float)
            steps = np.ceil(train / self.dt - 1e-9)
            if self._step == 0 and np.any(steps <= 0):
                raise _unsupported("a SpikeSourceArray spike at t = 0 (NEST emits spikes from "
                                   "t = dt on)")
            if pop.relayed:  # emitted one step early, relayed by the parrots
                if np.any((steps > self._step) & (steps <= self._step + 1)):
                    raise _unsupported(f"a SpikeSourceArray spike at {self.time + self.dt} ms "
                                       f"sent through a dynamic synapse (NEST relays it from "
                                       f"a spike_generator a step early: times from 2 dt, and "
                                       f"after a run from its second step)")
                times.append(self._steps_to_ms(steps[steps > self._step] - 1).tolist())
                continue
            times.append(train[steps > self._step].tolist())  # past times are not re-emitted
        # precise mode: NEST emits each time exactly (precise_times excludes
        # allow_offgrid_times)
        pop.emitters.set([{"allow_offgrid_times": not self._precise, "spike_times": t}
                          for t in times])

    def _push_initial(self, handle, pop, names):
        for name in names:
            values = np.asarray(self._desc.get_initial_value(handle, name), dtype=float)
            settable = pop.model.settable or pop.model.variables
            if name in pop.model.derived:
                continue
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
        pre, post, inhibitory, pre_cells, post_cells, synapse = self._projections[projection]
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
        spec = {"synapse_model": "static_synapse", "weight": weight,
                "delay": np.asarray(delay, dtype=float)}
        if synapse is not None:
            # one copy of the NEST model per projection: its parameters, and
            # GetConnections finds exactly this projection's synapses
            name = self._model_copy(projection)
            if name not in nest.synapse_models:
                nest.CopyModel(synapse.model, name, synapse.defaults)
            spec["synapse_model"] = name
            spec.update({k: np.asarray(v, dtype=float) for k, v in synapse.per_synapse.items()})
            spec["weight"] = weight * synapse.weight_factor
            if synapse.post:
                target.nodes.set(synapse.post)
        nest.Connect(self._pops[pre].ids(i), target.ids(j), "one_to_one", syn_spec=spec)

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
            spec["first"] = self._first(pop, variable, spec["cells"])

    # -- state queries ----------------------------------------------------------
    def _model_name(self, handle):
        return self._pops[handle].name

_STATE_INFO = {m.name: m for m in _core.standard_models()}
