"""Potjans & Diesmann (2014) microcircuit on pineal: the network of
examples/microcircuit/network.py (PyNN API), built at --scale (neurons and
in-degrees) with the Poisson (pd14) or DC (pd14_dc) background."""

import pathlib
import sys
import time

HERE = pathlib.Path(__file__).resolve()
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE.parents[2] / "examples" / "microcircuit"))
from common import Clock, arguments, report, rss_mb
from network import build, spike_counts
from pd14_common import network_of, transient


def main():
    args = arguments(__doc__)
    import pineal as sim
    from pineal.simulator import state

    net = network_of(args.model, args.scale)
    base = rss_mb()
    clock = Clock()
    pops, _ = build(sim, net, seed=args.seed, threads=args.threads)
    build_s = clock.lap()
    cpu = time.process_time()
    built = rss_mb()
    # Two runs (bit-identical to one) so that the rates leave out the transient.
    sim.run(transient(args.tstop))
    early = spike_counts(pops)
    sim.run(args.tstop - transient(args.tstop))
    sim_s = clock.lap()
    sim_cpu_s = time.process_time() - cpu
    total = spike_counts(pops)
    memory = state.core.synapse_memory()
    report(simulator="pineal", model=args.model, threads=args.threads, cells=net.n_cells,
           tstop=args.tstop, build_s=build_s, sim_s=sim_s, sim_cpu_s=sim_cpu_s,
           spikes=int(total.sum()), synapses=int(memory["synapses"]), rss_base_mb=base,
           rss_built_mb=built, store_bytes=int(memory["bytes"]),
           store_peak_bytes=int(memory["peak_construction_bytes"]),
           population_counts=[int(x) for x in total - early], transient=transient(args.tstop),
           population_sizes=[int(x) for x in net.sizes])
    sim.end()


if __name__ == "__main__":
    main()
