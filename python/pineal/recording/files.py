"""Simple array files with metadata, as PyNN's `pyNN.recording.files`: what
`Projection.save`, `FromFileConnector` and `save_positions` read and write.

Every class has PyNN's interface: `cls(filename, mode="r")`, `write(data,
metadata)`, `read()` (the data as a numpy array), `get_metadata()` (a dict),
`close()` and `rename(filename)`. `mode` is PyNN's: "r" to read, "w"/"wb" to
write (a missing directory is created), "a"/"ab" to append (text files).

- StandardTextFile: header lines ``# key = value``, then tab-separated rows.
- PickleFile: the pickled pair (data, metadata).
- NumpyBinaryFile: a numpy .npz archive with arrays `data` and `metadata`
  (rows of key and the value's repr).
- HDF5ArrayFile: an HDF5 file (h5py) with the dataset `data`; each metadata
  item is an attribute holding the value's repr. (PyNN writes these with
  PyTables; the layout is pineal's own.)

A metadata value is read back as the Python literal it was written as (a
number, a string, a list of column names); text that is not a literal stays
a string.
"""

import ast
import os
import pickle

import numpy as np

__all__ = ["BaseFile", "HDF5ArrayFile", "NumpyBinaryFile", "PickleFile", "StandardTextFile"]

_MODES = {"r": "rb", "rb": "rb", "w": "wb", "wb": "wb", "a": "ab", "ab": "ab"}


def _literal(text):
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text


def _as_array(data):
    """The data to write as one 2-D float array: rows, or several (n, m)
    matrices one below the other (Projection.save's array format)."""
    if isinstance(data, (list, tuple)) and data and all(np.ndim(d) == 2 for d in data):
        return np.vstack([np.asarray(d, dtype=float) for d in data])
    array = np.asarray(data, dtype=float)
    if array.ndim == 1:
        array = array.reshape(-1, 1) if array.size else array.reshape(0, 0)
    if array.ndim != 2:
        raise ValueError(f"can only write 2-D data (rows of values), got shape {array.shape}")
    return array


class BaseFile:
    """A file of one array and its metadata."""

    def __init__(self, filename, mode="r"):
        if mode not in _MODES:
            raise ValueError(f"{type(self).__name__}: mode must be one of {sorted(_MODES)}, "
                             f"got {mode!r}")
        self.name = os.fspath(filename)
        self.mode = mode
        self._writing = _MODES[mode] != "rb"
        if self._writing:
            directory = os.path.dirname(self.name)
            if directory:
                os.makedirs(directory, exist_ok=True)
        elif not os.path.exists(self.name):
            raise FileNotFoundError(f"{type(self).__name__}: no such file {self.name!r}")
        self.fileobj = self._open()

    def _open(self):
        return open(self.name, _MODES[self.mode])

    def __del__(self):
        self.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _check_open(self, writing):
        if self.fileobj is None:
            raise ValueError(f"{type(self).__name__} {self.name!r} is closed")
        if writing != self._writing:
            raise ValueError(f"{type(self).__name__} {self.name!r} was opened with mode "
                             f"{self.mode!r}: it cannot be {'written' if writing else 'read'}")

    def close(self):
        fileobj = getattr(self, "fileobj", None)
        if fileobj is not None:
            fileobj.close()
            self.fileobj = None

    def rename(self, filename):
        """Moves the file to `filename` (closing it first)."""
        self.close()
        os.rename(self.name, filename)
        self.name = os.fspath(filename)

    def write(self, data, metadata):
        raise NotImplementedError

    def read(self):
        raise NotImplementedError

    def get_metadata(self):
        raise NotImplementedError


class StandardTextFile(BaseFile):
    """Header lines ``# key = value`` and tab-separated rows (PyNN's text format)."""

    def write(self, data, metadata):
        self._check_open(True)
        for key, value in metadata.items():
            # repr: read back as the same literal (PyNN writes strings bare,
            # which get_metadata also accepts)
            self.fileobj.write(f"# {key} = {value!r}\n".encode())
        np.savetxt(self.fileobj, _as_array(data), fmt="%.17g", delimiter="\t")
        self.fileobj.flush()

    def read(self):
        self._check_open(False)
        self.fileobj.seek(0)
        try:
            return np.loadtxt(self.fileobj, comments="#", ndmin=2)
        except ValueError as err:
            raise ValueError(f"StandardTextFile {self.name!r}: malformed row: {err}") from None

    def get_metadata(self):
        self._check_open(False)
        self.fileobj.seek(0)
        metadata = {}
        for raw in self.fileobj:
            line = raw.decode().strip()
            if not line:
                continue
            if not line.startswith("#"):
                break
            key, sep, value = line[1:].partition("=")
            if sep:
                metadata[key.strip()] = _literal(value.strip())
        return metadata


class PickleFile(BaseFile):
    """The pickled pair (data, metadata)."""

    def write(self, data, metadata):
        self._check_open(True)
        pickle.dump((_as_array(data), dict(metadata)), self.fileobj)
        self.fileobj.flush()

    def _load(self):
        self._check_open(False)
        self.fileobj.seek(0)
        return pickle.load(self.fileobj)

    def read(self):
        return self._load()[0]

    def get_metadata(self):
        return self._load()[1]


class NumpyBinaryFile(BaseFile):
    """A numpy .npz archive: `data`, and `metadata` as rows (key, repr(value))."""

    def write(self, data, metadata):
        self._check_open(True)
        items = np.array([(k, repr(v)) for k, v in metadata.items()], dtype=str).reshape(-1, 2)
        np.savez(self.fileobj, data=_as_array(data), metadata=items)
        self.fileobj.flush()

    def _load(self):
        self._check_open(False)
        self.fileobj.seek(0)
        return np.load(self.fileobj, allow_pickle=False)

    def read(self):
        return self._load()["data"]

    def get_metadata(self):
        return {str(k): _literal(str(v)) for k, v in self._load()["metadata"]}


class HDF5ArrayFile(BaseFile):
    """An HDF5 file (h5py): dataset `data`, one attribute per metadata item."""

    def _open(self):
        try:
            import h5py
        except ImportError as err:
            raise ImportError(f"HDF5ArrayFile needs the h5py package ({err})") from None
        return h5py.File(self.name, {"rb": "r", "wb": "w", "ab": "a"}[_MODES[self.mode]])

    def write(self, data, metadata):
        self._check_open(True)
        if "data" in self.fileobj:
            del self.fileobj["data"]
        dataset = self.fileobj.create_dataset("data", data=_as_array(data))
        for key, value in metadata.items():
            dataset.attrs[key] = repr(value)
        self.fileobj.flush()

    def read(self):
        self._check_open(False)
        return self.fileobj["data"][()]

    def get_metadata(self):
        self._check_open(False)
        return {k: _literal(str(v)) for k, v in self.fileobj["data"].attrs.items()}
