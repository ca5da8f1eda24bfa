"""What every benchmark child process reports: one JSON line on stdout."""

import argparse
import json
import resource
import time


def rss_mb():
    """Resident set size now (MiB), from /proc/self/statm."""
    with open("/proc/self/statm") as f:
        pages = int(f.read().split()[1])
    return pages * resource.getpagesize() / 2**20


def arguments(description):
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--model", required=True)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the cells")
    parser.add_argument("--tstop", type=float, default=1000.0, help="simulated time (ms)")
    parser.add_argument("--seed", type=int, default=98765)
    parser.add_argument("--phases", action="store_true",
                        help="pineal: also report the step loop's phase times per thread "
                        "(Simulation.phase_times; costs three clock reads per slice)")
    return parser.parse_args()


def phase_timing(core, args):
    """Turns pineal's phase timing on when asked for (before the run)."""
    if args.phases:
        core.set_phase_timing(True)


def phase_report(core, args):
    """The report's `phases` field: per thread, the last run's phase times."""
    return {"phases": core.phase_times()} if args.phases else {}


class Clock:
    def __init__(self):
        self.t = time.perf_counter()

    def lap(self):
        now = time.perf_counter()
        dt, self.t = now - self.t, now
        return dt


def report(**fields):
    print("BENCHMARK " + json.dumps(fields), flush=True)
