"""Vogels-Abbott balanced network (benchmarks 1 and 2 of Brette et al. 2007).

4000 integrate-and-fire neurons, 80% excitatory, connected with probability
0.02. In CUBA the resting potential lies above threshold, so activity starts
by itself; COBA is kicked by 20 Poisson sources firing at 100 Hz for the first
50 ms. Parameters are those of the
benchmark (Vogels & Abbott 2005, J Neurosci 25:10786; Brette et al. 2007,
J Comput Neurosci 23:349): tau_m = 20 ms, cm = 0.2 nF, threshold -50 mV,
reset -60 mV, refractory 5 ms, tau_syn 5 ms (exc) / 10 ms (inh).

Written with the PyNN API: run it on another simulator by changing the import.

    python examples/va_benchmark.py CUBA --tstop 1000 --plot va_cuba.png
"""

import argparse

import numpy as np
import pineal as sim
from pineal.random import NumpyRNG, RandomDistribution
from pineal.utility import Timer

CELL = {"tau_m": 20.0, "cm": 0.2, "v_thresh": -50.0, "v_reset": -60.0, "tau_refrac": 5.0,
        "tau_syn_E": 5.0, "tau_syn_I": 10.0}
V_MEAN, E_EXC, E_INH = -60.0, 0.0, -80.0  # mV: reversal potentials, mean v for CUBA weights


def benchmark_parameters(benchmark):
    """Cell type, cell parameters and (w_exc, w_inh) of the chosen benchmark."""
    if benchmark == "COBA":
        if not hasattr(sim, "IF_cond_exp"):
            raise SystemExit("COBA needs IF_cond_exp, which this pineal build does not have yet")
        params = dict(CELL, v_rest=-60.0, e_rev_E=E_EXC, e_rev_I=E_INH)
        return sim.IF_cond_exp, params, (4.0e-3, 51.0e-3)  # uS
    # CUBA: conductances 0.27 nS and 4.5 nS turned into currents at v = -60 mV.
    params = dict(CELL, v_rest=-49.0)
    return sim.IF_curr_exp, params, (0.27e-3 * (E_EXC - V_MEAN), 4.5e-3 * (E_INH - V_MEAN))


def build(benchmark, n=4000, seed=98765, threads=1, dt=0.1, delay=0.1):
    sim.setup(timestep=dt, min_delay=delay, max_delay=delay, threads=threads, rng_seed=seed)
    celltype, params, (w_exc, w_inh) = benchmark_parameters(benchmark)
    n_exc = int(round(n * 0.8))
    exc = sim.Population(n_exc, celltype(**params), label="Excitatory_Cells")
    inh = sim.Population(n - n_exc, celltype(**params), label="Inhibitory_Cells")
    rng = NumpyRNG(seed=seed)
    v_init = RandomDistribution("uniform", (params["v_reset"], params["v_thresh"]), rng=rng)
    exc.initialize(v=v_init)
    inh.initialize(v=v_init)
    exc_syn = sim.StaticSynapse(weight=w_exc, delay=delay)
    inh_syn = sim.StaticSynapse(weight=w_inh, delay=delay)
    connections = {
        "e2e": sim.Projection(exc, exc, sim.FixedProbabilityConnector(0.02, rng=rng), exc_syn,
                              receptor_type="excitatory"),
        "e2i": sim.Projection(exc, inh, sim.FixedProbabilityConnector(0.02, rng=rng), exc_syn,
                              receptor_type="excitatory"),
        "i2e": sim.Projection(inh, exc, sim.FixedProbabilityConnector(0.02, rng=rng), inh_syn,
                              receptor_type="inhibitory"),
        "i2i": sim.Projection(inh, inh, sim.FixedProbabilityConnector(0.02, rng=rng), inh_syn,
                              receptor_type="inhibitory"),
    }
    if benchmark == "COBA":
        # COBA needs a kick: 20 Poisson sources at 100 Hz for the first 50 ms.
        # (CUBA's resting potential, -49 mV, lies above threshold: it needs none.)
        stim = sim.Population(20, sim.SpikeSourcePoisson(rate=100.0, duration=50.0),
                              label="expoisson")
        ext = sim.StaticSynapse(weight=0.1, delay=delay)
        for target in (exc, inh):
            sim.Projection(stim, target, sim.FixedProbabilityConnector(0.01, rng=rng), ext,
                           receptor_type="excitatory")
    exc.record("spikes")
    inh.record("spikes")
    return exc, inh, connections


def plot(exc, tstop, filename):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    trains = exc.get_data("spikes").segments[0].spiketrains
    fig, (ax1, ax2) = plt.subplots(2, 1, figsize=(8, 6), sharex=True)
    shown = trains[:200]
    for k, st in enumerate(shown):
        ax1.plot(st.magnitude, np.full(len(st), k), "|", color="k", markersize=2)
    ax1.set_ylabel("cell (first 200 exc.)")
    all_times = np.concatenate([st.magnitude for st in trains]) if trains else np.array([])
    bins = np.arange(0.0, tstop + 5.0, 5.0)
    counts, _ = np.histogram(all_times, bins)
    ax2.plot(bins[:-1], counts / (len(trains) * 5e-3), color="tab:blue")
    ax2.set_xlabel("time (ms)")
    ax2.set_ylabel("rate (Hz)")
    fig.suptitle("Vogels-Abbott benchmark (pineal)")
    fig.savefig(filename, dpi=100)
    plt.close(fig)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("benchmark", nargs="?", default="CUBA", choices=["CUBA", "COBA"])
    parser.add_argument("--tstop", type=float, default=1000.0, help="simulated time (ms)")
    parser.add_argument("--n", type=int, default=4000, help="number of neurons")
    parser.add_argument("--seed", type=int, default=98765)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--plot", default="va_benchmark.png", help="PNG file ('' for none)")
    args = parser.parse_args(argv)

    timer = Timer()
    exc, inh, connections = build(args.benchmark, args.n, args.seed, args.threads)
    build_time = timer.diff()
    sim.run(args.tstop)
    run_time = timer.diff()
    n_spikes = sum(exc.get_spike_counts().values()) + sum(inh.get_spike_counts().values())
    rate = n_spikes / args.n / (args.tstop / 1000.0)
    print(f"Vogels-Abbott {args.benchmark}: {args.n} neurons, "
          f"{sum(len(c) for c in connections.values())} recurrent synapses")
    print(f"build time       : {build_time:.2f} s")
    print(f"simulation time  : {run_time:.2f} s ({args.tstop:g} ms simulated)")
    print(f"spike count      : {n_spikes}")
    print(f"mean rate        : {rate:.2f} Hz")
    if args.plot:
        plot(exc, args.tstop, args.plot)
        print(f"raster and rate  : {args.plot}")
    sim.end()
    return n_spikes, rate


if __name__ == "__main__":
    main()
