"""Brunel (2000) model A with exponential currents on Brian 2 (C++
standalone), written by hand to match ../models/brunel_pineal.py
(parameters in ../models/params.py).

Fixed in-degree: the sources of each target are drawn here with
replacement (as the pineal script and NEST's fixed_indegree with multapses
do) and passed to Synapses.connect as arrays. The weights are constants of
the on_pre code (no per-synapse weight). The drive is a PoissonInput per
population, Brian's fastest form: a binomial count of input spikes per cell
and step, added to the current directly (CE inputs of rate nu_ext, the law of an
independent Poisson train per cell, as in pineal and NEST; no delay, which does not change a
Poisson train's statistics). Exact integration (linear equations); v held
for round(t_ref / dt) steps as in pineal and NEST (refractory t_ref + dt / 2,
see va_brian2.py).
"""

import pathlib
import sys

import numpy as np

HERE = pathlib.Path(__file__).resolve()
sys.path.insert(0, str(HERE.parents[1] / "models"))
sys.path.insert(0, str(HERE.parent))
from common import arguments, report
from params import BRUNEL, BRUNEL_CELL, brunel_weights


def main():
    args = arguments(__doc__)
    import brian2 as b2
    from brian2 import Hz, ms, mV, nA, nF
    from standalone import build_and_run, standalone

    directory = standalone(args.threads, f"{args.model}_s{args.scale:g}_seed{args.seed}")
    b2.seed(args.seed)
    dt = BRUNEL["dt"]
    b2.defaultclock.dt = dt * ms
    ne, ni = (round(BRUNEL[k] * args.scale) for k in ("NE", "NI"))
    ce, ci = (max(1, round(BRUNEL[k] * args.scale)) for k in ("CE", "CI"))
    j_ex, j_in, rate = brunel_weights()
    c = BRUNEL_CELL
    ns = {"tau_m": c["tau_m"] * ms, "c_m": c["cm"] * nF, "v_rest": c["v_rest"] * mV,
          "tau_s": c["tau_syn_E"] * ms}
    eqs = """dv/dt = (v_rest - v) / tau_m + i_syn / c_m : volt (unless refractory)
             di_syn/dt = -i_syn / tau_s : amp"""
    cells = b2.NeuronGroup(ne + ni, eqs, threshold=f"v > {c['v_thresh']}*mV",
                           reset=f"v = {c['v_reset']}*mV",
                           refractory=(c["tau_refrac"] + dt / 2) * ms, method="exact",
                           namespace=ns)
    cells.v = c["v_rest"] * mV
    rng = np.random.default_rng(args.seed)
    n = ne + ni
    synapses = []
    for first, size, indegree, weight in ((0, ne, ce, j_ex), (ne, ni, ci, j_in)):
        s = b2.Synapses(cells, cells, on_pre=f"i_syn_post += {weight!r}*nA",
                        delay=BRUNEL["delay"] * ms)
        s.connect(i=first + rng.integers(0, size, size=n * indegree),
                  j=np.repeat(np.arange(n), indegree))
        synapses.append(s)
    # CE inputs at rate / CE each (one at the whole rate would need p > 1 per step).
    drive = b2.PoissonInput(cells, "i_syn", N=BRUNEL["CE"], rate=rate / BRUNEL["CE"] * Hz,
                            weight=j_ex * nA)
    monitor = b2.SpikeMonitor(cells, record=False)
    b2.Network(cells, drive, monitor, *synapses).run(args.tstop * ms)
    fields = build_and_run(directory, args.tstop)
    report(simulator="brian2", model=args.model, threads=args.threads, cells=n,
           tstop=args.tstop, spikes=int(monitor.num_spikes),
           synapses=int(sum(len(s) for s in synapses)), **fields)


if __name__ == "__main__":
    main()
