"""IF_curr_delta: V jumps by the weight (mV) at arrival; exact integration.

Checked against the analytic membrane solution (the model is linear; bound
1e-10 mV: round-off only) and against a step-by-step DOP853 solve with the
engine's conventions, including NEST iaf_psc_delta's default of discarding
input that arrives while the cell is refractory.
"""

import numpy as np
from single_neuron import DT, adder, arrival_steps, check_refractory, reference, simulate

PARAMS = dict(cm=0.25, tau_m=10.0, v_rest=-65.0, v_reset=-70.0, v_thresh=-55.0,
              tau_refrac=2.0, i_offset=0.0)


def run_reference(p, v0, exc, inh, w_exc, w_inh, n_steps):
    def rhs(t, y, clamped):
        return [0.0 if clamped else (p["v_rest"] - y[0]) / p["tau_m"] + p["i_offset"] / p["cm"]]

    apply = adder(0, 0, arrival_steps(exc), arrival_steps(inh), w_exc, w_inh,
                  drop_when_clamped=True)
    (v,), spikes = reference(rhs, [v0], n_steps, apply, p["v_thresh"], p["v_reset"],
                             round(p["tau_refrac"] / DT))
    return v, spikes


def test_constant_current_matches_analytic():
    p = dict(PARAMS, i_offset=0.2)
    sig, spikes = simulate("IF_curr_delta", p, -68.0, t_stop=50.0)
    t = np.arange(501) * DT
    analytic = -57.0 + (-68.0 + 57.0) * np.exp(-t / p["tau_m"])
    assert len(spikes) == 0
    np.testing.assert_allclose(sig["v"], analytic, rtol=0, atol=1e-10)


def test_single_exc_and_inh_spike_jump_at_arrival():
    p = dict(PARAMS)
    sig, _ = simulate("IF_curr_delta", p, -65.0, [5.0], [25.0], 2.0, -3.0, 50.0)
    v = sig["v"]
    # Sent at 5.0 ms with delay 1.0 ms: V at 6.0 ms (sample 60) already shows
    # the jump, as in NEST's iaf_psc_delta; then it relaxes exactly.
    assert v[59] == -65.0
    np.testing.assert_allclose(v[60:260], -65.0 + 2.0 * np.exp(-np.arange(200) * DT / 10.0),
                               rtol=0, atol=1e-12)
    t = np.arange(241) * DT  # from the inhibitory arrival at 26.0 ms
    expected = -65.0 + 2.0 * np.exp(-(t + 20.0) / 10.0) - 3.0 * np.exp(-t / 10.0)
    np.testing.assert_allclose(v[260:], expected, rtol=0, atol=1e-12)
    ref, _ = run_reference(p, -65.0, [5.0], [25.0], 2.0, -3.0, 500)
    assert np.max(np.abs(v - ref)) < 1e-9


def test_input_lifting_v_over_threshold_fires_at_arrival():
    sig, spikes = simulate("IF_curr_delta", dict(PARAMS), -65.0, [5.0], [], 10.5, 0.0, 20.0)
    np.testing.assert_array_equal(spikes, [60])  # spike time == arrival time 6.0 ms
    assert sig["v"][60] == PARAMS["v_reset"]


def test_input_during_refractoriness_is_discarded():
    # First input fires the cell at 6.0 ms; refractory for 20 steps after that.
    # Input arriving at 7.0 ms (inside) is dropped, at 8.5 ms (after) is not.
    p = dict(PARAMS)
    sig, spikes = simulate("IF_curr_delta", p, -65.0, [5.0, 6.0, 7.5], [], 11.0, 0.0, 20.0)
    v = sig["v"]
    np.testing.assert_array_equal(spikes, [60])
    assert np.all(v[60:81] == -70.0)  # clamped through step 80
    # After the clamp V relaxes from v_reset: the dropped input is not applied
    # later either (NEST's refractory_input = true would add it here) ...
    np.testing.assert_allclose(v[80:85], -65.0 - 5.0 * np.exp(-np.arange(5) * DT / 10.0),
                               rtol=0, atol=1e-12)
    # ... and the input arriving after the clamp makes V jump.
    assert v[85] - v[84] > 10.9
    ref, ref_spikes = run_reference(p, -65.0, [5.0, 6.0, 7.5], [], 11.0, 0.0, 200)
    np.testing.assert_array_equal(spikes, ref_spikes)
    assert np.max(np.abs(v - ref)) < 1e-9


def test_spike_times_and_refractoriness_match_reference():
    p = dict(PARAMS, i_offset=0.35)
    exc = np.arange(3.0, 150.0, 3.7).round(1)
    inh = np.arange(10.0, 150.0, 5.1).round(1)
    sig, spikes = simulate("IF_curr_delta", p, -65.0, exc, inh, 1.5, -1.0, 150.0)
    v, ref_spikes = run_reference(p, -65.0, exc, inh, 1.5, -1.0, 1500)
    assert len(ref_spikes) >= 5
    np.testing.assert_array_equal(spikes, ref_spikes)
    assert np.max(np.abs(sig["v"] - v)) < 1e-9
    assert check_refractory(sig["v"], spikes, p["v_reset"], 20) >= 4
