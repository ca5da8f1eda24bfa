"""IF_cond_alpha against a high-precision ODE solve (DOP853, rtol 1e-12).

The alpha conductance is solved as dg/dt = y - g/tau, dy/dt = -y/tau with
y += w e/tau at arrival. The issue's bound is 1e-3 mV subthreshold and
identical spike steps; the exponential integrator's measured error is ~1e-9 mV
(docs/models/IF_cond_alpha.md), so the tests assert 1e-6 mV: losing three
orders of magnitude of accuracy fails here.
"""

import math

import numpy as np
import pytest
from single_neuron import (
    DT,
    adder,
    arrival_steps,
    check_huge_conductance_step,
    check_refractory,
    reference,
    simulate,
)
from stored import stored_weight

PARAMS = dict(cm=0.2, tau_m=20.0, v_rest=-60.0, e_rev_E=0.0, e_rev_I=-80.0, tau_syn_E=0.3,
              tau_syn_I=2.0, i_offset=0.0, v_reset=-60.0, v_thresh=-50.0, tau_refrac=2.0)


def run_reference(p, v0, exc, inh, w_exc, w_inh, n_steps):
    g_l = p["cm"] / p["tau_m"]

    def rhs(t, y, clamped):
        v, ge, ye, gi, yi = y
        dv = 0.0 if clamped else (g_l * (p["v_rest"] - v) + ge * (p["e_rev_E"] - v)
                                  + gi * (p["e_rev_I"] - v) + p["i_offset"]) / p["cm"]
        return [dv, ye - ge / p["tau_syn_E"], -ye / p["tau_syn_E"],
                yi - gi / p["tau_syn_I"], -yi / p["tau_syn_I"]]

    apply = adder(2, 4, arrival_steps(exc), arrival_steps(inh), w_exc, w_inh,
                  scale_exc=math.e / p["tau_syn_E"], scale_inh=math.e / p["tau_syn_I"])
    (v, ge, gi), spikes = reference(rhs, [v0, 0, 0, 0, 0], n_steps, apply, p["v_thresh"],
                                    p["v_reset"], round(p["tau_refrac"] / DT), record=(0, 1, 3))
    return v, ge, gi, spikes


def test_constant_current_matches_analytic():
    p = dict(PARAMS, i_offset=0.05)  # V_inf = -60 + 0.05 * 100 = -55 mV
    sig, spikes = simulate("IF_cond_alpha", p, -62.0, t_stop=50.0)
    t = np.arange(501) * DT
    analytic = -55.0 + (-62.0 + 55.0) * np.exp(-t / p["tau_m"])
    assert len(spikes) == 0
    np.testing.assert_allclose(sig["v"], analytic, rtol=0, atol=1e-9)


@pytest.mark.parametrize("tau_syn_E", [0.3, 5.0])
def test_single_exc_and_inh_spike(tau_syn_E):
    p = dict(PARAMS, tau_syn_E=tau_syn_E, v_thresh=100.0)
    sig, _ = simulate("IF_cond_alpha", p, -60.0, [35.0], [5.0], 0.02, 0.01, 60.0,
                      ("v", "gsyn_exc", "gsyn_inh"))
    v, ge, gi, _ = run_reference(p, -60.0, [35.0], [5.0], 0.02, 0.01, 600)
    assert np.max(np.abs(sig["v"] - v)) < 1e-6
    np.testing.assert_allclose(sig["gsyn_exc"], ge, rtol=1e-9, atol=1e-14)
    np.testing.assert_allclose(sig["gsyn_inh"], gi, rtol=1e-9, atol=1e-14)
    # PyNN's kernel: the conductance peaks at w (as stored), tau_syn after the arrival.
    assert sig["gsyn_exc"][int(round((36.0 + tau_syn_E) / DT))] == pytest.approx(
        stored_weight(0.02), rel=1e-12)
    assert sig["gsyn_inh"][int(round((6.0 + 2.0) / DT))] == pytest.approx(stored_weight(0.01),
                                                                          rel=1e-12)
    assert v[:360].min() < -60.5 and v.max() > -59.0  # both inputs visibly move V


def test_spike_times_and_refractoriness_match_reference():
    p = dict(PARAMS, i_offset=0.045)
    rng = np.random.default_rng(3)
    exc = np.sort(np.round(rng.uniform(1.0, 290.0, 300), 1))
    inh = np.sort(np.round(rng.uniform(1.0, 290.0, 60), 1))
    sig, spikes = simulate("IF_cond_alpha", p, -60.0, exc, inh, 0.006, 0.01, 300.0)
    v, _, _, ref_spikes = run_reference(p, -60.0, exc, inh, 0.006, 0.01, 3000)
    assert len(ref_spikes) >= 5
    np.testing.assert_array_equal(spikes, ref_spikes)
    assert np.max(np.abs(sig["v"] - v)) < 1e-6
    assert check_refractory(sig["v"], spikes, p["v_reset"], 20) >= 4


@pytest.mark.parametrize("w", [10.0, 40.0, 200.0])
@pytest.mark.parametrize("receptor", ["excitatory", "inhibitory"])
def test_huge_conductance_steps_are_substepped(w, receptor):
    """Stiff steps are substepped (single_neuron.check_huge_conductance_step)."""
    check_huge_conductance_step("IF_cond_alpha", PARAMS, -60.0, run_reference, w, receptor)
