"""PopulationView: a subset of the cells of a Population (or of another view).

Changes made through a view act on the parent's cells; recording is shared
with the parent and get_data() returns only the view's cells.
"""

import numpy as np

from pineal.base_population import BasePopulation, as_selector_array


class PopulationView(BasePopulation):
    """The cells of `parent` picked by `selector`: a slice, a boolean mask of the
    parent's size, or integer indices (sorted; duplicates removed with a warning)."""

    def __init__(self, parent, selector, label=None):
        if not isinstance(parent, BasePopulation):
            raise TypeError(f"PopulationView: parent must be a Population or PopulationView, "
                            f"got {type(parent).__name__}")
        indices = as_selector_array(selector, parent.size, f"view of '{parent.label}'")
        self.parent = parent
        # as PyNN: a slice stays a slice, anything else becomes sorted indices
        self.mask = selector if isinstance(selector, slice) else indices
        self._parent_indices = indices
        self.celltype = parent.celltype
        self.all_cells = parent.all_cells[indices]
        self.size = int(indices.size)
        self.label = label or f"view of '{parent.label}' with size {self.size}"
        self._mask_local = np.ones(self.size, dtype=bool)
        self.annotations = {}
        root_indices = indices if parent._cells() is None else parent._cells()[indices]
        self._root_indices = np.ascontiguousarray(root_indices, dtype=np.uint32)

    # -- what BasePopulation works on --------------------------------------
    @property
    def _root(self):
        return self.grandparent

    def _cells(self):
        return self._root_indices

    # -- PyNN attributes ---------------------------------------------------
    @property
    def grandparent(self):
        """The Population at the root of the tree of views."""
        return self.parent.grandparent if isinstance(self.parent, PopulationView) else \
            self.parent

    @property
    def local_cells(self):
        return self.all_cells

    @property
    def first_id(self):
        return self.all_cells[0] if self.size else None

    @property
    def last_id(self):
        return self.all_cells[-1] if self.size else None

    @property
    def recorder(self):
        return self.grandparent.recorder

    @property
    def structure(self):
        return getattr(self.parent, "structure", None)

    @property
    def positions(self):
        return self.parent.positions[:, self._parent_indices]

    @property
    def initial_values(self):
        raise NotImplementedError("PopulationView.initial_values is not supported (as in "
                                  "PyNN): read the parent population's initial_values")

    @property
    def _core(self):
        return self.grandparent._core

    def id_to_index(self, id):
        """The index (order in this view) of a cell id, or of an array of ids;
        IndexError for an id not in the view."""
        ids = np.asarray(id.all_cells if isinstance(id, BasePopulation) else id,
                         dtype=np.int64)
        cells = self.all_cells.astype(np.int64)
        pos = np.searchsorted(cells, ids)
        inside = (pos < cells.size) & (cells[np.minimum(pos, cells.size - 1)] == ids) \
            if cells.size else np.zeros(ids.shape, dtype=bool)
        if not np.all(inside):
            missing = ids[~inside] if ids.ndim else ids
            raise IndexError(f"id(s) {np.atleast_1d(missing).tolist()} not present in the view "
                             f"'{self.label}'")
        return int(pos) if pos.ndim == 0 else pos.astype(int)

    def index_to_id(self, index):
        return self.all_cells[index]

    def index_in_grandparent(self, indices):
        """Indices in the root Population of the cells at `indices` of this view."""
        return self._root_indices.astype(int)[indices]

    def index_from_parent_index(self, indices):
        """Indices in this view of the cells at `indices` of the parent."""
        pos = np.searchsorted(self._parent_indices, indices)
        found = (pos < self.size) & \
            (self._parent_indices[np.minimum(pos, max(self.size - 1, 0))] == indices)
        if not np.all(found):
            raise IndexError(f"parent indices {np.atleast_1d(indices)[~np.atleast_1d(found)]} "
                             f"are not in the view '{self.label}'")
        return int(pos) if np.ndim(pos) == 0 else pos.astype(int)

    def __eq__(self, other):
        """Same cells of the same population (a view may equal its Population)."""
        if not isinstance(other, BasePopulation):
            return False
        return other._root is self._root and np.array_equal(
            self.all_cells.astype(np.int64), other.all_cells.astype(np.int64))

    def __ne__(self, other):
        return not self == other

    __hash__ = object.__hash__

    def describe(self, template="populationview_default.txt", engine="default"):
        context = {"label": self.label, "parent": self.parent.label, "mask": self.mask,
                   "size": self.size}
        context.update(self.annotations)
        if template is None:
            return context
        return (f"PopulationView '{self.label}' of {self.size} cells of "
                f"'{self.parent.label}' ({type(self.celltype).__name__})")

    def __repr__(self):
        return f"PopulationView(parent={self.parent.label!r}, size={self.size}, " \
               f"label={self.label!r})"
