"""Independent NEST reference for the Vogels-Abbott benchmark network.

The same networks as va_brian2.py (benchmarks 1 COBA and 2 CUBA of Brette et
al. 2007 with the parameters of pineal's examples/va_benchmark.py), written
directly in PyNEST (not through PyNN), in NEST units:

  CUBA: iaf_psc_exp, C_m 200 pF, tau_m 20 ms, E_L -49 mV, V_th -50 mV,
        V_reset -60 mV, t_ref 5 ms, tau_syn_ex 5 ms, tau_syn_in 10 ms;
        weights 16.2 pA (exc) / -90 pA (inh).
  COBA: iaf_cond_exp, the same with E_L -60 mV, g_L = C_m / tau_m = 10 nS,
        E_ex 0 mV, E_in -80 mV; weights 4 nS (exc) / -51 nS (inh: NEST's
        conductance models take the sign of the weight as the receptor);
        20 Poisson sources at 100 Hz in [0, 50) ms, each one train shared by
        all its targets (poisson_generator -> parrot_neuron), connected with
        p = 0.01 and 100 nS to every cell.

  All four recurrent projections pairwise_bernoulli p = 0.02, autapses
  allowed; delay 0.1 ms; resolution 0.1 ms; 1000 ms; V_m uniform in
  [-60, -50) mV. One thread.

    python benchmarks/reference/va_nest.py CUBA --seeds 1-10

Tested with nest-simulator 3.10.0 (the PyPI wheel).
"""

import argparse
import os
import time

import numpy as np

os.environ.setdefault("PYNEST_QUIET", "1")
import nest

N, N_EXC = 4000, 3200
P_CONN = 0.02
DT, DELAY, TSTOP = 0.1, 0.1, 1000.0
COMMON = {
    "C_m": 200.0,
    "tau_m": 20.0,
    "V_th": -50.0,
    "V_reset": -60.0,
    "t_ref": 5.0,
    "tau_syn_ex": 5.0,
    "tau_syn_in": 10.0,
    "I_e": 0.0,
}


def run_one(benchmark, seed):
    nest.ResetKernel()
    nest.verbosity = nest.VerbosityLevel.ERROR
    nest.SetKernelStatus({"resolution": DT, "rng_seed": seed, "local_num_threads": 1})
    if benchmark == "CUBA":
        model, params = "iaf_psc_exp", dict(COMMON, E_L=-49.0)
        w_exc, w_inh = 16.2, -90.0  # pA
    else:
        model = "iaf_cond_exp"
        params = dict(COMMON, E_L=-60.0, g_L=COMMON["C_m"] / COMMON["tau_m"], E_ex=0.0, E_in=-80.0)
        del params["tau_m"]  # iaf_cond_exp takes g_L instead
        w_exc, w_inh = 4.0, -51.0  # nS
    cells = nest.Create(model, N, params=params)
    cells.V_m = nest.random.uniform(-60.0, -50.0)
    exc, inh = cells[:N_EXC], cells[N_EXC:]
    rule = {"rule": "pairwise_bernoulli", "p": P_CONN, "allow_autapses": True}
    for source, w in ((exc, w_exc), (inh, w_inh)):
        for target in (exc, inh):
            nest.Connect(
                source,
                target,
                rule,
                {"synapse_model": "static_synapse", "weight": w, "delay": DELAY},
            )
    synapses = nest.GetKernelStatus("num_connections")
    if benchmark == "COBA":
        gen = nest.Create("poisson_generator", params={"rate": 100.0, "start": 0.0, "stop": 50.0})
        parrots = nest.Create("parrot_neuron", 20)
        nest.Connect(gen, parrots, "all_to_all", {"delay": DELAY})
        nest.Connect(
            parrots,
            cells,
            {"rule": "pairwise_bernoulli", "p": 0.01},
            {"weight": 100.0, "delay": DELAY},
        )
    rec = nest.Create("spike_recorder")
    nest.Connect(cells, rec)
    t0 = time.time()
    nest.Simulate(TSTOP)
    wall = time.time() - t0
    times = np.asarray(rec.get("events")["times"])
    rate = len(times) / N / (TSTOP / 1000.0)
    late_rate = np.count_nonzero(times >= 500.0) / N / 0.5
    return rate, late_rate, synapses, wall, times


def parse_seeds(text):
    if "-" in text:
        lo, hi = text.split("-")
        return list(range(int(lo), int(hi) + 1))
    return [int(s) for s in text.split(",")]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("benchmark", choices=["CUBA", "COBA"])
    parser.add_argument("--seeds", default="1-10", help="'1-10' or '1,2,5'")
    parser.add_argument(
        "--bins",
        type=float,
        default=0.0,
        help="also print the population rate in bins of this width (ms)",
    )
    args = parser.parse_args(argv)
    print(
        f"Vogels-Abbott {args.benchmark} in NEST {nest.__version__} "
        f"(resolution {DT} ms, delay {DELAY} ms)"
    )
    rates, late = [], []
    for seed in parse_seeds(args.seeds):
        rate, late_rate, synapses, wall, times = run_one(args.benchmark, seed)
        rates.append(rate)
        late.append(late_rate)
        print(
            f"seed {seed:3d}: mean rate {rate:6.2f} Hz   (500-1000 ms: {late_rate:6.2f} Hz)"
            f"   {synapses} recurrent synapses, run {wall:.1f} s",
            flush=True,
        )
        if args.bins:
            counts, _ = np.histogram(times, np.arange(0.0, TSTOP + args.bins / 2, args.bins))
            binned = " ".join(f"{c / N / (args.bins / 1000.0):.1f}" for c in counts)
            print(f"    rate per {args.bins:g} ms bin (Hz): {binned}")
    rates, late = np.array(rates), np.array(late)
    sd = rates.std(ddof=1) if len(rates) > 1 else 0.0
    print(
        f"{args.benchmark}: mean rate over {len(rates)} seeds {rates.mean():.2f} Hz, "
        f"SD {sd:.2f} Hz, min {rates.min():.2f}, max {rates.max():.2f}"
    )
    alive = late > 1.0
    if not alive.all():
        r = rates[alive]
        print(
            f"  activity died out (<1 Hz in 500-1000 ms) in {np.count_nonzero(~alive)} "
            f"seed(s); over the other {len(r)}: {r.mean():.2f} Hz, "
            f"SD {r.std(ddof=1) if len(r) > 1 else 0.0:.2f} Hz"
        )


if __name__ == "__main__":
    main()
