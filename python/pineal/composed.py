"""PyNN's composed point neurons: ``PointNeuron(neuron, **post_synaptic_receptors)``
with the bodies ``LIF`` and ``AdExp`` and the post-synaptic responses
``CurrExpPostSynapticResponse``, ``CondExpPostSynapticResponse`` (``ExpPSR``),
``CondAlphaPostSynapticResponse`` (``AlphaPSR``) and
``CondBetaPostSynapticResponse`` (``BetaPSR``).

The composed model itself (ModelInfo and kernel) is built by the core
(``_core.compose_point_neuron``, models/point_neuron.cpp); the components'
defaults and units are read from it, so they are defined once, in C++.
Receptor parameters, state variables and recordables are dotted:
``"AMPA.tau_syn"``, ``"AMPA.gsyn"``. See docs/models/PointNeuron.md.
"""

from pineal import _core
from pineal.standardmodels import StandardCellType, StandardModelType, _make_cell_type


def _component_schema(info, prefix=""):
    params = {p.name[len(prefix):]: p.default_value for p in info.parameters
              if p.name.startswith(prefix)}
    units = {p.name[len(prefix):]: p.unit for p in info.parameters if p.name.startswith(prefix)}
    state = {s.name[len(prefix):]: s.initial_value for s in info.state
             if s.name.startswith(prefix)}
    units.update({s.name[len(prefix):]: s.unit for s in info.state if s.name.startswith(prefix)})
    return params, units, state


class StandardCellTypeComponent(StandardModelType):
    """A neuron body of a PointNeuron (LIF, AdExp)."""

    _core_kind = None


class StandardPostSynapticResponse(StandardModelType):
    """A post-synaptic response of a PointNeuron, given as a keyword argument
    naming its receptor type."""

    _core_kind = None


def _body(kind, doc):
    info = _core.compose_point_neuron(kind, [])
    params, units, state = _component_schema(info)
    return type(kind, (StandardCellTypeComponent,), {
        "__doc__": doc, "__module__": __name__, "_core_kind": kind,
        "default_parameters": params, "units": units, "default_initial_values": state,
        "recordable": list(info.recordable), "conductance_based": True})


def _psr(name, kind, doc):
    info = _core.compose_point_neuron("LIF", [("x", kind)])
    params, units, state = _component_schema(info, "x.")
    return type(name, (StandardPostSynapticResponse,), {
        "__doc__": doc, "__module__": __name__, "_core_kind": kind,
        "default_parameters": params, "units": units, "default_initial_values": state,
        "recordable": list(state), "conductance_based": kind != "CurrExp"})


LIF = _body("LIF", "Leaky integrate-and-fire body: cm dV/dt = cm/tau_m (v_rest - V) + I_syn + "
            "i_offset; spike at V >= v_thresh, reset to v_reset, refractory tau_refrac.")
AdExp = _body("AdExp", "Adaptive exponential integrate-and-fire body (Brette & Gerstner 2005).")
CurrExpPostSynapticResponse = _psr(
    "CurrExpPostSynapticResponse", "CurrExp",
    "Exponentially decaying synaptic current isyn (nA), tau_syn (ms); weight in nA.")
CondExpPostSynapticResponse = _psr(
    "CondExpPostSynapticResponse", "CondExp",
    "Exponentially decaying conductance gsyn (uS), tau_syn (ms), reversal e_syn (mV).")
CondAlphaPostSynapticResponse = _psr(
    "CondAlphaPostSynapticResponse", "CondAlpha",
    "Alpha-function conductance w (t/tau_syn) e^{1 - t/tau_syn} (peak w at tau_syn), "
    "reversal e_syn.")
CondBetaPostSynapticResponse = _psr(
    "CondBetaPostSynapticResponse", "CondBeta",
    "Difference-of-exponentials conductance (tau_rise, tau_decay), normalised to peak w; "
    "reversal e_syn.")
ExpPSR = CondExpPostSynapticResponse
AlphaPSR = CondAlphaPostSynapticResponse
BetaPSR = CondBetaPostSynapticResponse

_composed_classes = {}  # canonical core name -> PointNeuron subclass


class PointNeuron(StandardCellType):
    """PointNeuron(neuron, **post_synaptic_receptors): a LIF or AdExp body with
    one receptor type per keyword argument, e.g.
    ``PointNeuron(LIF(), AMPA=CondExpPostSynapticResponse(tau_syn=2.0))``."""

    def __new__(cls, neuron=None, **post_synaptic_receptors):
        if neuron is None and not post_synaptic_receptors and cls is not PointNeuron:
            return object.__new__(cls)  # copy / pickle: the state comes afterwards
        if not isinstance(neuron, StandardCellTypeComponent):
            raise TypeError(f"PointNeuron: neuron must be a LIF or AdExp instance, got "
                            f"{neuron!r}")
        for name, psr in post_synaptic_receptors.items():
            if not isinstance(psr, StandardPostSynapticResponse):
                raise TypeError(f"PointNeuron: receptor '{name}' must be a post-synaptic "
                                f"response (e.g. CondExpPostSynapticResponse()), got {psr!r}")
        receptors = [(name, psr._core_kind) for name, psr in post_synaptic_receptors.items()]
        info = _core.compose_point_neuron(neuron._core_kind, receptors)
        sub = _composed_classes.get(info.name)
        if sub is None:
            # Keep the temporary class alive while copying: a garbage
            # collection would otherwise clear its dict mid-copy.
            made = _make_cell_type(info)
            attrs = dict(made.__dict__)
            attrs = {k: v for k, v in attrs.items() if not k.startswith("__")}
            attrs.update(__doc__=PointNeuron.__doc__, __module__=__name__)
            sub = _composed_classes[info.name] = type("PointNeuron", (PointNeuron,), attrs)
        return object.__new__(sub)

    def __init__(self, neuron=None, **post_synaptic_receptors):
        parameters = dict(neuron.parameter_space)
        for name, psr in post_synaptic_receptors.items():
            parameters.update({f"{name}.{k}": v for k, v in psr.parameter_space.items()})
        super().__init__(**parameters)
        self.neuron = neuron
        self.post_synaptic_receptors = dict(post_synaptic_receptors)

    def __repr__(self):
        receptors = "".join(f", {k}={v!r}" for k, v in sorted(self.post_synaptic_receptors.items()))
        return f"PointNeuron({self.neuron!r}{receptors})"


components = {c.__name__: c for c in (
    PointNeuron, LIF, AdExp, CurrExpPostSynapticResponse, CondExpPostSynapticResponse,
    CondAlphaPostSynapticResponse, CondBetaPostSynapticResponse)}
components.update(ExpPSR=ExpPSR, AlphaPSR=AlphaPSR, BetaPSR=BetaPSR)
