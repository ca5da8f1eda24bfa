"""Single neurons on NEST through PyNEST (PyPI nest-simulator), for comparison.

Used by the validation tests where PyNEST imports (else they skip). Parameters
are translated as PyNN's NEST backend does (shared reference §4.7): nF -> pF,
nA -> pA, uS -> nS (x 1000), g_L = cm / tau_m. Input weights are rounded to
float32 first (stored.py), as pineal stores them and as its NEST backend
passes them on, so both simulators integrate the same input. Returns the
membrane trace sampled every dt from t = dt (NEST's multimeter) with the
initial value prepended, and the spike times as steps.
"""

import numpy as np
import pytest
from stored import stored_weight


def import_nest():
    """PyNEST, or skip the calling test where it is absent or does not load."""
    try:
        import nest
    except Exception as err:  # ImportError, or a broken binary install
        pytest.skip(f"PyNEST not available: {err}")
    return nest


def _adex(p):
    return dict(C_m=1000 * p["cm"], g_L=1000 * p["cm"] / p["tau_m"], E_L=p["v_rest"],
                V_reset=p["v_reset"], V_peak=p["v_spike"], V_th=p["v_thresh"],
                Delta_T=p["delta_T"], tau_w=p["tau_w"], a=p["a"], b=1000 * p["b"],
                t_ref=p["tau_refrac"], I_e=1000 * p["i_offset"], E_ex=p["e_rev_E"],
                E_in=p["e_rev_I"], tau_syn_ex=p["tau_syn_E"], tau_syn_in=p["tau_syn_I"])


def _hh(p):
    return dict(g_Na=1000 * p["gbar_Na"], g_K=1000 * p["gbar_K"], g_L=1000 * p["g_leak"],
                C_m=1000 * p["cm"], V_T=p["v_offset"], E_Na=p["e_rev_Na"], E_K=p["e_rev_K"],
                E_L=p["e_rev_leak"], E_ex=p["e_rev_E"], E_in=p["e_rev_I"],
                tau_syn_ex=p["tau_syn_E"], tau_syn_in=p["tau_syn_I"], I_e=1000 * p["i_offset"])


def _izhikevich(p):
    return dict(a=p["a"], b=p["b"], c=p["c"], d=p["d"], I_e=1000 * p["i_offset"])


def _gif(p):
    tau_eta = p.get("tau_eta", [1.0, 10.0, 100.0])
    a_eta = p.get("a_eta", [1.0, 1.0, 1.0])
    tau_gamma = p.get("tau_gamma", [1.0, 10.0, 100.0])
    a_gamma = p.get("a_gamma", [1.0, 1.0, 1.0])
    return dict(E_L=p["v_rest"], C_m=1000 * p["cm"], g_L=1000 * p["cm"] / p["tau_m"],
                t_ref=p["tau_refrac"], tau_syn_ex=p["tau_syn_E"], tau_syn_in=p["tau_syn_I"],
                E_ex=p["e_rev_E"], E_in=p["e_rev_I"], V_reset=p["v_reset"],
                I_e=1000 * p["i_offset"], Delta_V=p["delta_v"], V_T_star=p["v_t_star"],
                lambda_0=p["lambda0"], tau_stc=list(tau_eta), q_stc=[1000 * a for a in a_eta],
                tau_sfa=list(tau_gamma), q_sfa=list(a_gamma))


TRANSLATE = {"aeif_cond_exp": _adex, "aeif_cond_alpha": _adex, "hh_cond_exp_traub": _hh,
             "izhikevich": _izhikevich, "gif_cond_exp": _gif}


def run_nest(nest, model, params, initial, dt, t_stop, inputs=(), delay=1.0):
    """params: PyNN names with every parameter given; initial: NEST state names;
    inputs: (spike time, PyNN weight) pairs, excitatory for w > 0 and inhibitory
    for w < 0 (NEST's sign convention; PyNN weights, as stored, x 1000)."""
    traces, spikes = run_nest_traces(nest, model, params, initial, dt, t_stop, inputs, delay)
    return traces["V_m"], spikes


def run_nest_traces(nest, model, params, initial, dt, t_stop, inputs=(), delay=1.0,
                    record=("V_m",), first=None):
    """As run_nest, with NEST's variables `record` (first samples: `first`, or
    initial values) in a dict."""
    nest.ResetKernel()
    nest.verbosity = nest.VerbosityLevel.ERROR
    nest.resolution = dt
    cell = nest.Create(model, params=dict(TRANSLATE[model](params), **initial))
    mm = nest.Create("multimeter", params={"record_from": list(record), "interval": dt})
    sr = nest.Create("spike_recorder")
    nest.Connect(mm, cell)
    nest.Connect(cell, sr)
    for t, w in inputs:
        gen = nest.Create("spike_generator", params={"spike_times": [t]})
        nest.Connect(gen, cell, syn_spec={"weight": 1000.0 * stored_weight(w), "delay": delay})
    # The multimeter hands over its samples one min_delay slice late: run
    # one delay longer and cut.
    nest.Simulate(t_stop + delay)
    n_steps = int(round(t_stop / dt))
    events = mm.get("events")
    order = np.argsort(events["times"])
    first = dict(initial, **(first or {}))
    traces = {name: np.concatenate([[first[name]], np.asarray(events[name])[order]])[:n_steps + 1]
              for name in record}
    spikes = np.round(np.asarray(sr.get("events")["times"]) / dt).astype(int)
    return traces, np.sort(spikes[spikes <= n_steps])
