"""Recorded data as neo objects, in PyNN 0.13's layout.

The core keeps the data (spike events and sampled signals, in C++ buffers);
this module turns them into neo Segments when asked, and keeps the Segments
of runs finished by reset().
"""

from datetime import datetime

import neo
import numpy as np
import quantities as pq

from pineal.simulator import state


def get_io(filename):
    """The neo IO class for a file name, chosen by its extension (as PyNN does)."""
    import os

    ext = os.path.splitext(filename)[1].lower()
    directory = os.path.dirname(filename)
    if directory:
        os.makedirs(directory, exist_ok=True)
    if ext in (".h5", ".nix"):
        return neo.io.NixIO(filename=filename, mode="ow")
    if ext in (".pkl", ".pickle"):
        return neo.io.PickleIO(filename=filename)
    if ext == ".mat":
        return neo.io.NeoMatlabIO(filename=filename)
    if ext == ".nwb":
        return neo.io.NWBIO(filename=filename, mode="w")
    if ext in (".txt", ".ras", ".v", ".gsyn"):
        raise IOError(f"text output ({ext}) is not supported; use .pkl, .nix/.h5, .mat or .nwb")
    raise ValueError(f"cannot tell which neo IO to use for {filename!r}")


def write_block(io, block):
    """Writes `block` with a neo IO object, or to a file name (IO by extension; the
    file is closed afterwards, which NixIO needs to flush)."""
    if isinstance(io, str):
        io = get_io(io)
        try:
            io.write_block(block)
        finally:
            if hasattr(io, "close"):
                io.close()
    else:
        io.write_block(block)


def _units(unit):
    if unit in ("", "unknown", "dimensionless"):
        return pq.dimensionless
    return pq.Quantity(1, unit).units


class Recorder:
    """Recording state of one population (spike cells, variables, finished segments)."""

    def __init__(self, population):
        self.population = population
        self.spike_cells = np.zeros(0, dtype=np.int64)  # indices recording spikes
        self.variables = set()
        self.sampling_interval = None
        self.cache = []              # finished neo Segments
        self.t_start = 0.0           # start of the current data (clear, reset)
        # PyNN numbers segments by the simulation's reset count, also for a
        # population created after a reset().
        self.segment_counter = state.core.segment if state.core is not None else 0

    def record(self, variables, indices, sampling_interval=None):
        """Adds `variables` of the cells at `indices`; nothing changes if one is invalid."""
        core = state.live(self.population, "record()")
        pop = self.population
        for variable in variables:
            if not pop.can_record(variable):
                raise _recording_error(pop, variable)
        interval = self._interval(variables, sampling_interval, core.dt)
        cells = np.ascontiguousarray(indices, dtype=np.uint32)
        # sampled variables first: the core may still reject the interval
        for variable in sorted(variables, key=lambda v: v == "spikes"):
            if variable == "spikes":
                core.record(pop._handle, variable, cells, 0.0)
                self.spike_cells = np.union1d(self.spike_cells, indices)
            else:
                core.record(pop._handle, variable, cells, interval)
                self.variables.add(variable)
                self.sampling_interval = interval

    def _interval(self, variables, sampling_interval, dt):
        """The sampling interval for sampled `variables`, as PyNN decides it: all
        sampled variables of a population share one; None keeps the current one."""
        label = self.population.label
        if sampling_interval is None:
            return self.sampling_interval if self.variables else dt
        if hasattr(sampling_interval, "rescale"):
            sampling_interval = sampling_interval.rescale(pq.ms).magnitude
        interval = float(sampling_interval)
        if not (np.isfinite(interval) and interval > 0):
            raise ValueError(f"Population '{label}': sampling_interval must be a positive "
                             f"number of ms, got {sampling_interval!r}")
        current = self.sampling_interval if self.variables else None
        if current is not None and any(v != "spikes" for v in variables) and \
                abs(interval - current) > 1e-9 * current:
            raise ValueError(
                f"Population '{label}': all recorded variables must share one sampling "
                f"interval; {sorted(self.variables)} are recorded every {current} ms, "
                f"got sampling_interval={interval}")
        return interval

    def reset_requests(self):
        state.live(self.population, "record()").stop_recording(self.population._handle)
        self.spike_cells = np.zeros(0, dtype=np.int64)
        self.variables = set()
        self.sampling_interval = None

    @property
    def recording(self):
        return self.spike_cells.size > 0 or bool(self.variables)

    def current_segment(self, variables, clear=False, cells=None):
        """A Segment with the data since the last reset/clear (from the core); only
        the cells at `cells` (ascending indices) if given (a PopulationView's)."""
        core = state.live(self.population, "get_data()")
        pop = self.population
        t_stop = core.time
        seg = neo.Segment(name=f"segment{self.segment_counter:03d}",
                          description=pop.describe(),
                          rec_datetime=datetime.now())
        wants = (lambda v: True) if variables == "all" else (lambda v: v in variables)
        spike_cells = self.spike_cells if cells is None else \
            np.intersect1d(self.spike_cells, cells)
        if spike_cells.size and wants("spikes"):
            index, times = core.spikes(pop._handle, False)
            seg.spiketrains = _spiketrains(pop, spike_cells, index, times, self.t_start, t_stop)
        for variable in sorted(self.variables):
            if not wants(variable):
                continue
            values, cells_of_signal, t_start, interval = core.signal(pop._handle, variable,
                                                                     False)
            if cells is not None:
                keep = np.isin(cells_of_signal, cells)
                values, cells_of_signal = values[:, keep], cells_of_signal[keep]
            if values.shape[0] == 0 or values.shape[1] == 0:
                continue
            signal = neo.AnalogSignal(
                values, units=_units(pop.celltype.units.get(variable, "")),
                t_start=t_start * pq.ms, sampling_period=interval * pq.ms, name=variable,
                source_population=pop.label,
                channel_ids=np.asarray(pop.first_id + cells_of_signal.astype(np.int64)),
                array_annotations={"channel_index": cells_of_signal.astype(np.int64)})
            seg.analogsignals.append(signal)
        if clear:
            self.clear()
        return seg

    def clear(self):
        core = state.live(self.population, "get_data()")
        core.spikes(self.population._handle, True)
        self.t_start = core.time

    def store_segment(self, annotations):
        """Keeps the current data as a finished Segment (called by reset())."""
        core = state.live(self.population, "reset()")
        if self.recording and core.time > 0:
            seg = self.current_segment("all")
            seg.annotate(**annotations)
            self.cache.append(seg)
        self.segment_counter += 1
        self.t_start = 0.0

    def block(self, variables="all", clear=False, annotations=None, cells=None):
        """The Block of get_data(); `cells`: only these cells' data (a view's)."""
        pop = self.population
        core = state.live(self.population, "get_data()")
        if isinstance(variables, str) and variables != "all":
            variables = [variables]
        block = neo.Block(name=pop.label, description=pop.describe(), rec_datetime=datetime.now(),
                          size=pop.size, first_index=0, last_index=pop.size,
                          first_id=int(pop.first_id), last_id=int(pop.last_id), label=pop.label,
                          simulator=state_name(), dt=core.dt, mpi_processes=state.num_processes)
        block.annotate(**pop.annotations)
        if annotations:
            block.annotate(**annotations)
        for seg in self.cache:
            block.segments.append(_filtered(seg, variables, cells))
        if core.time > self.t_start or not self.cache:
            block.segments.append(self.current_segment(variables, clear, cells))
        if clear:
            self.cache = []
        for seg in block.segments:
            seg.block = block
        return block


def _recording_error(population, variable):
    from pineal import _core_errors

    celltype = type(population.celltype).__name__
    recordable = ", ".join(population.celltype.recordable)
    return _core_errors.make(
        "recording", celltype, variable,
        f"cannot record {variable!r} from {celltype} (population '{population.label}'); "
        f"recordable: {recordable}")


def state_name():
    from pineal import simulator

    # a backend other than the native engine names itself
    return getattr(state.core, "simulator_name", simulator.name)


def _filtered(segment, variables, cells=None):
    """A stored Segment restricted to `variables` and to the cells at `cells`."""
    if variables == "all" and cells is None:
        return segment
    seg = neo.Segment(name=segment.name, description=segment.description,
                      rec_datetime=segment.rec_datetime, **segment.annotations)
    if variables == "all" or "spikes" in variables:
        seg.spiketrains = [st for st in segment.spiketrains
                           if cells is None or st.annotations["source_index"] in cells]
    for signal in segment.analogsignals:
        if variables != "all" and signal.name not in variables:
            continue
        if cells is not None:
            keep = np.isin(signal.array_annotations["channel_index"], cells)
            if not keep.any():
                continue
            if not keep.all():
                ids = np.asarray(signal.annotations["channel_ids"])[keep]
                signal = signal[:, keep]
                signal.annotations["channel_ids"] = ids
        seg.analogsignals.append(signal)
    return seg


def _spiketrains(pop, cells, index, times, t_start, t_stop):
    """One SpikeTrain per recorded cell (ascending id), grouped without a per-spike loop."""
    order = np.argsort(index, kind="stable")
    index, times = index[order], times[order]
    bounds = np.searchsorted(index, np.stack([cells, cells + 1]))
    trains = []
    for k, cell in enumerate(cells):
        st = neo.SpikeTrain(times[bounds[0, k]:bounds[1, k]], units="ms",
                            t_start=t_start, t_stop=max(t_stop, t_start))
        cell_id = int(pop.first_id + cell)
        st.annotate(source_population=pop.label, channel_id=cell_id, source_id=cell_id,
                    source_index=int(cell))
        trains.append(st)
    return trains
