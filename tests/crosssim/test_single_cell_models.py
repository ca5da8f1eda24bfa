"""Scenario: each standard cell type the external backends map, driven by
input spikes (SpikeSourceArray, excitatory and inhibitory, delays 0.1-3.3 ms)
and a constant current; run on every installed backend and compared with the
native engine.

Criteria per model, from what each simulator integrates (measured values in
docs/backends/nest.md):
- exactly integrated models (IF_curr_*): spike steps identical, V within
  1e-9 mV (rounding only);
- NEST's GSL RKF45 models: spike steps identical (AdEx with alpha synapses:
  within one step, see below); V within a bound set from
  NEST's own error against a high-precision solve (docs/models/*.md): tight
  for the LIF conductance models (no reset inside a substep), looser where
  NEST resets at the end of an adaptive substep (AdEx) or a spike upstroke
  is steep (HH), where its trajectory runs slightly late after each spike.
"""

import numpy as np
import pytest
from backends import load, params
from sweep import Result, full_only

DT = 0.1
T = 150.0
INPUT = [[2.0, 10.3, 10.4, 31.0, 55.5, 56.0, 57.2, 90.0, 120.0], [5.0, 30.0, 44.4, 80.1, 130.0]]
EXC = [(0, 0, 1.0, 0.1), (0, 1, 1.5, 1.0), (0, 2, 0.8, 2.5), (1, 0, 1.2, 0.7), (1, 2, 2.0, 3.3)]
INH = [(1, 1, 0.5, 1.2), (0, 2, 0.3, 0.4)]

LIF = dict(tau_m=10.0, cm=0.25, v_rest=-65.0, v_reset=-70.0, v_thresh=-55.0, tau_refrac=2.0)
COND = dict(LIF, tau_syn_E=2.0, tau_syn_I=5.0, e_rev_E=0.0, e_rev_I=-80.0)

# model: (parameters, i_offset scale, weight scale, criterion). Criterion:
# (spike-step tolerance, max |dV| bound or None, median |dV| bound), mV.
# Measured on NEST 3.10 (max / median |dV|, spikes in the 3 cells):
MODELS = {
    # exact integration in both: rounding (3e-13 / 9e-14 mV)
    "IF_curr_exp": (dict(LIF, tau_syn_E=2.0, tau_syn_I=5.0), 0.28, 1.0, (0, 1e-9, 1e-9)),
    "IF_curr_alpha": (dict(LIF, tau_syn_E=0.5, tau_syn_I=2.0), 0.28, 0.5, (0, 1e-9, 1e-9)),
    "IF_curr_delta": (dict(LIF), 0.28, 3.0, (0, 1e-9, 1e-9)),
    # NEST's RKF45: 2.2e-9 / 4.6e-10 mV (21 spikes)
    "IF_cond_exp": (COND, 0.28, 0.02, (0, 1e-7, 1e-7)),
    # 1.6e-5 / 8e-8 mV (14 spikes); 2.7e-5 / 3e-10 mV (9 spikes)
    "IF_cond_alpha": (dict(COND, tau_syn_E=0.5), 0.28, 0.02, (0, 1e-4, 1e-6)),
    "IF_cond_exp_gsfa_grr": (dict(COND, q_sfa=15.0, q_rr=3000.0), 0.35, 0.02, (0, 1e-4, 1e-6)),
    # NEST resets at the end of an RKF45 substep and runs late after each
    # reset (docs/models/EIF_cond_exp_isfa_ista.md): 0.028 / 5.6e-5 mV (18
    # spikes). With alpha synapses (50 spikes) that lag moved one spike of
    # 50 one step later in NEST; around it V differs by the reset jump, so
    # the max is not bounded there: median 2.3e-4 mV.
    "EIF_cond_exp_isfa_ista": ({}, 0.8, 0.02, (0, 0.1, 1e-3)),
    "EIF_cond_alpha_isfa_ista": ({}, 0.8, 0.02, (1, None, 1e-3)),
    # NEST's looser tolerance on action-potential upstrokes
    # (docs/models/HH_cond_exp.md): 1.2 / 4.3e-4 mV (11 spikes)
    "HH_cond_exp": ({}, 0.2, 0.02, (0, 2.0, 1e-3)),
    # iaf_cond_exp with the fixed hardware values: 5.5e-9 / 2.6e-10 mV (112 spikes)
    "IF_facets_hardware1": ({}, 0.0, 0.01, (0, 1e-7, 1e-7)),
    # NEST integrates izhikevich with forward Euler (docs/models/Izhikevich.md):
    # its spikes come later and drift (first spikes 1-2 steps, later ones up
    # to 116 steps, 15 spikes): no spike-by-spike or trace criterion holds.
    # Criterion instead: each cell's spike count within 1, first spike not
    # earlier and at most 3 steps later in NEST.
    "Izhikevich": ({}, 0.01, 3.0, "euler"),
}

# Criteria of a backend that integrates a model otherwise than NEST does
# (docs/backends/brian2.md). Brian 2, dt = 0.1 ms, measured max / median |dV|:
# - fixed-step RK4 (IF_cond_*, gsfa_grr, facets): IF_cond_exp 4.5e-7 / 8.4e-8
#   mV (21 spikes); IF_cond_alpha (tau_syn_E = 0.5 ms = 5 dt) 5.3e-4 / 3.7e-6
#   (14); IF_cond_exp_gsfa_grr 7.5e-4 / 6.1e-8 (9; the 3 uS, 2 ms relative
#   refractory conductance after each spike); IF_facets_hardware1 1.1e-6 /
#   8.2e-8 (112). Both cond_exp/alpha shrink 16-18x when dt is halved: RK4's
#   fourth-order error. Bounds about 10x.
# - AdEx: Brian resets at the end of the step in which v reached v_spike,
#   pineal at the located crossing; in between w grows with v at v_spike
#   instead of v_reset, which moves the next trajectory (a first-order
#   effect: the median shrinks with dt, 2.6e-3 -> 9e-4 mV from 0.1 to 0.025
#   ms). Exp: 0.16 / 2.6e-3 mV, spikes identical (18); alpha: 45 of 50
#   spikes identical, 5 one or two steps later in Brian, median 1.0e-2 mV.
# - HH_cond_exp (RK4 in 4 substeps of dt/4; with 1 or 2 the upstrokes are
#   wrong by up to a step): 0.90 / 5.1e-5 mV, spikes identical: NEST's bound.
# - Izhikevich: reset at the step end after v overshoots 30 mV (pineal: at
#   the crossing), so spikes drift later (first spikes 0-1 steps, later up
#   to 58 steps): NEST's criterion ("euler") holds.
# The current-based models are exact there too: 3e-13 mV, NEST's criteria.
BACKEND_CRITERIA = {("pineal.brian2", "IF_cond_exp"): (0, 5e-6, 1e-6),
                    ("pineal.brian2", "IF_cond_alpha"): (0, 5e-3, 4e-5),
                    ("pineal.brian2", "IF_cond_exp_gsfa_grr"): (0, 7.5e-3, 1e-6),
                    ("pineal.brian2", "IF_facets_hardware1"): (0, 1e-5, 1e-6),
                    ("pineal.brian2", "EIF_cond_exp_isfa_ista"): (0, 1.0, 1e-2),
                    ("pineal.brian2", "EIF_cond_alpha_isfa_ista"): (2, None, 3e-2)}


# Step current (the "step" input): a StepCurrentSource per cell, no spike
# input; amplitude levels x (0.5, 1, 1.5) per cell of the model's current
# scale (IF_facets_hardware1 has no i_offset: 0.6 nA, enough to fire it).
STEP_TIMES = [10.0, 40.0, 80.0, 120.0]
STEP_LEVELS = [1.0, 2.5, 0.5, 2.0]
STEP_SCALE = {"IF_facets_hardware1": 0.6}


def scenario(sim, model, drive="spikes", **setup):
    """(spike steps per cell, V samples, spike times per cell)."""
    parameters, i_offset, scale, _ = MODELS[model]
    sim.setup(timestep=DT, min_delay=0.1, **setup)
    celltype = getattr(sim, model)(**parameters)
    cells = sim.Population(3, celltype)
    if drive == "step":
        amplitude = STEP_SCALE.get(model, i_offset)
        for k, factor in enumerate((0.5, 1.0, 1.5)):
            sim.StepCurrentSource(times=STEP_TIMES,
                                  amplitudes=[amplitude * factor * x for x in STEP_LEVELS]
                                  ).inject_into(cells[k:k + 1])
    else:
        src = sim.Population(2, sim.SpikeSourceArray(spike_times=INPUT))
        if celltype.has_parameter("i_offset"):
            cells.set(i_offset=np.array([0.0, 0.5, 1.0]) * i_offset)
        for conns, receptor in ((EXC, "excitatory"), (INH, "inhibitory")):
            sign = 1.0 if celltype.conductance_based or receptor == "excitatory" else -1.0
            sim.Projection(src, cells,
                           sim.FromListConnector([(i, j, sign * w * scale, d)
                                                  for i, j, w, d in conns]),
                           sim.StaticSynapse(), receptor_type=receptor)
    cells.record(["spikes", "v"])
    sim.run(T)
    seg = cells.get_data().segments[0]
    out = ([np.rint(st.magnitude / DT).astype(int).tolist() for st in seg.spiketrains],
           seg.analogsignals[0].magnitude, [st.magnitude.copy() for st in seg.spiketrains])
    sim.end()
    return out


_NATIVE = {}


def native(model, drive):
    if (model, drive) not in _NATIVE:
        _NATIVE[model, drive] = scenario(load("pineal.native"), model, drive)
    return _NATIVE[model, drive]


def measure(backend, model, drive="spikes"):
    """Runs the scenario on `backend` and the native engine; a Result."""
    ref, other = native(model, drive), scenario(load(backend), model, drive)
    n_ref = sum(len(s) for s in ref[0])
    counts = [len(x) for x in other[0]], [len(x) for x in ref[0]]
    criterion = MODELS[model][3]
    if criterion == "euler":
        firsts = [a[0] - b[0] for a, b in zip(other[0], ref[0]) if a and b]
        passed = (n_ref >= 2 and all(abs(a - b) <= 1 for a, b in zip(*counts))
                  and all(0 <= f <= 3 for f in firsts))
        return Result(passed, f"spike counts {counts[0]} vs native {counts[1]}; first spikes "
                      f"{firsts} steps later",
                      "counts within 1, first spike 0-3 steps later")
    steps, max_bound, median_bound = BACKEND_CRITERIA.get((backend, model), criterion)
    same_counts = counts[0] == counts[1]
    shift = max((int(np.max(np.abs(np.array(a) - np.array(b)))) for a, b in zip(*[
        other[0], ref[0]]) if a and len(a) == len(b)), default=0)
    diff = np.abs(other[1] - ref[1])
    passed = (n_ref >= 2 and same_counts and shift <= steps and other[1].shape == ref[1].shape
              and np.median(diff) < median_bound
              and (max_bound is None or diff.max() < max_bound))
    identical = "identical" if other[0] == ref[0] else f"within {shift} step" + "s" * (shift > 1)
    return Result(passed, f"{n_ref} spikes, steps {identical}"
                  + ("" if same_counts else f", counts {counts[0]} vs {counts[1]}")
                  + f"; max / median abs dV {diff.max():.2g} / {np.median(diff):.2g} mV",
                  ("identical spike steps" if steps == 0 else f"spike steps within {steps}")
                  + (f", max dV < {max_bound:g} mV" if max_bound is not None else "")
                  + f", median dV < {median_bound:g} mV")


EXTERNAL = [p for p in params() if p.id != "native"]
CASES = [(model, "spikes") for model in sorted(MODELS)] + [
    (model, "step") for model in sorted(MODELS)]


@pytest.mark.parametrize("backend", EXTERNAL)
@pytest.mark.parametrize("model, drive", [
    pytest.param(m, d, id=f"{m}-{d}") if d == "spikes" else full_only(m, d, id=f"{m}-{d}")
    for m, d in CASES])
def test_single_cell_agrees_with_native(model, drive, backend):
    if model not in load(backend).list_standard_models():
        pytest.skip(f"{model} is not mapped by {backend} yet")
    result = measure(backend, model, drive)
    assert result.passed, f"{result.difference} (criterion: {result.criterion})"
