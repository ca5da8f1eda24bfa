"""Side-by-side benchmark harness: pineal, NEST and Brian 2, each run in a fresh process.

    python benchmarks/run.py --set va --threads 1 2 --repeat 3
    python benchmarks/run.py --set pd14 --scale 0.1 --threads 1 2 --repeat 3

Each (model, simulator, threads) runs --repeat times; the table shows the
median and the spread (min-max) of the repeats. Peak memory is the child's
ru_maxrss (Brian 2: its compiled program's); memory per synapse is the
resident memory added by building the network (after import, before run)
divided by the synapse count. A comparison whose mean rates differ by more
than --rate-tolerance (relative) is flagged VOID: the simulators did not
run the same dynamics. For the microcircuit (pd14) a second table gives
each population's rate against the published full-scale rates.
"""

import argparse
import datetime
import json
import os
import pathlib
import platform
import shutil
import statistics
import subprocess
import sys

HERE = pathlib.Path(__file__).resolve().parent
SCRIPTS = {
    ("pineal", "va_coba"): HERE / "models" / "va_pineal.py",
    ("pineal", "va_cuba"): HERE / "models" / "va_pineal.py",
    ("pineal", "brunel"): HERE / "models" / "brunel_pineal.py",
    ("nest", "va_coba"): HERE / "nest" / "va_nest.py",
    ("nest", "va_cuba"): HERE / "nest" / "va_nest.py",
    ("nest", "brunel"): HERE / "nest" / "brunel_nest.py",
    ("pineal", "pd14"): HERE / "models" / "pd14_pineal.py",
    ("pineal", "pd14_dc"): HERE / "models" / "pd14_pineal.py",
    ("nest", "pd14"): HERE / "nest" / "pd14_nest.py",
    ("nest", "pd14_dc"): HERE / "nest" / "pd14_nest.py",
    ("brian2", "va_coba"): HERE / "brian2" / "va_brian2.py",
    ("brian2", "va_cuba"): HERE / "brian2" / "va_brian2.py",
    ("brian2", "brunel"): HERE / "brian2" / "brunel_brian2.py",
}
SETS = {"va": ["va_cuba", "va_coba"], "brunel": ["brunel"], "all": ["va_cuba", "va_coba", "brunel"],
        "pd14": ["pd14", "pd14_dc"]}
SIMULATORS = ("pineal", "nest", "brian2")


def run_child(python, script, model, threads, scale, tstop, timeout, extra=()):
    """Runs one benchmark process; returns its report plus its peak RSS (MiB)."""
    cmd = [python, str(script), "--model", model, "--threads", str(threads), "--scale",
           str(scale), "--tstop", str(tstop), *extra]
    env = dict(os.environ, OMP_NUM_THREADS="1")
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=env)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired as err:
        proc.kill()
        proc.communicate()
        raise RuntimeError(f"{' '.join(cmd)}: timed out after {timeout} s") from err
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{err[-2000:]}")
    lines = [line for line in out.splitlines() if line.startswith("BENCHMARK ")]
    if not lines:
        raise RuntimeError(f"{' '.join(cmd)} printed no BENCHMARK line:\n{out[-2000:]}")
    return json.loads(lines[-1][len("BENCHMARK "):])


def run_measured(python, script, model, threads, scale, tstop, timeout, extra=()):
    """run_child in a forked wrapper so that ru_maxrss belongs to this child only."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the wrapper: runs the benchmark as its only child
        os.close(read)
        try:
            result = run_child(python, script, model, threads, scale, tstop, timeout, extra)
            import resource
            # A child that runs a program of its own (Brian 2 standalone) reports
            # that program's peak, not its compiler's.
            result["peak_rss_mb"] = result.get(
                "peak_rss_self_mb",
                resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)
        except Exception as e:  # noqa: BLE001 - reported to the parent
            result = {"error": str(e)}
        os.write(write, json.dumps(result).encode())
        os.close(write)
        os._exit(0)
    os.close(write)
    chunks = []
    while True:
        chunk = os.read(read, 65536)
        if not chunk:
            break
        chunks.append(chunk)
    os.close(read)
    os.waitpid(pid, 0)
    result = json.loads(b"".join(chunks))
    if "error" in result:
        raise RuntimeError(result["error"])
    return result


# Where each simulator is looked for: the --X-python option, then the
# environment variable, then a venv of the usual name, then this interpreter.
INTERPRETERS = {
    "nest": ("nest", "PINEAL_NEST_PYTHON", "/tmp/venv-nest/bin/python"),
    "brian2": ("brian2", "PINEAL_BRIAN2_PYTHON", "/tmp/venv-brian2bench/bin/python"),
}


def simulator_python(simulator, requested):
    """The interpreter that can import `simulator`'s module, or None."""
    module, variable, venv = INTERPRETERS[simulator]
    candidates = [requested] if requested else [os.environ.get(variable), venv, sys.executable]
    for python in candidates:
        if python and shutil.which(python):
            ok = subprocess.run([python, "-c", f"import {module}"], capture_output=True,
                                check=False, env=dict(os.environ, PYNEST_QUIET="1")).returncode == 0
            if ok:
                return python
    return None


def summarise(runs):
    """Median, min and max of each measured field over repeats."""
    def stat(key):
        values = [r[key] for r in runs if key in r]
        if not values:
            return None
        return {"median": statistics.median(values), "min": min(values), "max": max(values)}

    first = runs[0]
    seconds = first["tstop"] / 1000.0
    out = {k: first[k] for k in ("simulator", "model", "threads", "cells", "tstop", "synapses")}
    for key in ("build_s", "compile_s", "sim_s", "sim_cpu_s", "peak_rss_mb", "spikes"):
        out[key] = stat(key)
    out["rtf"] = {k: v / seconds for k, v in out["sim_s"].items()}
    out["rate_hz"] = out["spikes"]["median"] / first["cells"] / seconds
    built = statistics.median(r["rss_built_mb"] - r["rss_base_mb"] for r in runs)
    out["bytes_per_synapse_rss"] = built * 2**20 / max(1, first["synapses"])
    if "store_bytes" in first:
        out["store_bytes_per_synapse"] = first["store_bytes"] / max(1, first["synapses"])
        out["store_peak_bytes_per_synapse"] = first["store_peak_bytes"] / max(1, first["synapses"])
    for key in ("nest_version", "brian2_version", "brian2_mode"):
        if key in first:
            out[key] = first[key]
    if "population_counts" in first:  # pd14: rates after the transient, pooled over repeats
        counts = [sum(r["population_counts"][a] for r in runs)
                  for a in range(len(first["population_counts"]))]
        window = len(runs) * (first["tstop"] - first["transient"]) / 1000.0
        out["population_rates"] = [c / n / window
                                   for c, n in zip(counts, first["population_sizes"])]
    return out


def fmt(stat, digits=3):
    if stat is None:
        return "-"
    return f"{stat['median']:.{digits}g} ({stat['min']:.{digits}g}-{stat['max']:.{digits}g})"


def rate_gap(rate, reference):
    """Relative difference of two rates."""
    gap = abs(rate - reference)
    return gap / reference if reference > 0 else (0.0 if gap == 0 else 1.0)


def table(results, rate_tolerance):
    """One row per (model, threads, simulator); on the other simulators' rows,
    pineal's medians divided by theirs and whether the mean rates agree."""
    rows = [("| model | threads | simulator | build s | compile s | sim s | sim CPU s | RTF "
             "| peak RSS MiB | B/syn (RSS) | B/syn store (peak) | spikes | rate Hz "
             "| pineal/this build, sim, sim CPU, RSS | rates |"),
            "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    keyed = {(r["model"], r["threads"], r["simulator"]): r for r in results}
    for r in results:
        ratio, agree = "", ""
        ours = keyed.get((r["model"], r["threads"], "pineal"))
        if r["simulator"] != "pineal" and ours:
            ratio = ", ".join(f"{ours[k]['median'] / r[k]['median']:.3g}"
                              for k in ("build_s", "sim_s", "sim_cpu_s", "peak_rss_mb"))
            diff = rate_gap(ours["rate_hz"], r["rate_hz"])
            agree = f"{'ok' if diff <= rate_tolerance else 'VOID'} ({100 * diff:.1f} %)"
        store = (f"{r['store_bytes_per_synapse']:.2f} ({r['store_peak_bytes_per_synapse']:.1f})"
                 if "store_bytes_per_synapse" in r else "-")
        rows.append(f"| {r['model']} | {r['threads']} | {r['simulator']} | {fmt(r['build_s'])} "
                    f"| {fmt(r['compile_s'])} | {fmt(r['sim_s'])} | {fmt(r['sim_cpu_s'])} "
                    f"| {r['rtf']['median']:.3g} "
                    f"| {fmt(r['peak_rss_mb'])} "
                    f"| {r['bytes_per_synapse_rss']:.1f} | {store} | "
                    f"{int(r['spikes']['median'])} | {r['rate_hz']:.2f} | {ratio} | {agree} |")
    return "\n".join(rows)


def population_table(results, tolerance):
    """pd14: each population's rate after the transient next to the full
    model's published rate; a population is 'off' beyond `tolerance`
    (relative)."""
    sys.path.insert(0, str(HERE / "models"))
    from pd14_common import POPULATIONS, PUBLISHED_RATES
    rows = []
    for r in results:
        if "population_rates" not in r or r["model"] != "pd14":
            continue  # the published rates are those of the Poisson background
        if not rows:
            rows = ["| model | threads | simulator | " + " | ".join(POPULATIONS) + " | off |",
                    "|---|---|---|" + "---|" * (len(POPULATIONS) + 1),
                    "| published | | | " + " | ".join(f"{x:.3f}" for x in PUBLISHED_RATES)
                    + " | |"]
        gaps = [rate_gap(x, ref) for x, ref in zip(r["population_rates"], PUBLISHED_RATES)]
        off = [name for name, gap in zip(POPULATIONS, gaps) if gap > tolerance]
        rows.append(f"| {r['model']} | {r['threads']} | {r['simulator']} | "
                    + " | ".join(f"{x:.3f} ({100 * (x / ref - 1):+.0f} %)"
                                 for x, ref in zip(r["population_rates"], PUBLISHED_RATES))
                    + f" | {', '.join(off) if off else 'none'} |")
    return "\n".join(rows)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", default="va", choices=sorted(SETS))
    parser.add_argument("--models", nargs="+", help="only these models of the set")
    parser.add_argument("--threads", type=int, nargs="+", default=[1])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--scale", type=float, default=1.0,
                        help="fraction of the cells (pd14: of the cells and the in-degrees)")
    parser.add_argument("--tstop", type=float, default=1000.0, help="simulated ms")
    parser.add_argument("--simulators", nargs="+", default=["pineal", "nest", "brian2"],
                        choices=SIMULATORS)
    parser.add_argument("--nest-python", help="interpreter with NEST (default: "
                        "$PINEAL_NEST_PYTHON, /tmp/venv-nest/bin/python, this one)")
    parser.add_argument("--brian2-python", help="interpreter with Brian 2 (default: "
                        "$PINEAL_BRIAN2_PYTHON, /tmp/venv-brian2bench/bin/python, this one)")
    parser.add_argument("--rate-tolerance", type=float, default=0.10,
                        help="largest relative difference of mean rates (default 0.10)")
    parser.add_argument("--published-tolerance", type=float, default=0.25,
                        help="pd14: largest relative difference of a population's rate from "
                        "the published full-scale rate (default 0.25, see README)")
    parser.add_argument("--timeout", type=float, default=1800.0, help="seconds per run")
    parser.add_argument("--json", help="output file (default benchmarks/results/SET.json)")
    args = parser.parse_args(argv)
    models = SETS[args.set]
    if args.models:
        unknown = sorted(set(args.models) - set(models))
        if unknown:
            parser.error(f"--models: {', '.join(unknown)} not in set {args.set} "
                         f"({', '.join(models)})")
        models = [m for m in models if m in args.models]

    pythons = {"pineal": sys.executable}
    for simulator in ("nest", "brian2"):
        if simulator in args.simulators:
            pythons[simulator] = simulator_python(simulator, getattr(args, f"{simulator}_python"))
            if pythons[simulator] is None:
                print(f"{simulator} not importable: left out", file=sys.stderr)
    simulators = [s for s in args.simulators if pythons.get(s)]
    results = []
    for model in models:
        for threads in args.threads:
            for simulator in simulators:
                if (simulator, model) not in SCRIPTS:
                    continue  # e.g. no Brian 2 script of the microcircuit
                runs = []
                for k in range(args.repeat):
                    r = run_measured(pythons[simulator], SCRIPTS[(simulator, model)], model,
                                     threads, args.scale, args.tstop, args.timeout)
                    runs.append(r)
                    print(f"{model} {simulator} threads={threads} run {k + 1}: build "
                          f"{r['build_s']:.3f} s, sim {r['sim_s']:.3f} s, {r['spikes']} spikes",
                          file=sys.stderr, flush=True)
                results.append(dict(summarise(runs), runs=runs))
    text = table(results, args.rate_tolerance)
    populations = population_table(results, args.published_tolerance)
    if populations:
        text += "\n\nRates (Hz) after the transient, against the published full-scale rates:\n\n" \
            + populations
    print(text)
    meta = {"date": datetime.datetime.now().isoformat(timespec="seconds"),
            "command": " ".join(["python", "benchmarks/run.py"] + (argv or sys.argv[1:])),
            "machine": platform.platform(), "cpus": os.cpu_count(),
            "python": platform.python_version(), "rate_tolerance": args.rate_tolerance,
            "published_tolerance": args.published_tolerance,
            "load_average": os.getloadavg()}
    path = pathlib.Path(args.json) if args.json else HERE / "results" / f"{args.set}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w") as f:
        json.dump({"meta": meta, "results": results, "table": text}, f, indent=1)
    return results


if __name__ == "__main__":
    main()
