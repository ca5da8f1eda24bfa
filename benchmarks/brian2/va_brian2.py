"""Vogels-Abbott COBA / CUBA on Brian 2 (C++ standalone), written by hand to
match examples/va_benchmark.py (parameters in ../models/params.py).

CUBA is integrated exactly (Brian's 'exact': linear equations), COBA with
'exponential_euler', the method Brian chooses for conductance-based
equations. Delay 0.1 ms (one step) on every synapse, as in pineal and NEST.
Refractoriness: pineal and NEST hold v for round(t_ref / dt) = 50 steps;
Brian's `t - lastspike < refractory` with refractory = t_ref holds it 49
(benchmarks/reference/README.md), so refractory is t_ref + dt / 2.
"""

import pathlib
import sys

HERE = pathlib.Path(__file__).resolve()
sys.path.insert(0, str(HERE.parents[1] / "models"))
sys.path.insert(0, str(HERE.parent))
from common import arguments, report
from params import VA_COBA, VA_COBA_W, VA_CUBA, VA_CUBA_W, VA_DT, VA_KICK, VA_P


def main():
    args = arguments(__doc__)
    import brian2 as b2
    from brian2 import ms, mV, nF
    from standalone import build_and_run, standalone

    directory = standalone(args.threads, f"{args.model}_s{args.scale:g}_seed{args.seed}")
    b2.seed(args.seed)
    b2.defaultclock.dt = VA_DT * ms
    coba = args.model == "va_coba"
    p = VA_COBA if coba else VA_CUBA
    n = round(4000 * args.scale)
    n_exc = round(n * 0.8)
    ns = {"tau_m": p["tau_m"] * ms, "c_m": p["cm"] * nF, "v_rest": p["v_rest"] * mV,
          "tau_e": p["tau_syn_E"] * ms, "tau_i": p["tau_syn_I"] * ms}
    if coba:
        ns.update(e_e=p["e_rev_E"] * mV, e_i=p["e_rev_I"] * mV)
        eqs = """dv/dt = (v_rest - v) / tau_m + (ge * (e_e - v) + gi * (e_i - v)) / c_m
                     : volt (unless refractory)
                 dge/dt = -ge / tau_e : siemens
                 dgi/dt = -gi / tau_i : siemens"""
        method, unit, (w_e, w_i), on = "exponential_euler", "uS", VA_COBA_W, ("ge", "gi")
    else:
        eqs = """dv/dt = (v_rest - v) / tau_m + (ie + ii) / c_m : volt (unless refractory)
                 die/dt = -ie / tau_e : amp
                 dii/dt = -ii / tau_i : amp"""
        method, unit, (w_e, w_i), on = "exact", "nA", VA_CUBA_W, ("ie", "ii")
    cells = b2.NeuronGroup(n, eqs, threshold=f"v > {p['v_thresh']}*mV",
                           reset=f"v = {p['v_reset']}*mV",
                           refractory=(p["tau_refrac"] + VA_DT / 2) * ms, method=method,
                           namespace=ns)
    cells.v = f"{p['v_reset']}*mV + rand() * {p['v_thresh'] - p['v_reset']}*mV"
    exc, inh = cells[:n_exc], cells[n_exc:]
    synapses = []
    for source, target, weight in ((exc, on[0], w_e), (inh, on[1], w_i)):
        s = b2.Synapses(source, cells, on_pre=f"{target}_post += {weight} * {unit}",
                        delay=VA_DT * ms)
        s.connect(p=VA_P)
        synapses.append(s)
    if coba:
        rate, stop = VA_KICK["rate"], VA_KICK["duration"]
        kick = b2.PoissonGroup(VA_KICK["n"], rates=f"{rate}*Hz * int(t < {stop}*ms)")
        s = b2.Synapses(kick, cells, on_pre=f"ge_post += {VA_KICK['weight']} * uS",
                        delay=VA_DT * ms)
        s.connect(p=VA_KICK["p"])
        synapses.append(s)
        kick_group = [kick]
    else:
        kick_group = []
    monitor = b2.SpikeMonitor(cells, record=False)
    # An explicit Network: b2.run() would only collect objects held in variables.
    b2.Network(cells, monitor, *synapses, *kick_group).run(args.tstop * ms)
    fields = build_and_run(directory, args.tstop)
    report(simulator="brian2", model=args.model, threads=args.threads, cells=n,
           tstop=args.tstop, spikes=int(monitor.num_spikes),
           synapses=int(sum(len(s) for s in synapses[:2])), **fields)


if __name__ == "__main__":
    main()
