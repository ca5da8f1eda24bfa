"""Dynamic synapse types with PyNN's names: short-term plasticity
(TsodyksMarkramSynapse), stochastic release (SimpleStochasticSynapse,
StochasticTsodyksMarkramSynapse, MultiQuantalSynapse) and STDP
(STDPMechanism with a timing and a weight dependence).

The classes are generated from the C++ catalogue (models/synapses/): names,
defaults, units and checks are defined there once. Model parameters take one
value per projection, except those in PER_SYNAPSE (the short-term and stochastic models'), which
may be per synapse like weight and delay.
docs/plasticity.md has the equations and the choices.
"""

import copy
import numbers

import numpy as np

from pineal import _core
from pineal.errors import InvalidParameterValueError
from pineal.standardmodels import StandardModelType, StaticSynapse

# Model parameters the native engine can hold per synapse (array,
# RandomDistribution, function or expression of distance, as for weights).
# Any other model parameter takes one value per projection.
PER_SYNAPSE = {"TsodyksMarkramSynapse": ("U", "tau_rec", "tau_facil"),
               "SimpleStochasticSynapse": ("p",),
               "StochasticTsodyksMarkramSynapse": ("U", "tau_rec", "tau_facil"),
               "MultiQuantalSynapse": ("U", "tau_rec", "tau_facil"),
               # amplitudes and bounds (time constants shape traces shared by a
               # source's synapses, docs/plasticity.md)
               "STDPMechanism": ("A_plus", "A_minus", "eta", "rho", "w_min", "w_max",
                                 "mu_plus", "mu_minus")}
STDP_PER_SYNAPSE = PER_SYNAPSE["STDPMechanism"]


def is_uniform(value):
    """Whether a model parameter value is one number (a constant array counts)."""
    if hasattr(value, "magnitude"):
        value = value.magnitude
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        return True
    if isinstance(value, (list, tuple, np.ndarray)):
        try:
            array = np.asarray(value, dtype=float)
        except (TypeError, ValueError):
            return False
        return array.size > 0 and bool(np.all(array == array.reshape(-1)[0]))
    return False


def per_synapse_values(synapse, values):
    """The entries of `values` (name -> value) that are per-synapse values of
    parameters the engine keeps per synapse."""
    names = PER_SYNAPSE.get(type(synapse).__name__, ())
    return {n: v for n, v in values.items() if n in names and not is_uniform(v)}


def _scalar(owner, name, value):
    """A model parameter lowered to one float (one value per projection)."""
    if hasattr(value, "magnitude"):
        value = value.magnitude
    if isinstance(value, bool) or not isinstance(value, (numbers.Real, np.ndarray, list, tuple)):
        if callable(value) or hasattr(value, "next"):
            raise NotImplementedError(
                f"{owner}.{name} given per synapse (a {type(value).__name__}) is not supported "
                "yet by pineal: this parameter takes one value per projection (docs/plasticity.md "
                "lists those that may be per synapse)")
        raise InvalidParameterValueError(f"{owner}.{name}: expected a number, got {value!r}")
    array = np.asarray(value, dtype=float)
    if array.ndim > 0:
        if array.size and np.all(array == array.reshape(-1)[0]):
            return float(array.reshape(-1)[0])
        raise NotImplementedError(
            f"{owner}.{name} given per synapse (an array) is not supported yet by pineal: this "
            "parameter takes one value per projection (docs/plasticity.md lists those that may "
            "be per synapse)")
    return float(array)


class DynamicSynapseType(StaticSynapse):
    """Base of the synapse types whose state changes with the spikes they carry."""

    _info = None  # the core's SynapseModelInfo
    # per-synapse state Projection.get reads (name -> initial value)
    default_initial_values = {}

    def _check(self, name, value):
        if name in PER_SYNAPSE.get(type(self).__name__, ()) and isinstance(value, str):
            _core.Expression(value, _core.expression_variables(), f"{type(self).__name__}.{name}")
            return
        super()._check(name, value)

    def _model_parameters(self):
        """(name, value) of the parameters the core takes (not weight, delay);
        one given per synapse takes its default here and is set per synapse
        once the projection is built (Projection.__init__)."""
        per_synapse = per_synapse_values(self, self.parameter_space)
        return [(n, self.default_parameters[n] if n in per_synapse else
                 _scalar(type(self).__name__, n, self.parameter_space[n]))
                for n in self.default_parameters if n not in ("weight", "delay")]

    def _core_dynamics(self):
        return _core.SynapseDynamics(type(self).__name__, "", "", self._model_parameters())

    @property
    def state_variables(self):
        return list(self.default_initial_values)


class STDPComponent(StandardModelType):
    """A timing or weight dependence of an STDPMechanism."""

    _info = None

    def __init__(self, **parameters):
        super().__init__(**parameters)
        for name, value in self.parameter_space.items():
            if name in STDP_PER_SYNAPSE and not is_uniform(value):
                continue  # per synapse: checked when the projection is built
            _scalar(type(self).__name__, name, value)  # early, clear errors

    def _check(self, name, value):
        if name in STDP_PER_SYNAPSE and isinstance(value, str):
            _core.Expression(value, _core.expression_variables(), f"{type(self).__name__}.{name}")
            return
        super()._check(name, value)


def _make(info):
    defaults = {p.name: p.default_value for p in info.parameters}
    units = {p.name: p.unit for p in info.parameters}
    if info.kind == "synapse":
        defaults = {"weight": 0.0, "delay": None, **defaults}
        units = {"weight": "", "delay": "ms", **units}
        if "n" in defaults:
            defaults["n"] = int(defaults["n"])
        base = DynamicSynapseType
    else:
        base = STDPComponent
    attrs = {"__doc__": info.doc, "__module__": __name__, "_info": info,
             "default_parameters": defaults, "units": units,
             "default_initial_values": {s.name: s.initial_value for s in info.state}}
    return type(info.name, (base,), attrs)


_generated = {info.name: _make(info) for info in _core.synapse_models()
              if info.name != "STDPMechanism"}
globals().update(_generated)

TIMING_DEPENDENCES = [i.name for i in _core.synapse_models() if i.kind == "timing_dependence"]
WEIGHT_DEPENDENCES = [i.name for i in _core.synapse_models() if i.kind == "weight_dependence"]


class STDPMechanism(DynamicSynapseType):
    """Spike-timing-dependent plasticity: PyNN's STDPMechanism(timing_dependence,
    weight_dependence, voltage_dependence=None, dendritic_delay_fraction=1.0,
    weight=0.0, delay=None). Parameter names are weight, delay,
    dendritic_delay_fraction and those of the two components."""

    _info = next(i for i in _core.synapse_models() if i.name == "STDPMechanism")
    default_parameters = {"weight": 0.0, "delay": None, "dendritic_delay_fraction": 1.0}
    units = {"weight": "", "delay": "ms", "dendritic_delay_fraction": ""}

    def __init__(self, timing_dependence=None, weight_dependence=None, voltage_dependence=None,
                 dendritic_delay_fraction=1.0, weight=0.0, delay=None):
        if voltage_dependence is not None:
            raise NotImplementedError("STDPMechanism(voltage_dependence=...) is not supported by "
                                      "pineal (PyNN's backends do not implement it either)")
        for role, value, kinds in (("timing_dependence", timing_dependence, TIMING_DEPENDENCES),
                                   ("weight_dependence", weight_dependence, WEIGHT_DEPENDENCES)):
            if value is not None and type(value).__name__ not in kinds:
                raise TypeError(f"STDPMechanism: {role} must be one of {kinds}, got {value!r}")
        self.timing_dependence = timing_dependence
        self.weight_dependence = weight_dependence
        self.voltage_dependence = None
        super().__init__(weight=weight, delay=delay,
                         dendritic_delay_fraction=dendritic_delay_fraction)
        self.units = dict(type(self).units)
        for component in (timing_dependence, weight_dependence):
            if component is not None:
                self.parameter_space.update(component.parameter_space)
                self.units.update(component.units)

    def get_parameter_names(self):
        return list(self.parameter_space)

    def has_parameter(self, name):
        return name in self.parameter_space

    def _check(self, name, value):
        if name == "dendritic_delay_fraction":
            _scalar("STDPMechanism", name, value)
            return
        super()._check(name, value)

    def _model_parameters(self):
        out = [("dendritic_delay_fraction",
                _scalar("STDPMechanism", "dendritic_delay_fraction",
                        self.parameter_space["dendritic_delay_fraction"]))]
        per_synapse = per_synapse_values(self, self.parameter_space)
        uniform = {}
        for component in (self.timing_dependence, self.weight_dependence):
            for n, v in component.parameter_space.items():
                if n not in per_synapse:
                    uniform[n] = _scalar(type(component).__name__, n, v)
                    out.append((n, uniform[n]))
                    continue
                # a placeholder until the per-synapse values are set; the
                # bounds' placeholders must not cross the other bound
                default = component.default_parameters[n]
                if n == "w_max" and "w_min" in uniform:
                    default = max(default, uniform["w_min"])
                out.append((n, default))
        if "w_min" in per_synapse and "w_max" in uniform:
            out = [(n, min(v, uniform["w_max"]) if n == "w_min" else v) for n, v in out]
        return out

    def _core_dynamics(self):
        if self.timing_dependence is None or self.weight_dependence is None:
            raise NotImplementedError("STDPMechanism without a timing_dependence and a "
                                      "weight_dependence is not supported by pineal")
        return _core.SynapseDynamics("STDPMechanism", type(self.timing_dependence).__name__,
                                     type(self.weight_dependence).__name__,
                                     self._model_parameters())


def own_synapse_type(projection):
    """The projection's synapse type, copied first if it may be shared with
    other projections (so that changing it changes only this projection)."""
    if not getattr(projection, "_owns_synapse_type", False):
        projection.synapse_type = copy.deepcopy(projection.synapse_type)
        projection._owns_synapse_type = True
    return projection.synapse_type


def set_model_parameters(projection, core, values, check_only):
    """Projection.set of dynamic synapse model parameters (one value per
    projection): checked by the core for every part first (check_only), then
    set, and recorded in the projection's own copy of its synapse type."""
    if not values:
        return
    synapse = projection.synapse_type
    owner = type(synapse).__name__
    lowered = {n: _scalar(owner, n, v) for n, v in values.items()}
    for name, value in lowered.items():
        for handle, _, _ in projection._parts:
            core.set_synapse_parameter(handle, name, value, check_only=check_only)
    if check_only:
        return
    own_synapse_type(projection).parameter_space.update(lowered)
    synapse = projection.synapse_type
    for component in (getattr(synapse, "timing_dependence", None),
                      getattr(synapse, "weight_dependence", None)):
        if component is not None:
            component.parameter_space.update(
                {n: v for n, v in lowered.items() if n in component.parameter_space})


def initialize_synapse_state(projection, core, values):
    """Projection.initialize of dynamic synapse state (u, x, y, available),
    applied now and at each reset(): one value per projection, or a value per
    synapse (any form set() takes) for the models that allow it; everything
    is checked for every part first."""
    owner = type(projection.synapse_type).__name__
    uniform = {n: v for n, v in values.items() if is_uniform(v)}
    lowered = {n: _scalar(owner, n, v) for n, v in uniform.items()}
    plans = [p for n, v in values.items() if n not in uniform
             for p in projection._lower(core, n, v)]
    for p in plans:
        p.initial = True
    for check_only in (True, False):
        for name, value in lowered.items():
            for handle, _, _ in projection._parts:
                core.initialize_synapses(handle, name, value, check_only=check_only)
        for p in plans:
            p.apply(core, projection._parts, check_only, {})


synapse_types = dict(_generated, STDPMechanism=STDPMechanism)
__all__ = list(synapse_types) + ["DynamicSynapseType", "STDPComponent"]
