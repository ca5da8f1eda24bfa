"""High-precision reference solutions of single neurons (scipy DOP853, rtol 1e-12).

A helper for the validation tests, reusable by the cross-simulator scenarios.
It solves a model's ODEs in continuous time with the engine's discrete
conventions (docs/timing.md):

* input arriving at t = k dt is added at the end of step k - 1 (a jump of the
  state at t = k dt), and the sample recorded at t = k dt includes it;
* a threshold event (upward zero crossing of `event(y)`) is located exactly,
  `on_event` resets the state there, and the spike is stamped at the end of
  the step that contains the crossing;
* after a spike in the step ending at k dt, the model is `clamped` (the rhs
  receives clamped=True and events are off) until (k + refractory_steps) dt;
  with refractory_steps = 0 there is no clamp at all;
* after the jumps at a grid time, a state at or past threshold fires at once
  (voltage-jump synapses);
* a synaptic input jumps the state by the weight as the engine stores it
  (float32, stored.py): build input jumps with `weight_jump`.

The solution is piecewise: one solve_ivp call per interval between input
arrivals, spikes and ends of refractoriness, so a long trace costs a handful
of calls instead of one per step.
"""

import math

import numpy as np
from scipy.integrate import solve_ivp
from stored import stored_weight

RTOL = 1e-12
ATOL = 1e-12


def arrival_steps(spike_times, delay, dt):
    """Grid steps at which the spikes of a SpikeSourceArray arrive (times on the grid)."""
    return [int(round((t + delay) / dt)) for t in spike_times]


def weight_jump(index, weight, scale=1.0):
    """A jump (for hybrid_solve's `jumps`) adding scale * weight to y[index],
    with the weight as the engine stores it (float32)."""
    amount = stored_weight(weight) * scale

    def f(y):
        y = np.array(y, dtype=float)
        y[index] += amount
        return y
    return f


def hybrid_solve(rhs, y0, n_steps, dt, jumps=None, event=None, on_event=None,
                 refractory_steps=0, reset_at_step_end=False):
    """Samples (n_steps + 1, len(y0)) at the grid times and the spike stamps (steps).

    rhs(t, y, clamped) -> dy/dt; jumps: {step: [function(y) -> y, ...]};
    event(y) -> float, spike at an upward zero crossing; on_event(y) -> y.
    reset_at_step_end: the crossing marks the step, but the state runs on to
    the end of that step before on_event (models that test at step ends).
    """
    jumps = jumps or {}
    y = np.array(y0, dtype=float)
    samples = np.empty((n_steps + 1, len(y)))
    samples[0] = y
    spikes = []
    t = 0.0
    clamp_until = 0  # steps: clamped while t < clamp_until * dt
    jump_steps = sorted(s for s in jumps if 0 < s <= n_steps)

    def crossing(t_, y_, clamped):
        return event(y_)
    crossing.terminal = True
    crossing.direction = 1

    while t < n_steps * dt - 1e-12:
        clamped = t < clamp_until * dt - 1e-12
        now = int(math.floor(t / dt + 1e-9))  # last grid step at or before t
        stop = n_steps
        following = [s for s in jump_steps if s > now]
        if following:
            stop = min(stop, following[0])
        if clamped:
            stop = min(stop, clamp_until)
        events = crossing if (event is not None and not clamped) else None
        sol = solve_ivp(rhs, (t, stop * dt), y, method="DOP853", rtol=RTOL, atol=ATOL,
                        dense_output=True, events=events, args=(clamped,))
        if not sol.success:
            raise RuntimeError(sol.message)
        fired = events is not None and len(sol.t_events[0]) > 0
        t_end = sol.t_events[0][0] if fired else stop * dt
        for k in range(now + 1, stop + 1):
            if k * dt <= t_end + 1e-12:
                samples[k] = sol.sol(k * dt)
        if fired and reset_at_step_end:
            stamp = int(math.ceil(t_end / dt - 1e-9))
            rest = solve_ivp(rhs, (t_end, stamp * dt), sol.y_events[0][0], method="DOP853",
                             rtol=RTOL, atol=ATOL, args=(False,))
            y = rest.y[:, -1].copy()
            for f in jumps.get(stamp, []):
                y = f(y)
            y = on_event(y)
            spikes.append(stamp)
            if refractory_steps > 0:
                clamp_until = stamp + refractory_steps
            samples[stamp] = y
            t = stamp * dt
            continue
        if fired:
            y = on_event(np.array(sol.y_events[0][0]))
            t = t_end
            stamp = int(math.ceil(t / dt - 1e-9))
            spikes.append(stamp)
            if refractory_steps > 0:
                clamp_until = stamp + refractory_steps
            if stamp * dt - t < 1e-12:  # crossing exactly on the grid: sample after reset
                samples[stamp] = y
            continue
        y = sol.y[:, -1].copy()
        t = stop * dt
        for f in jumps.get(stop, []):
            y = f(y)
        if event is not None and not (t < clamp_until * dt - 1e-12) and event(y) >= 0:
            y = on_event(y)
            spikes.append(stop)
            if refractory_steps > 0:
                clamp_until = stop + refractory_steps
        samples[stop] = y
    return samples, np.array(spikes, dtype=int)


def single_input_scenario(sim, celltype, params, initial, dt, t_stop, exc_time, inh_time,
                          w_exc, w_inh, record, delay=1.0):
    """One cell of `celltype` with one excitatory and one inhibitory input spike.

    Returns {variable: trace} and the spike steps. The inputs come from a
    SpikeSourceArray through one-to-one static synapses with `delay`.
    """
    sim.setup(timestep=dt)
    src = sim.Population(2, sim.SpikeSourceArray(
        spike_times=[[exc_time] if exc_time is not None else [],
                     [inh_time] if inh_time is not None else []]))
    cell = sim.Population(1, celltype(**params), initial_values=initial)
    sim.Projection(src, cell, sim.FromListConnector([(0, 0)]),
                   sim.StaticSynapse(weight=w_exc, delay=delay), receptor_type="excitatory")
    sim.Projection(src, cell, sim.FromListConnector([(1, 0)]),
                   sim.StaticSynapse(weight=w_inh, delay=delay), receptor_type="inhibitory")
    cell.record(list(record) + ["spikes"])
    sim.run(t_stop)
    seg = cell.get_data().segments[0]
    traces = {name: seg.filter(name=name)[0].magnitude[:, 0] for name in record}
    spikes = np.round(seg.spiketrains[0].magnitude / dt).astype(int)
    sim.end()
    return traces, spikes


def engine_run(sim, celltype, params, initial, dt, t_stop, record):
    """One unconnected cell; returns {variable: trace} and the spike steps."""
    sim.setup(timestep=dt)
    cell = sim.Population(1, celltype(**params), initial_values=initial)
    cell.record(list(record) + ["spikes"])
    sim.run(t_stop)
    seg = cell.get_data().segments[0]
    traces = {name: seg.filter(name=name)[0].magnitude[:, 0] for name in record}
    spikes = np.round(seg.spiketrains[0].magnitude / dt).astype(int)
    sim.end()
    return traces, spikes
