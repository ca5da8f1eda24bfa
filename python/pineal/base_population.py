"""What Population and PopulationView share (PyNN's BasePopulation).

Every operation works on "the cells of this group": the whole Population or
the cells a view selects. A group is described by its root Population
(``_root``) and the indices of its cells in it (``_cells()``: None for all,
else an ascending uint32 array), so each operation is one bulk call into the
core (no per-cell Python loop).
"""

import contextlib
import warnings

import numpy as np

from pineal.electrodes import StandardCurrentSource
from pineal.errors import InvalidDimensionsError, NonExistentParameterError
from pineal.parameters import Sequence, to_core_value
from pineal.recording import write_block
from pineal.simulator import state


def deprecated(replacement):
    """Marks a PyNN method as deprecated: DeprecationWarning naming its replacement."""
    def decorate(method):
        def wrapper(*args, **kwargs):
            warnings.warn(f"{method.__name__}() is deprecated; use {replacement}",
                          DeprecationWarning, stacklevel=2)
            return method(*args, **kwargs)
        wrapper.__name__ = method.__name__
        wrapper.__doc__ = method.__doc__
        return wrapper
    return decorate


def as_selector_array(selector, size, owner):
    """Ascending, unique indices (0..size-1) selected by a slice, a boolean mask
    or an index list/array (PyNN's PopulationView selectors)."""
    if isinstance(selector, slice):
        return np.arange(size)[selector]
    array = np.asarray(selector)
    if array.dtype == bool:
        if array.shape != (size,):
            raise IndexError(f"{owner}: a boolean mask must have the size of its parent "
                             f"({size}), got shape {array.shape}")
        return np.flatnonzero(array)
    if array.size == 0:
        return np.zeros(0, dtype=np.int64)
    if array.ndim != 1 or not np.issubdtype(array.dtype, np.integer):
        raise TypeError(f"{owner}: a selector must be a slice, a boolean mask or a 1-D array "
                        f"of integer indices, got {selector!r}")
    if np.any(array >= size) or np.any(array < -size):
        raise IndexError(f"{owner}: indices {array[(array >= size) | (array < -size)].tolist()} "
                         f"out of range for size {size}")
    array = np.where(array < 0, array + size, array)
    unique = np.unique(array)
    if unique.size != array.size:
        warnings.warn(f"{owner}: a view contains each cell once; duplicate indices were "
                      "removed", stacklevel=4)
    return unique


@contextlib.contextmanager
def _named(group):
    """Prefixes a wrong-size error with the group's label: with views, the size
    that was expected depends on which view was meant."""
    try:
        yield
    except InvalidDimensionsError as err:
        raise InvalidDimensionsError(f"'{group.label}' ({group.size} cells): {err}") from None



def sample_indices(owner, size, n, rng=None):
    """n distinct indices of 0..size-1 drawn at random, ascending (sample())."""
    from pineal.random import NumpyRNG

    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or not 0 <= n <= size:
        raise ValueError(f"{owner}.sample: n must be an integer from 0 to {size}, got {n!r}")
    rng = rng or NumpyRNG()
    return np.sort(rng.permutation(np.arange(size))[:int(n)])

class BasePopulation:
    """Operations common to Population and PopulationView."""

    # -- containers -------------------------------------------------------
    def __len__(self):
        return self.size

    def __iter__(self):
        return iter(self.local_cells)

    def all(self):
        """Iterates over all cells (all MPI ranks)."""
        return iter(self.all_cells)

    @property
    def local_size(self):
        return len(self.local_cells)

    def __getitem__(self, index):
        from pineal.views import PopulationView

        if isinstance(index, (int, np.integer)) and not isinstance(index, bool):
            if not -self.size <= index < self.size:
                raise IndexError(f"'{self.label}': index {index} out of range for size "
                                 f"{self.size}")
            return self.all_cells[index]
        if isinstance(index, (slice, list, np.ndarray)):
            return PopulationView(self, index)
        if isinstance(index, tuple):
            return PopulationView(self, list(index))
        raise TypeError(f"'{self.label}': indices must be integers, slices, lists, arrays or "
                        f"tuples, not {type(index).__name__}")

    def __contains__(self, cell):
        from pineal.populations import ID

        if not isinstance(cell, ID) or cell.parent is not self._root:
            return False
        cells = self._cells()
        if cells is None:
            return True
        k = int(cell) - self._root.first_id
        pos = np.searchsorted(cells, k)
        return bool(pos < cells.size and cells[pos] == k)

    def is_local(self, id):
        return id in self

    def id_to_local_index(self, id):
        return self.id_to_index(id)  # one process: every cell is local

    @property
    def position_generator(self):
        """A function of a cell index giving its position (PyNN's name)."""
        positions = self.positions
        return lambda i: positions.T[i]

    def __add__(self, other):
        from pineal.assembly import Assembly

        if isinstance(other, Assembly):
            return Assembly(self, *other.populations)
        if not isinstance(other, BasePopulation):
            raise TypeError(f"can only add a Population, PopulationView or Assembly to "
                            f"'{self.label}', not {type(other).__name__}")
        return Assembly(self, other)

    def sample(self, n, rng=None):
        """A PopulationView of n distinct cells drawn at random."""
        return self[sample_indices(f"'{self.label}'", self.size, n, rng)]

    def nearest(self, position):
        """The cell whose position is closest to `position` (a 3-vector)."""
        position = np.asarray(position, dtype=float).reshape(3, 1)
        return self[int(np.argmin(((self.positions - position) ** 2).sum(axis=0)))]

    def save_positions(self, file):
        """Writes rows ``index x y z`` to a file name (text, PyNN's format) or a
        `pineal.recording.files` object, with the metadata {'population': label}."""
        from pineal.recording.files import BaseFile, StandardTextFile

        if not isinstance(file, BaseFile):
            file = StandardTextFile(file, mode="wb")
        file.write(np.column_stack([np.arange(self.size), self.positions.T]),
                   {"population": self.label})
        file.close()

    # -- model facts ------------------------------------------------------
    @property
    def conductance_based(self):
        return self.celltype.conductance_based

    @property
    def receptor_types(self):
        return self.celltype.receptor_types

    @property
    def injectable(self):
        return self.celltype.injectable

    def annotate(self, **annotations):
        self.annotations.update(annotations)

    def can_record(self, variable, location=None):
        return self.celltype.can_record(variable)

    def find_units(self, variable):
        return self.celltype.units.get(variable, "dimensionless")

    # -- parameters -------------------------------------------------------
    def set(self, **parameters):
        """Sets parameters: numbers, arrays (one value per cell), RandomDistribution,
        functions of the cell's index in this group."""
        with _named(self):
            self._root._set_cells(parameters, self._cells())

    def get(self, parameter_names, gather=False, simplify=True):
        """One value per cell (a number if all equal and `simplify`); a list for a list."""
        root = self._root
        core = state.live(root, "get()")
        single = isinstance(parameter_names, str)
        names = [parameter_names] if single else list(parameter_names)
        cells = self._cells()
        values = []
        for name in names:
            if name not in root.celltype.default_parameters:
                raise NonExistentParameterError(name, type(root.celltype).__name__,
                                                root.celltype.get_parameter_names())
            if root._is_sequence(name):
                seqs = [Sequence(s) for s in core.get_sequence(root._handle, name)]
                if cells is not None:
                    seqs = [seqs[i] for i in cells]
                value = seqs[0] if simplify and seqs and all(s == seqs[0] for s in seqs) else \
                    np.array(seqs, dtype=object)
            else:
                value = core.get_parameter(root._handle, name)
                if cells is not None:
                    value = value[cells]
                if simplify and value.size and np.all(value == value[0]):
                    value = float(value[0])
            values.append(value)
        return values[0] if single else values

    def initialize(self, **initial_values):
        """Sets initial state (applied now and again at every reset())."""
        root = self._root
        core = state.live(root, "initialize()")
        cells = self._cells()
        for name, value in initial_values.items():
            with _named(self):
                core.initialize(root._handle, name,
                                to_core_value(value, self.size, name,
                                              root.celltype.units.get(name, "")), cells)
            # the Population's record of initial values: the value given, or the
            # per-cell values once part of the population was set differently
            root.initial_values[name] = value if cells is None else \
                core.get_initial_value(root._handle, name)

    @deprecated("set(parametername=value_array)")
    def tset(self, parametername, value_array):
        self.set(**{parametername: value_array})

    @deprecated("set(parametername=rand_distr)")
    def rset(self, parametername, rand_distr):
        self.set(**{parametername: rand_distr})

    def inject(self, current_source):
        """Injects the current of `current_source` into these cells."""
        if not self.celltype.injectable:
            raise TypeError(f"'{self.label}': cannot inject current into a spike source "
                            f"({type(self.celltype).__name__})")
        if not isinstance(current_source, StandardCurrentSource):
            raise TypeError(f"'{self.label}'.inject: expected a current source (DCSource, "
                            f"ACSource, ...), got {current_source!r}")
        current_source._add_targets(self._root, self._cells())

    # -- recording --------------------------------------------------------
    def record(self, variables, to_file=None, sampling_interval=None, locations=None):
        """Records `variables` ('spikes', 'v', ..., a list, or 'all') of these cells;
        None stops all recording of the whole population."""
        if locations is not None:
            raise NotImplementedError("record(locations=...) (multicompartment cells) is not "
                                      "supported yet by pineal")
        root = self._root
        if variables is None:
            root.recorder.reset_requests()
            return
        if isinstance(variables, str):
            variables = root.celltype.recordable if variables == "all" else [variables]
        variables = list(variables)
        cells = self._cells()
        root.recorder.record(variables, np.arange(root.size) if cells is None else cells,
                             sampling_interval)
        if isinstance(to_file, str) or hasattr(to_file, "write_block"):
            state.write_on_end.append((self, variables, to_file))

    def get_data(self, variables="all", gather=True, clear=False, annotations=None,
                 locations=None):
        """A neo.Block with one Segment per run chunk separated by reset(); for a view,
        only its cells' data."""
        if locations is not None:
            raise NotImplementedError("get_data(locations=...) (multicompartment cells) is "
                                      "not supported yet by pineal")
        return self._root.recorder.block(variables, clear, annotations, self._cells())

    def write_data(self, io, variables="all", gather=True, clear=False, annotations=None,
                   locations=None):
        """Writes get_data(...) with a neo IO object, or to a file name (IO by extension)."""
        write_block(io, self.get_data(variables, gather, clear, annotations, locations))

    def get_spike_counts(self, gather=True):
        """{cell id: number of spikes} for every cell of this group recording spikes."""
        root = self._root
        index, _ = state.live(root, "get_spike_counts()").spikes(root._handle, False)
        counts = np.bincount(index.astype(np.int64), minlength=root.size)
        recorded = root.recorder.spike_cells
        cells = self._cells()
        if cells is not None:
            recorded = np.intersect1d(recorded, cells)
        return {root.all_cells[i]: int(counts[i]) for i in recorded}

    def mean_spike_count(self, gather=True):
        counts = self.get_spike_counts(gather)
        return float(np.mean(list(counts.values()))) if counts else 0.0

    # PyNN 0.7's names, deprecated there too
    @deprecated("record('v')")
    def record_v(self, to_file=True):
        self.record("v", to_file)

    @deprecated("record(['gsyn_exc', 'gsyn_inh'])")
    def record_gsyn(self, to_file=True):
        self.record(["gsyn_exc", "gsyn_inh"], to_file)

    @deprecated("write_data(file, 'spikes')")
    def printSpikes(self, file, gather=True, compatible_output=True):
        self.write_data(file, "spikes", gather)

    @deprecated("get_data('spikes')")
    def getSpikes(self, gather=True, compatible_output=True):
        return self.get_data("spikes", gather)

    @deprecated("write_data(file, 'v')")
    def print_v(self, file, gather=True, compatible_output=True):
        self.write_data(file, "v", gather)

    @deprecated("get_data('v')")
    def get_v(self, gather=True, compatible_output=True):
        return self.get_data("v", gather)

    @deprecated("write_data(file, ['gsyn_exc', 'gsyn_inh'])")
    def print_gsyn(self, file, gather=True, compatible_output=True):
        self.write_data(file, ["gsyn_exc", "gsyn_inh"], gather)

    @deprecated("get_data(['gsyn_exc', 'gsyn_inh'])")
    def get_gsyn(self, gather=True, compatible_output=True):
        return self.get_data(["gsyn_exc", "gsyn_inh"], gather)

    @deprecated("mean_spike_count()")
    def meanSpikeCount(self, gather=True):
        return self.mean_spike_count(gather)
