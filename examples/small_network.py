"""A small network of conductance-based neurons (80 excitatory, 20
inhibitory) driven by 100 Poisson sources, in the PyNN idiom: populations,
random connectivity, an Assembly for recording and a sample of cells whose
membrane potential is kept.

    python examples/small_network.py native --plot-figure
"""

from pineal.utility import get_simulator, normalized_filename

sim, options = get_simulator(
    ("--plot-figure", "plot the results to a file in Results/", {"action": "store_true"}),
    ("--duration", "simulated time (ms)", {"type": float, "default": 1000.0}),
    ("--seed", "seed of the random numbers", {"type": int, "default": 2718}),
)

sim.setup(timestep=0.1, min_delay=1.0)
rng = sim.NumpyRNG(seed=options.seed)

cell_type = sim.IF_cond_exp(tau_m=20.0, cm=0.2, v_rest=-60.0, v_thresh=-50.0, v_reset=-60.0,
                            tau_refrac=5.0, tau_syn_E=5.0, tau_syn_I=10.0, e_rev_E=0.0,
                            e_rev_I=-80.0)
exc = sim.Population(80, cell_type, label="excitatory")
inh = sim.Population(20, cell_type, label="inhibitory")
all_cells = exc + inh
all_cells.initialize(v=sim.RandomDistribution("uniform", (-60.0, -50.0), rng=rng))
noise = sim.Population(100, sim.SpikeSourcePoisson(rate=20.0), label="noise")

connect = sim.FixedProbabilityConnector(p_connect=0.1, rng=rng)
delay = 1.0
projections = [
    sim.Projection(noise, exc, connect, sim.StaticSynapse(weight=0.004, delay=delay),
                   receptor_type="excitatory"),
    sim.Projection(noise, inh, connect, sim.StaticSynapse(weight=0.004, delay=delay),
                   receptor_type="excitatory"),
    sim.Projection(exc, exc, connect, sim.StaticSynapse(weight=0.001, delay=delay),
                   receptor_type="excitatory"),
    sim.Projection(exc, inh, connect, sim.StaticSynapse(weight=0.001, delay=delay),
                   receptor_type="excitatory"),
    sim.Projection(inh, exc, connect, sim.StaticSynapse(weight=0.02, delay=delay),
                   receptor_type="inhibitory"),
    sim.Projection(inh, inh, connect, sim.StaticSynapse(weight=0.02, delay=delay),
                   receptor_type="inhibitory"),
]
print(f"{sum(len(p) for p in projections)} connections")

all_cells.record("spikes")
traced = exc.sample(3, rng)
traced.record("v")

sim.run(options.duration)

spike_data = all_cells.get_data("spikes").segments[0]
exc_trains = [st for st in spike_data.spiketrains
              if st.annotations["source_population"] == "excitatory"]
v = traced.get_data("v").segments[0].analogsignals[0]
rates = {p.label: p.mean_spike_count() * 1000.0 / options.duration for p in (exc, inh)}
print("mean rates (spikes/s): " + ", ".join(f"{k} {r:.2f}" for k, r in rates.items()))

if options.plot_figure:
    from pineal.utility.plotting import Figure, Panel

    filename = normalized_filename("Results", "small_network", "png", options.simulator)
    Figure(
        Panel(exc_trains, ylabel="Excitatory neuron", yticks=True),
        Panel(v, ylabel="Membrane potential (mV)", xlabel="Time (ms)", xticks=True,
              yticks=True, legend=True, y_offset=0.0),
        title="Small network",
    ).save(filename)
    print(f"figure saved to {filename}")

sim.end()
