"""IF_curr_alpha against a high-precision ODE solve (DOP853, rtol 1e-12).

The alpha current is solved as the linear system dI/dt = y - I/tau,
dy/dt = -y/tau, y += w e/tau at arrival (I peaks at w, tau after arrival).
The model is linear and integrated exactly, so the only difference is the
reference's own error: the bound 1e-10 mV is far above that (measured 3e-13 mV) and far
below the issue's 1e-3 mV, so a propagator slip of any consequence fails.
"""

import math

import numpy as np
import pytest
from single_neuron import DT, adder, arrival_steps, check_refractory, reference, simulate

PARAMS = dict(cm=0.25, tau_m=10.0, v_rest=-65.0, v_reset=-70.0, v_thresh=-55.0,
              tau_syn_E=0.5, tau_syn_I=2.0, tau_refrac=2.0, i_offset=0.0)


def run_reference(p, v0, exc, inh, w_exc, w_inh, n_steps):
    def rhs(t, y, clamped):
        v, ie, ye, ii, yi = y
        dv = (0.0 if clamped
              else (p["v_rest"] - v) / p["tau_m"] + (ie + ii + p["i_offset"]) / p["cm"])
        return [dv, ye - ie / p["tau_syn_E"], -ye / p["tau_syn_E"],
                yi - ii / p["tau_syn_I"], -yi / p["tau_syn_I"]]

    apply = adder(2, 4, arrival_steps(exc), arrival_steps(inh), w_exc, w_inh,
                  scale_exc=math.e / p["tau_syn_E"], scale_inh=math.e / p["tau_syn_I"])
    (v, ie, ii), spikes = reference(rhs, [v0, 0, 0, 0, 0], n_steps, apply, p["v_thresh"],
                                    p["v_reset"], round(p["tau_refrac"] / DT), record=(0, 1, 3))
    return v, ie, ii, spikes


def test_constant_current_matches_analytic():
    p = dict(PARAMS, i_offset=0.2)  # V_inf = -65 + 0.2 * 40 = -57 mV: subthreshold
    sig, spikes = simulate("IF_curr_alpha", p, -68.0, t_stop=50.0)
    t = np.arange(501) * DT
    r = p["tau_m"] / p["cm"]  # MOhm
    analytic = -65.0 + 0.2 * r + (-68.0 + 65.0 - 0.2 * r) * np.exp(-t / p["tau_m"])
    assert len(spikes) == 0
    np.testing.assert_allclose(sig["v"], analytic, rtol=0, atol=1e-10)  # round-off only


@pytest.mark.parametrize("tau_syn_E", [0.5, 10.0, 10.0 * (1 + 1e-9), 10.0 * (1 + 1e-4), 3.0])
def test_single_exc_and_inh_spike(tau_syn_E):
    # tau_syn_E == tau_m and values a hair away: the propagator must not cancel.
    p = dict(PARAMS, tau_syn_E=tau_syn_E, v_thresh=100.0)
    sig, _ = simulate("IF_curr_alpha", p, -65.0, [25.0], [5.0], 0.5, -0.4, 60.0)
    v, ie, _, _ = run_reference(p, -65.0, [25.0], [5.0], 0.5, -0.4, 600)
    assert np.max(np.abs(sig["v"] - v)) < 1e-10
    # The reference realises PyNN's kernel: the current peaks at w, tau_syn after
    # arrival, and the simulated V follows it.
    assert ie.max() == pytest.approx(0.5, rel=1e-3)
    assert v.min() < -65.2 and v.max() > -64.9  # both inputs visibly move V


def test_spike_times_and_refractoriness_match_reference():
    p = dict(PARAMS, i_offset=0.4)
    exc = np.arange(3.0, 150.0, 7.3).round(1)
    inh = np.arange(10.0, 150.0, 11.1).round(1)
    sig, spikes = simulate("IF_curr_alpha", p, -65.0, exc, inh, 0.2, -0.2, 150.0)
    v, _, _, ref_spikes = run_reference(p, -65.0, exc, inh, 0.2, -0.2, 1500)
    assert len(ref_spikes) >= 5
    np.testing.assert_array_equal(spikes, ref_spikes)
    assert np.max(np.abs(sig["v"] - v)) < 1e-10
    # Held at v_reset on the spike sample and round(tau_refrac/dt) = 20 more.
    assert check_refractory(sig["v"], spikes, p["v_reset"], 20) >= 4
