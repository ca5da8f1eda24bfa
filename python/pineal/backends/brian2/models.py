"""One translation entry per standard model: PyNN model -> Brian 2 equations.

Brian 2 variables keep PyNN's names and PyNN's units as plain numbers (mV,
nF, nA, uS, ms), so no translation of values is needed: each equation divides
by `ms` to make its right-hand side a rate. The membrane equations are those of
pineal's models (models/*.hpp), i.e. PyNN's (shared reference pynn-api.md §4.1).
`v` is clamped while refractory (`unless refractory`); the refractory period
given to Brian is set in simulation.py (Brian counts it differently).
Models not listed here raise NotImplementedError on the Brian 2 backend.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

from pineal.backends.brian2.propagators import (
    CURR_ALPHA_UPDATE,
    CURR_EXP_UPDATE,
    DELTA_UPDATE,
    fixed_update,
    lif_propagators,
)

E = 2.718281828459045  # e: alpha synapses peak at w (y += w e / tau_syn)


@dataclass(frozen=True)
class Brian2Model:
    kind: str = "neuron"       # "neuron", "spike_array" or "poisson"
    equations: str = ""        # Brian 2 equations of the state variables
    parameters: tuple = ()     # PyNN parameter names, Brian variables of the same name
    method: object = ""        # Brian 2 integration method (a name or a state updater)
    # (PyNN parameter arrays, dt in ms) -> per-cell constants the update uses
    constants: Callable = None
    # receptor type -> on_pre statement (w: the synapse's weight, PyNN units;
    # inhibitory current weights are negative, conductance weights positive)
    on_pre: dict = field(default_factory=dict)
    # recordable / initialisable state: PyNN name -> Brian variable (same units)
    variables: tuple = ()
    # the Brian slot of the synaptic pathways, and the shift of the delay (in
    # steps) that keeps pineal's arrival step there (see IF_curr_delta)
    pathway_when: str = "synapses"
    delay_shift: int = 0


_LIF_PARAMETERS = ("v_rest", "cm", "tau_m", "tau_syn_E", "tau_syn_I", "i_offset", "v_reset",
                   "v_thresh")

# cm dv/dt = cm (v_rest - v)/tau_m + I_exc + I_inh + i_offset
_CURR_EXP = """
dv/dt = ((v_rest - v) / tau_m + (isyn_exc + isyn_inh + i_offset) / c_m) / ms : 1 (unless refractory)
disyn_exc/dt = -isyn_exc / tau_syn_E / ms : 1
disyn_inh/dt = -isyn_inh / tau_syn_I / ms : 1
"""

# cm dv/dt = g_L (v_rest - v) + g_e (e_rev_E - v) + g_i (e_rev_I - v) + i_offset, g_L = cm/tau_m
_COND_EXP = """
dv/dt = ((v_rest - v) / tau_m + (gsyn_exc * (e_rev_E - v) + gsyn_inh * (e_rev_I - v)
         + i_offset) / c_m) / ms : 1 (unless refractory)
dgsyn_exc/dt = -gsyn_exc / tau_syn_E / ms : 1
dgsyn_inh/dt = -gsyn_inh / tau_syn_I / ms : 1
"""

# alpha conductance: as _COND_EXP with dg/dt = y - g/tau, dy/dt = -y/tau, y += w e/tau
_COND_ALPHA = """
dv/dt = ((v_rest - v) / tau_m + (gsyn_exc * (e_rev_E - v) + gsyn_inh * (e_rev_I - v)
         + i_offset) / c_m) / ms : 1 (unless refractory)
dgsyn_exc/dt = (y_exc - gsyn_exc / tau_syn_E) / ms : 1
dgsyn_inh/dt = (y_inh - gsyn_inh / tau_syn_I) / ms : 1
dy_exc/dt = -y_exc / tau_syn_E / ms : 1
dy_inh/dt = -y_inh / tau_syn_I / ms : 1
"""

# delta synapses: v jumps by w at arrival (models/if_curr_delta.hpp)
_CURR_DELTA = """
dv/dt = ((v_rest - v) / tau_m + i_offset / c_m) / ms : 1 (unless refractory)
"""

# alpha current: dI/dt = y - I/tau, dy/dt = -y/tau, y += w e/tau (models/if_curr_alpha.hpp)
_CURR_ALPHA = """
dv/dt = ((v_rest - v) / tau_m + (isyn_exc + isyn_inh + i_offset) / c_m) / ms : 1 (unless refractory)
disyn_exc/dt = (y_exc - isyn_exc / tau_syn_E) / ms : 1
disyn_inh/dt = (y_inh - isyn_inh / tau_syn_I) / ms : 1
dy_exc/dt = -y_exc / tau_syn_E / ms : 1
dy_inh/dt = -y_inh / tau_syn_I / ms : 1
"""


_DELTA_PARAMETERS = ("v_rest", "cm", "tau_m", "i_offset", "v_reset", "v_thresh")

# PyNN names that Brian 2 reserves (cm is its centimetre)
BRIAN_NAME = {"cm": "c_m"}


def brian_name(name):
    """The Brian 2 variable holding the PyNN parameter `name`."""
    return BRIAN_NAME.get(name, name)


def _with_constants(equations, parameters):
    return equations + "\n".join(f"{brian_name(name)} : 1 (constant)"
                                  for name in parameters) + "\n"


def _propagator_names(alpha):
    names = ("p_mm", "p_exc", "p_inh", "p_vi_exc", "p_vi_inh")
    return names + (("p_vy_exc", "p_vy_inh") if alpha else ())


_ALPHA_ON_PRE = {"excitatory": f"y_exc_post += w * {E!r} / tau_syn_E_post",
                 "inhibitory": f"y_inh_post += w * {E!r} / tau_syn_I_post"}
_CURR_ON_PRE = {"excitatory": "isyn_exc_post += w", "inhibitory": "isyn_inh_post += w"}

MODELS = {
    # linear: the exact solution over a step, as pineal's and NEST's
    # propagators (propagators.py: Brian's own 'exact' takes 3-16 s of sympy)
    "IF_curr_exp": Brian2Model(
        equations=_with_constants(_CURR_EXP, _LIF_PARAMETERS + _propagator_names(False)),
        parameters=_LIF_PARAMETERS, method=fixed_update(CURR_EXP_UPDATE),
        constants=partial(lif_propagators, alpha=False),
        on_pre=_CURR_ON_PRE, variables=("v", "isyn_exc", "isyn_inh")),
    "IF_curr_alpha": Brian2Model(
        equations=_with_constants(_CURR_ALPHA, _LIF_PARAMETERS + _propagator_names(True)),
        parameters=_LIF_PARAMETERS, method=fixed_update(CURR_ALPHA_UPDATE),
        constants=partial(lif_propagators, alpha=True),
        on_pre=_ALPHA_ON_PRE,
        variables=("v", "isyn_exc", "isyn_inh")),
    # pineal (as NEST's iaf_psc_delta) adds the jump at the end of the arrival
    # step *before* the threshold check and drops input arriving while
    # refractory. Brian's pathways run after the threshold check; moved to the
    # 'before_thresholds' slot they push a spike one step later, so the delay
    # is one step shorter (every delay is at least one step).
    "IF_curr_delta": Brian2Model(
        equations=_with_constants(_CURR_DELTA, _DELTA_PARAMETERS + ("p_mm",)),
        parameters=_DELTA_PARAMETERS, method=fixed_update(DELTA_UPDATE),
        constants=partial(lif_propagators, alpha=False, synapses=False),
        # Brian applies v's "unless refractory" to synaptic writes too
        # (measured): input arriving while refractory is dropped
        on_pre={"excitatory": "v_post += w", "inhibitory": "v_post += w"},
        variables=("v",), pathway_when="before_thresholds", delay_shift=-1),
    # not linear in (v, g): fixed-step RK4 (the choice is measured in
    # docs/backends/brian2.md: exponential Euler errs far more at dt = 0.1 ms)
    "IF_cond_exp": Brian2Model(
        equations=_with_constants(_COND_EXP, _LIF_PARAMETERS + ("e_rev_E", "e_rev_I")),
        parameters=_LIF_PARAMETERS + ("e_rev_E", "e_rev_I"), method="rk4",
        on_pre={"excitatory": "gsyn_exc_post += w", "inhibitory": "gsyn_inh_post += w"},
        variables=("v", "gsyn_exc", "gsyn_inh")),
    "IF_cond_alpha": Brian2Model(
        equations=_with_constants(_COND_ALPHA, _LIF_PARAMETERS + ("e_rev_E", "e_rev_I")),
        parameters=_LIF_PARAMETERS + ("e_rev_E", "e_rev_I"), method="rk4",
        on_pre=_ALPHA_ON_PRE, variables=("v", "gsyn_exc", "gsyn_inh")),
    # SpikeGeneratorGroup (times moved one step earlier: see simulation.py)
    "SpikeSourceArray": Brian2Model(kind="spike_array"),
    # a NeuronGroup firing with probability rate dt per step inside the window
    "SpikeSourcePoisson": Brian2Model(kind="poisson"),
}


def lookup(model):
    """The entry for `model`, or NotImplementedError naming it and the backend."""
    try:
        return MODELS[model]
    except KeyError:
        raise NotImplementedError(
            f"{model} is not supported yet by pineal's Brian 2 backend; supported: "
            f"{', '.join(sorted(MODELS))}") from None
