"""Exception classes with PyNN's names and bases.

Scripts written for PyNN catch these by name (``except errors.ConnectionError``)
or by their builtin base (``except KeyError``), so both the names and the
bases follow PyNN exactly.
"""

__all__ = [
    "ConnectionError",
    "InvalidDimensionsError",
    "InvalidModelError",
    "InvalidParameterValueError",
    "InvalidWeightError",
    "NoModelAvailableError",
    "NonExistentParameterError",
    "NotLocalError",
    "NothingToWriteError",
    "RecordingError",
    "RoundingWarning",
]


def _name_of(model):
    """A readable name for a model given as a string, a class or an instance."""
    if isinstance(model, str):
        return model
    if isinstance(model, type):
        return model.__name__
    return type(model).__name__


class InvalidParameterValueError(ValueError):
    """A parameter has the wrong type or an invalid value (e.g. unsorted spike times)."""


class NonExistentParameterError(KeyError):
    """A parameter name that the model does not have.

    Subclasses KeyError (as in PyNN) but overrides ``__str__``: KeyError's own
    str() would only show the quoted first argument.
    """

    def __init__(self, parameter_name, model_name, valid_parameter_names=["unknown"]):  # noqa: B006
        # The mutable default mirrors PyNN's signature; it is never mutated here.
        super().__init__(parameter_name, model_name, valid_parameter_names)
        self.parameter_name = parameter_name
        self.model_name = model_name
        self.valid_parameter_names = list(valid_parameter_names)

    def __str__(self):
        valid = ", ".join(str(name) for name in self.valid_parameter_names)
        return (
            f"{self.parameter_name!r} is not a parameter of {_name_of(self.model_name)} "
            f"(valid parameters: {valid})"
        )


class InvalidDimensionsError(ValueError):
    """An array argument has the wrong shape."""


# Shadows the builtin ConnectionError on purpose: PyNN does the same, and
# scripts write ``except pyNN.errors.ConnectionError``.
class ConnectionError(Exception):
    """An invalid projection or connection.

    E.g. a bad receptor type, a weight of the wrong sign, an index out of range.
    """


class InvalidModelError(Exception):
    """An unknown model."""


class NoModelAvailableError(Exception):
    """The backend does not provide this model (or this plasticity combination)."""


class RoundingWarning(Warning):
    """A value was rounded by the simulator (e.g. a delay to a multiple of dt)."""


class NothingToWriteError(IOError):
    """There is no recorded data to write."""


class InvalidWeightError(ValueError):
    """A synaptic weight that the synapse type does not accept."""


class NotLocalError(Exception):
    """Access to a cell that lives on another MPI rank."""


class RecordingError(Exception):
    """A variable that the cell type cannot record."""

    def __init__(self, variable, cell_type):
        self.variable = variable
        self.cell_type = cell_type
        recordable = ", ".join(str(v) for v in getattr(cell_type, "recordable", []))
        super().__init__(
            f"{variable!r} cannot be recorded from {_name_of(cell_type)} "
            f"(recordable variables: {recordable or 'none'})"
        )
