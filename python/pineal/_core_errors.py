"""Turns errors raised by the C++ core into pineal.errors exceptions.

The core raises one error type with a kind; the bindings call ``make`` to get
the exception with PyNN's name. The core's message already names the object,
the parameter and the offending value, so it is kept as is.
"""

from pineal import errors


def _valid_names(model_name, message):
    from pineal import _core

    try:
        model = _core.find_model(model_name)  # standard or composed (PointNeuron)
    except errors.InvalidModelError:
        return ["unknown"]
    if "state variable" in message:
        return [s.name for s in model.state]
    return [p.name for p in model.parameters]


class _CoreNonExistentParameterError(errors.NonExistentParameterError):
    """NonExistentParameterError carrying the core's own message."""

    def __init__(self, parameter_name, model_name, valid, message):
        super().__init__(parameter_name, model_name, valid)
        self.message = message

    def __str__(self):
        return self.message


_BY_KIND = {
    "invalid_parameter_value": errors.InvalidParameterValueError,
    "invalid_dimensions": errors.InvalidDimensionsError,
    "connection": errors.ConnectionError,
    "invalid_model": errors.InvalidModelError,
    "not_supported": NotImplementedError,
    "out_of_range": IndexError,
    "state": RuntimeError,
    "wrong_type": TypeError,
}


def make(kind, obj, parameter, message):
    if kind == "non_existent_parameter":
        return _CoreNonExistentParameterError(
            parameter, obj, _valid_names(obj, message), message)
    if kind == "recording":
        exc = errors.RecordingError.__new__(errors.RecordingError)
        Exception.__init__(exc, message)
        exc.variable, exc.cell_type = parameter, obj
        return exc
    return _BY_KIND.get(kind, RuntimeError)(message)
