"""Standard cell types and synapse types with PyNN's names.

The cell-type classes are generated from the C++ model registry: names,
defaults, units, state variables, recordables and receptor types are defined
once in models/<model>.hpp, and no model needs Python glue.
"""

import numbers

import numpy as np

from pineal import _core
from pineal.errors import InvalidParameterValueError, NonExistentParameterError
from pineal.parameters import ArrayParameter, Sequence
from pineal.random import RandomDistribution


class StandardModelType:
    """Common base: a parameter space checked against the model's schema."""

    default_parameters = {}
    units = {}

    def __init__(self, **parameters):
        self.parameter_space = dict(self.default_parameters)
        for name, value in parameters.items():
            self._check(name, value)
            self.parameter_space[name] = value

    def _check(self, name, value):
        if name not in self.default_parameters:
            raise NonExistentParameterError(name, type(self).__name__,
                                            list(self.default_parameters))
        expected_sequence = isinstance(self.default_parameters[name], Sequence)
        if expected_sequence:
            return  # checked when lowered to the core
        if isinstance(value, (str, bytes, dict, ArrayParameter)) or (
                isinstance(value, bool)):
            raise InvalidParameterValueError(
                f"{type(self).__name__}.{name}: expected a number, array, RandomDistribution "
                f"or function, got {type(value).__name__} {value!r}")
        if not isinstance(value, (numbers.Real, RandomDistribution, list, tuple, np.ndarray)) \
                and not callable(value) and not hasattr(value, "magnitude"):
            raise InvalidParameterValueError(
                f"{type(self).__name__}.{name}: unsupported value type {type(value).__name__}")

    @classmethod
    def has_parameter(cls, name):
        return name in cls.default_parameters

    @classmethod
    def get_parameter_names(cls):
        return list(cls.default_parameters)

    @classmethod
    def get_schema(cls):
        return {name: type(v) for name, v in cls.default_parameters.items()}

    def get_native_names(self, *names):
        return list(names) if names else self.get_parameter_names()

    def describe(self, template="modeltype_default.txt", engine="default"):
        context = {"name": type(self).__name__, "parameters": dict(self.parameter_space)}
        if template is None:
            return context
        params = "\n".join(f"    {k}: {v}" for k, v in self.parameter_space.items())
        return f"Standard model type '{context['name']}' with parameters:\n{params}"

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in self.parameter_space.items()
                         if not _same(v, self.default_parameters.get(k)))
        return f"{type(self).__name__}({args})"


def _same(a, b):
    try:
        return bool(a == b)
    except (TypeError, ValueError):
        return False


class StandardCellType(StandardModelType):
    default_initial_values = {}
    recordable = ["spikes", "v"]
    receptor_types = ("excitatory", "inhibitory")
    conductance_based = True
    injectable = True
    always_local = False
    _model_info = None  # the core's ModelInfo

    @classmethod
    def can_record(cls, variable, location=None):
        return variable in cls.recordable

    def describe(self, template="modeltype_default.txt", engine="default"):
        text = super().describe(template, engine)
        if template is None:
            return text
        return text + "\n" + self._model_info.doc


def _make_cell_type(info):
    defaults = {p.name: (Sequence(p.default_sequence) if p.is_sequence else p.default_value)
                for p in info.parameters}
    units = {p.name: p.unit for p in info.parameters}
    units.update({s.name: s.unit for s in info.state})
    attrs = {
        "__doc__": info.doc,
        "__module__": __name__,
        "default_parameters": defaults,
        "default_initial_values": {s.name: s.initial_value for s in info.state},
        "units": units,
        "recordable": list(info.recordable),
        "receptor_types": tuple(info.receptor_types),
        "conductance_based": info.conductance_based,
        "injectable": info.injectable,
        "_model_info": info,
    }
    return type(info.name, (StandardCellType,), attrs)


cell_types = {info.name: _make_cell_type(info) for info in _core.standard_models()}
globals().update(cell_types)


class StaticSynapse(StandardModelType):
    """Fixed weight and delay. weight in nA (current-based) or uS (conductance-based);
    delay in ms, None meaning the minimum delay."""

    default_parameters = {"weight": 0.0, "delay": None}
    units = {"weight": "", "delay": "ms"}

    def __init__(self, weight=0.0, delay=None, **parameters):
        super().__init__(**parameters)  # any other name: NonExistentParameterError
        if weight is None:
            weight = 0.0
        for name, value in (("weight", weight), ("delay", delay)):
            if value is not None:
                self._check(name, value)
            self.parameter_space[name] = value

    def _check(self, name, value):
        if isinstance(value, str):
            # A function of distance, parsed (and checked) by the core.
            from pineal import _core

            _core.Expression(value, _core.expression_variables(), f"StaticSynapse.{name}")
            return
        super()._check(name, value)
