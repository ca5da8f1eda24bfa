"""Side-by-side benchmark harness: pineal and NEST, each run in a fresh process.

    python benchmarks/run.py --set va --threads 1 2 --repeat 3

Each (model, simulator, threads) runs --repeat times; the table shows the
median and the spread (min-max) of the repeats. Peak memory is the child's
ru_maxrss; memory per synapse is the resident memory added by building the
network (after import, before run) divided by the synapse count. A
comparison whose mean rates differ by more than --rate-tolerance (relative)
is flagged VOID: the two simulators did not run the same dynamics.
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
}
SETS = {"va": ["va_cuba", "va_coba"], "brunel": ["brunel"], "all": ["va_cuba", "va_coba", "brunel"]}


def run_child(python, script, model, threads, scale, tstop, timeout):
    """Runs one benchmark process; returns its report plus its peak RSS (MiB)."""
    cmd = [python, str(script), "--model", model, "--threads", str(threads), "--scale",
           str(scale), "--tstop", str(tstop)]
    env = dict(os.environ, OMP_NUM_THREADS="1")
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=env)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        raise RuntimeError(f"{' '.join(cmd)}: timed out after {timeout} s")
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{err[-2000:]}")
    lines = [line for line in out.splitlines() if line.startswith("BENCHMARK ")]
    if not lines:
        raise RuntimeError(f"{' '.join(cmd)} printed no BENCHMARK line:\n{out[-2000:]}")
    return json.loads(lines[-1][len("BENCHMARK "):])


def run_measured(python, script, model, threads, scale, tstop, timeout):
    """run_child in a forked wrapper so that ru_maxrss belongs to this child only."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the wrapper: runs the benchmark as its only child
        os.close(read)
        try:
            result = run_child(python, script, model, threads, scale, tstop, timeout)
            import resource
            result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
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


def nest_python(requested):
    """The interpreter that can import nest, or None."""
    candidates = [requested] if requested else [os.environ.get("PINEAL_NEST_PYTHON"),
                                                "/tmp/venv-nest/bin/python", sys.executable]
    for python in candidates:
        if python and shutil.which(python):
            ok = subprocess.run([python, "-c", "import nest"], capture_output=True, check=False,
                                env=dict(os.environ, PYNEST_QUIET="1")).returncode == 0
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
    for key in ("build_s", "sim_s", "sim_cpu_s", "peak_rss_mb", "spikes"):
        out[key] = stat(key)
    out["rtf"] = {k: v / seconds for k, v in out["sim_s"].items()}
    out["rate_hz"] = out["spikes"]["median"] / first["cells"] / seconds
    built = statistics.median(r["rss_built_mb"] - r["rss_base_mb"] for r in runs)
    out["bytes_per_synapse_rss"] = built * 2**20 / max(1, first["synapses"])
    if "store_bytes" in first:
        out["store_bytes_per_synapse"] = first["store_bytes"] / max(1, first["synapses"])
        out["store_peak_bytes_per_synapse"] = first["store_peak_bytes"] / max(1, first["synapses"])
    if "nest_version" in first:
        out["nest_version"] = first["nest_version"]
    return out


def fmt(stat, digits=3):
    if stat is None:
        return "-"
    return f"{stat['median']:.{digits}g} ({stat['min']:.{digits}g}-{stat['max']:.{digits}g})"


def table(results, rate_tolerance):
    rows = [("| model | threads | simulator | build s | sim s | sim CPU s | RTF | peak RSS MiB "
            "| B/syn (RSS) | B/syn store (peak) | spikes | rate Hz "
            "| pineal/NEST build, sim, RSS | rates |"),
            "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    keyed = {(r["model"], r["threads"], r["simulator"]): r for r in results}
    for r in results:
        ratio, agree = "", ""
        other = keyed.get((r["model"], r["threads"], "nest"))
        if r["simulator"] == "pineal" and other:
            ratio = ", ".join(f"{r[k]['median'] / other[k]['median']:.3g}"
                              for k in ("build_s", "sim_s", "peak_rss_mb"))
            gap = abs(r["rate_hz"] - other["rate_hz"])
            diff = gap / other["rate_hz"] if other["rate_hz"] > 0 else (0.0 if gap == 0 else 1.0)
            agree = f"{'ok' if diff <= rate_tolerance else 'VOID'} ({100 * diff:.1f} %)"
        store = (f"{r['store_bytes_per_synapse']:.2f} ({r['store_peak_bytes_per_synapse']:.1f})"
                 if "store_bytes_per_synapse" in r else "-")
        rows.append(f"| {r['model']} | {r['threads']} | {r['simulator']} | {fmt(r['build_s'])} "
                    f"| {fmt(r['sim_s'])} | {fmt(r['sim_cpu_s'])} | {r['rtf']['median']:.3g} "
                    f"| {fmt(r['peak_rss_mb'])} "
                    f"| {r['bytes_per_synapse_rss']:.1f} | {store} | "
                    f"{int(r['spikes']['median'])} | {r['rate_hz']:.2f} | {ratio} | {agree} |")
    return "\n".join(rows)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", default="va", choices=sorted(SETS))
    parser.add_argument("--threads", type=int, nargs="+", default=[1])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the cells")
    parser.add_argument("--tstop", type=float, default=1000.0, help="simulated ms")
    parser.add_argument("--simulators", nargs="+", default=["pineal", "nest"],
                        choices=["pineal", "nest"])
    parser.add_argument("--nest-python", help="interpreter with NEST (default: "
                        "$PINEAL_NEST_PYTHON, /tmp/venv-nest/bin/python, this one)")
    parser.add_argument("--rate-tolerance", type=float, default=0.10,
                        help="largest relative difference of mean rates (default 0.10)")
    parser.add_argument("--timeout", type=float, default=1800.0, help="seconds per run")
    parser.add_argument("--json", help="output file (default benchmarks/results/SET.json)")
    args = parser.parse_args(argv)

    pythons = {"pineal": sys.executable}
    if "nest" in args.simulators:
        pythons["nest"] = nest_python(args.nest_python)
        if pythons["nest"] is None:
            print("NEST not importable: running pineal only", file=sys.stderr)
    simulators = [s for s in args.simulators if pythons.get(s)]
    results = []
    for model in SETS[args.set]:
        for threads in args.threads:
            for simulator in simulators:
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
    print(text)
    meta = {"date": datetime.datetime.now().isoformat(timespec="seconds"),
            "command": " ".join(["python", "benchmarks/run.py"] + (argv or sys.argv[1:])),
            "machine": platform.platform(), "cpus": os.cpu_count(),
            "python": platform.python_version(), "rate_tolerance": args.rate_tolerance}
    path = pathlib.Path(args.json) if args.json else HERE / "results" / f"{args.set}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w") as f:
        json.dump({"meta": meta, "results": results, "table": text}, f, indent=1)
    return results


if __name__ == "__main__":
    main()
