"""One neuron of each standard cell type (besides IF_curr_exp and IF_cond_exp,
which have their own examples) driven by the same kind of current step, with
their membrane potentials plotted one panel per type.

    python examples/single_neurons.py native --plot-figure

For the non-adapting integrate-and-fire types the first spike is compared with
the analytic crossing time start + tau_m ln(R I / (R I - (v_thresh - v_rest))),
R = tau_m / cm; for the adapting ones (spike-frequency adaptation) the
intervals between spikes grow.
"""

import math

import numpy as np
from pineal.utility import get_simulator, normalized_filename

sim, options = get_simulator(
    ("--plot-figure", "plot the results to a file in Results/", {"action": "store_true"}),
    ("--duration", "simulated time (ms)", {"type": float, "default": 300.0}),
)

sim.setup(timestep=0.1, min_delay=1.0)
start, stop = 20.0, options.duration - 20.0

# (cell type, step amplitude in nA): each amplitude is above the type's rheobase
cells = {
    "IF_curr_alpha": (sim.IF_curr_alpha(tau_refrac=2.0), 1.0),
    "IF_curr_delta": (sim.IF_curr_delta(tau_refrac=2.0), 1.0),
    "IF_cond_alpha": (sim.IF_cond_alpha(tau_refrac=2.0), 1.0),
    "IF_cond_exp_gsfa_grr": (sim.IF_cond_exp_gsfa_grr(tau_refrac=2.0), 1.5),
    "EIF_cond_exp_isfa_ista": (sim.EIF_cond_exp_isfa_ista(), 1.0),
    "EIF_cond_alpha_isfa_ista": (sim.EIF_cond_alpha_isfa_ista(), 1.0),
    "HH_cond_exp": (sim.HH_cond_exp(), 0.5),
    # Izhikevich's current is in nA with v in mV and time in ms: 0.01 nA is
    # I = 10 in the units of Izhikevich (2003)
    "Izhikevich": (sim.Izhikevich(), 0.01),
    "GIF_cond_exp": (sim.GIF_cond_exp(), 1.5),
    # fixed cm = 0.2 nF, so tau_m = cm / g_leak = 5 ms; rheobase 0.4 nA
    "IF_facets_hardware1": (sim.IF_facets_hardware1(), 0.6),
}
NON_ADAPTING = ("IF_curr_alpha", "IF_curr_delta", "IF_cond_alpha")  # analytic first spike
REGULAR = NON_ADAPTING + ("IF_facets_hardware1",)  # constant intervals
ADAPTING = ("IF_cond_exp_gsfa_grr", "EIF_cond_exp_isfa_ista", "EIF_cond_alpha_isfa_ista")

populations = {}
for name, (cell_type, amplitude) in cells.items():
    p = sim.Population(1, cell_type, label=name)
    sim.DCSource(amplitude=amplitude, start=start, stop=stop).inject_into(p)
    p.record(["v", "spikes"])
    populations[name] = p

sim.run(options.duration)

traces, spikes, first_spike_analytic = {}, {}, {}
for name, p in populations.items():
    segment = p.get_data().segments[0]
    traces[name] = segment.filter(name="v")[0]
    spikes[name] = segment.spiketrains[0].magnitude
    if name in NON_ADAPTING:
        prm = {k: p.get(k) for k in ("tau_m", "cm", "v_thresh", "v_rest")}
        r_i = prm["tau_m"] / prm["cm"] * cells[name][1]
        first_spike_analytic[name] = start + prm["tau_m"] * math.log(
            r_i / (r_i - (prm["v_thresh"] - prm["v_rest"])))
    isi = np.diff(spikes[name])
    print(f"{name:26s} {len(spikes[name]):3d} spikes"
          + (f", first ISI {isi[0]:.1f} ms, last {isi[-1]:.1f} ms" if isi.size else "")
          + (f", first spike {spikes[name][0]:.2f} ms (analytic "
             f"{first_spike_analytic[name]:.2f} ms)" if name in first_spike_analytic else ""))

if options.plot_figure:
    from pineal.utility.plotting import Figure, Panel

    filename = normalized_filename("Results", "single_neurons", "png", options.simulator)
    panels = [Panel(traces[name], ylabel=f"{name}\nv (mV)", yticks=True,
                    xticks=k == len(traces) - 1, xlabel="Time (ms)" if k == len(traces) - 1
                    else None)
              for k, name in enumerate(traces)]
    Figure(*panels, title="Single neurons of the standard types, current step",
           size=(8, 2 * len(panels))).save(filename)
    print(f"figure saved to {filename}")

sim.end()
