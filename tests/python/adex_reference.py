"""Reference model and scenarios of the adaptive exponential IF neurons
(EIF_cond_exp_isfa_ista, EIF_cond_alpha_isfa_ista) for the validation tests.

The reference is the continuous model of shared/reference/pynn-api.md §4.3
solved with DOP853 (tests/python/neuron_reference.py): the crossing of
v_spike is located exactly, V is reset to v_reset and w jumps by b there,
and V is held at v_reset until the end of the step plus round(tau_refrac/dt)
steps (docs/models/EIF_cond_exp_isfa_ista.md).
"""

import math

import numpy as np
from neuron_reference import arrival_steps, hybrid_solve, weight_jump

DEFAULTS = dict(cm=0.281, tau_refrac=0.1, v_spike=-40.0, v_reset=-70.6, v_rest=-70.6,
                tau_m=9.3667, i_offset=0.0, a=4.0, b=0.0805, delta_T=2.0, tau_w=144.0,
                v_thresh=-50.4, e_rev_E=0.0, tau_syn_E=5.0, e_rev_I=-80.0, tau_syn_I=5.0)


def reference(params, v0, w0, n_steps, dt, alpha, exc=(), inh=(), w_exc=0.0, w_inh=0.0):
    """Samples of (v, w, gsyn_exc, gsyn_inh) and spike steps; exc/inh: arrival steps."""
    p = dict(DEFAULTS, **params)
    g_l = p["cm"] / p["tau_m"]
    dT = p["delta_T"]
    peak = p["v_spike"] if dT > 0 else p["v_thresh"]

    def rhs(t, y, clamped):
        V = p["v_reset"] if clamped else y[0]
        spike = g_l * dT * math.exp((V - p["v_thresh"]) / dT) if dT > 0 else 0.0
        dv = 0.0 if clamped else (-g_l * (V - p["v_rest"]) + spike - y[1]
                                  + y[2] * (p["e_rev_E"] - V) + y[3] * (p["e_rev_I"] - V)
                                  + p["i_offset"]) / p["cm"]
        dw = (1e-3 * p["a"] * (V - p["v_rest"]) - y[1]) / p["tau_w"]
        if alpha:
            return [dv, dw, (math.e * y[4] - y[2]) / p["tau_syn_E"],
                    (math.e * y[5] - y[3]) / p["tau_syn_I"], -y[4] / p["tau_syn_E"],
                    -y[5] / p["tau_syn_I"]]
        return [dv, dw, -y[2] / p["tau_syn_E"], -y[3] / p["tau_syn_I"]]

    def on_spike(y):
        y[0] = p["v_reset"]
        y[1] += p["b"]
        return y

    jumps = {}
    for k in exc:
        jumps.setdefault(k, []).append(weight_jump(4 if alpha else 2, w_exc))
    for k in inh:
        jumps.setdefault(k, []).append(weight_jump(5 if alpha else 3, w_inh))
    y0 = [v0, w0, 0.0, 0.0] + ([0.0, 0.0] if alpha else [])
    samples, spikes = hybrid_solve(rhs, y0, n_steps, dt, jumps, event=lambda y: y[0] - peak,
                                   on_event=on_spike,
                                   refractory_steps=int(round(p["tau_refrac"] / dt)))
    return samples[:, :4], spikes


def subthreshold_constant_current(sim, celltype, alpha):
    """Max |v - v_ref| (mV) and |w - w_ref| (nA) under a constant current just below
    rheobase, where the exponential term matters, over 300 ms at dt = 0.1 ms."""
    from neuron_reference import engine_run
    dt, t_stop = 0.1, 300.0
    params = dict(i_offset=0.55)
    traces, spikes = engine_run(sim, celltype, params, {"v": -70.6, "w": 0.0}, dt, t_stop,
                                ["v", "w"])
    ref, ref_spikes = reference(params, -70.6, 0.0, int(round(t_stop / dt)), dt, alpha)
    assert len(spikes) == 0 and len(ref_spikes) == 0
    return (np.max(np.abs(traces["v"] - ref[:, 0])), np.max(np.abs(traces["w"] - ref[:, 1])),
            ref[:, 0])


def single_inputs(sim, celltype, alpha):
    """One excitatory spike at 20 ms and one inhibitory spike at 60 ms (delay 1 ms)."""
    from neuron_reference import single_input_scenario
    dt, t_stop, delay = 0.1, 150.0, 1.0
    params = dict(i_offset=0.3)
    # An alpha conductance carries e times the charge of an exponential one of
    # the same peak, so its weights are smaller for a similar subthreshold effect.
    w_exc, w_inh = (0.007, 0.02) if alpha else (0.02, 0.05)
    traces, spikes = single_input_scenario(sim, celltype, params, {"v": -65.0, "w": 0.0}, dt,
                                           t_stop, 20.0, 60.0, w_exc, w_inh,
                                           ["v", "w", "gsyn_exc", "gsyn_inh"], delay)
    ref, ref_spikes = reference(params, -65.0, 0.0, int(round(t_stop / dt)), dt, alpha,
                                arrival_steps([20.0], delay, dt), arrival_steps([60.0], delay, dt),
                                w_exc, w_inh)
    assert len(spikes) == 0 and len(ref_spikes) == 0
    return traces, ref


def suprathreshold(sim, celltype, alpha, params, dt, t_stop):
    from neuron_reference import engine_run
    traces, spikes = engine_run(sim, celltype, params, {"v": -65.0, "w": 0.0}, dt, t_stop,
                                ["v", "w"])
    ref, ref_spikes = reference(params, -65.0, 0.0, int(round(t_stop / dt)), dt, alpha)
    return traces, spikes, ref, ref_spikes


def against_nest(sim, nest, celltype, alpha, params, t_stop, inputs=()):
    """Traces and spike steps of pineal and of NEST's aeif_cond_exp/alpha, one cell."""
    from nest_reference import run_nest
    from neuron_reference import engine_run, single_input_scenario
    dt = 0.1
    if inputs:
        (t_e, w_e), (t_i, w_i) = inputs
        traces, spikes = single_input_scenario(sim, celltype, params, {"v": -65.0, "w": 0.0}, dt,
                                               t_stop, t_e, t_i, w_e, w_i, ["v"])
        nest_inputs = [(t_e, w_e), (t_i, -w_i)]
    else:
        traces, spikes = engine_run(sim, celltype, params, {"v": -65.0, "w": 0.0}, dt, t_stop,
                                    ["v"])
        nest_inputs = []
    v, nest_spikes = run_nest(nest, "aeif_cond_alpha" if alpha else "aeif_cond_exp",
                              dict(DEFAULTS, **params), {"V_m": -65.0, "w": 0.0}, dt, t_stop,
                              nest_inputs)
    return traces["v"], spikes, v, nest_spikes
