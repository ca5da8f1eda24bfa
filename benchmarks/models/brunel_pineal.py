"""Brunel (2000) network, model A with exponential currents, on pineal
(parameters in params.py).

Fixed in-degree: FixedNumberPreConnector with replacement and self
connections allowed, like NEST's fixed_indegree with its defaults
(allow_multapses and allow_autapses True). The Poisson drive is one
SpikeSourcePoisson per neuron (PyNN has no shared-generator device),
connected one to one.
"""

import pathlib
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from common import Clock, arguments, phase_report, phase_timing, report, rss_mb
from params import BRUNEL, BRUNEL_CELL, brunel_weights


def main():
    args = arguments(__doc__)
    import pineal as sim
    from pineal.simulator import state

    ne, ni = (round(BRUNEL[k] * args.scale) for k in ("NE", "NI"))
    ce, ci = (max(1, round(BRUNEL[k] * args.scale)) for k in ("CE", "CI"))
    j_ex, j_in, rate = brunel_weights()
    d = BRUNEL["delay"]
    base = rss_mb()
    clock = Clock()
    sim.setup(timestep=BRUNEL["dt"], min_delay=d, max_delay=d, threads=args.threads,
              rng_seed=args.seed)
    exc = sim.Population(ne, sim.IF_curr_exp(**BRUNEL_CELL), label="E")
    inh = sim.Population(ni, sim.IF_curr_exp(**BRUNEL_CELL), label="I")
    noise_e = sim.Population(ne, sim.SpikeSourcePoisson(rate=rate), label="noise_E")
    noise_i = sim.Population(ni, sim.SpikeSourcePoisson(rate=rate), label="noise_I")
    rng = sim.NumpyRNG(seed=args.seed)
    syn_e = sim.StaticSynapse(weight=j_ex, delay=d)
    syn_i = sim.StaticSynapse(weight=j_in, delay=d)

    def fixed_indegree(n):
        return sim.FixedNumberPreConnector(n, with_replacement=True, allow_self_connections=True,
                                           rng=rng)

    for target in (exc, inh):
        sim.Projection(exc, target, fixed_indegree(ce), syn_e, receptor_type="excitatory")
        sim.Projection(inh, target, fixed_indegree(ci), syn_i, receptor_type="inhibitory")
    sim.Projection(noise_e, exc, sim.OneToOneConnector(), syn_e, receptor_type="excitatory")
    sim.Projection(noise_i, inh, sim.OneToOneConnector(), syn_e, receptor_type="excitatory")
    exc.record("spikes")
    inh.record("spikes")
    build_s = clock.lap()
    cpu = time.process_time()
    built = rss_mb()
    phase_timing(state.core, args)
    sim.run(args.tstop)
    sim_s = clock.lap()
    sim_cpu_s = time.process_time() - cpu
    spikes = sum(exc.get_spike_counts().values()) + sum(inh.get_spike_counts().values())
    memory = state.core.synapse_memory()
    report(simulator="pineal", model=args.model, threads=args.threads, cells=ne + ni,
           tstop=args.tstop, build_s=build_s, sim_s=sim_s, sim_cpu_s=sim_cpu_s, spikes=int(spikes),
           synapses=int(memory["synapses"]), rss_base_mb=base, rss_built_mb=built,
           store_bytes=int(memory["bytes"]),
           store_peak_bytes=int(memory["peak_construction_bytes"]),
           **phase_report(state.core, args))
    sim.end()


if __name__ == "__main__":
    main()
