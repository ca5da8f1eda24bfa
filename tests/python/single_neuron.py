"""Single-neuron scenarios and a high-precision step-by-step reference.

Reusable by the model validation tests (and later by the NEST/Brian 2
comparisons): `simulate` runs one cell of a pineal model driven by one
excitatory and one inhibitory SpikeSourceArray; `reference` integrates the
model's ODE with scipy's DOP853 (rtol 1e-12) one time step at a time, using
the engine's discrete conventions (docs/timing.md) and the weights as the
engine stores them (float32, stored.py): input arriving at the end
of a step is applied there, threshold is checked at the end of each step, V is
held at v_reset for round(tau_refrac/dt) steps after the spike step while the
synaptic variables keep evolving.
"""

import numpy as np
import pineal as sim
from scipy.integrate import solve_ivp
from stored import stored_weight

DT = 0.1
DELAY = 1.0


def simulate(model, params, v0, exc_times=(), inh_times=(), w_exc=0.0, w_inh=0.0,
             t_stop=100.0, variables=("v",)):
    """Recorded signals {name: array} and spike steps of one cell."""
    sim.setup(timestep=DT)
    src = sim.Population(2, sim.SpikeSourceArray(spike_times=[list(exc_times),
                                                              list(inh_times)]))
    cell = sim.Population(1, getattr(sim, model)(**params), initial_values={"v": v0})
    if len(exc_times):
        sim.Projection(src, cell, sim.FromListConnector([(0, 0)]),
                       sim.StaticSynapse(weight=w_exc, delay=DELAY), receptor_type="excitatory")
    if len(inh_times):
        sim.Projection(src, cell, sim.FromListConnector([(1, 0)]),
                       sim.StaticSynapse(weight=w_inh, delay=DELAY), receptor_type="inhibitory")
    cell.record(list(variables) + ["spikes"])
    sim.run(t_stop)
    seg = cell.get_data().segments[0]
    signals = {name: seg.filter(name=name)[0].magnitude[:, 0] for name in variables}
    spikes = np.round(seg.spiketrains[0].magnitude / DT).astype(int)
    sim.end()
    return signals, spikes


def arrival_steps(times):
    """Steps at whose end spikes sent at `times` arrive (delay DELAY)."""
    return np.round((np.asarray(times, dtype=float) + DELAY) / DT).astype(int)


def reference(rhs, y0, n_steps, apply_input, v_thresh, v_reset, refractory_steps,
              on_spike=None, record=(0,)):
    """Traces of the state components in `record` (n_steps + 1 samples each) and
    spike steps. rhs(t, y, clamped) is the ODE (dV/dt must be 0 when clamped);
    apply_input(y, step, clamped) adds the input arriving at the end of `step`;
    on_spike(y) applies spike-triggered jumps besides the reset."""
    y = np.array(y0, dtype=float)
    traces = [[y[i]] for i in record]
    spikes, left = [], 0
    for k in range(n_steps):
        clamped = left > 0
        sol = solve_ivp(rhs, (k * DT, (k + 1) * DT), y, method="DOP853", rtol=1e-12,
                        atol=1e-13, args=(clamped,))
        y = sol.y[:, -1].copy()
        if clamped:
            left -= 1
        apply_input(y, k + 1, clamped)
        if y[0] >= v_thresh:
            spikes.append(k + 1)
            y[0] = v_reset
            left = refractory_steps
            if on_spike is not None:
                on_spike(y)
        for trace, i in zip(traces, record):
            trace.append(y[i])
    return [np.array(t) for t in traces], np.array(spikes, dtype=int)


def adder(index_exc, index_inh, exc_steps, inh_steps, w_exc, w_inh, drop_when_clamped=False,
          scale_exc=1.0, scale_inh=1.0):
    """apply_input adding scale * w per arriving spike to y[index], w the weight
    as the engine stores it (float32, stored.py); scale: the kernel's factor
    (e / tau_syn for alpha synapses)."""
    jump_exc = stored_weight(w_exc) * scale_exc
    jump_inh = stored_weight(w_inh) * scale_inh

    def apply(y, step, clamped):
        if drop_when_clamped and clamped:
            return
        y[index_exc] += jump_exc * np.count_nonzero(exc_steps == step)
        y[index_inh] += jump_inh * np.count_nonzero(inh_steps == step)
    return apply


def check_refractory(v, spikes, v_reset, steps):
    """Asserts that V is v_reset on each spike sample and `steps` more, and moves
    on the next sample (spikes too close to the end are skipped); returns how
    many spikes were checked."""
    checked = 0
    for s in spikes:
        if s + steps + 1 >= len(v):
            continue
        assert np.all(v[s:s + steps + 1] == v_reset), f"not clamped after spike step {s}"
        assert v[s + steps + 1] != v_reset, f"clamped too long after spike step {s}"
        checked += 1
    return checked


def check_huge_conductance_step(model, params, v0, run_reference, w, receptor, e_rev_e=None):
    """A w = 10-200 uS input at 5 ms on a 0.2 nF cell makes a step's conductance
    decay B(h) = int g dt / C far above 1: one quadrature then overshoots the
    reversal potential (models/stiff_linear_step.hpp), so such steps take
    substeps. V must match the high-precision solve run_reference(p, v0, exc,
    inh, w_exc, w_inh, n_steps) within 1e-6 mV and stay between the reversal
    potentials (e_rev_e when the model fixes it)."""
    p = dict(params, v_thresh=100.0)
    w_exc, w_inh = (w, 0.0) if receptor == "excitatory" else (0.0, w)
    sig, _ = simulate(model, p, v0, [5.0], [5.0], w_exc, w_inh, 20.0)
    v = run_reference(p, v0, [5.0], [5.0], w_exc, w_inh, 200)[0]
    assert np.max(np.abs(sig["v"] - v)) < 1e-6
    top = p["e_rev_E"] if e_rev_e is None else e_rev_e
    assert np.all(sig["v"] >= p["e_rev_I"]) and np.all(sig["v"] <= top)
    assert np.ptp(v) > 10.0  # the input really moved V
