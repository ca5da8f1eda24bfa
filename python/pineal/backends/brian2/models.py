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

import numpy as np

from pineal.backends.brian2.propagators import (
    CURR_ALPHA_UPDATE,
    CURR_EXP_UPDATE,
    DELTA_UPDATE,
    fixed_update,
    lif_propagators,
    substepped_rk4,
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
    # receptor type -> on_pre statement (weight: the synapse's, in PyNN units;
    # inhibitory current weights are negative, conductance weights positive)
    on_pre: dict = field(default_factory=dict)
    # recordable / initialisable state: PyNN name -> Brian variable (same units)
    variables: tuple = ()
    # the Brian slot of the synaptic pathways, and the shift of the delay (in
    # steps) that keeps pineal's arrival step there (see IF_curr_delta)
    pathway_when: str = "synapses"
    delay_shift: int = 0
    # spike rule (Brian threshold and reset code)
    threshold: str = "v >= v_thresh"
    reset: str = "v = v_reset"
    # (PyNN parameter arrays) -> refractory period in ms per cell, as pineal
    # counts it (v held that many ms after the spike step); None: no refractoriness
    refractory: Callable = lambda p: p["tau_refrac"]
    # statements run at the start of every step (before the state update)
    each_step: str = ""
    # derived variables: recordable, their initial values ignored (pineal
    # replaces them at the first step)
    derived: tuple = ()


_LIF_PARAMETERS = ("v_rest", "cm", "tau_m", "tau_syn_E", "tau_syn_I", "i_offset", "v_reset",
                   "v_thresh")

# cm dv/dt = cm (v_rest - v)/tau_m + I_exc + I_inh + i_offset
_CURR_EXP = """
dv/dt = ((v_rest - v) / tau_m
         + (isyn_exc + isyn_inh + i_offset + i_inj) / c_m) / ms : 1 (unless refractory)
disyn_exc/dt = -isyn_exc / tau_syn_E / ms : 1
disyn_inh/dt = -isyn_inh / tau_syn_I / ms : 1
"""

# cm dv/dt = g_L (v_rest - v) + g_e (e_rev_E - v) + g_i (e_rev_I - v) + i_offset, g_L = cm/tau_m
_COND_EXP = """
dv/dt = ((v_rest - v) / tau_m + (gsyn_exc * (e_rev_E - v) + gsyn_inh * (e_rev_I - v)
         + i_offset + i_inj) / c_m) / ms : 1 (unless refractory)
dgsyn_exc/dt = -gsyn_exc / tau_syn_E / ms : 1
dgsyn_inh/dt = -gsyn_inh / tau_syn_I / ms : 1
"""

# alpha conductance: as _COND_EXP with dg/dt = y - g/tau, dy/dt = -y/tau, y += w e/tau
_COND_ALPHA = """
dv/dt = ((v_rest - v) / tau_m + (gsyn_exc * (e_rev_E - v) + gsyn_inh * (e_rev_I - v)
         + i_offset + i_inj) / c_m) / ms : 1 (unless refractory)
dgsyn_exc/dt = (y_exc - gsyn_exc / tau_syn_E) / ms : 1
dgsyn_inh/dt = (y_inh - gsyn_inh / tau_syn_I) / ms : 1
dy_exc/dt = -y_exc / tau_syn_E / ms : 1
dy_inh/dt = -y_inh / tau_syn_I / ms : 1
"""

# delta synapses: v jumps by w at arrival (models/if_curr_delta.hpp)
_CURR_DELTA = """
dv/dt = ((v_rest - v) / tau_m + (i_offset + i_inj) / c_m) / ms : 1 (unless refractory)
"""

# alpha current: dI/dt = y - I/tau, dy/dt = -y/tau, y += w e/tau (models/if_curr_alpha.hpp)
_CURR_ALPHA = """
dv/dt = ((v_rest - v) / tau_m
         + (isyn_exc + isyn_inh + i_offset + i_inj) / c_m) / ms : 1 (unless refractory)
disyn_exc/dt = (y_exc - isyn_exc / tau_syn_E) / ms : 1
disyn_inh/dt = (y_inh - isyn_inh / tau_syn_I) / ms : 1
dy_exc/dt = -y_exc / tau_syn_E / ms : 1
dy_inh/dt = -y_inh / tau_syn_I / ms : 1
"""

# IF_cond_exp with adaptation and relative refractory conductances (nS, hence
# x 0.001 in the uS/nA membrane equation; models/if_cond_exp_gsfa_grr.hpp)
_GSFA_GRR = """
dv/dt = ((v_rest - v) / tau_m + (gsyn_exc * (e_rev_E - v) + gsyn_inh * (e_rev_I - v)
         + 0.001 * g_s * (e_rev_sfa - v) + 0.001 * g_r * (e_rev_rr - v)
         + i_offset + i_inj) / c_m) / ms : 1 (unless refractory)
dgsyn_exc/dt = -gsyn_exc / tau_syn_E / ms : 1
dgsyn_inh/dt = -gsyn_inh / tau_syn_I / ms : 1
dg_s/dt = -g_s / tau_sfa / ms : 1
dg_r/dt = -g_r / tau_rr / ms : 1
"""

# the FACETS hardware's fixed cm = 0.2 nF, e_rev_E = 0 mV, i_offset = 0; g_leak in nS
_FACETS = """
dv/dt = ((0.001 * g_leak * (v_rest - v) + gsyn_exc * (0 - v) + gsyn_inh * (e_rev_I - v)
         + i_inj) / 0.2) / ms : 1 (unless refractory)
dgsyn_exc/dt = -gsyn_exc / tau_syn_E / ms : 1
dgsyn_inh/dt = -gsyn_inh / tau_syn_I / ms : 1
"""

# AdEx (models/adex.hpp, as NEST's aeif_cond_*): the right-hand side sees
# min(v, v_peak), so the exponential stays bounded; v_peak is v_spike, or
# v_thresh where delta_T = 0 (then exp_on = 0: no exponential term, and
# dT_safe = 1 keeps the expression finite). a in nS -> x 0.001.
_ADEX_V = """
dv/dt = ((v_rest - clip(v, -1e9, v_peak)) / tau_m
         + exp_on * delta_T / tau_m * exp((clip(v, -1e9, v_peak) - v_thresh) / dT_safe)
         + (-w + gsyn_exc * (e_rev_E - clip(v, -1e9, v_peak))
            + gsyn_inh * (e_rev_I - clip(v, -1e9, v_peak)) + i_offset + i_inj) / c_m) / ms
         : 1 (unless refractory)
dw/dt = (0.001 * a * (clip(v, -1e9, v_peak) - v_rest) - w) / tau_w / ms : 1
"""
_ADEX_EXP = _ADEX_V + """
dgsyn_exc/dt = -gsyn_exc / tau_syn_E / ms : 1
dgsyn_inh/dt = -gsyn_inh / tau_syn_I / ms : 1
"""
_ADEX_ALPHA = _ADEX_V + """
dgsyn_exc/dt = (y_exc - gsyn_exc / tau_syn_E) / ms : 1
dgsyn_inh/dt = (y_inh - gsyn_inh / tau_syn_I) / ms : 1
dy_exc/dt = -y_exc / tau_syn_E / ms : 1
dy_inh/dt = -y_inh / tau_syn_I / ms : 1
"""

# Hodgkin-Huxley with Traub & Miles kinetics (models/hh_cond_exp.hpp);
# x / (exp(x) - 1) written 1 / exprel(x), finite at x = 0
_HH = """
dv/dt = ((-g_leak * (v - e_rev_leak) - gbar_Na * m**3 * h * (v - e_rev_Na)
          - gbar_K * n**4 * (v - e_rev_K) + gsyn_exc * (e_rev_E - v) + gsyn_inh * (e_rev_I - v)
          + i_offset + i_inj) / c_m) / ms : 1
dm/dt = (1.28 / exprel((13 - (v - v_offset)) / 4) * (1 - m)
         - 1.4 / exprel(((v - v_offset) - 40) / 5) * m) / ms : 1
dh/dt = (0.128 * exp((17 - (v - v_offset)) / 18) * (1 - h)
         - 4 / (1 + exp((40 - (v - v_offset)) / 5)) * h) / ms : 1
dn/dt = (0.16 / exprel((15 - (v - v_offset)) / 5) * (1 - n)
         - 0.5 * exp((10 - (v - v_offset)) / 40) * n) / ms : 1
dgsyn_exc/dt = -gsyn_exc / tau_syn_E / ms : 1
dgsyn_inh/dt = -gsyn_inh / tau_syn_I / ms : 1
v_start : 1
"""

# Izhikevich (2003); I (mV/ms) = 1000 x the current in nA (1 pF implicit)
_IZHIKEVICH = """
dv/dt = (0.04 * v**2 + 5 * v + 140 - u + 1000 * (i_offset + i_inj)) / ms : 1
du/dt = a * (b * v - u) / ms : 1
"""


_DELTA_PARAMETERS = ("v_rest", "cm", "tau_m", "i_offset", "v_reset", "v_thresh")
_GSFA_GRR_PARAMETERS = _LIF_PARAMETERS + ("e_rev_E", "e_rev_I", "tau_sfa", "e_rev_sfa", "q_sfa",
                                          "tau_rr", "e_rev_rr", "q_rr")
_FACETS_PARAMETERS = ("g_leak", "tau_syn_E", "tau_syn_I", "v_reset", "e_rev_I", "v_rest",
                      "v_thresh")
_ADEX_PARAMETERS = ("cm", "v_spike", "v_reset", "v_rest", "tau_m", "i_offset", "a", "b",
                    "delta_T", "tau_w", "v_thresh", "e_rev_E", "tau_syn_E", "e_rev_I", "tau_syn_I")
_ADEX_CONSTANTS = ("v_peak", "exp_on", "dT_safe")
_HH_PARAMETERS = ("gbar_Na", "gbar_K", "g_leak", "cm", "v_offset", "e_rev_Na", "e_rev_K",
                  "e_rev_leak", "e_rev_E", "e_rev_I", "tau_syn_E", "tau_syn_I", "i_offset")
_IZHIKEVICH_PARAMETERS = ("a", "b", "c", "d", "i_offset")

# PyNN names that Brian 2 reserves (cm is its centimetre)
BRIAN_NAME = {"cm": "c_m"}


def brian_name(name):
    """The Brian 2 variable holding the PyNN parameter `name`."""
    return BRIAN_NAME.get(name, name)


def _with_constants(equations, parameters):
    # i_inj: the current sources' sum (nA), set at the start of each step
    return equations + "i_inj : 1\n" + "\n".join(f"{brian_name(name)} : 1 (constant)"
                                                  for name in parameters) + "\n"


def _adex_constants(p, h):
    on = p["delta_T"] > 0.0
    return {"v_peak": np.where(on, p["v_spike"], p["v_thresh"]), "exp_on": on.astype(float),
            "dT_safe": np.where(on, p["delta_T"], 1.0)}


_GIF_PARAMETERS = ("v_rest", "cm", "tau_m", "tau_syn_E", "tau_syn_I", "e_rev_E", "e_rev_I",
                   "v_reset", "i_offset", "delta_v", "v_t_star", "lambda0")
_GIF_KERNELS = ("tau_eta", "a_eta", "tau_gamma", "a_gamma")


def _gif_length(p):
    """The number of kernel components, the same for every cell (Brian's
    variables are per group)."""
    lengths = {len(x) for name in _GIF_KERNELS for x in p[name]}
    if len(lengths) != 1:
        raise NotImplementedError("GIF_cond_exp kernels (tau_eta, a_eta, tau_gamma, a_gamma) "
                                  "of different lengths are not supported by pineal's Brian 2 "
                                  f"backend (lengths {sorted(lengths)})")
    return lengths.pop()


def _gif_equations(p):
    """GIF_cond_exp (models/gif_cond_exp.hpp) with K kernel components: eta_k
    (nA), gamma_k (mV); escape rate lambda0 exp((v - v_t)/delta_v) (Hz)."""
    k = range(_gif_length(p))
    eqs = ["dv/dt = ((v_rest - v) / tau_m + (gsyn_exc * (e_rev_E - v) + gsyn_inh * (e_rev_I - v)"
           " - i_eta + i_offset + i_inj) / c_m) / ms : 1 (unless refractory)",
           "dgsyn_exc/dt = -gsyn_exc / tau_syn_E / ms : 1",
           "dgsyn_inh/dt = -gsyn_inh / tau_syn_I / ms : 1"]
    eqs += [f"deta_{i}/dt = -eta_{i} / tau_eta_{i} / ms : 1" for i in k]
    eqs += [f"dgamma_{i}/dt = -gamma_{i} / tau_gamma_{i} / ms : 1" for i in k]
    eqs += ["i_eta = " + " + ".join(f"eta_{i}" for i in k) + " : 1",
            "v_t = v_t_star + " + " + ".join(f"gamma_{i}" for i in k) + " : 1"]
    constants = [f"{name}_{i} : 1 (constant)" for name in _GIF_KERNELS for i in k]
    return _with_constants("\n".join(eqs + constants) + "\n", _GIF_PARAMETERS)


def _gif_constants(p, h):
    return {f"{name}_{i}": np.array([x[i] for x in p[name]])
            for name in _GIF_KERNELS for i in range(_gif_length(p))}


def _gif_reset(p):
    k = range(_gif_length(p))
    return "\n".join(["v = v_reset"] + [f"eta_{i} += a_eta_{i}" for i in k]
                     + [f"gamma_{i} += a_gamma_{i}" for i in k])


# nonlinear models: RK4 in substeps of dt / k (k measured in docs/backends/brian2.md)
SUBSTEPS = {"adex": 1, "hh": 4, "izhikevich": 1}


def _propagator_names(alpha):
    names = ("p_mm", "p_exc", "p_inh", "p_vi_exc", "p_vi_inh")
    return names + (("p_vy_exc", "p_vy_inh") if alpha else ())


_ALPHA_ON_PRE = {"excitatory": f"y_exc_post += weight * {E!r} / tau_syn_E_post",
                 "inhibitory": f"y_inh_post += weight * {E!r} / tau_syn_I_post"}
_CURR_ON_PRE = {"excitatory": "isyn_exc_post += weight", "inhibitory": "isyn_inh_post += weight"}

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
        on_pre={"excitatory": "v_post += weight", "inhibitory": "v_post += weight"},
        variables=("v",), pathway_when="before_thresholds", delay_shift=-1),
    # not linear in (v, g): fixed-step RK4 (the choice is measured in
    # docs/backends/brian2.md: exponential Euler errs far more at dt = 0.1 ms)
    "IF_cond_exp": Brian2Model(
        equations=_with_constants(_COND_EXP, _LIF_PARAMETERS + ("e_rev_E", "e_rev_I")),
        parameters=_LIF_PARAMETERS + ("e_rev_E", "e_rev_I"), method="rk4",
        on_pre={"excitatory": "gsyn_exc_post += weight", "inhibitory": "gsyn_inh_post += weight"},
        variables=("v", "gsyn_exc", "gsyn_inh")),
    "IF_cond_alpha": Brian2Model(
        equations=_with_constants(_COND_ALPHA, _LIF_PARAMETERS + ("e_rev_E", "e_rev_I")),
        parameters=_LIF_PARAMETERS + ("e_rev_E", "e_rev_I"), method="rk4",
        on_pre=_ALPHA_ON_PRE, variables=("v", "gsyn_exc", "gsyn_inh")),
    "IF_cond_exp_gsfa_grr": Brian2Model(
        equations=_with_constants(_GSFA_GRR, _GSFA_GRR_PARAMETERS),
        parameters=_GSFA_GRR_PARAMETERS, method="rk4",
        on_pre={"excitatory": "gsyn_exc_post += weight", "inhibitory": "gsyn_inh_post += weight"},
        variables=("v", "gsyn_exc", "gsyn_inh", "g_s", "g_r"),
        reset="v = v_reset\ng_s += q_sfa\ng_r += q_rr"),
    "IF_facets_hardware1": Brian2Model(
        equations=_with_constants(_FACETS, _FACETS_PARAMETERS),
        parameters=_FACETS_PARAMETERS, method="rk4",
        on_pre={"excitatory": "gsyn_exc_post += weight", "inhibitory": "gsyn_inh_post += weight"},
        variables=("v", "gsyn_exc", "gsyn_inh"),
        refractory=lambda p: np.full_like(p["v_rest"], 1.0)),  # fixed by the hardware
    # reset when v reaches v_peak at a step end (pineal locates the crossing
    # inside the step; v is held at v_reset to the step end either way)
    "EIF_cond_exp_isfa_ista": Brian2Model(
        equations=_with_constants(_ADEX_EXP, _ADEX_PARAMETERS + _ADEX_CONSTANTS),
        parameters=_ADEX_PARAMETERS, method=substepped_rk4(SUBSTEPS["adex"]),
        constants=_adex_constants,
        on_pre={"excitatory": "gsyn_exc_post += weight", "inhibitory": "gsyn_inh_post += weight"},
        variables=("v", "w", "gsyn_exc", "gsyn_inh"),
        threshold="v >= v_peak", reset="v = v_reset\nw += b"),
    "EIF_cond_alpha_isfa_ista": Brian2Model(
        equations=_with_constants(_ADEX_ALPHA, _ADEX_PARAMETERS + _ADEX_CONSTANTS),
        parameters=_ADEX_PARAMETERS, method=substepped_rk4(SUBSTEPS["adex"]),
        constants=_adex_constants, on_pre=_ALPHA_ON_PRE,
        variables=("v", "w", "gsyn_exc", "gsyn_inh"),
        threshold="v >= v_peak", reset="v = v_reset\nw += b"),
    # no reset; NEST's spike rule (models/hh_cond_exp.hpp): the first step
    # ending at or above v_offset + 30 mV lower than it started, then
    # detection paused for 2 ms (Brian's refractoriness, v not held)
    "HH_cond_exp": Brian2Model(
        equations=_with_constants(_HH, _HH_PARAMETERS),
        parameters=_HH_PARAMETERS, method=substepped_rk4(SUBSTEPS["hh"]),
        on_pre={"excitatory": "gsyn_exc_post += weight", "inhibitory": "gsyn_inh_post += weight"},
        variables=("v", "gsyn_exc", "gsyn_inh", "m", "n", "h"),
        threshold="v >= v_offset + 30 and v < v_start", reset="",
        refractory=lambda p: np.full_like(p["v_offset"], 2.0), each_step="v_start = v"),
    # input jumps v before the threshold test, as IF_curr_delta (and NEST's
    # izhikevich); no refractoriness
    "Izhikevich": Brian2Model(
        equations=_with_constants(_IZHIKEVICH, _IZHIKEVICH_PARAMETERS),
        parameters=_IZHIKEVICH_PARAMETERS, method=substepped_rk4(SUBSTEPS["izhikevich"]),
        on_pre={"excitatory": "v_post += weight", "inhibitory": "v_post += weight"},
        variables=("v", "u"), pathway_when="before_thresholds", delay_shift=-1,
        threshold="v >= 30", reset="v = c\nu += d", refractory=None),
    # escape noise: a spike with probability 1 - exp(-lambda dt) per step,
    # from Brian's random numbers (statistically pineal's, not its draws)
    "GIF_cond_exp": Brian2Model(
        equations=_gif_equations, parameters=_GIF_PARAMETERS, method="rk4",
        constants=_gif_constants,
        on_pre={"excitatory": "gsyn_exc_post += weight", "inhibitory": "gsyn_inh_post += weight"},
        variables=("v", "gsyn_exc", "gsyn_inh", "i_eta", "v_t"), derived=("i_eta", "v_t"),
        threshold="rand() < 1 - exp(-lambda0 * exp((v - v_t) / delta_v) * dt / second)",
        reset=_gif_reset),
    # SpikeGeneratorGroup (times moved one step earlier: see simulation.py)
    "SpikeSourceArray": Brian2Model(kind="spike_array"),
    # renewal processes: trains drawn by the adapter for each run
    # (backends/renewal_sources.py), emitted by a SpikeGeneratorGroup
    "SpikeSourceGamma": Brian2Model(kind="renewal"),
    "SpikeSourcePoissonRefractory": Brian2Model(kind="renewal"),
    "SpikeSourceInhGamma": Brian2Model(kind="renewal"),
    # a NeuronGroup firing with probability rate dt per step inside the window
    "SpikeSourcePoisson": Brian2Model(kind="poisson"),
}


# why the other standard cell types have no Brian 2 counterpart here
WHY_NOT = {
    "PointNeuron": "composed cell types are not mapped by this backend",
}


def lookup(model):
    """The entry for `model`, or NotImplementedError naming it and the backend."""
    try:
        return MODELS[model]
    except KeyError:
        raise NotImplementedError(
            f"{model} is not supported by pineal's Brian 2 backend "
            f"({WHY_NOT.get(model, 'not mapped')}); supported: "
            f"{', '.join(sorted(MODELS))}") from None
