"""Scenario: the Vogels-Abbott benchmark (CUBA and COBA, 4000 cells, 1 s;
examples/va_benchmark.py) on every installed backend: population statistics
against the native engine's (full sweep only: seconds on NEST, about a
minute on Brian 2's numpy target).

The networks are chaotic: float rounding differences grow until single
spikes differ, so no spike-by-spike criterion holds (the synapses and the
initial state are identical on every backend: pineal's connectors and
NumpyRNG). The criterion is statistical: for each statistic, the native
engine's spread over K = 5 seeds (sample mean m, standard deviation s) gives
the bound |x - m| < 4 s sqrt(1 + 1/K), x the backend's value for seed 1.
Statistics, over 100-1000 ms (after COBA's 50 ms kick):
- rate: mean rate of the excitatory and of the inhibitory cells (Hz);
- cv_isi: mean coefficient of variation of the inter-spike intervals of the
  excitatory cells with at least 5 spikes;
- synchrony: Fano factor of the network's spike count in 5 ms bins (1 for
  independent Poisson firing, larger when cells fire together).
"""

import hashlib

import numpy as np
import pytest
from backends import load, params
from sweep import Result, full_only

CELL = {"tau_m": 20.0, "cm": 0.2, "v_thresh": -50.0, "v_reset": -60.0, "tau_refrac": 5.0,
        "tau_syn_E": 5.0, "tau_syn_I": 10.0}
N, T, T0, DT = 4000, 1000.0, 100.0, 0.1
SEEDS = (1, 2, 3, 4, 5)
STATISTICS = ("rate_exc", "rate_inh", "cv_isi", "synchrony")


def build(sim, variant, seed):
    """The network of examples/va_benchmark.py, written against `sim`."""
    sim.setup(timestep=DT, min_delay=DT, max_delay=DT, rng_seed=seed)
    if variant == "COBA":
        celltype = sim.IF_cond_exp(**CELL, v_rest=-60.0, e_rev_E=0.0, e_rev_I=-80.0)
        w_exc, w_inh = 4.0e-3, 51.0e-3
    else:
        celltype = sim.IF_curr_exp(**CELL, v_rest=-49.0)
        w_exc, w_inh = 0.27e-3 * 60.0, 4.5e-3 * -20.0
    exc = sim.Population(3200, celltype, label="Excitatory_Cells")
    inh = sim.Population(800, celltype, label="Inhibitory_Cells")
    rng = sim.NumpyRNG(seed=seed)
    v_init = sim.RandomDistribution("uniform", (-60.0, -50.0), rng=rng)
    exc.initialize(v=v_init)
    inh.initialize(v=v_init)
    for pre, post, w, receptor in ((exc, exc, w_exc, "excitatory"),
                                   (exc, inh, w_exc, "excitatory"),
                                   (inh, exc, w_inh, "inhibitory"),
                                   (inh, inh, w_inh, "inhibitory")):
        sim.Projection(pre, post, sim.FixedProbabilityConnector(0.02, rng=rng),
                       sim.StaticSynapse(weight=w, delay=DT), receptor_type=receptor)
    if variant == "COBA":
        stim = sim.Population(20, sim.SpikeSourcePoisson(rate=100.0, duration=50.0))
        for target in (exc, inh):
            sim.Projection(stim, target, sim.FixedProbabilityConnector(0.01, rng=rng),
                           sim.StaticSynapse(weight=0.1, delay=DT), receptor_type="excitatory")
    exc.record("spikes")
    inh.record("spikes")
    return exc, inh


def statistics(sim, variant, seed):
    exc, inh = build(sim, variant, seed)
    sim.run(T)
    trains = {name: [st.magnitude[st.magnitude > T0] for st in
                     pop.get_data("spikes").segments[0].spiketrains]
              for name, pop in (("exc", exc), ("inh", inh))}
    sim.end()
    span = (T - T0) / 1000.0
    cvs = [np.std(np.diff(t)) / np.mean(np.diff(t)) for t in trains["exc"] if len(t) >= 5]
    counts, _ = np.histogram(np.concatenate(trains["exc"] + trains["inh"]),
                             np.arange(T0, T + 1e-9, 5.0))
    every = np.concatenate([np.rint(np.asarray(t) / DT) for t in trains["exc"] + trains["inh"]])
    return {"spikes": hashlib.sha256(np.asarray(every, dtype=np.int64).tobytes()).hexdigest(),
            "rate_exc": sum(map(len, trains["exc"])) / 3200 / span,
            "rate_inh": sum(map(len, trains["inh"])) / 800 / span,
            "cv_isi": float(np.mean(cvs)) if cvs else np.nan,
            "synchrony": float(counts.var() / counts.mean()) if counts.mean() > 0 else np.nan}


_NATIVE = {}


def native_spread(variant):
    if variant not in _NATIVE:
        runs = [statistics(load("pineal.native"), variant, s) for s in SEEDS]
        spread = {k: (np.mean([r[k] for r in runs]), np.std([r[k] for r in runs], ddof=1))
                  for k in STATISTICS}
        _NATIVE[variant] = spread, runs[0]["spikes"]
    return _NATIVE[variant]


def measure(backend, variant):
    (spread, native_spikes), got = native_spread(variant), statistics(load(backend), variant,
                                                                      SEEDS[0])
    bound = 4.0 * np.sqrt(1.0 + 1.0 / len(SEEDS))
    passed = spread["rate_exc"][0] > 1.0 and all(
        abs(got[k] - spread[k][0]) < bound * spread[k][1] for k in STATISTICS)
    same = "identical to" if got["spikes"] == native_spikes else "differ from"
    text = f"spikes (100-1000 ms) {same} native's; " + "; ".join(
        f"{k} {got[k]:.3g} (native {spread[k][0]:.3g} +/- {spread[k][1]:.2g})"
        for k in STATISTICS)
    return Result(passed, text, f"each within {bound:.2f} native SDs of the native mean "
                  f"({len(SEEDS)} seeds)")


CASES = ("CUBA", "COBA")


@pytest.mark.parametrize("backend", [p for p in params() if p.id != "native"])
@pytest.mark.parametrize("variant", [full_only(v, id=v) for v in CASES])
def test_va_statistics_agree_with_native(variant, backend):
    result = measure(backend, variant)
    assert result.passed, f"{result.difference} (criterion: {result.criterion})"
