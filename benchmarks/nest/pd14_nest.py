"""Potjans & Diesmann (2014) microcircuit on NEST, written by hand to match
examples/microcircuit/network.py (the numbers come from
examples/microcircuit/parameters.py, so both build the same model).

fixed_total_number with autapses and multapses allowed draws the pairs with
replacement, as pineal's FixedTotalNumberConnector does; weights and delays
are normals redrawn outside their bounds (nest.math.redraw), as pineal's
normal_clipped. The Poisson background is one poisson_generator per
population connected all to all (each target an independent train), as one
SpikeSourcePoisson per cell connected one to one in pineal. Units: pA and pF
(pineal: nA and nF).
"""

import pathlib
import sys
import time

import numpy as np

HERE = pathlib.Path(__file__).resolve()
sys.path.insert(0, str(HERE.parents[1] / "models"))
sys.path.insert(0, str(HERE.parents[2] / "examples" / "microcircuit"))
from common import Clock, arguments, report, rss_mb
from parameters import CELL, DT, POISSON_DELAY, POPULATIONS, V0_MEAN, V0_SD
from pd14_common import network_of, transient


def main():
    args = arguments(__doc__)
    import nest

    base = rss_mb()
    net = network_of(args.model, args.scale)
    clock = Clock()
    nest.ResetKernel()
    nest.verbosity = nest.VerbosityLevel.ERROR
    nest.SetKernelStatus({"resolution": DT, "local_num_threads": args.threads,
                          "rng_seed": args.seed, "print_time": False})
    c = CELL
    pops = []
    for a in range(len(POPULATIONS)):
        params = {"C_m": c["cm"] * 1000.0, "tau_m": c["tau_m"], "E_L": c["v_rest"],
                  "V_th": c["v_thresh"], "V_reset": c["v_reset"], "t_ref": c["tau_refrac"],
                  "tau_syn_ex": c["tau_syn_E"], "tau_syn_in": c["tau_syn_I"],
                  "I_e": float(net.dc[a])}
        pop = nest.Create("iaf_psc_exp", int(net.sizes[a]), params=params)
        pop.V_m = nest.random.normal(mean=V0_MEAN, std=V0_SD)
        pops.append(pop)
    for a, target in enumerate(pops):
        # NEST holds at most 2^27 - 2 connections per virtual process and
        # synapse model: one copy of static_synapse per target population
        # keeps the full-scale model (3e8 synapses) within it at 1 thread.
        model = f"static_synapse_to_{a}"
        nest.CopyModel("static_synapse", model)
        for b, source in enumerate(pops):
            n = int(net.synapses[a, b])
            if n == 0:
                continue
            mu, sd, low, high = net.weight_distribution(a, b)
            dmu, dsd, dlow, dhigh = net.delay_distribution(a, b)
            nest.Connect(source, target,
                         {"rule": "fixed_total_number", "N": n, "allow_autapses": True,
                          "allow_multapses": True},
                         {"synapse_model": model,
                          "weight": nest.math.redraw(nest.random.normal(mean=mu, std=sd),
                                                     min=low, max=high),
                          "delay": nest.math.redraw(nest.random.normal(mean=dmu, std=dsd),
                                                    min=dlow, max=dhigh)})
    if net.background == "poisson":
        for a, target in enumerate(pops):
            gen = nest.Create("poisson_generator", params={"rate": float(net.ext_rates[a])})
            nest.Connect(gen, target, "all_to_all",
                         {"weight": float(net.ext_weight), "delay": POISSON_DELAY})
    recorder = nest.Create("spike_recorder")
    for pop in pops:
        nest.Connect(pop, recorder)
    nest.Prepare()  # builds NEST's connection infrastructure: part of construction
    nest.Cleanup()
    build_s = clock.lap()
    cpu = time.process_time()
    built = rss_mb()
    nest.Simulate(args.tstop)
    sim_s = clock.lap()
    sim_cpu_s = time.process_time() - cpu
    events = recorder.get("events")
    late = events["senders"][events["times"] > transient(args.tstop)]
    # Populations were created one after the other: contiguous node ids.
    firsts = [p[0].global_id for p in pops] + [pops[-1][-1].global_id + 1]
    counts = np.histogram(late, bins=firsts)[0]
    cells = net.n_cells
    report(simulator="nest", model=args.model, threads=args.threads, cells=cells,
           tstop=args.tstop, build_s=build_s, sim_s=sim_s, sim_cpu_s=sim_cpu_s,
           spikes=int(recorder.n_events),
           # all but the recorder's (the background's count, as in pineal's store)
           synapses=int(nest.GetKernelStatus("num_connections")) - cells,
           rss_base_mb=base, rss_built_mb=built, nest_version=nest.__version__,
           population_counts=[int(x) for x in counts], transient=transient(args.tstop),
           population_sizes=[int(x) for x in net.sizes])


if __name__ == "__main__":
    main()
