"""Assembly: a group of Populations and PopulationViews, possibly of different
cell types, used as one (PyNN's Assembly)."""

import itertools
import logging
from datetime import datetime

import neo
import numpy as np

from pineal.base_population import BasePopulation, deprecated, sample_indices
from pineal.errors import NonExistentParameterError
from pineal.recording import state_name, write_block
from pineal.simulator import state

logger = logging.getLogger("pineal")


class Assembly:
    """Populations and views in order; cell k of the assembly is cell k of the
    concatenation of its members' cells."""

    _count = itertools.count()

    def __init__(self, *populations, label=None):
        self.populations = []
        for p in populations:
            self._insert(p)
        if label is None:
            label = f"assembly{next(Assembly._count)}"
        if not isinstance(label, str):
            raise TypeError(f"Assembly: label must be a string, got {label!r}")
        self.label = label
        self.annotations = {}

    def _insert(self, element):
        """Adds a member; as PyNN, a duplicate or an overlapping member is left out
        with a warning."""
        if not isinstance(element, BasePopulation):
            raise TypeError(f"Assembly: members must be Populations or PopulationViews, got "
                            f"{type(element).__name__}")
        if any(element is p or element == p for p in self.populations):
            logger.warning("Assembly: '%s' is already a member; not added twice", element.label)
            return
        ids = element.all_cells.astype(np.int64)
        for p in self.populations:
            if p._root is element._root and np.intersect1d(
                    p.all_cells.astype(np.int64), ids).size:
                logger.warning("Assembly: '%s' overlaps the member '%s'; not added",
                               element.label, p.label)
                return
        self.populations.append(element)

    # -- containers --------------------------------------------------------
    @property
    def size(self):
        return sum(p.size for p in self.populations)

    def __len__(self):
        return self.size

    @property
    def all_cells(self):
        if not self.populations:
            return np.zeros(0, dtype=object)
        return np.concatenate([p.all_cells for p in self.populations])

    @property
    def local_cells(self):
        if not self.populations:
            return np.zeros(0, dtype=object)
        return np.concatenate([p.local_cells for p in self.populations])

    @property
    def _mask_local(self):
        return np.ones(self.size, dtype=bool)

    def __iter__(self):
        return itertools.chain(*(iter(p) for p in self.populations))

    def all(self):
        return iter(self.all_cells)

    def __contains__(self, cell):
        return any(cell in p for p in self.populations)

    @property
    def first_id(self):
        return np.min(self.all_cells)

    @property
    def last_id(self):
        return np.max(self.all_cells)

    def _boundaries(self):
        return np.cumsum([0] + [p.size for p in self.populations])

    def __getitem__(self, index):
        """An int gives an ID; a slice, list, tuple, array or boolean mask gives a new
        Assembly of (possibly new) views."""
        bounds = self._boundaries()
        if isinstance(index, (int, np.integer)) and not isinstance(index, bool):
            if not -self.size <= index < self.size:
                raise IndexError(f"Assembly '{self.label}': index {index} out of range for "
                                 f"size {self.size}")
            index = int(index) % self.size
            k = int(np.searchsorted(bounds[1:], index, side="right"))
            return self.populations[k][index - int(bounds[k])]
        if isinstance(index, (slice, tuple, list, np.ndarray)):
            from pineal.base_population import as_selector_array

            indices = as_selector_array(list(index) if isinstance(index, tuple) else index,
                                        self.size, f"Assembly '{self.label}'")
            member = np.searchsorted(bounds[1:], indices, side="right")
            views = [self.populations[k][indices[member == k] - bounds[k]]
                     for k in np.unique(member)]
            return Assembly(*views)
        raise TypeError(f"Assembly '{self.label}': indices must be integers, slices, lists, "
                        f"arrays or tuples, not {type(index).__name__}")

    def id_to_index(self, id):
        """Position(s) in the assembly of cell id(s); IndexError for one not in it."""
        cells = self.all_cells.astype(np.int64)
        ids = np.asarray(id, dtype=np.int64)
        flat = np.atleast_1d(ids)
        order = np.argsort(cells, kind="stable")
        pos = np.searchsorted(cells[order], flat)
        found = (pos < cells.size) & (cells[order][np.minimum(pos, cells.size - 1)] == flat)
        if not np.all(found):
            raise IndexError(f"id(s) {flat[~found].tolist()} not present in the Assembly "
                             f"'{self.label}'")
        result = order[pos]
        return int(result[0]) if ids.ndim == 0 else result.astype(int)

    def __add__(self, other):
        if isinstance(other, Assembly):
            return Assembly(*(self.populations + other.populations))
        if isinstance(other, BasePopulation):
            return Assembly(*(self.populations + [other]))
        raise TypeError(f"can only add a Population, PopulationView or Assembly to the "
                        f"Assembly '{self.label}', not {type(other).__name__}")

    def __iadd__(self, other):
        if isinstance(other, Assembly):
            for p in other.populations:
                self._insert(p)
        elif isinstance(other, BasePopulation):
            self._insert(other)
        else:
            raise TypeError(f"can only add a Population, PopulationView or Assembly to the "
                            f"Assembly '{self.label}', not {type(other).__name__}")
        return self

    def sample(self, n, rng=None):
        """An Assembly of n distinct cells drawn at random."""
        return self[sample_indices(f"Assembly '{self.label}'", self.size, n, rng)]

    def get_population(self, label):
        for p in self.populations:
            if p.label == label:
                return p
        raise KeyError(f"Assembly '{self.label}' has no population labelled {label!r} "
                       f"(members: {[p.label for p in self.populations]})")

    # -- model facts --------------------------------------------------------
    @property
    def conductance_based(self):
        return all(p.conductance_based for p in self.populations)

    @property
    def _homogeneous_synapses(self):
        kinds = [p.conductance_based for p in self.populations]
        return all(kinds) or not any(kinds)

    @property
    def receptor_types(self):
        common = [r for r in self.populations[0].receptor_types] if self.populations else []
        for p in self.populations[1:]:
            common = [r for r in common if r in p.receptor_types]
        return common

    @property
    def injectable(self):
        return all(p.injectable for p in self.populations)

    def find_units(self, variable):
        units = {p.find_units(variable) for p in self.populations}
        if len(units) > 1:
            raise ValueError(f"Assembly '{self.label}': {variable!r} has different units in "
                             f"different members: {sorted(units)}")
        return units.pop()

    @property
    def positions(self):
        return np.hstack([p.positions for p in self.populations])

    def annotate(self, **annotations):
        self.annotations.update(annotations)

    def get_annotations(self, annotation_keys, simplify=True):
        keys = [annotation_keys] if isinstance(annotation_keys, str) else annotation_keys
        result = {}
        for key in keys:
            values = [p.annotations[key] for p in self.populations]
            if any(isinstance(v, np.ndarray) for v in values):
                values = np.hstack(values)
            else:
                values = np.array(values)
            if simplify and values.size and np.all(values == values.flat[0]):
                values = values.flat[0]
            result[key] = values
        return result

    def save_positions(self, file):
        """Writes rows ``index x y z`` to a file name (text, PyNN's format) or a
        `pineal.recording.files` object, with the metadata {'assembly': label}."""
        from pineal.recording.files import BaseFile, StandardTextFile

        if not isinstance(file, BaseFile):
            file = StandardTextFile(file, mode="wb")
        file.write(np.column_stack([np.arange(self.size), self.positions.T]),
                   {"assembly": self.label})
        file.close()

    # -- parameters ---------------------------------------------------------
    def _split(self, value):
        """Per-member values: an array with one value per cell of the assembly is
        split at the members' boundaries; anything else goes to every member."""
        if isinstance(value, (list, tuple, np.ndarray)) and not isinstance(value, str):
            array = np.asarray(value, dtype=object)
            if array.ndim >= 1 and array.shape[0] == self.size and self.size > 1:
                bounds = self._boundaries()
                return [value[bounds[k]:bounds[k + 1]] for k in range(len(self.populations))]
        return [value] * len(self.populations)

    def set(self, **parameters):
        """Sets parameters on every member (PyNN's semantics: a RandomDistribution
        or a function of the index applies to each member in turn)."""
        for p in self.populations:
            for name in parameters:
                if not p.celltype.has_parameter(name):
                    raise NonExistentParameterError(name, type(p.celltype).__name__,
                                                    p.celltype.get_parameter_names())
        split = {name: self._split(value) for name, value in parameters.items()}
        for k, p in enumerate(self.populations):
            p.set(**{name: values[k] for name, values in split.items()})

    def initialize(self, **initial_values):
        split = {name: self._split(value) for name, value in initial_values.items()}
        for k, p in enumerate(self.populations):
            p.initialize(**{name: values[k] for name, values in split.items()})

    @deprecated("set(parametername=rand_distr)")
    def rset(self, parametername, rand_distr):
        self.set(**{parametername: rand_distr})

    def get(self, parameter_names, gather=False, simplify=True):
        single = isinstance(parameter_names, str)
        names = [parameter_names] if single else list(parameter_names)
        per_member = [p.get(names, gather, simplify=False) for p in self.populations]
        values = []
        for k in range(len(names)):
            value = np.concatenate([np.atleast_1d(m[k]) for m in per_member])
            if simplify and value.size and all(v == value[0] for v in value):
                value = value[0]
            values.append(value)
        return values[0] if single else values

    def inject(self, current_source):
        """Injects into every member (none if one of them is a spike source)."""
        for p in self.populations:
            if not p.celltype.injectable:
                raise TypeError(f"Assembly '{self.label}': cannot inject current into "
                                f"'{p.label}' ({type(p.celltype).__name__}), a spike source")
        for p in self.populations:
            p.inject(current_source)

    # -- recording ----------------------------------------------------------
    def record(self, variables, to_file=None, sampling_interval=None, locations=None):
        """Records `variables` from every member (a member that cannot record one
        raises RecordingError, as in PyNN)."""
        for p in self.populations:
            p.record(variables, None, sampling_interval, locations)
        if isinstance(to_file, str) or hasattr(to_file, "write_block"):
            state.write_on_end.append((self, variables, to_file))

    @deprecated("record('v')")
    def record_v(self, to_file=True):
        self.record("v", to_file)

    @deprecated("record(['gsyn_exc', 'gsyn_inh'])")
    def record_gsyn(self, to_file=True):
        self.record(["gsyn_exc", "gsyn_inh"], to_file)

    def get_data(self, variables="all", gather=True, clear=False, annotations=None,
                 locations=None):
        """One Block: the members' segments merged by segment (matching names);
        analog signals of one variable with the same timing are joined, and their
        channel_index is the cell's position in the assembly."""
        blocks = [p.get_data(variables, gather, clear, None, locations)
                  for p in self.populations]
        offsets = self._boundaries()
        core = state.require("get_data()")
        block = neo.Block(name=self.label, description=self.describe(),
                          rec_datetime=datetime.now(), size=self.size, label=self.label,
                          first_id=int(self.first_id), last_id=int(self.last_id),
                          simulator=state_name(), dt=core.dt,
                          mpi_processes=state.num_processes)
        block.annotate(**self.annotations)
        if annotations:
            block.annotate(**annotations)
        names = []
        for b in blocks:
            names += [s.name for s in b.segments if s.name not in names]
        for name in sorted(names):
            parts = [(k, s) for k, b in enumerate(blocks) for s in b.segments if s.name == name]
            block.segments.append(_merged_segment(name, parts, self.populations, offsets))
        for seg in block.segments:
            seg.block = block
        return block

    def write_data(self, io, variables="all", gather=True, clear=False, annotations=None):
        write_block(io, self.get_data(variables, gather, clear, annotations))

    def get_spike_counts(self, gather=True):
        counts = {}
        for p in self.populations:
            counts.update(p.get_spike_counts(gather))
        return counts

    def mean_spike_count(self, gather=True):
        counts = self.get_spike_counts(gather)
        return float(np.mean(list(counts.values()))) if counts else 0.0

    @deprecated("get_data('spikes')")
    def getSpikes(self, gather=True, compatible_output=True):
        return self.get_data("spikes", gather)

    @deprecated("get_data('v')")
    def get_v(self, gather=True, compatible_output=True):
        return self.get_data("v", gather)

    @deprecated("get_data(['gsyn_exc', 'gsyn_inh'])")
    def get_gsyn(self, gather=True, compatible_output=True):
        return self.get_data(["gsyn_exc", "gsyn_inh"], gather)

    @deprecated("write_data(file, 'spikes')")
    def printSpikes(self, file, gather=True, compatible_output=True):
        self.write_data(file, "spikes", gather)

    @deprecated("write_data(file, 'v')")
    def print_v(self, file, gather=True, compatible_output=True):
        self.write_data(file, "v", gather)

    @deprecated("write_data(file, ['gsyn_exc', 'gsyn_inh'])")
    def print_gsyn(self, file, gather=True, compatible_output=True):
        self.write_data(file, ["gsyn_exc", "gsyn_inh"], gather)

    def describe(self, template="assembly_default.txt", engine="default"):
        context = {"label": self.label,
                   "populations": [p.describe(template=None) for p in self.populations]}
        if template is None:
            return context
        members = ", ".join(f"'{p.label}' ({p.size})" for p in self.populations)
        return f"Assembly '{self.label}' of {self.size} cells: {members}"

    def __repr__(self):
        return f"Assembly({', '.join(repr(p.label) for p in self.populations)}, " \
               f"label={self.label!r})"


def _merged_segment(name, parts, members, offsets):
    """One Segment from the same-named segments of several members (k, segment)."""
    first = parts[0][1]
    seg = neo.Segment(name=name, description=first.description,
                      rec_datetime=first.rec_datetime, **first.annotations)
    for _, s in parts:
        seg.spiketrains.extend(s.spiketrains)
    by_name = {}
    for k, s in parts:
        for signal in s.analogsignals:
            by_name.setdefault(signal.name, []).append((k, signal))
    for variable, signals in by_name.items():
        groups = []  # signals of one variable join when their timing is the same
        for k, signal in signals:
            for group in groups:
                g = group[0][1]
                if g.shape[0] == signal.shape[0] and g.t_start == signal.t_start and \
                        g.sampling_period == signal.sampling_period and g.units == signal.units:
                    group.append((k, signal))
                    break
            else:
                groups.append([(k, signal)])
        for group in groups:
            seg.analogsignals.append(_joined(variable, group, members, offsets))
    return seg


def _joined(variable, group, members, offsets):
    ref = group[0][1]
    values = np.hstack([s.magnitude for _, s in group])
    index = np.concatenate([offsets[k] + _member_positions(members[k], s) for k, s in group])
    ids = np.concatenate([np.asarray(s.annotations["channel_ids"]) for _, s in group])
    sources = ",".join(dict.fromkeys(s.annotations["source_population"] for _, s in group))
    return neo.AnalogSignal(values, units=ref.units, t_start=ref.t_start,
                            sampling_period=ref.sampling_period, name=variable,
                            source_population=sources, channel_ids=ids,
                            array_annotations={"channel_index": index.astype(np.int64)})


def _member_positions(member, signal):
    """Positions in `member` of a signal's channels (channel_index is the index in the
    root population)."""
    ids = np.asarray(signal.annotations["channel_ids"], dtype=np.int64)
    return np.asarray(member.id_to_index(ids), dtype=np.int64).reshape(-1)
