"""An f-I curve: one neuron run several times with a larger constant current
each time, with reset() between runs, so every run is its own neo Segment;
the firing rates are compared with the analytic rate of the leaky
integrate-and-fire neuron, 1 / (tau_refrac + tau_m ln(R I / (R I - (v_thresh - v_rest)))).

    python examples/current_steps_with_reset.py native --plot-figure
"""

import math

from pineal.utility import get_simulator, normalized_filename

sim, options = get_simulator(
    ("--plot-figure", "plot the results to a file in Results/", {"action": "store_true"}),
    ("--duration", "simulated time of each run (ms)", {"type": float, "default": 500.0}),
)

sim.setup(timestep=0.1)
parameters = {"tau_m": 20.0, "cm": 1.0, "v_rest": -65.0, "v_reset": -65.0, "v_thresh": -50.0,
              "tau_refrac": 2.0}
neuron = sim.Population(1, sim.IF_curr_exp(**parameters), label="neuron")
neuron.record(["spikes", "v"])

currents = [0.8, 1.0, 1.5, 2.0, 3.0]  # nA
for current in currents:
    neuron.set(i_offset=current)
    sim.run(options.duration)
    sim.reset(annotations={"i_offset": current})

segments = neuron.get_data().segments


def analytic_rate(current):
    ri = parameters["tau_m"] / parameters["cm"] * current
    gap = parameters["v_thresh"] - parameters["v_rest"]
    if ri <= gap:
        return 0.0
    return 1000.0 / (parameters["tau_refrac"] + parameters["tau_m"] * math.log(ri / (ri - gap)))


simulated = [len(seg.spiketrains[0]) * 1000.0 / options.duration for seg in segments]
for seg, rate in zip(segments, simulated):
    current = seg.annotations["i_offset"]
    print(f"I = {current:.1f} nA: {rate:6.1f} spikes/s (analytic {analytic_rate(current):6.1f})")

if options.plot_figure:
    from pineal.utility.plotting import DataTable, Figure, Panel, comparison_plot

    filename = normalized_filename("Results", "current_steps", "png", options.simulator)
    comparison_plot(segments, [f"{c} nA" for c in currents], title="Membrane potential",
                    with_spikes=False).save(filename)
    Figure(Panel(DataTable(currents, simulated), xticks=True, yticks=True,
                 xlabel="Current (nA)", ylabel="Rate (spikes/s)"),
           title="f-I curve").save(filename.replace(".png", "_fI.png"))
    print(f"figures saved to {filename} and {filename.replace('.png', '_fI.png')}")

sim.end()
