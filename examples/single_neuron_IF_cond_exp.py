"""A single conductance-based integrate-and-fire neuron (IF_cond_exp): its
membrane potential and synaptic conductances, driven by input spikes and a
constant current.

    python examples/single_neuron_IF_cond_exp.py native --plot-figure

Each excitatory spike raises gsyn_exc by its weight (uS), which then decays
with tau_syn_E; the script prints the conductance one time constant after
the first arrival against weight / e.
"""

import math

from pineal.utility import get_simulator, normalized_filename

sim, options = get_simulator(
    ("--plot-figure", "plot the results to a file in Results/", {"action": "store_true"}),
    ("--duration", "simulated time (ms)", {"type": float, "default": 200.0}),
)

sim.setup(timestep=0.1, min_delay=1.0)

cell_parameters = {"tau_m": 20.0, "cm": 1.0, "v_rest": -65.0, "v_thresh": -50.0,
                   "v_reset": -65.0, "tau_refrac": 2.0, "tau_syn_E": 3.0, "tau_syn_I": 7.0,
                   "e_rev_E": 0.0, "e_rev_I": -70.0, "i_offset": 0.5}
neuron = sim.Population(1, sim.IF_cond_exp(**cell_parameters), label="neuron")
neuron.initialize(v=-65.0)
excitatory = sim.Population(1, sim.SpikeSourceArray(spike_times=[20.0, 120.0, 122.0, 124.0]))
inhibitory = sim.Population(1, sim.SpikeSourceArray(spike_times=[70.0]))
w_exc, w_inh, delay = 0.02, 0.05, 1.0
sim.Projection(excitatory, neuron, sim.AllToAllConnector(),
               sim.StaticSynapse(weight=w_exc, delay=delay), receptor_type="excitatory")
sim.Projection(inhibitory, neuron, sim.AllToAllConnector(),
               sim.StaticSynapse(weight=w_inh, delay=delay), receptor_type="inhibitory")

neuron.record(["v", "gsyn_exc", "gsyn_inh", "spikes"])
sim.run(options.duration)

data = neuron.get_data().segments[0]
v = data.filter(name="v")[0]
gsyn_exc = data.filter(name="gsyn_exc")[0]
gsyn_inh = data.filter(name="gsyn_inh")[0]
spikes = data.spiketrains[0]

dt = sim.get_time_step()
arrival = 20.0 + delay
k = int(round((arrival + cell_parameters["tau_syn_E"]) / dt))
g_one_tau = float(gsyn_exc.magnitude[k, 0])
print(f"gsyn_exc one tau after the first arrival: {g_one_tau:.6f} uS "
      f"(weight / e = {w_exc / math.e:.6f} uS)")
print(f"{len(spikes)} spikes")

if options.plot_figure:
    from pineal.utility.plotting import Figure, Panel

    filename = normalized_filename("Results", "single_neuron_IF_cond_exp", "png",
                                   options.simulator)
    Figure(
        Panel(v, ylabel="Membrane potential (mV)", yticks=True),
        Panel(gsyn_exc, gsyn_inh, ylabel="Synaptic conductance (uS)", yticks=True,
              data_labels=["excitatory", "inhibitory"], legend=True),
        Panel(data.spiketrains, xticks=True, xlabel="Time (ms)", yticks=True),
        title="IF_cond_exp",
    ).save(filename)
    print(f"figure saved to {filename}")

sim.end()
