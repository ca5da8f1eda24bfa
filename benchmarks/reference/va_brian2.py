"""Independent Brian 2 reference for the Vogels-Abbott benchmark network.

Benchmarks 1 (COBA) and 2 (CUBA) of Brette et al. 2007 (J Comput Neurosci
23:349), with the parameters of pineal's examples/va_benchmark.py, written
from the equations, not from pineal's code:

  4000 cells (3200 exc, 800 inh); exc->exc, exc->inh, inh->exc, inh->inh each
  with connection probability 0.02 (self-connections allowed); cm 0.2 nF,
  tau_m 20 ms, v_thresh -50 mV, v_reset -60 mV, refractory 5 ms (v clamped),
  tau_syn_E 5 ms, tau_syn_I 10 ms; delay 0.1 ms, dt 0.1 ms, 1000 ms;
  initial v uniform in [-60, -50) mV, synaptic variables 0.

  CUBA: v_rest -49 mV, current jumps 0.0162 nA (exc) / -0.09 nA (inh),
        no external input; integrated exactly ('exact').
  COBA: v_rest -60 mV, E_exc 0 mV, E_inh -80 mV, conductance jumps
        0.004 uS (exc) / 0.051 uS (inh); 20 Poisson sources at 100 Hz during
        the first 50 ms, each connected with p = 0.01 and 0.1 uS to every
        cell of both populations; integrated with 'rk4' by default.

Prints, per seed, the mean rate over all 4000 cells over the whole run, and
the rate over the second half (500-1000 ms) which shows whether the activity
sustained itself; then the mean and the sample SD across seeds.

    python benchmarks/reference/va_brian2.py CUBA --seeds 1-10
    python benchmarks/reference/va_brian2.py COBA --seeds 1-10 --method rk4

Needs Brian 2 (tested with brian2 2.9.0, numpy 2.3.5; numpy 2.4 removed
ndarray.ptp which brian2 2.9.0 still uses).
"""

import argparse
import time

import brian2 as b2
import numpy as np
from brian2 import ms, mV, nA, nF, uS

N, N_EXC = 4000, 3200
P_CONN = 0.02
DT, DELAY, TSTOP = 0.1 * ms, 0.1 * ms, 1000.0 * ms
CM, TAU_M = 0.2 * nF, 20.0 * ms
V_THRESH, V_RESET, TAU_REFRAC = -50.0 * mV, -60.0 * mV, 5.0 * ms
TAU_E, TAU_I = 5.0 * ms, 10.0 * ms

CUBA_EQS = """
dv/dt = (v_rest - v) / tau_m + (ie + ii) / c_m : volt (unless refractory)
die/dt = -ie / tau_e : amp
dii/dt = -ii / tau_i : amp
"""
COBA_EQS = """
dv/dt = (v_rest - v) / tau_m
        + (ge * (e_exc - v) + gi * (e_inh - v)) / c_m : volt (unless refractory)
dge/dt = -ge / tau_e : siemens
dgi/dt = -gi / tau_i : siemens
"""


def run_one(benchmark, seed, method, refractory=TAU_REFRAC):
    b2.start_scope()
    b2.seed(seed)
    b2.defaultclock.dt = DT
    ns = {"tau_m": TAU_M, "c_m": CM, "tau_e": TAU_E, "tau_i": TAU_I}
    if benchmark == "CUBA":
        eqs, exc_var, inh_var = CUBA_EQS, "ie", "ii"
        ns.update(v_rest=-49.0 * mV)
        w_exc, w_inh = 0.0162 * nA, -0.09 * nA  # 0.27 nS * 60 mV, 4.5 nS * -20 mV
    else:
        eqs, exc_var, inh_var = COBA_EQS, "ge", "gi"
        ns.update(v_rest=-60.0 * mV, e_exc=0.0 * mV, e_inh=-80.0 * mV)
        w_exc, w_inh = 0.004 * uS, 0.051 * uS
    cells = b2.NeuronGroup(
        N,
        eqs,
        threshold="v >= v_thresh",
        reset="v = v_reset",
        refractory=refractory,
        method=method,
        namespace=dict(ns, v_thresh=V_THRESH, v_reset=V_RESET),
    )
    cells.v = "v_reset + rand() * (v_thresh - v_reset)"
    exc, inh = cells[:N_EXC], cells[N_EXC:]

    net = b2.Network(cells)
    synapses = 0
    for source, var, w in ((exc, exc_var, w_exc), (inh, inh_var, w_inh)):
        for target in (exc, inh):
            s = b2.Synapses(
                source, target, on_pre=f"{var}_post += w_syn", delay=DELAY, namespace={"w_syn": w}
            )
            s.connect(p=P_CONN)  # self-connections allowed, as in pineal
            synapses += len(s)
            net.add(s)
    if benchmark == "COBA":
        stim = b2.PoissonGroup(20, rates="100*Hz * int(t < 50*ms)")
        stim_syn = b2.Synapses(
            stim, cells, on_pre="ge_post += w_ext", delay=DELAY, namespace={"w_ext": 0.1 * uS}
        )
        stim_syn.connect(p=0.01)
        net.add(stim, stim_syn)
    mon = b2.SpikeMonitor(cells)
    net.add(mon)
    t0 = time.time()
    net.run(TSTOP, namespace={})
    wall = time.time() - t0
    times = np.asarray(mon.t / ms)
    rate = len(times) / N / float(TSTOP / b2.second)
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
        "--method", default=None, help="integration method (default: exact for CUBA, rk4 for COBA)"
    )
    parser.add_argument(
        "--target",
        default="cython",
        choices=["cython", "numpy"],
        help="Brian 2 code generation target",
    )
    parser.add_argument(
        "--refractory",
        type=float,
        default=5.0,
        help="Brian 2 refractory period (ms); see the README on 5.0 vs 5.1",
    )
    parser.add_argument(
        "--bins",
        type=float,
        default=0.0,
        help="also print the population rate in bins of this width (ms)",
    )
    args = parser.parse_args(argv)
    method = args.method or ("exact" if args.benchmark == "CUBA" else "rk4")
    b2.prefs.codegen.target = args.target
    print(
        f"Vogels-Abbott {args.benchmark} in Brian {b2.__version__} "
        f"(target {args.target}, method {method}, dt {DT}, delay {DELAY}, "
        f"refractory {args.refractory} ms)"
    )
    rates, late = [], []
    for seed in parse_seeds(args.seeds):
        rate, late_rate, synapses, wall, times = run_one(
            args.benchmark, seed, method, args.refractory * ms
        )
        rates.append(rate)
        late.append(late_rate)
        print(
            f"seed {seed:3d}: mean rate {rate:6.2f} Hz   (500-1000 ms: {late_rate:6.2f} Hz)"
            f"   {synapses} recurrent synapses, run {wall:.1f} s",
            flush=True,
        )
        if args.bins:
            counts, _ = np.histogram(times, np.arange(0.0, 1000.0 + args.bins / 2, args.bins))
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
