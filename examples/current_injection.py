"""Current injection into a small network: four neurons, each driven by one
kind of current source (DCSource, ACSource, StepCurrentSource,
NoisyCurrentSource), excite a group of five target neurons.

The DC-driven neuron's first spike is compared with the analytic time at
which a leaky integrate-and-fire neuron reaches threshold under a constant
current, start + tau_m ln(R I / (R I - (v_thresh - v_rest))).

    python examples/current_injection.py native --plot-figure
"""

import math

import numpy as np
from pineal.utility import get_simulator, normalized_filename

sim, options = get_simulator(
    ("--plot-figure", "plot the results to a file in Results/", {"action": "store_true"}),
    ("--duration", "simulated time (ms)", {"type": float, "default": 1000.0}),
)

sim.setup(timestep=0.1, min_delay=1.0)
cell = {"tau_m": 20.0, "cm": 1.0, "v_rest": -65.0, "v_reset": -65.0, "v_thresh": -55.0,
        "tau_refrac": 2.0}
driven = sim.Population(4, sim.IF_curr_exp(**cell), label="driven")
targets = sim.Population(5, sim.IF_curr_exp(**cell), label="targets")

T = options.duration
sources = {
    "DC": sim.DCSource(amplitude=0.6, start=0.2 * T, stop=0.8 * T),
    "AC": sim.ACSource(amplitude=0.4, offset=0.4, frequency=10.0, phase=-90.0,
                       start=0.1 * T, stop=0.9 * T),
    "step": sim.StepCurrentSource(times=[0.1 * T, 0.4 * T, 0.7 * T],
                                  amplitudes=[0.4, 0.8, 0.0]),
    "noise": sim.NoisyCurrentSource(mean=0.5, stdev=0.3, dt=1.0, start=0.1 * T),
}
for i, source in enumerate(sources.values()):
    source.inject_into(driven[i:i + 1])
sources["DC"].record()

sim.Projection(driven, targets, sim.AllToAllConnector(),
               sim.StaticSynapse(weight=1.5, delay=1.0), receptor_type="excitatory")
# a weak common bias, injected into the whole target population
targets.inject(sim.DCSource(amplitude=0.4))

driven.record(["v", "spikes"])
targets.record("spikes")
sim.run(T)

data = driven.get_data().segments[0]
v = data.filter(name="v")[0]
spiketrains = data.spiketrains
target_spikes = targets.get_data().segments[0].spiketrains
injected = sources["DC"].get_data()

r_i = cell["tau_m"] / cell["cm"] * 0.6
first_spike_analytic = 0.2 * T + cell["tau_m"] * math.log(
    r_i / (r_i - (cell["v_thresh"] - cell["v_rest"])))
first_spike = float(spiketrains[0][0]) if len(spiketrains[0]) else float("nan")
rates = {name: len(st) * 1000.0 / T for name, st in zip(sources, spiketrains)}
target_rate = sum(len(st) for st in target_spikes) * 1000.0 / (T * len(target_spikes))
for name, rate in rates.items():
    print(f"{name:>5}-driven neuron: {rate:6.1f} spikes/s")
print(f"targets: {target_rate:6.1f} spikes/s")
print(f"first DC-driven spike at {first_spike:.1f} ms (analytic {first_spike_analytic:.2f} ms)")

if options.plot_figure:
    from pineal.utility.plotting import Figure, Panel

    filename = normalized_filename("Results", "current_injection", "png", options.simulator)
    Figure(Panel(v, ylabel="Membrane potential (mV)", yticks=True),
           Panel(injected, ylabel="DC current (nA)", yticks=True),
           Panel(target_spikes, xlabel="Time (ms)", xticks=True, yticks=True,
                 markersize=2),
           title="Current injection").save(filename)
    print(f"figure saved to {filename}")

injected_values = np.asarray(injected.magnitude)[:, 0]
sim.end()
