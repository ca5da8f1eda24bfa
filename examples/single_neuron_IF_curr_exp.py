"""A single current-based integrate-and-fire neuron (IF_curr_exp) receiving
excitatory and inhibitory spikes, with its membrane potential plotted.

    python examples/single_neuron_IF_curr_exp.py native --plot-figure

A spike of weight w (nA) arriving at t_a gives the postsynaptic potential
u(t) = w/cm * tau_m tau_s / (tau_m - tau_s) * (exp(-(t-t_a)/tau_m) - exp(-(t-t_a)/tau_s)),
whose peak the script prints next to the simulated one.
"""

import math

from pineal.utility import get_simulator, normalized_filename

sim, options = get_simulator(
    ("--plot-figure", "plot the results to a file in Results/", {"action": "store_true"}),
    ("--duration", "simulated time (ms)", {"type": float, "default": 200.0}),
)

sim.setup(timestep=0.1, min_delay=1.0)

cell_parameters = {"tau_m": 20.0, "cm": 1.0, "tau_syn_E": 5.0, "tau_syn_I": 5.0,
                   "v_rest": -65.0, "v_thresh": -50.0, "tau_refrac": 2.0}
neuron = sim.Population(1, sim.IF_curr_exp(**cell_parameters), label="neuron")
excitatory = sim.Population(
    1, sim.SpikeSourceArray(spike_times=[10.0, 80.0, 81.0, 82.0, 83.0, 84.0, 85.0, 86.0]),
    label="excitatory input")
inhibitory = sim.Population(1, sim.SpikeSourceArray(spike_times=[40.0]), label="inhibitory input")

w_exc, w_inh, delay = 1.0, -1.0, 1.0
sim.Projection(excitatory, neuron, sim.OneToOneConnector(),
               sim.StaticSynapse(weight=w_exc, delay=delay), receptor_type="excitatory")
sim.Projection(inhibitory, neuron, sim.OneToOneConnector(),
               sim.StaticSynapse(weight=w_inh, delay=delay), receptor_type="inhibitory")

neuron.record(["v", "spikes"])
sim.run(options.duration)

data = neuron.get_data().segments[0]
v = data.filter(name="v")[0]
spikes = data.spiketrains[0]

# the first PSP (spike at 10 ms, arrives at 11 ms) against the analytic peak
tm, ts, cm = cell_parameters["tau_m"], cell_parameters["tau_syn_E"], cell_parameters["cm"]
t_peak = tm * ts / (tm - ts) * math.log(tm / ts)
psp_peak = w_exc / cm * tm * ts / (tm - ts) * (math.exp(-t_peak / tm) - math.exp(-t_peak / ts))
window = (v.times.magnitude > 10.0) & (v.times.magnitude < 40.0)
simulated_peak = float(v.magnitude[window, 0].max() - cell_parameters["v_rest"])
print(f"first EPSP peak: simulated {simulated_peak:.4f} mV, analytic {psp_peak:.4f} mV")
print(f"spikes at {spikes.magnitude.tolist()} ms")

if options.plot_figure:
    from pineal.utility.plotting import Figure, Panel

    filename = normalized_filename("Results", "single_neuron_IF_curr_exp", "png",
                                   options.simulator)
    Figure(
        Panel(v, ylabel="Membrane potential (mV)", xticks=True, xlabel="Time (ms)",
              yticks=True),
        title="IF_curr_exp driven by excitatory and inhibitory spikes",
    ).save(filename)
    print(f"figure saved to {filename}")

sim.end()
