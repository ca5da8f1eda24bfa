"""Construction speed and memory of large projections (not a test).

    python benchmarks/connectivity.py [threads]

Builds one 10^4 x 10^4 projection per connector in a fresh simulator and
prints wall and CPU time (CPU time is the steadier figure on a shared
machine), synapses per second, resident memory added per synapse
(after construction) and the process's peak resident memory.
"""

import os
import resource
import sys
import time

import pineal as sim
from pineal import space
from pineal.random import NumpyRNG


def rss_bytes():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def build(name, make_connector, threads, structure=None):
    sim.setup(threads=threads, rng_seed=1)
    kw = {"structure": structure} if structure is not None else {}
    a = sim.Population(10_000, sim.IF_curr_exp(), **kw)
    b = sim.Population(10_000, sim.IF_curr_exp(), **kw)
    _ = a.positions, b.positions  # generate positions outside the timed part
    before = rss_bytes()
    t0, c0 = time.perf_counter(), time.process_time()
    prj = sim.Projection(a, b, make_connector(), sim.StaticSynapse(weight=0.1, delay=1.0))
    elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
    n = len(prj)
    added = rss_bytes() - before
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(f"{name:40s} threads={threads} synapses={n:>10d} time={elapsed:6.2f} s "
          f"cpu={cpu:6.2f} s rate={n / elapsed / 1e6:6.2f} M/s ({n / elapsed / threads / 1e6:5.2f} M/s/thread) "
          f"memory={added / n:5.1f} B/synapse peak_rss={peak / 2**20:7.0f} MiB", flush=True)
    sim.end()


def main():
    threads = int(sys.argv[1]) if len(sys.argv) > 1 else 1
    grid = space.Grid2D(dx=10.0, dy=10.0)  # 100 x 100 cells, 10 um apart
    cases = [
        ("FixedProbability(0.1)", lambda: sim.FixedProbabilityConnector(0.1, rng=NumpyRNG(2)),
         None),
        ("FixedNumberPre(1000)", lambda: sim.FixedNumberPreConnector(1000, rng=NumpyRNG(3)),
         None),
        ("FixedNumberPost(1000)", lambda: sim.FixedNumberPostConnector(1000, rng=NumpyRNG(5)),
         None),
        ("FixedTotalNumber(10^7)", lambda: sim.FixedTotalNumberConnector(10_000_000,
                                                                       rng=NumpyRNG(6)), None),
        ("FixedTotalNumber(10^7, no replacement)",
         lambda: sim.FixedTotalNumberConnector(10_000_000, with_replacement=False,
                                               rng=NumpyRNG(7)), None),
        ("DistanceDependent('0.3*exp(-d/200)')",
         lambda: sim.DistanceDependentProbabilityConnector("0.3*exp(-d/200)",
                                                           rng=NumpyRNG(4)), grid),
    ]
    only = os.environ.get("ONLY")
    for name, make, structure in cases:
        if only and only not in name:
            continue
        build(name, make, threads, structure)


if __name__ == "__main__":
    main()
