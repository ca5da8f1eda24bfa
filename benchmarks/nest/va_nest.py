"""Vogels-Abbott COBA / CUBA on NEST, written by hand to match
examples/va_benchmark.py (parameters in ../models/params.py).

PyNN units become NEST's: nF -> pF (x1000), uS -> nS (x1000), nA -> pA
(x1000); g_L = cm / tau_m. iaf_cond_exp takes the sign of a weight as the
receptor (negative: inhibitory conductance), iaf_psc_exp the sign of the
current. The COBA kick is 20 Poisson trains shared by their targets, as a
SpikeSourcePoisson population is: poisson_generator -> parrot_neuron.
"""

import pathlib
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "models"))
from common import Clock, arguments, report, rss_mb
from params import VA_COBA, VA_COBA_W, VA_CUBA, VA_CUBA_W, VA_DT, VA_KICK, VA_P


def nest_params(p, conductance):
    out = {"C_m": p["cm"] * 1000.0, "E_L": p["v_rest"], "V_th": p["v_thresh"],
           "V_reset": p["v_reset"], "t_ref": p["tau_refrac"], "tau_syn_ex": p["tau_syn_E"],
           "tau_syn_in": p["tau_syn_I"]}
    if conductance:
        out.update(g_L=p["cm"] / p["tau_m"] * 1000.0, E_ex=p["e_rev_E"], E_in=p["e_rev_I"])
    else:
        out.update(tau_m=p["tau_m"])
    return out


def main():
    args = arguments(__doc__)
    import nest

    base = rss_mb()
    coba = args.model == "va_coba"
    params, (w_exc, w_inh) = (VA_COBA, VA_COBA_W) if coba else (VA_CUBA, VA_CUBA_W)
    n = round(4000 * args.scale)
    n_exc = round(n * 0.8)
    clock = Clock()
    nest.ResetKernel()
    nest.verbosity = nest.VerbosityLevel.ERROR
    nest.SetKernelStatus({"resolution": VA_DT, "local_num_threads": args.threads,
                          "rng_seed": args.seed, "print_time": False})
    model = "iaf_cond_exp" if coba else "iaf_psc_exp"
    cells = nest.Create(model, n, params=nest_params(params, coba))
    cells.V_m = nest.random.uniform(params["v_reset"], params["v_thresh"])
    exc, inh = cells[:n_exc], cells[n_exc:]
    bernoulli = {"rule": "pairwise_bernoulli", "p": VA_P}
    nest.Connect(exc, cells, bernoulli, {"weight": w_exc * 1000.0, "delay": VA_DT})
    # COBA: the inhibitory conductance takes a negative weight in NEST.
    nest.Connect(inh, cells, bernoulli, {"weight": (-w_inh if coba else w_inh) * 1000.0,
                                         "delay": VA_DT})
    if coba:
        gen = nest.Create("poisson_generator", params={"rate": VA_KICK["rate"], "start": 0.0,
                                                        "stop": VA_KICK["duration"]})
        parrots = nest.Create("parrot_neuron", VA_KICK["n"])
        nest.Connect(gen, parrots)
        nest.Connect(parrots, cells, {"rule": "pairwise_bernoulli", "p": VA_KICK["p"]},
                     {"weight": VA_KICK["weight"] * 1000.0, "delay": VA_DT})
    recorder = nest.Create("spike_recorder")
    nest.Connect(cells, recorder)
    nest.Prepare()  # builds NEST's connection infrastructure: part of construction
    nest.Cleanup()
    build_s = clock.lap()
    cpu = time.process_time()
    built = rss_mb()
    nest.Simulate(args.tstop)
    sim_s = clock.lap()
    sim_cpu_s = time.process_time() - cpu
    report(simulator="nest", model=args.model, threads=args.threads, cells=n, tstop=args.tstop,
           build_s=build_s, sim_s=sim_s, sim_cpu_s=sim_cpu_s, spikes=int(recorder.n_events),
           synapses=(int(nest.GetKernelStatus("num_connections")) - n
                     - (VA_KICK["n"] if coba else 0)),
           rss_base_mb=base, rss_built_mb=built, nest_version=nest.__version__)


if __name__ == "__main__":
    main()
