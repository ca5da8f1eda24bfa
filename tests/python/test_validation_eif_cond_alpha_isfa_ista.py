"""EIF_cond_alpha_isfa_ista against a high-precision ODE solve (DOP853, rtol 1e-12).

The reference (tests/python/adex_reference.py) solves the continuous model
with exact location of the v_spike crossing. The bound required by the
cell-library issue is 1e-3 mV subthreshold and identical spike steps. The
engine's RKF45 (models/rkf45.hpp) measures ~2e-10 mV subthreshold and ~4e-6 mV
over traces with spikes and resets (docs/models/EIF_cond_alpha_isfa_ista.md);
the assertions sit between the measured error and the bound so that a
coarser integrator or a convention change fails here.
"""

import numpy as np
import pineal as sim
import pytest
from adex_reference import single_inputs, subthreshold_constant_current, suprathreshold
from nest_reference import import_nest

ALPHA = True
CELL = sim.EIF_cond_alpha_isfa_ista


def test_subthreshold_constant_current():
    err_v, err_w, ref_v = subthreshold_constant_current(sim, CELL, ALPHA)
    assert np.ptp(ref_v) > 15.0  # close to rheobase: the exponential term is active
    assert err_v < 1e-7  # measured 1.9e-10 mV
    assert err_w < 1e-10  # nA


def test_single_excitatory_and_inhibitory_input():
    traces, ref = single_inputs(sim, CELL, ALPHA)
    assert np.ptp(ref[:, 0]) > 5.0
    np.testing.assert_allclose(traces["v"], ref[:, 0], rtol=0, atol=1e-7)  # measured 3e-9 mV
    np.testing.assert_allclose(traces["w"], ref[:, 1], rtol=0, atol=1e-10)
    np.testing.assert_allclose(traces["gsyn_exc"], ref[:, 2], rtol=0, atol=1e-10)
    np.testing.assert_allclose(traces["gsyn_inh"], ref[:, 3], rtol=0, atol=1e-10)
    # The input acts from the arrival step on (docs/timing.md): the alpha
    # conductance is still 0 at the arrival time and rises from there.
    arrival = int(round(21.0 / 0.1))
    assert traces["gsyn_exc"][arrival] == 0.0 and traces["gsyn_exc"][arrival + 1] > 0.0


@pytest.mark.parametrize("params, dt", [
    (dict(i_offset=1.0, tau_refrac=2.0), 0.1),
    (dict(i_offset=1.0, tau_refrac=0.0, b=0.2), 0.1),    # no refractory clamp
    (dict(i_offset=1.0, tau_refrac=2.0, delta_T=0.0), 0.1),  # hard threshold at v_thresh
    (dict(i_offset=2.0, tau_refrac=2.0, v_spike=-20.0), 1.0),  # coarse step, huge exp term
])
def test_spike_steps_match_reference(params, dt):
    traces, spikes, ref, ref_spikes = suprathreshold(sim, CELL, ALPHA, params, dt, 300.0)
    assert len(ref_spikes) >= 5
    np.testing.assert_array_equal(spikes, ref_spikes)
    assert np.all(np.isfinite(traces["v"]))
    # After resets the located crossing keeps the traces close (measured <= 5e-6 mV).
    assert np.max(np.abs(traces["v"] - ref[:, 0])) < 1e-4
    assert np.max(np.abs(traces["w"] - ref[:, 1])) < 1e-8


def test_reset_refractoriness_and_adaptation_jump():
    dt, tau_refrac, b = 0.1, 2.0, 0.0805
    params = dict(i_offset=1.0, tau_refrac=tau_refrac, b=b)
    traces, spikes, ref, _ = suprathreshold(sim, CELL, ALPHA, params, dt, 200.0)
    v, w = traces["v"], traces["w"]
    refractory_steps = int(round(tau_refrac / dt))
    assert len(spikes) >= 5
    for k in spikes:
        # Held at v_reset from the spike step through round(tau_refrac/dt) more steps.
        assert np.all(v[k:k + refractory_steps + 1] == -70.6)
        assert v[k + refractory_steps + 1] > -70.6
        # w jumps by b within the spike step (plus a slow drift < 1e-3 nA over one step).
        assert abs((w[k] - w[k - 1]) - b) < 1e-3
    # Spike-frequency adaptation: intervals lengthen.
    assert np.all(np.diff(np.diff(spikes)) > 0)


def test_pynn_reference_spike_times():
    """PyNN's own test (test_EIF_cond_alpha_isfa_ista in its scenario suite, dt = 0.01 ms):
    spike times within 0.1 % of PyNN's recorded ones."""
    expected = np.array([10.02, 25.52, 43.18, 63.42, 86.67, 113.13, 142.69, 174.79])
    from neuron_reference import engine_run
    _, spikes = engine_run(sim, CELL,
                           dict(i_offset=1.0, tau_refrac=2.0, v_spike=-40.0),
                           {"v": -65.0, "w": 0.0}, 0.01, 200.0, ["v"])
    np.testing.assert_allclose(spikes * 0.01, expected, rtol=1e-3)


def test_reset_at_or_above_spike_level_is_rejected():
    sim.setup(timestep=0.1)
    sim.Population(1, CELL(v_reset=-40.0, v_spike=-40.0))
    with pytest.raises(sim.errors.InvalidParameterValueError, match="v_reset"):
        sim.run(1.0)
    sim.end()



def test_against_nest():
    """NEST's aeif model (PyNN's mapping, shared reference §4.7), where PyNEST installs.

    Measured: subthreshold traces with one excitatory and one inhibitory
    input (same arrival convention) agree to 1e-14 mV (both integrators take
    0.1 ms substeps there); spike steps are identical. NEST resets at the end
    of the adaptive substep that passed v_spike instead of at the crossing, so
    its later trajectory runs slightly late: median 3e-4 mV (tau_refrac = 2)
    and 2e-3 mV (tau_refrac = 0), at most 0.06 and 0.24 mV on upstrokes.
    pineal's own error against DOP853 in these runs is below 5e-6 mV.
    """
    nest = import_nest()
    from adex_reference import against_nest
    w_exc, w_inh = (0.007, 0.02) if ALPHA else (0.02, 0.05)
    v, spikes, v_nest, spikes_nest = against_nest(sim, nest, CELL, ALPHA, dict(i_offset=0.3), 150.0,
                                                  [(20.0, w_exc), (60.0, w_inh)])
    assert len(spikes) == len(spikes_nest) == 0
    assert np.ptp(v) > 5.0
    assert np.max(np.abs(v - v_nest)) < 1e-9
    for params in (dict(i_offset=1.0, tau_refrac=2.0), dict(i_offset=1.0, tau_refrac=0.0, b=0.2)):
        v, spikes, v_nest, spikes_nest = against_nest(sim, nest, CELL, ALPHA, params, 300.0)
        assert len(spikes) >= 5
        np.testing.assert_array_equal(spikes, spikes_nest)
        assert np.median(np.abs(v - v_nest)) < 1e-2
        assert np.max(np.abs(v - v_nest)) < 0.5
