"""A synfire chain: layers of neurons, each connected all-to-all to the next,
so that a synchronous volley entering the first layer travels down the chain.

    python examples/synfire_chain.py native --plot-figure
"""

import numpy as np
from pineal.utility import get_simulator, normalized_filename

sim, options = get_simulator(
    ("--plot-figure", "plot the results to a file in Results/", {"action": "store_true"}),
    ("--layers", "number of layers", {"type": int, "default": 8}),
    ("--layer-size", "neurons per layer", {"type": int, "default": 20}),
    ("--duration", "simulated time (ms)", {"type": float, "default": 100.0}),
)

sim.setup(timestep=0.1, min_delay=1.0)
rng = sim.NumpyRNG(seed=1234)
n = options.layer_size

# the volley: each input cell fires once around 10 ms
stimulus = sim.Population(n, sim.SpikeSourceArray(
    spike_times=[sim.Sequence([t]) for t in 10.0 + rng.normal(0.0, 0.5, n)]), label="stimulus")
cell_type = sim.IF_curr_exp(tau_m=10.0, tau_syn_E=2.0, tau_refrac=20.0, v_thresh=-55.0)
layers = [sim.Population(n, cell_type, label=f"layer {k}") for k in range(options.layers)]
chain = sim.Assembly(*layers, label="chain")

weight, delay = 0.4, 2.0
sim.Projection(stimulus, layers[0], sim.AllToAllConnector(),
               sim.StaticSynapse(weight=weight, delay=delay))
for pre, post in zip(layers[:-1], layers[1:]):
    sim.Projection(pre, post, sim.AllToAllConnector(),
                   sim.StaticSynapse(weight=weight, delay=delay))

chain.record("spikes")
sim.run(options.duration)

trains = chain.get_data().segments[0].spiketrains
first_spikes = np.array([
    [st.magnitude.min() if len(st) else np.nan for st in trains
     if st.annotations["source_population"] == layer.label]
    for layer in layers])
volley_times = np.nanmean(first_spikes, axis=1)
print("volley time per layer (ms): " + ", ".join(f"{t:.1f}" for t in volley_times))

if options.plot_figure:
    from pineal.utility.plotting import Figure, Panel

    filename = normalized_filename("Results", "synfire_chain", "png", options.simulator)
    for k, st in enumerate(trains):  # one raster row per cell of the chain
        st.annotations["source_index"] = k
    Figure(Panel(trains, xticks=True, xlabel="Time (ms)", yticks=True,
                 ylabel="Neuron (layer by layer)"), title="Synfire chain").save(filename)
    print(f"figure saved to {filename}")

sim.end()
