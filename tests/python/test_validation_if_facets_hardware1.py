"""IF_facets_hardware1 against DOP853 (rtol 1e-12): IF_cond_exp with the fixed
hardware values cm = 0.2 nF, tau_refrac = 1 ms, e_rev_E = 0 mV, i_offset = 0
and the leak as g_leak (nS). Bound 1e-6 mV (integrator error ~1e-9 mV)."""

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

PARAMS = dict(g_leak=40.0, tau_syn_E=30.0, tau_syn_I=30.0, v_reset=-80.0, e_rev_I=-80.0,
              v_rest=-65.0, v_thresh=-55.0)


def run_reference(p, v0, exc, inh, w_exc, w_inh, n_steps):
    g_l = 0.001 * p["g_leak"]

    def rhs(t, y, clamped):
        v, ge, gi = y
        dv = 0.0 if clamped else (g_l * (p["v_rest"] - v) + ge * (0.0 - v)
                                  + gi * (p["e_rev_I"] - v)) / 0.2
        return [dv, -ge / p["tau_syn_E"], -gi / p["tau_syn_I"]]

    apply = adder(1, 2, arrival_steps(exc), arrival_steps(inh), w_exc, w_inh)
    (v,), spikes = reference(rhs, [v0, 0, 0], n_steps, apply, p["v_thresh"], p["v_reset"], 10)
    return v, spikes


def test_relaxation_matches_analytic():
    # No current input exists (i_offset is fixed at 0): relaxation to v_rest
    # with tau_m = 0.2 nF / g_leak = 5 ms.
    sig, spikes = simulate("IF_facets_hardware1", dict(PARAMS), -75.0, t_stop=30.0)
    t = np.arange(301) * DT
    np.testing.assert_allclose(sig["v"], -65.0 - 10.0 * np.exp(-t / 5.0), rtol=0, atol=1e-9)
    assert len(spikes) == 0


def test_single_exc_and_inh_spike():
    p = dict(PARAMS, v_thresh=100.0)
    sig, _ = simulate("IF_facets_hardware1", p, -65.0, [35.0], [5.0], 0.002, 0.002, 80.0)
    v, _ = run_reference(p, -65.0, [35.0], [5.0], 0.002, 0.002, 800)
    assert np.max(np.abs(sig["v"] - v)) < 1e-6
    assert v[:360].min() < -65.3 and v.max() > -63.5


def test_spike_times_and_refractoriness_match_reference():
    p = dict(PARAMS)
    exc = np.arange(3.0, 200.0, 2.1).round(1)
    inh = np.arange(10.0, 200.0, 13.3).round(1)
    sig, spikes = simulate("IF_facets_hardware1", p, -65.0, exc, inh, 0.0015, 0.002, 200.0)
    v, ref_spikes = run_reference(p, -65.0, exc, inh, 0.0015, 0.002, 2000)
    assert len(ref_spikes) >= 5
    np.testing.assert_array_equal(spikes, ref_spikes)
    assert np.max(np.abs(sig["v"] - v)) < 1e-6
    # tau_refrac is fixed at 1 ms: v_reset on the spike sample and 10 more.
    assert check_refractory(sig["v"], spikes, -80.0, 10) >= 4


@pytest.mark.parametrize("w", [10.0, 40.0, 200.0])
@pytest.mark.parametrize("receptor", ["excitatory", "inhibitory"])
def test_huge_conductance_steps_are_substepped(w, receptor):
    """Stiff steps are substepped (single_neuron.check_huge_conductance_step)."""
    check_huge_conductance_step("IF_facets_hardware1", PARAMS, -65.0, run_reference, w, receptor,
                                e_rev_e=0.0)
