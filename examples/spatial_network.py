"""A network with spatial structure: excitatory cells on a 2-D grid and
inhibitory cells scattered at random over the same sheet, connected with a
probability that falls off with distance and a delay that grows with it
(axonal conduction). A current injected into the cells near the centre makes
them fire; the background Poisson drive alone stays subthreshold, so activity
is centred on the stimulus.

    python examples/spatial_network.py native --plot-figure

Connection probability 0.6 exp(-d / 150 um) from excitatory cells, 0.8
exp(-d / 100 um) from inhibitory ones; delay 0.2 ms + d / (250 um/ms), both
given as PyNN expression strings of the distance d, evaluated per pair in C++.
"""

import numpy as np
from pineal.utility import get_simulator, normalized_filename

sim, options = get_simulator(
    ("--plot-figure", "plot the results to a file in Results/", {"action": "store_true"}),
    ("--duration", "simulated time (ms)", {"type": float, "default": 500.0}),
    ("--side", "excitatory cells per side of the grid", {"type": int, "default": 20}),
    ("--seed", "seed of the random numbers", {"type": int, "default": 1234}),
)

sim.setup(timestep=0.1, min_delay=0.2)
rng = sim.NumpyRNG(seed=options.seed)
spacing = 50.0  # um between grid points
extent = options.side * spacing

cell_type = sim.IF_cond_exp(tau_m=20.0, cm=0.2, v_rest=-65.0, v_thresh=-50.0, v_reset=-65.0,
                            tau_refrac=2.0, tau_syn_E=5.0, tau_syn_I=10.0)
exc = sim.Population(options.side ** 2, cell_type, label="excitatory",
                     structure=sim.space.Grid2D(dx=spacing, dy=spacing))
sheet = sim.space.Cuboid(extent, extent, 0.0)
inh = sim.Population(options.side ** 2 // 4, cell_type, label="inhibitory",
                     structure=sim.space.RandomStructure(
                         sheet, origin=(extent / 2 - spacing / 2, extent / 2 - spacing / 2, 0.0),
                         rng=rng))
cells = exc + inh

p_exc, p_inh = "0.6*exp(-d/150)", "0.8*exp(-d/100)"
delay = "0.2 + d/250"  # ms, d in um
projections = {
    "excitatory": sim.Projection(exc, cells, sim.DistanceDependentProbabilityConnector(
        p_exc, allow_self_connections=False, rng=rng),
        sim.StaticSynapse(weight=0.001, delay=delay), receptor_type="excitatory"),
    "inhibitory": sim.Projection(inh, cells, sim.DistanceDependentProbabilityConnector(
        p_inh, allow_self_connections=False, rng=rng),
        sim.StaticSynapse(weight=0.01, delay=delay), receptor_type="inhibitory"),
}
noise = sim.Population(cells.size, sim.SpikeSourcePoisson(rate=50.0), label="noise")
sim.Projection(noise, cells, sim.OneToOneConnector(), sim.StaticSynapse(weight=0.001,
                                                                         delay=0.2),
               receptor_type="excitatory")

# a current into the excitatory cells within 120 um of the centre of the sheet
centre = exc.positions.mean(axis=1)
distance_to_centre = np.sqrt(((exc.positions - centre[:, None]) ** 2).sum(axis=0))
stimulated = exc[np.flatnonzero(distance_to_centre < 120.0)]
sim.DCSource(amplitude=0.4, start=50.0, stop=options.duration).inject_into(stimulated)

exc.record("spikes")
sim.run(options.duration)

counts = exc.get_spike_counts()
rate = np.array([counts[c] for c in exc.all_cells]) * 1000.0 / options.duration
near_rate = rate[distance_to_centre < 120.0].mean()
far_rate = rate[distance_to_centre > 400.0].mean()
print(f"{sum(len(p) for p in projections.values())} connections; excitatory rate "
      f"{near_rate:.1f} spikes/s near the stimulus, {far_rate:.1f} spikes/s beyond 400 um")

if options.plot_figure:
    import os

    import matplotlib.pyplot as plt

    filename = normalized_filename("Results", "spatial_network", "png", options.simulator)
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 5))
    shown = left.scatter(exc.positions[0], exc.positions[1], c=rate, s=30, cmap="viridis")
    left.scatter(inh.positions[0], inh.positions[1], marker="x", c="red", s=15,
                 label="inhibitory")
    left.set(xlabel="x (um)", ylabel="y (um)", title="excitatory rates (spikes/s)",
             aspect="equal")
    left.legend(loc="upper right")
    fig.colorbar(shown, ax=left)
    i, j, d = np.array(projections["excitatory"].get("delay", "list")).T
    distances = exc.positions[:, i.astype(int)] - cells.positions[:, j.astype(int)]
    right.plot(np.sqrt((distances ** 2).sum(axis=0)), d, ".", ms=1)
    right.set(xlabel="distance (um)", ylabel="delay (ms)", title="excitatory delays")
    os.makedirs(os.path.dirname(filename), exist_ok=True)
    fig.savefig(filename)
    print(f"figure saved to {filename}")

sim.end()
