"""Where pineal's step loop spends its time, per thread: microseconds per
min_delay slice updating the thread's cells, waiting at the slice barrier and
delivering the slice's spikes (Simulation.phase_times), one run per model and
thread count, each in a fresh process.

    python benchmarks/phases.py --models va_cuba va_coba brunel --threads 1 2

Phase timing reads the clock three times per slice (~20 ns each here), so
these runs are a little slower than run.py's; the split is what they are for.
"""

import argparse
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from run import SCRIPTS, run_measured  # noqa: E402 - after the path it needs


def rows(model, threads, scale, tstop, timeout):
    """One table row per thread of one run."""
    r = run_measured(sys.executable, SCRIPTS[("pineal", model)], model, threads, scale, tstop,
                     timeout, extra=("--phases",))
    out = []
    for t, p in enumerate(r["phases"]):
        us = {k: 1e6 * p[f"{k}_s"] / max(p["slices"], 1) for k in ("update", "wait", "deliver")}
        out.append(f"| {model} | {threads} | {t} | {p['slices']} | {us['update']:.2f} | "
                   f"{us['wait']:.2f} | {us['deliver']:.2f} | {r['sim_s']:.4f} |")
    return out


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", nargs="+", default=["va_cuba", "va_coba", "brunel"],
                        choices=sorted(m for s, m in SCRIPTS if s == "pineal"))
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--tstop", type=float, default=1000.0, help="simulated ms")
    parser.add_argument("--timeout", type=float, default=1800.0, help="seconds per run")
    args = parser.parse_args(argv)
    lines = ["| model | threads | thread | slices | update us/slice | wait us/slice | "
             "deliver us/slice | sim s |", "|---|---|---|---|---|---|---|---|"]
    for model in args.models:
        for threads in args.threads:
            lines += rows(model, threads, args.scale, args.tstop, args.timeout)
    text = "\n".join(lines)
    print(text)
    return text


if __name__ == "__main__":
    main()
