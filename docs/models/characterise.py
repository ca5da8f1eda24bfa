"""Fills the generated sections of docs/models/<model>.md.

For each nonlinear model this script writes, between the HTML comment markers
of its page:

* `parameters`: the parameter table, from the model registry (names, defaults,
  units and descriptions as compiled into pineal);
* `errors`: the integrator's measured error against the high-precision
  reference of tests/python (scipy DOP853, rtol 1e-12) in the scenarios of the
  validation tests, and whether the spike steps are identical;
* `fI`: the f-I curve at 10 current levels on the native engine (dt = 0.1 ms,
  1 s of constant i_offset from the model's initial values): the spike count,
  the rate from the first interspike interval and the steady rate over
  [200 ms, 1000 ms).

Run from the repository root after building pineal:

    python docs/models/characterise.py            # every model
    python docs/models/characterise.py Izhikevich # one model

It takes about a minute (the Python reference of HH is the slow part).
"""

import pathlib
import re
import sys
import time

import numpy as np

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent / "tests" / "python"))

import pineal as sim  # noqa: E402

DT = 0.1
T_STOP, T_STEADY = 1000.0, 200.0


def fi_levels():
    return {
        "EIF_cond_exp_isfa_ista": np.linspace(0.0, 1.8, 10),
        "EIF_cond_alpha_isfa_ista": np.linspace(0.0, 1.8, 10),
        "Izhikevich": np.linspace(0.0, 0.045, 10),
        "HH_cond_exp": np.array([0.0, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 1.0, 1.5]),
        "GIF_cond_exp": np.array([0.0, 0.6, 0.8, 0.9, 1.0, 1.2, 1.5, 2.0, 2.5, 3.0]),
    }


# ---------------------------------------------------------------- parameters
def parameter_table(name):
    celltype = getattr(sim, name)
    info = celltype._model_info
    rows = ["| parameter | default | unit | meaning |", "|---|---|---|---|"]
    for p in info.parameters:
        default = celltype.default_parameters[p.name]
        rows.append(f"| `{p.name}` | {default} | {p.unit or '-'} | {p.doc} |")
    rows += ["", "| state variable | initial value | unit |", "|---|---|---|"]
    for s in info.state:
        rows.append(f"| `{s.name}` | {s.initial_value} | {s.unit or '-'} |")
    rows += ["", f"Recordable: {', '.join(info.recordable)}. "
             f"Receptor types: {', '.join(info.receptor_types)}."]
    return "\n".join(rows)


# ---------------------------------------------------------------- f-I curves
def fi_table(name):
    levels = fi_levels()[name]
    repeats = 50 if name == "GIF_cond_exp" else 1  # stochastic: mean over cells
    sim.setup(timestep=DT)
    currents = np.repeat(levels, repeats)
    pop = sim.Population(len(currents), getattr(sim, name)(i_offset=currents))
    pop.record("spikes")
    start = time.perf_counter()
    sim.run(T_STOP)
    wall = time.perf_counter() - start
    trains = [np.asarray(st.magnitude) for st in pop.get_data().segments[0].spiketrains]
    sim.end()
    rows = ["| i_offset (nA) | spikes in 1 s | first-ISI rate (Hz) | steady rate (Hz) |",
            "|---|---|---|---|"]
    for j, current in enumerate(levels):
        cells = trains[j * repeats:(j + 1) * repeats]
        count = np.mean([len(t) for t in cells])
        first = [1000.0 / (t[1] - t[0]) for t in cells if len(t) >= 2]
        steady = np.mean([np.count_nonzero(t >= T_STEADY) for t in cells]) / (
            (T_STOP - T_STEADY) / 1000.0)
        first_txt = f"{np.mean(first):.1f}" if first else "-"
        rows.append(f"| {current:.4g} | {count:g} | {first_txt} | {steady:.1f} |")
    note = (f"\n\n{len(currents)} cells x 1 s took {wall:.2f} s of wall time on one thread "
            "(measured on the development machine while writing this table).")
    if repeats > 1:
        note = (f"\n\nMeans over {repeats} cells per level (escape noise; rng_seed 42)." + note)
    return "\n".join(rows) + note


# ---------------------------------------------------------------- errors
def error_rows(name):
    rows = ["| scenario | max abs(v - v_ref) (mV) | spike steps identical |", "|---|---|---|"]

    def add(label, err, same):
        rows.append(f"| {label} | {err:.1e} | {same} |")

    if name.startswith("EIF_"):
        import adex_reference as A
        alpha = "alpha" in name
        cell = getattr(sim, name)
        ev, _, _ = A.subthreshold_constant_current(sim, cell, alpha)
        add("subthreshold, i_offset = 0.55 nA, 300 ms", ev, "no spikes (both)")
        traces, ref = A.single_inputs(sim, cell, alpha)
        add("one excitatory + one inhibitory input spike", np.max(np.abs(traces["v"] - ref[:, 0])),
            "no spikes (both)")
        for params, dt in [(dict(i_offset=1.0, tau_refrac=2.0), 0.1),
                           (dict(i_offset=1.0, tau_refrac=0.0, b=0.2), 0.1),
                           (dict(i_offset=1.0, tau_refrac=2.0, delta_T=0.0), 0.1),
                           (dict(i_offset=2.0, tau_refrac=2.0, v_spike=-20.0), 1.0)]:
            tr, sp, ref, rsp = A.suprathreshold(sim, cell, alpha, params, dt, 300.0)
            label = ", ".join(f"{k} = {v}" for k, v in params.items()) + f", dt = {dt} ms, 300 ms"
            add(label, np.max(np.abs(tr["v"] - ref[:, 0])),
                f"{np.array_equal(sp, rsp)} ({len(sp)} spikes)")
    elif name == "Izhikevich":
        import test_validation_izhikevich as T
        from neuron_reference import engine_run
        for params, dt in [(dict(i_offset=0.002), 0.1), (dict(i_offset=0.01), 0.1),
                           (dict(i_offset=0.01, c=-50.0, d=2.0), 0.1),
                           (dict(i_offset=0.01, a=0.1, d=2.0), 0.1), (dict(i_offset=0.015), 1.0)]:
            tr, sp = engine_run(sim, sim.Izhikevich, params, {"v": -70.0, "u": -14.0}, dt, 300.0,
                                ["v"])
            ref, rsp = T.reference(params, -70.0, -14.0, int(round(300.0 / dt)), dt)
            label = ", ".join(f"{k} = {v}" for k, v in params.items()) + f", dt = {dt} ms, 300 ms"
            add(label, np.max(np.abs(tr["v"] - ref[:, 0])),
                f"{np.array_equal(sp, rsp)} ({len(sp)} spikes)")
    elif name == "HH_cond_exp":
        import test_validation_hh_cond_exp as T
        from neuron_reference import engine_run
        for current, dt, t_stop in [(0.02, 0.1, 200.0), (0.2, 0.1, 200.0), (1.0, 0.1, 200.0),
                                    (1.0, 0.01, 50.0)]:
            tr, sp = engine_run(sim, sim.HH_cond_exp, dict(i_offset=current), {}, dt, t_stop,
                                ["v"])
            ref, rsp = T.reference(dict(i_offset=current), int(round(t_stop / dt)), dt)
            add(f"i_offset = {current} nA, dt = {dt} ms, {t_stop:g} ms",
                np.max(np.abs(tr["v"] - ref[:, 0])),
                f"{np.array_equal(sp, rsp)} ({len(sp)} spikes)")
    elif name == "GIF_cond_exp":
        import test_validation_gif_cond_exp as T
        for label, err, same in T.measured_errors(sim):
            add(label, err, same)
    return "\n".join(rows)


def replace_block(text, tag, content):
    pattern = re.compile(rf"(<!-- {tag} -->\n)(.*?\n)?(<!-- /{tag} -->)", re.S)
    if not pattern.search(text):
        raise SystemExit(f"marker <!-- {tag} --> missing")
    return pattern.sub(lambda m: m.group(1) + content + "\n" + m.group(3), text)


def main(names):
    for name in names:
        page = HERE / f"{name}.md"
        text = page.read_text()
        text = replace_block(text, "parameters", parameter_table(name))
        text = replace_block(text, "errors", error_rows(name))
        text = replace_block(text, "fI", fi_table(name))
        page.write_text(text)
        print("wrote", page)


if __name__ == "__main__":
    main(sys.argv[1:] or [n for n in fi_levels() if (HERE / f"{n}.md").exists()])
