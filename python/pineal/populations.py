"""Population and ID: PyNN's containers of cells, over the core's description."""

import warnings

import numpy as np

from pineal import _core  # noqa: F401  (the core must be importable)
from pineal.base_population import BasePopulation
from pineal.errors import InvalidDimensionsError, NonExistentParameterError
from pineal.parameters import Sequence, to_core_value, to_sequences
from pineal.recording import Recorder
from pineal.simulator import state
from pineal.standardmodels import StandardCellType


class _NonExistentAttribute(NonExistentParameterError, AttributeError):
    """p[i].name for a name that is not a parameter of the cell type."""


class ID(int):
    """A cell: an int (its id) that knows its population."""

    def __new__(cls, value, parent=None):
        obj = super().__new__(cls, value)
        obj.parent = parent
        return obj

    @property
    def celltype(self):
        return self.parent.celltype

    @property
    def local(self):
        return True

    def _index(self):
        return int(self) - self.parent.first_id

    def __getattr__(self, name):
        parent = self.__dict__.get("parent")
        if name.startswith("_") or parent is None:
            raise AttributeError(name)
        if name == "set":
            raise AttributeError("for one cell, set a parameter with p[i].name = value (e.g. "
                                 "p[0].tau_m = 20.0), or use set() on a view: p[0:1].set(...)")
        if not parent.celltype.has_parameter(name):
            # PyNN raises NonExistentParameterError (a KeyError); being an
            # AttributeError too keeps hasattr() and getattr(x, n, default) working.
            raise _NonExistentAttribute(name, type(parent.celltype).__name__,
                                        parent.celltype.get_parameter_names())
        return parent._get_one(name, self._index())

    def __setattr__(self, name, value):
        if name in ("parent", "position"):
            return super().__setattr__(name, value)
        if name == "set":
            raise AttributeError("use p[i].name = value, not p[i].set")
        self.parent._set_cells({name: value}, np.array([self._index()], dtype=np.uint32))

    def get_parameters(self):
        return {name: self.parent._get_one(name, self._index())
                for name in self.parent.celltype.get_parameter_names()}

    def set_parameters(self, **parameters):
        self.parent._set_cells(parameters, np.array([self._index()], dtype=np.uint32))

    def get_initial_value(self, variable):
        core = state.live(self.parent, "get_initial_value()")
        return float(core.get_initial_value(self.parent._handle, variable)[self._index()])

    def set_initial_value(self, variable, value):
        self.as_view().initialize(**{variable: value})

    @property
    def is_standard_cell(self):
        return True

    def as_view(self):
        """A PopulationView of this one cell."""
        index = self._index()
        return self.parent[index:index + 1]

    def inject(self, current_source, location=None):
        if location is not None:
            raise NotImplementedError("inject(location=...) (multicompartment cells) is not "
                                      "supported yet by pineal")
        self.as_view().inject(current_source)

    @property
    def position(self):
        return self.parent.positions[:, self._index()]

    @position.setter
    def position(self, position):
        if type(self.parent).positions.fset is None:
            raise NotImplementedError("ID.position = ... (setting cell positions) is not "
                                      "supported yet by pineal")
        positions = np.array(self.parent.positions, dtype=float)
        positions[:, self._index()] = position
        self.parent.positions = positions


def _structure_for(size, structure):
    """PyNN's rule: a tuple size implies a grid; the default structure is Line()."""
    from pineal import space

    if isinstance(size, tuple):
        if structure is not None:
            raise ValueError("Population: give either a tuple size or a structure, not both")
        if len(size) == 1:
            return space.Line()
        if len(size) == 2:
            return space.Grid2D(size[0] / size[1])
        if len(size) == 3:
            return space.Grid3D(size[0] / size[1], size[0] / size[2])
        raise InvalidDimensionsError(f"Population: size tuples have 1 to 3 dimensions, got "
                                     f"{size!r}")
    if structure is None:
        return space.Line()
    if not isinstance(structure, space.BaseStructure):
        raise TypeError(f"Population: structure must be a structure (Line, Grid2D, Grid3D, "
                        f"RandomStructure), got {structure!r}")
    return structure


class Population(BasePopulation):
    """A group of cells of one type."""

    def __init__(self, size, cellclass, cellparams=None, structure=None, initial_values=None,
                 label=None):
        core = state.require("creating a Population")
        structure = _structure_for(size, structure)
        if isinstance(size, tuple):
            size = int(np.prod(size))
        if isinstance(size, (bool, np.bool_)) or not isinstance(size, (int, np.integer)):
            raise TypeError(f"Population size must be an integer, got {size!r}")
        if size < 1:
            name = f"Population {label!r}" if label is not None else "Population"
            raise InvalidDimensionsError(f"{name}: size must be at least 1, got {size}")
        if isinstance(cellclass, type) and issubclass(cellclass, StandardCellType):
            warnings.warn("Population(size, CellClass, cellparams) is deprecated; pass a cell "
                          f"type instance: Population(size, {cellclass.__name__}(**cellparams))",
                          DeprecationWarning, stacklevel=2)
            cellclass = cellclass(**(cellparams or {}))
        elif cellparams is not None:
            raise TypeError("cellparams must be None when cellclass is a cell-type instance")
        if not isinstance(cellclass, StandardCellType):
            raise TypeError(f"cellclass must be a standard cell type (e.g. IF_curr_exp()), got "
                            f"{cellclass!r}")
        if label is None:
            label = f"population{state.population_counter}"
        state.population_counter += 1
        self.size = int(size)
        self.label = label
        self.celltype = cellclass
        self.annotations = {}
        self._structure, self._positions = structure, None
        self._core = core
        self._handle = core.create_population(cellclass._model_info.name, self.size, label)
        self.first_id = int(core.population_first_id(self._handle))
        self.last_id = self.first_id + self.size - 1
        self._all_cells = None  # ID objects, built on first use (see all_cells)
        self._mask_local = np.ones(self.size, dtype=bool)
        self.recorder = Recorder(self)
        self.initial_values = {}
        try:
            self._set_cells(cellclass.parameter_space, None, only_changed=True)
            self.initialize(**dict(cellclass.default_initial_values, **(initial_values or {})))
        except Exception:
            core.discard_last_population()  # leave nothing half-built
            raise
        state.populations.append(self)

    # -- containers -------------------------------------------------------
    @property
    def all_cells(self):
        """The cells as ID objects. Built on first use, so creating a large
        Population costs no Python object per cell until its IDs are needed."""
        if self._all_cells is None:
            self._all_cells = np.array(
                [ID(i, self) for i in range(self.first_id, self.last_id + 1)], dtype=object)
        return self._all_cells

    @property
    def _root(self):
        return self

    def _cells(self):
        return None  # all cells

    @property
    def local_cells(self):
        return self.all_cells

    @property
    def local_size(self):
        return self.size

    def id_to_index(self, id):
        from pineal.views import PopulationView

        if isinstance(id, PopulationView):
            id = id.all_cells
        ids = np.asarray(id, dtype=np.int64)
        if np.any(ids < self.first_id) or np.any(ids > self.last_id):
            raise ValueError(f"id(s) {id} not in population '{self.label}' "
                             f"(ids {self.first_id}..{self.last_id})")
        result = ids - self.first_id
        return int(result) if result.ndim == 0 else result.astype(int)

    def index_to_id(self, index):
        return self.all_cells[index]

    # -- space (pineal.space; positions generated lazily by the core) ------
    @property
    def structure(self):
        return self._structure

    @structure.setter
    def structure(self, structure):
        self._structure, self._positions = structure, None

    @property
    def positions(self):
        if self._positions is None:
            self._positions = np.asarray(self._structure.generate_positions(self.size))
        return self._positions

    @positions.setter
    def positions(self, positions):
        positions = np.array(positions, dtype=float)
        if positions.shape != (3, self.size):
            raise InvalidDimensionsError(f"Population {self.label!r}: positions must be a 3 x "
                                         f"{self.size} array, got shape {positions.shape}")
        self._structure, self._positions = None, positions

    # -- parameters -------------------------------------------------------
    def _is_sequence(self, name):
        return isinstance(self.celltype.default_parameters.get(name), Sequence)

    def _set_cells(self, parameters, cells, only_changed=False):
        core = state.live(self, "setting parameters")
        n = self.size if cells is None else len(cells)
        for name, value in parameters.items():
            if name not in self.celltype.default_parameters:
                raise NonExistentParameterError(name, type(self.celltype).__name__,
                                                self.celltype.get_parameter_names())
            if only_changed and value is self.celltype.default_parameters[name]:
                continue
            if self._is_sequence(name):
                core.set_sequence(self._handle, name, to_sequences(value, n, name), cells)
            else:
                core.set_parameter(self._handle, name,
                                   to_core_value(value, n, name, self.celltype.units.get(name, "")),
                                   cells)

    def _get_one(self, name, index):
        core = state.live(self, "reading a parameter")
        if self._is_sequence(name):
            return Sequence(core.get_sequence(self._handle, name)[index])
        return float(core.get_parameter(self._handle, name)[index])

    def describe(self, template="population_default.txt", engine="default"):
        context = {"label": self.label, "size": self.size,
                   "celltype": type(self.celltype).__name__,
                   "first_id": self.first_id, "last_id": self.last_id}
        if template is None:
            return context
        return (f"Population '{self.label}' of {self.size} {context['celltype']} cells "
                f"(ids {self.first_id}-{self.last_id})")

    def __repr__(self):
        return f"Population({self.size}, {self.celltype!r}, label={self.label!r})"
