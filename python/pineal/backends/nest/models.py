"""One translation entry per standard model: PyNN model -> NEST model.

Facts from PyNN's NEST mapping (shared reference, pynn-api.md §4.7): nF -> pF,
nA -> pA, uS -> nS (x 1000); conductance models take g_L = cm / tau_m (x 1000)
instead of tau_m; iaf_psc_delta takes its weight in mV. Models not listed here
raise NotImplementedError on the NEST backend.
"""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class NestModel:
    nest_name: str
    # PyNN parameter arrays (a mapping name -> array) -> NEST parameter arrays
    parameters: Callable
    kind: str = "neuron"          # "neuron", "spike_array" or "poisson"
    weight_scale: float = 1000.0  # PyNN weight unit -> NEST's (nA -> pA, uS -> nS)
    conductance_based: bool = False
    # recordable / initialisable state: PyNN name -> (NEST name, factor PyNN -> NEST)
    variables: dict = field(default_factory=dict)
    # the variables NEST lets us set (None: all of `variables`); the others
    # must start at 0, NEST's own initial value
    settable: tuple = None
    # derived from other state (initial values ignored, as pineal replaces
    # them at the first step)
    derived: tuple = ()


def _lif_common(p):
    return dict(E_L=p["v_rest"], V_reset=p["v_reset"], C_m=1000.0 * p["cm"],
                t_ref=p["tau_refrac"], V_th=p["v_thresh"], I_e=1000.0 * p["i_offset"])


def _lif_curr(p):
    return dict(_lif_common(p), tau_m=p["tau_m"], tau_syn_ex=p["tau_syn_E"],
                tau_syn_in=p["tau_syn_I"])


def _lif_delta(p):
    return dict(_lif_common(p), tau_m=p["tau_m"])


def _lif_cond(p):
    return dict(_lif_common(p), g_L=1000.0 * p["cm"] / p["tau_m"], tau_syn_ex=p["tau_syn_E"],
                tau_syn_in=p["tau_syn_I"], E_ex=p["e_rev_E"], E_in=p["e_rev_I"])


def _lif_sfa_rr(p):
    # q_sfa, q_rr are in nS in PyNN already
    return dict(_lif_cond(p), tau_sfa=p["tau_sfa"], E_sfa=p["e_rev_sfa"], q_sfa=p["q_sfa"],
                tau_rr=p["tau_rr"], E_rr=p["e_rev_rr"], q_rr=p["q_rr"])


def _adex(p):
    return dict(C_m=1000.0 * p["cm"], g_L=1000.0 * p["cm"] / p["tau_m"], E_L=p["v_rest"],
                V_reset=p["v_reset"], V_peak=p["v_spike"], V_th=p["v_thresh"],
                Delta_T=p["delta_T"], tau_w=p["tau_w"], a=p["a"], b=1000.0 * p["b"],
                t_ref=p["tau_refrac"], I_e=1000.0 * p["i_offset"], E_ex=p["e_rev_E"],
                E_in=p["e_rev_I"], tau_syn_ex=p["tau_syn_E"], tau_syn_in=p["tau_syn_I"])


def _hh(p):
    # t_ref: NEST's default 2 ms, which pineal's HH_cond_exp follows
    return dict(g_Na=1000.0 * p["gbar_Na"], g_K=1000.0 * p["gbar_K"], g_L=1000.0 * p["g_leak"],
                C_m=1000.0 * p["cm"], V_T=p["v_offset"], E_Na=p["e_rev_Na"], E_K=p["e_rev_K"],
                E_L=p["e_rev_leak"], E_ex=p["e_rev_E"], E_in=p["e_rev_I"],
                tau_syn_ex=p["tau_syn_E"], tau_syn_in=p["tau_syn_I"], I_e=1000.0 * p["i_offset"])


def _facets(p):
    # the hardware's fixed values, as PyNN's NEST mapping sets them
    return dict(C_m=200.0, t_ref=1.0, E_ex=0.0, I_e=0.0, g_L=p["g_leak"], E_L=p["v_rest"],
                V_reset=p["v_reset"], V_th=p["v_thresh"], E_in=p["e_rev_I"],
                tau_syn_ex=p["tau_syn_E"], tau_syn_in=p["tau_syn_I"])


def _izhikevich(p):
    return dict(a=p["a"], b=p["b"], c=p["c"], d=p["d"], I_e=1000.0 * p["i_offset"])


def _gif(p):
    # PyNN's mapping (pynn-api.md §4.7); the kernels are one sequence per cell
    return dict(E_L=p["v_rest"], C_m=1000.0 * p["cm"], g_L=1000.0 * p["cm"] / p["tau_m"],
                t_ref=p["tau_refrac"], tau_syn_ex=p["tau_syn_E"], tau_syn_in=p["tau_syn_I"],
                E_ex=p["e_rev_E"], E_in=p["e_rev_I"], V_reset=p["v_reset"],
                I_e=1000.0 * p["i_offset"], Delta_V=p["delta_v"], V_T_star=p["v_t_star"],
                lambda_0=p["lambda0"], tau_stc=p["tau_eta"], tau_sfa=p["tau_gamma"],
                q_stc=[[1000.0 * x for x in q] for q in p["a_eta"]], q_sfa=p["a_gamma"])


_V = {"v": ("V_m", 1.0)}
_G = {"gsyn_exc": ("g_ex", 1000.0), "gsyn_inh": ("g_in", 1000.0)}

MODELS = {
    "IF_curr_exp": NestModel("iaf_psc_exp", _lif_curr, variables=_V),
    "IF_curr_alpha": NestModel("iaf_psc_alpha", _lif_curr, variables=_V),
    # iaf_psc_delta: the weight is the jump of V_m in mV, PyNN's unit already
    "IF_curr_delta": NestModel("iaf_psc_delta", _lif_delta, weight_scale=1.0, variables=_V),
    "IF_cond_exp": NestModel("iaf_cond_exp", _lif_cond, conductance_based=True,
                             variables=dict(_V, **_G)),
    "IF_cond_alpha": NestModel("iaf_cond_alpha", _lif_cond, conductance_based=True,
                               variables=dict(_V, **_G)),
    "IF_cond_exp_gsfa_grr": NestModel(
        "iaf_cond_exp_sfa_rr", _lif_sfa_rr, conductance_based=True,
        variables=dict(_V, **_G, g_s=("g_sfa", 1.0), g_r=("g_rr", 1.0))),
    "EIF_cond_exp_isfa_ista": NestModel("aeif_cond_exp", _adex, conductance_based=True,
                                        variables=dict(_V, **_G, w=("w", 1000.0))),
    "EIF_cond_alpha_isfa_ista": NestModel("aeif_cond_alpha", _adex, conductance_based=True,
                                          variables=dict(_V, **_G, w=("w", 1000.0))),
    "HH_cond_exp": NestModel("hh_cond_exp_traub", _hh, conductance_based=True,
                             variables=dict(_V, **_G, m=("Act_m", 1.0), n=("Act_n", 1.0),
                                            h=("Inact_h", 1.0)),
                             settable=("v", "m", "n", "h")),
    "IF_facets_hardware1": NestModel("iaf_cond_exp", _facets, conductance_based=True,
                                     variables=dict(_V, **_G)),
    # NEST integrates izhikevich with forward Euler: see docs/backends/nest.md
    "Izhikevich": NestModel("izhikevich", _izhikevich, weight_scale=1.0,
                            variables=dict(_V, u=("U_m", 1.0))),
    # escape noise from NEST's random numbers: statistically equivalent only;
    # i_eta and v_t are derived in NEST (not settable), as in pineal
    "GIF_cond_exp": NestModel("gif_cond_exp", _gif, conductance_based=True,
                              variables=dict(_V, **_G, i_eta=("I_stc", 1000.0),
                                             v_t=("E_sfa", 1.0)),
                              settable=("v", "gsyn_exc", "gsyn_inh"), derived=("v_t", "i_eta")),
    # spike_generator connected straight to the targets (see simulation.py)
    "SpikeSourceArray": NestModel("spike_generator", None, kind="spike_array"),
    # renewal processes: trains drawn by the adapter (backends/renewal_sources.py)
    # and given to a spike_generator per cell for each run (NEST's
    # gamma_sup_generator and ppd_sup_generator have no start/duration in
    # PyNN's mapping, and their start in equilibrium is not checked)
    "SpikeSourceGamma": NestModel("spike_generator", None, kind="renewal"),
    "SpikeSourcePoissonRefractory": NestModel("spike_generator", None, kind="renewal"),
    # inh_gamma_generator is not in the standard NEST build: drawn the same way
    "SpikeSourceInhGamma": NestModel("spike_generator", None, kind="renewal"),
    # poisson_generator + one parrot_neuron per cell (a generator alone sends
    # an independent train to each target)
    "SpikeSourcePoisson": NestModel("poisson_generator", None, kind="poisson"),
}


# why the other standard cell types have no NEST model here
WHY_NOT = {
    "PointNeuron": "composed cell types have no NEST counterpart in this backend",
}


def lookup(model):
    """The entry for `model`, or NotImplementedError naming it and the backend."""
    try:
        return MODELS[model]
    except KeyError:
        why = WHY_NOT.get(model, "not mapped")
        raise NotImplementedError(
            f"{model} is not supported by pineal's NEST backend ({why}); supported: "
            f"{', '.join(sorted(MODELS))}") from None
