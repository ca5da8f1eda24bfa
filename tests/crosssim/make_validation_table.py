"""Writes docs/validation.md: every cross-simulator scenario (the full sweep)
on every installed external backend against the native engine, with
pass/fail and the measured difference, and the NEST vs Brian 2 single-cell
differences.

    python tests/crosssim/make_validation_table.py [--out docs/validation.md]

Takes a few minutes (the VA benchmark statistics run the native engine on 5
seeds and each backend once). A backend whose simulator does not import is
listed as not run, with the reason.
"""

import argparse
import datetime
import importlib
import pathlib
import platform
import sys
import time
import warnings
from functools import partial

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import numpy as np
import test_current_sources_on_backends as sources
import test_feedforward_lif as feedforward
import test_gif_statistics as gif
import test_nest_off_grid as off_grid
import test_plasticity_on_backends as plasticity
import test_renewal_sources_on_backends as renewal
import test_single_cell_models as single
import test_va_statistics as va
import test_views_on_backends as views
from backends import EXTERNAL, load

# cases run where the adapter maps the synapse type
DYNAMIC = ("TsodyksMarkramSynapse", "STDPMechanism", "SimpleStochasticSynapse",
           "MultiQuantalSynapse", "StochasticTsodyksMarkramSynapse")
SECTIONS = [
    ("Single cells under input spikes and constant current (test_single_cell_models.py)",
     [(m, partial(single.measure, model=m, drive="spikes"), m) for m in sorted(single.MODELS)]),
    ("Single cells under step current (test_single_cell_models.py, drive 'step')",
     [(m, partial(single.measure, model=m, drive="step"), m) for m in sorted(single.MODELS)]),
    ("GIF_cond_exp, escape noise (test_gif_statistics.py)",
     [(c, partial(gif.measure, case=c), "GIF_cond_exp") for c in gif.CASES]),
    ("Renewal spike sources (test_renewal_sources_on_backends.py)",
     [(k, partial(renewal.measure, kind=k), k) for k in renewal.CASES]
     + [("SpikeSourceInhGamma", renewal.measure_inh_gamma, "SpikeSourceInhGamma")]),
    ("Current sources (test_current_sources_on_backends.py)",
     [(c, partial(sources.measure, case=c), None) for c in sources.CASES]),
    ("Feed-forward IF_curr_exp network, one per connector (test_feedforward_lif.py)",
     [(c, partial(feedforward.measure, connector=c), None) for c in feedforward.CASES]),
    ("Projections with PopulationViews and an Assembly (test_views_on_backends.py)",
     [("views and assembly", views.measure, None)]),
    ("Dynamic synapses (test_plasticity_on_backends.py)",
     [(f"TsodyksMarkramSynapse, {c}", partial(plasticity.measure_tm, case=c),
       "TsodyksMarkramSynapse")
      for c in plasticity.TM_CASES]
     + [(f"STDPMechanism, SpikePairRule, {d}, {p}",
         partial(plasticity.measure_stdp, dependence=d, protocol=p), "STDPMechanism")
        for d, p in plasticity.STDP_CASES]
     + [("SimpleStochasticSynapse, 400 x 30 spikes, p = 0.3", plasticity.measure_stochastic,
         "SimpleStochasticSynapse")]
     + [(c, partial(plasticity.measure_quantal, case=c), plasticity.QUANTAL_CASES[c][0])
        for c in plasticity.QUANTAL_CASES]),
    ("Vogels-Abbott benchmark statistics, 4000 cells, 1 s (test_va_statistics.py)",
     [(v, partial(va.measure, variant=v), None) for v in va.CASES]),
]


def installed():
    out = {}
    for module, dependency in EXTERNAL.values():
        try:
            importlib.import_module(dependency)
            out[module] = None
        except Exception as err:  # noqa: BLE001
            out[module] = f"{dependency} does not import ({err})"
    return out


def versions():
    import numpy
    parts = [f"Python {platform.python_version()}", f"numpy {numpy.__version__}"]
    for name in ("nest", "brian2"):
        try:
            module = importlib.import_module(name)
            version = getattr(module, "__version__", None) or module.__version__
            parts.append(f"{name} {version}")
        except Exception:  # noqa: BLE001
            parts.append(f"{name}: not importable")
    return ", ".join(parts)


def nest_vs_brian2(model, drive):
    a = single.scenario(load("pineal.nest"), model, drive)
    b = single.scenario(load("pineal.brian2"), model, drive)
    diff = np.abs(a[1] - b[1])
    steps = "identical" if a[0] == b[0] else "differ"
    return f"spike steps {steps}; max / median abs dV {diff.max():.2g} / {np.median(diff):.2g} mV"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(HERE.parents[1] / "docs" / "validation.md"))
    parser.add_argument("--only", default=None,
                        help="run only the sections whose title contains this text (their "
                             "rows, to add to an existing table)")
    args = parser.parse_args(argv)
    warnings.filterwarnings("ignore")
    backends = installed()
    names = {"pineal.nest": "NEST", "pineal.brian2": "Brian 2"}
    lines = ["# Cross-simulator validation", "",
             "Generated by `python tests/crosssim/make_validation_table.py` (do not edit by "
             "hand); the same scenarios and criteria as `PINEAL_CROSSSIM_FULL=1 python -m "
             "pytest tests/crosssim`. Each scenario is written once with the PyNN API and run "
             "on the native engine and on each backend; the criteria and why they are right "
             "are in the test files and in docs/backends/.", "",
             f"Run {datetime.date.today().isoformat()}: {versions()}.", ""]
    for module, reason in backends.items():
        if reason:
            lines += [f"- {names[module]}: not run ({reason}).", ""]
    failures = 0
    for title, cases in SECTIONS:
        if args.only is not None and args.only not in title:
            continue
        lines += [f"## {title}", "", "| scenario | backend | result | measured difference "
                  "(against the native engine) | criterion |", "|---|---|---|---|---|"]
        for case, run, model in cases:
            for module, reason in backends.items():
                if reason:
                    continue
                if model in DYNAMIC:
                    if not plasticity._maps_dynamics(module, model):
                        lines.append(f"| {case} | {names[module]} | not mapped | | |")
                        continue
                elif model is not None and model not in load(module).list_standard_models():
                    lines.append(f"| {case} | {names[module]} | not mapped | | |")
                    continue
                start = time.time()
                try:
                    result = run(module)
                    verdict = "pass" if result.passed else "**FAIL**"
                    failures += not result.passed
                    lines.append(f"| {case} | {names[module]} | {verdict} | "
                                 f"{result.difference} | {result.criterion} |")
                except Exception as err:  # noqa: BLE001
                    failures += 1
                    lines.append(f"| {case} | {names[module]} | **ERROR** | "
                                 f"{type(err).__name__}: {err} | |")
                print(f"{case} on {module}: {lines[-1].split('|')[3].strip()} "
                      f"({time.time() - start:.1f} s)", flush=True)
        lines.append("")
    if backends.get("pineal.nest") is None and args.only is None:
        lines += ["## NEST off grid (setup(spike_precision='off_grid'), test_nest_off_grid.py)",
                  "", "NEST's precise models (iaf_psc_*_ps) locate spike times between grid "
                  "points; the native engine stamps them at the end of the step.", "",
                  "| scenario | result | measured difference | criterion |", "|---|---|---|---|"]
        for model, drive in off_grid.CASES:
            result = off_grid.measure(model, drive)
            failures += not result.passed
            lines.append(f"| {model}, {drive} | {'pass' if result.passed else '**FAIL**'} | "
                         f"{result.difference} | {result.criterion} |")
        lines.append("")
    if not any(backends.values()) and args.only is None:
        lines += ["## NEST against Brian 2 directly (single cells)", "",
                  "The single-cell scenarios run on both backends and compared with each other "
                  "(no criterion: the analysis is in docs/backends/brian2.md).", "",
                  "| model | drive | NEST vs Brian 2 |", "|---|---|---|"]
        for drive in ("spikes", "step"):
            for model in sorted(single.MODELS):
                lines.append(f"| {model} | {drive} | {nest_vs_brian2(model, drive)} |")
        lines.append("")
    pathlib.Path(args.out).write_text("\n".join(lines))
    print(f"wrote {args.out}: {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
