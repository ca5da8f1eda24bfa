"""Vogels-Abbott COBA / CUBA on pineal: the network of examples/va_benchmark.py."""

import importlib.util
import pathlib
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from common import Clock, arguments, phase_report, phase_timing, report, rss_mb

ROOT = pathlib.Path(__file__).resolve().parents[2]


def load_example():
    spec = importlib.util.spec_from_file_location("va_benchmark",
                                                  ROOT / "examples" / "va_benchmark.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main():
    args = arguments(__doc__)
    import pineal as sim
    from pineal.simulator import state

    va = load_example()
    variant = {"va_coba": "COBA", "va_cuba": "CUBA"}[args.model]
    n = round(4000 * args.scale)
    base = rss_mb()
    clock = Clock()
    exc, inh, _ = va.build(variant, n=n, seed=args.seed, threads=args.threads)
    build_s = clock.lap()
    cpu = time.process_time()
    built = rss_mb()
    phase_timing(state.core, args)
    sim.run(args.tstop)
    sim_s = clock.lap()
    sim_cpu_s = time.process_time() - cpu
    spikes = sum(exc.get_spike_counts().values()) + sum(inh.get_spike_counts().values())
    memory = state.core.synapse_memory()
    report(simulator="pineal", model=args.model, threads=args.threads, cells=n,
           tstop=args.tstop, build_s=build_s, sim_s=sim_s, sim_cpu_s=sim_cpu_s, spikes=int(spikes),
           synapses=int(memory["synapses"]), rss_base_mb=base, rss_built_mb=built,
           store_bytes=int(memory["bytes"]),
           store_peak_bytes=int(memory["peak_construction_bytes"]),
           **phase_report(state.core, args))
    sim.end()


if __name__ == "__main__":
    main()
