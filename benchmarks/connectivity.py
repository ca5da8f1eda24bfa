"""Construction of large projections: pineal, NEST's Connect and PyNN on NEST, side by side.

    python benchmarks/connectivity.py                 # the whole set, full size
    python benchmarks/connectivity.py --threads 1 2 --cases all

Each (case, simulator, threads) runs in a fresh process that builds two
populations of --cells cells (default 10^4) and then one projection, timed
alone (wall and CPU time: on a shared machine CPU time is the steadier).
Cases: fixed_probability (p = 0.1: 10^7 synapses), fixed_number_pre (in-degree
--cells / 10, without replacement) and distance_dependent (both populations
on a 100 x 100 grid 10 um apart, p = 0.3 exp(-d / 200), about 4.3 * 10^6
synapses); `--cases all` adds fixed_number_post and fixed_total_number (pineal
and NEST only). NEST: `nest.Connect` with pairwise_bernoulli / fixed_indegree
/ a spatial pairwise_bernoulli on the same grid (timed alone; `nest.Prepare`,
which finishes NEST's connection tables, is timed too and reported in the
JSON). PyNN on NEST builds the same projection onto a random sample of
--pynn-targets post-synaptic cells (PyNN's connectors work target by target
in Python, so its cost is linear in the targets; the full size would take
minutes): its rates are per synapse, like the others'.

Columns: synapses per second per thread (wall) and per CPU second; memory per
synapse = resident memory added by the projection / synapses (pineal: also
its synapse store's own bytes); peak = the process's peak resident memory
during construction minus its resident memory before it. Prints a table and
writes JSON to benchmarks/results/connectivity.json.
"""

import argparse
import datetime
import json
import os
import pathlib
import platform
import resource
import shutil
import subprocess
import sys
import time

HERE = pathlib.Path(__file__).resolve().parent
CASES = ["fixed_probability", "fixed_number_pre", "distance_dependent"]
EXTRA_CASES = ["fixed_number_post", "fixed_total_number"]
SIMULATORS = ["pineal", "nest", "pynn"]
DISTANCE_EXPRESSION = "0.3*exp(-d/200)"
SPACING = 10.0  # um between grid points


def rss_bytes():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def peak_rss_bytes():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def grid_side(cells):
    side = round(cells ** 0.5)
    if side * side != cells:
        raise SystemExit(f"--cells must be a square number for the grid case, got {cells}")
    return side


class Timed:
    """Wall, CPU and memory of the block (memory: resident and peak, added)."""

    def __enter__(self):
        self.rss0, self.t0, self.c0 = rss_bytes(), time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc):
        self.wall = time.perf_counter() - self.t0
        self.cpu = time.process_time() - self.c0
        self.added = rss_bytes() - self.rss0
        # ru_maxrss is the whole process's peak; before the projection the
        # process is far smaller than during it at full size.
        self.peak_added = max(0, peak_rss_bytes() - self.rss0)


def result(timed, synapses, **extra):
    return dict(wall_s=timed.wall, cpu_s=timed.cpu, synapses=int(synapses),
                rss_added_bytes=timed.added, peak_added_bytes=timed.peak_added, **extra)


# -- workers: each runs in its own process ----------------------------------

def worker_pyNN_like(sim, space, NumpyRNG, case, cells, threads, targets=None):
    """The PyNN script, for pineal (sim = pineal) and PyNN on NEST (sim = pyNN.nest)."""
    sim.setup(threads=threads, rng_seed=1) if sim.__name__.startswith("pineal") else \
        sim.setup(threads=threads, rng_seed=1, verbosity="error")
    kw = {}
    if case == "distance_dependent":
        grid_side(cells)
        kw["structure"] = space.Grid2D(dx=SPACING, dy=SPACING)
    pre = sim.Population(cells, sim.IF_curr_exp(), **kw)
    post = sim.Population(cells, sim.IF_curr_exp(), **kw)
    if targets is not None and targets < cells:
        post = post.sample(targets, NumpyRNG(seed=9))
    _ = pre.positions, post.positions  # generated outside the timed part
    connector = {
        "fixed_probability": lambda: sim.FixedProbabilityConnector(0.1, rng=NumpyRNG(2)),
        "fixed_number_pre": lambda: sim.FixedNumberPreConnector(cells // 10, rng=NumpyRNG(3)),
        "distance_dependent": lambda: sim.DistanceDependentProbabilityConnector(
            DISTANCE_EXPRESSION, rng=NumpyRNG(4)),
        "fixed_number_post": lambda: sim.FixedNumberPostConnector(cells // 10, rng=NumpyRNG(5)),
        "fixed_total_number": lambda: sim.FixedTotalNumberConnector(cells * cells // 10,
                                                                    rng=NumpyRNG(6)),
    }[case]()
    synapse = sim.StaticSynapse(weight=0.1, delay=1.0)
    with Timed() as t:
        prj = sim.Projection(pre, post, connector, synapse)
    extra = {"targets": post.size}
    if sim.__name__.startswith("pineal"):
        from pineal.simulator import state

        memory = state.core.synapse_memory()
        extra.update(store_bytes=int(memory["bytes"]),
                     store_peak_bytes=int(memory["peak_construction_bytes"]))
        n = len(prj)
    else:
        import pyNN

        extra["pynn_version"] = pyNN.__version__
        import nest

        extra["nest_version"] = nest.__version__
        n = prj.size()
    return result(t, n, **extra)


def worker_pineal(case, cells, threads, targets):
    import pineal as sim
    from pineal import space
    from pineal.random import NumpyRNG

    return worker_pyNN_like(sim, space, NumpyRNG, case, cells, threads)


def worker_pynn(case, cells, threads, targets):
    import pyNN.nest as sim
    from pyNN import space
    from pyNN.random import NumpyRNG

    return worker_pyNN_like(sim, space, NumpyRNG, case, cells, threads, targets)


def worker_nest(case, cells, threads, targets):
    os.environ.setdefault("PYNEST_QUIET", "1")
    import nest

    nest.set_verbosity("M_ERROR")
    nest.ResetKernel()
    nest.local_num_threads = threads
    nest.rng_seed = 1
    if case == "distance_dependent":
        side = grid_side(cells)
        grid = nest.spatial.grid(shape=[side, side], extent=[side * SPACING, side * SPACING])
        pre = nest.Create("iaf_psc_exp", positions=grid)
        post = nest.Create("iaf_psc_exp", positions=grid)
        # the same law as DISTANCE_EXPRESSION: exponential(x, beta) = exp(-x / beta)
        rule = {"rule": "pairwise_bernoulli",
                "p": 0.3 * nest.spatial_distributions.exponential(nest.spatial.distance,
                                                                   beta=200.0)}
    else:
        pre = nest.Create("iaf_psc_exp", cells)
        post = nest.Create("iaf_psc_exp", cells)
        rule = {
            "fixed_probability": {"rule": "pairwise_bernoulli", "p": 0.1},
            "fixed_number_pre": {"rule": "fixed_indegree", "indegree": cells // 10,
                                 "allow_multapses": False},
            "fixed_number_post": {"rule": "fixed_outdegree", "outdegree": cells // 10,
                                  "allow_multapses": False},
            "fixed_total_number": {"rule": "fixed_total_number", "N": cells * cells // 10},
        }[case]
    synapse = {"synapse_model": "static_synapse", "weight": 100.0, "delay": 1.0}
    with Timed() as t:
        nest.Connect(pre, post, rule, synapse)
    c0, t0 = time.process_time(), time.perf_counter()
    nest.Prepare()  # builds NEST's presynaptic tables; reported, not in the rate
    prepare_wall, prepare_cpu = time.perf_counter() - t0, time.process_time() - c0
    nest.Cleanup()
    return result(t, nest.GetKernelStatus("num_connections"), targets=cells,
                  nest_version=nest.__version__, prepare_wall_s=prepare_wall,
                  prepare_cpu_s=prepare_cpu)


WORKERS = {"pineal": worker_pineal, "nest": worker_nest, "pynn": worker_pynn}


# -- driver ------------------------------------------------------------------

def python_with(module, candidates):
    for python in candidates:
        if python and shutil.which(python):
            ok = subprocess.run([python, "-c", f"import {module}"], capture_output=True,
                                check=False, env=dict(os.environ, PYNEST_QUIET="1")).returncode
            if ok == 0:
                return python
    return None


def run_worker(python, simulator, case, cells, threads, targets, timeout):
    cmd = [python, str(pathlib.Path(__file__).resolve()), "--worker", simulator, "--cases",
           case, "--cells", str(cells), "--threads", str(threads), "--pynn-targets",
           str(targets)]
    env = dict(os.environ, OMP_NUM_THREADS=str(threads), PYNEST_QUIET="1")
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=timeout,
                          check=False)
    lines = [x for x in proc.stdout.splitlines() if x.startswith("CONNECTIVITY ")]
    if proc.returncode != 0 or not lines:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}):\n"
                           f"{proc.stderr[-2000:]}")
    r = json.loads(lines[-1][len("CONNECTIVITY "):])
    n, threads = max(1, r["synapses"]), r["threads"]
    r["rate_per_thread"] = r["synapses"] / r["wall_s"] / threads if r["wall_s"] > 0 else None
    r["rate_per_cpu_s"] = r["synapses"] / r["cpu_s"] if r["cpu_s"] > 0 else None
    r["bytes_per_synapse"] = r["rss_added_bytes"] / n
    if "store_bytes" in r:
        r["store_bytes_per_synapse"] = r["store_bytes"] / n
        r["store_peak_bytes_per_synapse"] = r["store_peak_bytes"] / n
    return r


def ratio(a, b):
    return f"{a / b:.3g}" if a and b else "-"


def table(results):
    rows = [("| case | threads | simulator | synapses | wall s | CPU s | synapses/s per thread "
             "| synapses per CPU s | B/synapse (RSS) | B/synapse store (peak) "
             "| peak construction MiB | pineal/NEST rate: thread, CPU | pineal/PyNN rate: "
             "thread, CPU |"),
            "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    keyed = {(r["case"], r["threads"], r["simulator"]): r for r in results}

    def ratios(r, other):
        o = keyed.get((r["case"], r["threads"], other))
        if r["simulator"] != "pineal" or o is None:
            return ""
        return (f"{ratio(r['rate_per_thread'], o['rate_per_thread'])}, "
                f"{ratio(r['rate_per_cpu_s'], o['rate_per_cpu_s'])}")

    for r in results:
        store = (f"{r['store_bytes_per_synapse']:.2f} ({r['store_peak_bytes_per_synapse']:.1f})"
                 if "store_bytes_per_synapse" in r else "-")
        name = r["simulator"] + (f" ({r['targets']} targets)" if r["simulator"] == "pynn" else "")
        rows.append(
            f"| {r['case']} | {r['threads']} | {name} | {r['synapses']} | {r['wall_s']:.3g} "
            f"| {r['cpu_s']:.3g} | {r['rate_per_thread'] / 1e6:.3g} M "
            f"| {r['rate_per_cpu_s'] / 1e6:.3g} M | {r['bytes_per_synapse']:.1f} | {store} "
            f"| {r['peak_added_bytes'] / 2**20:.0f} | {ratios(r, 'nest')} | {ratios(r, 'pynn')} |")
    return "\n".join(rows)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", nargs="+", default=CASES,
                        help=f"{' '.join(CASES + EXTRA_CASES)} or all")
    parser.add_argument("--simulators", nargs="+", default=SIMULATORS, choices=SIMULATORS)
    parser.add_argument("--threads", type=int, nargs="+", default=[1])
    parser.add_argument("--cells", type=int, default=10_000, help="cells per population")
    parser.add_argument("--pynn-targets", type=int, default=100,
                        help="post-synaptic cells PyNN on NEST connects (default 100)")
    parser.add_argument("--nest-python", help="interpreter with NEST (default: "
                        "$PINEAL_NEST_PYTHON, this one, python3)")
    parser.add_argument("--pynn-python", help="interpreter with PyNN and NEST (default: "
                        "$PINEAL_PYNN_PYTHON, /tmp/venv-pynn/bin/python)")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds per run")
    parser.add_argument("--json", help="output (default benchmarks/results/connectivity.json)")
    parser.add_argument("--worker", choices=SIMULATORS, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    cases = CASES + EXTRA_CASES if args.cases == ["all"] else args.cases
    for c in cases:
        if c not in CASES + EXTRA_CASES:
            parser.error(f"unknown case {c!r}; choose from {CASES + EXTRA_CASES} or all")

    if args.worker:
        r = WORKERS[args.worker](cases[0], args.cells, args.threads[0], args.pynn_targets)
        r.update(case=cases[0], simulator=args.worker, threads=args.threads[0], cells=args.cells)
        print("CONNECTIVITY " + json.dumps(r), flush=True)
        return r

    pythons = {"pineal": sys.executable}
    if "nest" in args.simulators:
        pythons["nest"] = python_with("nest", [args.nest_python,
                                               os.environ.get("PINEAL_NEST_PYTHON"),
                                               sys.executable, "python3"])
    if "pynn" in args.simulators:
        pythons["pynn"] = python_with("pyNN.nest", [args.pynn_python,
                                                    os.environ.get("PINEAL_PYNN_PYTHON"),
                                                    "/tmp/venv-pynn/bin/python"])
    for s in args.simulators:
        if not pythons.get(s):
            print(f"{s}: not importable here, left out", file=sys.stderr)
    results = []
    for case in cases:
        for threads in args.threads:
            for simulator in args.simulators:
                if not pythons.get(simulator) or (simulator == "pynn" and case in EXTRA_CASES):
                    continue
                r = run_worker(pythons[simulator], simulator, case, args.cells, threads,
                               args.pynn_targets, args.timeout)
                print(f"{case} {simulator} threads={threads}: {r['synapses']} synapses, "
                      f"{r['wall_s']:.2f} s wall, {r['cpu_s']:.2f} s CPU", file=sys.stderr,
                      flush=True)
                results.append(r)
    text = table(results)
    print(text)
    versions = {k: v for r in results for k, v in r.items() if k.endswith("_version")}
    meta = {"date": datetime.datetime.now().isoformat(timespec="seconds"),
            "command": " ".join(["python", "benchmarks/connectivity.py"] +
                                (argv if argv is not None else sys.argv[1:])),
            "machine": platform.platform(), "cpus": os.cpu_count(),
            "load_average": os.getloadavg(), "python": platform.python_version(), **versions}
    path = pathlib.Path(args.json) if args.json else HERE / "results" / "connectivity.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w") as f:
        json.dump({"meta": meta, "results": results, "table": text}, f, indent=1)
    return results


if __name__ == "__main__":
    main()
