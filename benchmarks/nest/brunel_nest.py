"""Brunel (2000) model A with exponential currents on NEST, written by hand
to match ../models/brunel_pineal.py (parameters in ../models/params.py).

fixed_indegree with multapses allowed draws sources with replacement, as the
pineal script does; one poisson_generator gives each target an independent
train, as one SpikeSourcePoisson per neuron does in pineal.
"""

import pathlib
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "models"))
from common import Clock, arguments, report, rss_mb
from params import BRUNEL, BRUNEL_CELL, brunel_weights


def main():
    args = arguments(__doc__)
    import nest

    base = rss_mb()
    ne, ni = (round(BRUNEL[k] * args.scale) for k in ("NE", "NI"))
    ce, ci = (max(1, round(BRUNEL[k] * args.scale)) for k in ("CE", "CI"))
    j_ex, j_in, rate = brunel_weights()
    d = BRUNEL["delay"]
    c = BRUNEL_CELL
    clock = Clock()
    nest.ResetKernel()
    nest.verbosity = nest.VerbosityLevel.ERROR
    nest.SetKernelStatus({"resolution": BRUNEL["dt"], "local_num_threads": args.threads,
                          "rng_seed": args.seed, "print_time": False})
    params = {"C_m": c["cm"] * 1000.0, "tau_m": c["tau_m"], "E_L": c["v_rest"],
              "V_th": c["v_thresh"], "V_reset": c["v_reset"], "t_ref": c["tau_refrac"],
              "tau_syn_ex": c["tau_syn_E"], "tau_syn_in": c["tau_syn_I"], "V_m": c["v_rest"]}
    exc = nest.Create("iaf_psc_exp", ne, params=params)
    inh = nest.Create("iaf_psc_exp", ni, params=params)
    noise = nest.Create("poisson_generator", params={"rate": rate})
    cells = exc + inh
    nest.Connect(exc, cells, {"rule": "fixed_indegree", "indegree": ce},
                 {"weight": j_ex * 1000.0, "delay": d})
    nest.Connect(inh, cells, {"rule": "fixed_indegree", "indegree": ci},
                 {"weight": j_in * 1000.0, "delay": d})
    nest.Connect(noise, cells, syn_spec={"weight": j_ex * 1000.0, "delay": d})
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
    report(simulator="nest", model=args.model, threads=args.threads, cells=ne + ni,
           tstop=args.tstop, build_s=build_s, sim_s=sim_s, sim_cpu_s=sim_cpu_s,
           spikes=int(recorder.n_events),
           synapses=int(nest.GetKernelStatus("num_connections")) - (ne + ni),
           rss_base_mb=base, rss_built_mb=built, nest_version=nest.__version__)


if __name__ == "__main__":
    main()
