"""Inhibitory plasticity balances excitation (Vogels, Sprekeler, Zenke,
Clopath & Gerstner 2011, Science 334:1569): the symmetric STDPMechanism with
Vogels2011Rule on the inhibitory synapses drives each cell's firing rate to
the target rate rho, whatever its excitatory drive.

Two groups of cells with the same excitatory input learn with different
targets (rho = 5 and 10 Hz). Under the rule, the mean weight change per unit
time of a synapse is eta r_pre (2 r_post tau - alpha) + (spike-pair
correlations), alpha = 2 rho tau, so without correlations the rate settles
at rho. An inhibitory spike delays the next post spike, which removes some
potentiating (pre before post) pairs: the rate settles a little above rho.

    python examples/inhibitory_plasticity.py native --plot-figure
"""

import numpy as np
from pineal.utility import get_simulator, normalized_filename

sim, options = get_simulator(
    ("--plot-figure", "plot the results to a file in Results/", {"action": "store_true"}),
    ("--duration", "simulated time (ms)", {"type": float, "default": 30000.0}),
    ("--cells", "cells per group", {"type": int, "default": 20}),
)

sim.setup(timestep=0.1, min_delay=1.0, rng_seed=4)
targets = (5.0, 10.0)  # rho (Hz) of each group
cell_type = sim.IF_cond_exp(tau_m=20.0, cm=0.2, v_rest=-60.0, v_reset=-60.0, v_thresh=-50.0,
                            tau_refrac=5.0, e_rev_E=0.0, e_rev_I=-80.0, tau_syn_E=5.0,
                            tau_syn_I=10.0)
excitatory = sim.Population(400, sim.SpikeSourcePoisson(rate=10.0), label="excitatory input")
inhibitory = sim.Population(100, sim.SpikeSourcePoisson(rate=10.0), label="inhibitory input")
groups, plastic = [], []
for k, rho in enumerate(targets):
    cells = sim.Population(options.cells, cell_type, label=f"rho = {rho:g} Hz")
    sim.Projection(excitatory, cells, sim.FixedProbabilityConnector(0.5, rng=sim.NumpyRNG(1 + k)),
                   sim.StaticSynapse(weight=0.0015, delay=1.0), receptor_type="excitatory")
    rule = sim.STDPMechanism(
        timing_dependence=sim.Vogels2011Rule(tau=20.0, eta=5e-4, rho=rho),
        weight_dependence=sim.AdditiveWeightDependence(w_min=0.0, w_max=0.1),
        weight=0.0005, delay=1.0)
    plastic.append(sim.Projection(inhibitory, cells,
                                  sim.FixedProbabilityConnector(0.5, rng=sim.NumpyRNG(11 + k)),
                                  rule, receptor_type="inhibitory"))
    cells.record("spikes")
    groups.append(cells)

sim.run(options.duration)

bin_ms = 1000.0
edges = np.arange(0.0, options.duration + bin_ms, bin_ms)
rates, final_rates = [], []
for cells in groups:
    times = np.concatenate([st.magnitude for st in cells.get_data().segments[0].spiketrains])
    rates.append(np.histogram(times, edges)[0] / (bin_ms / 1000.0) / cells.size)
    # the rate after learning: the last third of the run
    late = times[times >= 2 * options.duration / 3]
    final_rates.append(len(late) / (options.duration / 3 / 1000.0) / cells.size)
first_second_rates = [r[0] for r in rates]
trains = [[st.magnitude for st in g.get_data().segments[0].spiketrains] for g in groups]
weights = [np.array(p.get("weight", format="list", with_address=False)) for p in plastic]
for rho, r0, r1, w in zip(targets, first_second_rates, final_rates, weights):
    print(f"rho = {rho:g} Hz: {r0:.1f} Hz in the first second, {r1:.2f} Hz at the end; "
          f"mean inhibitory weight {w.mean() * 1000:.2f} nS")

if options.plot_figure:
    import os

    import matplotlib.pyplot as plt

    filename = normalized_filename("Results", "inhibitory_plasticity", "png", options.simulator)
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 4))
    for rho, r, w in zip(targets, rates, weights):
        ax1.plot(edges[:-1] / 1000.0, r, label=f"rho = {rho:g} Hz")
        ax1.axhline(rho, ls=":", color="grey")
        ax2.hist(w * 1000.0, bins=30, alpha=0.6, label=f"rho = {rho:g} Hz")
    ax1.set_xlabel("Time (s)")
    ax1.set_ylabel("Mean firing rate (Hz)")
    ax1.legend()
    ax2.set_xlabel("Inhibitory weight (nS)")
    ax2.set_ylabel("Synapses")
    fig.suptitle("Vogels et al. 2011 inhibitory plasticity")
    fig.tight_layout()
    os.makedirs(os.path.dirname(filename), exist_ok=True)
    fig.savefig(filename)
    print(f"figure saved to {filename}")

sim.end()
