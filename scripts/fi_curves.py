"""f-I curves of the native integrate-and-fire models at 10 current levels,
written as Markdown tables to docs/models/fi_curves.md:

* the LIF family (IF_curr_*, IF_cond_*, IF_facets_hardware1 and the composed
  PointNeuron(LIF, AMPA=CondExp, GABA_A=CondExp)) with PyNN's default
  parameters and tau_refrac = 2 ms (for a visible refractory limit);
* the AdExp family (EIF_cond_exp_isfa_ista, EIF_cond_alpha_isfa_ista and
  PointNeuron(AdExp, AMPA=CondExp, GABA_A=CondExp)) with PyNN's defaults, at
  the levels of the per-model pages (docs/models/characterise.py).

Run: python scripts/fi_curves.py   (a few seconds)

Without synaptic input a composed PointNeuron is the same equation as its
standard counterpart (same defaults), so the script checks that their spike
times are identical and stops with an error otherwise. It also checks that
every spiking model of list_standard_models() has an f-I table, here or on its
own page (HH_cond_exp, Izhikevich, GIF_cond_exp: docs/models/characterise.py).

The continuous-time LIF rate 1/(tau_refrac + tau_m ln(R I / (R I - (v_thresh - v_reset))))
is given for comparison; the grid models (dt = 0.1 ms, spike at the end of the
step of the crossing, round(tau_refrac/dt) clamped steps after the spike
step) fire slightly slower, by up to about one step per interval.
"""

import math
import pathlib

import numpy as np
import pineal as sim

DOCS = pathlib.Path(__file__).resolve().parents[1] / "docs" / "models"
T = 1000.0  # ms
DT = 0.1    # ms

LIF_CURRENTS = np.round(np.linspace(0.8, 3.5, 10), 2)  # nA; rheobase (cm 1 nF, tau_m 20 ms) 0.75 nA
ADEX_CURRENTS = np.round(np.linspace(0.0, 1.8, 10), 2)  # nA; as on the EIF_* pages


def _point_neuron(body):
    return lambda **kw: sim.PointNeuron(body(**kw), AMPA=sim.CondExpPostSynapticResponse(),
                                        GABA_A=sim.CondExpPostSynapticResponse(e_syn=-70.0))


# column label -> (cell type factory, extra parameters, drive). drive "i_offset" sets the
# parameter; "DCSource" injects DCSource(amplitude=I) over the whole run (IF_facets_hardware1
# has i_offset fixed at 0, and tau_refrac fixed at 1 ms).
LIF_MODELS = {
    "IF_curr_exp": (sim.IF_curr_exp, "i_offset"),
    "IF_curr_alpha": (sim.IF_curr_alpha, "i_offset"),
    "IF_curr_delta": (sim.IF_curr_delta, "i_offset"),
    "IF_cond_exp": (sim.IF_cond_exp, "i_offset"),
    "IF_cond_alpha": (sim.IF_cond_alpha, "i_offset"),
    "IF_cond_exp_gsfa_grr": (sim.IF_cond_exp_gsfa_grr, "i_offset"),
    "PointNeuron(LIF)": (_point_neuron(sim.LIF), "i_offset"),
    "IF_facets_hardware1 (DCSource)": (lambda tau_refrac: sim.IF_facets_hardware1(), "DCSource"),
}
ADEX_MODELS = {
    "EIF_cond_exp_isfa_ista": (sim.EIF_cond_exp_isfa_ista, "i_offset"),
    "EIF_cond_alpha_isfa_ista": (sim.EIF_cond_alpha_isfa_ista, "i_offset"),
    "PointNeuron(AdExp)": (_point_neuron(sim.AdExp), "i_offset"),
}
# composed model -> standard model it must reproduce spike for spike
SAME_AS = {"PointNeuron(LIF)": "IF_cond_exp", "PointNeuron(AdExp)": "EIF_cond_exp_isfa_ista"}
# spiking models whose f-I table is on their own page (docs/models/characterise.py)
ON_OWN_PAGE = ["HH_cond_exp", "Izhikevich", "GIF_cond_exp"]


def spike_trains(factory, drive, currents, **params):
    sim.setup(timestep=DT)
    p = sim.Population(len(currents), factory(**params))
    if drive == "i_offset":
        p.set(i_offset=currents)
    else:
        for k, i in enumerate(currents):
            sim.DCSource(amplitude=float(i), start=0.0, stop=T).inject_into(p[k:k + 1])
    p.record("spikes")
    sim.run(T)
    trains = [np.asarray(st.magnitude) for st in p.get_data().segments[0].spiketrains]
    sim.end()
    return trains


def lif_rate(i):
    r, tau_m, gap = 20.0, 20.0, 15.0  # MOhm, ms, mV (v_thresh - v_reset)
    if r * i <= gap:
        return 0.0
    return 1000.0 / (2.0 + tau_m * math.log(r * i / (r * i - gap)))


def run_family(models, currents, **params):
    trains = {m: spike_trains(f, d, currents, **params) for m, (f, d) in models.items()}
    for composed, standard in SAME_AS.items():
        if composed in trains:
            for i, a, b in zip(currents, trains[composed], trains[standard]):
                if not np.array_equal(a, b):
                    raise SystemExit(f"{composed} and {standard} differ at I = {i} nA: "
                                     f"{len(a)} vs {len(b)} spikes")
    return {m: [len(t) / (T / 1000.0) for t in tr] for m, tr in trains.items()}


def check_coverage():
    spiking = [m for m in sim.list_standard_models() if not m.startswith("SpikeSource")]
    covered = ({m.split(" ")[0].split("(")[0] for m in [*LIF_MODELS, *ADEX_MODELS]}
               | set(ON_OWN_PAGE))
    missing = sorted(set(spiking) - covered)
    if missing:
        raise SystemExit(f"spiking standard models without an f-I table: {missing}")
    return spiking


def table(models, currents, rates, extra=None):
    head = ["I (nA)"] + ([extra[0]] if extra else []) + list(models)
    lines = ["| " + " | ".join(head) + " |", "|---" * len(head) + "|"]
    for k, i in enumerate(currents):
        row = [f"{i:.2f}"] + ([f"{extra[1](i):.1f}"] if extra else [])
        row += [f"{rates[m][k]:.0f}" for m in models]
        lines.append("| " + " | ".join(row) + " |")
    return lines


def main():
    spiking = check_coverage()
    lif = run_family(LIF_MODELS, LIF_CURRENTS, tau_refrac=2.0)
    adex = run_family(ADEX_MODELS, ADEX_CURRENTS)
    pages = ", ".join(f"[{m}]({m}.md)" for m in ON_OWN_PAGE)
    lines = [
        "# f-I curves of the integrate-and-fire models (native engine)", "",
        "Generated by `python scripts/fi_curves.py`. Protocol: one cell per current level, "
        "constant input current I from t = 0 for 1 s at dt = 0.1 ms, starting from the "
        "model's initial values (v = v_rest, w = 0, no synaptic input); rates are spike "
        "counts over the 1 s, in Hz. I is `i_offset`, except for IF_facets_hardware1, whose "
        "i_offset is fixed at 0: it gets `DCSource(amplitude=I, start=0, stop=1000)`.", "",
        "`PointNeuron(LIF)` is `PointNeuron(LIF(...), AMPA=CondExpPostSynapticResponse(), "
        "GABA_A=CondExpPostSynapticResponse(e_syn=-70.0))` and `PointNeuron(AdExp)` the same "
        "with `AdExp(...)`. Without synaptic input they are the equations of IF_cond_exp and "
        "EIF_cond_exp_isfa_ista with the same defaults; the script checks that their spike "
        "times are identical to those models' at every level (they are).", "",
        "## LIF family", "",
        "PyNN default parameters with tau_refrac = 2 ms. `LIF (continuous)` is the "
        "continuous-time rate of the LIF (cm 1 nF, tau_m 20 ms, v_thresh - v_reset = 15 mV); "
        "grid models fire up to one step per interval later. IF_cond_exp_gsfa_grr adapts. "
        "IF_facets_hardware1 has its own fixed values (cm 0.2 nF, g_leak 40 nS: tau_m 5 ms, "
        "R 25 MOhm, v_thresh - v_reset = 25 mV, tau_refrac 1 ms) and so a different curve.", "",
        *table(LIF_MODELS, LIF_CURRENTS, lif, ("LIF (continuous)", lif_rate)), "",
        "## AdExp family", "",
        "PyNN default parameters (tau_refrac 0.1 ms), the levels of "
        "[EIF_cond_exp_isfa_ista.md](EIF_cond_exp_isfa_ista.md), whose table also gives the "
        "first-ISI and steady (adapted) rates.", "",
        *table(ADEX_MODELS, ADEX_CURRENTS, adex), "",
        "## Other spiking models", "",
        f"{pages}: f-I tables on their own pages (same protocol, 10 levels each, with "
        "first-ISI and steady rates; `python docs/models/characterise.py`).", "",
        "Spiking standard models covered (every one of `list_standard_models()` except the "
        "spike sources): " + ", ".join(spiking) + ".",
    ]
    (DOCS / "fi_curves.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
