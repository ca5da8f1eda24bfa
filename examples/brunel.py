"""Brunel's (2000) sparsely connected network of excitatory and inhibitory
integrate-and-fire neurons (model A: identical cells, relative inhibition g,
external drive eta in units of the threshold rate), in the asynchronous
irregular state for the default g = 5, eta = 2. --order 2500 is the paper's
size (12500 cells, J = 0.1 mV).

Brunel N (2000) Dynamics of sparsely connected networks of excitatory and
inhibitory spiking neurons. J Comput Neurosci 8:183-208.

The paper's delta synapses are approximated by IF_curr_exp with a short
synaptic time constant: a current w exp(-t/tau_syn) carries the charge
w tau_syn, so w = J cm / tau_syn gives a jump of about J in v. As in the paper, every cell
receives exactly C_E = epsilon N_E excitatory and C_I = epsilon N_I inhibitory
connections from randomly chosen cells (PyNN's FixedNumberPreConnector). Each
cell's external input, C_E synapses firing at nu_ext, is one Poisson source
firing at C_E nu_ext.

    python examples/brunel.py native --plot-figure
"""

import numpy as np
from pineal.utility import Timer, get_simulator, normalized_filename

sim, options = get_simulator(
    ("--plot-figure", "plot the results to a file in Results/", {"action": "store_true"}),
    ("--duration", "simulated time (ms)", {"type": float, "default": 1000.0}),
    ("--order", "network size: 4 order excitatory, order inhibitory cells",
     {"type": int, "default": 250}),
    ("--g", "relative strength of inhibition", {"type": float, "default": 5.0}),
    ("--eta", "external rate / threshold rate", {"type": float, "default": 2.0}),
)
timer = Timer()

epsilon, delay = 0.1, 1.5  # connection probability, delay (ms)
tau_m, cm, tau_syn, theta, v_reset, tau_refrac = 20.0, 1.0, 0.1, 20.0, 10.0, 2.0
n_exc, n_inh = 4 * options.order, options.order
c_exc, c_inh = int(epsilon * n_exc), int(epsilon * n_inh)  # in-degrees
# the paper: C_E = 1000, J = 0.1 mV. A smaller network keeps C_E J = 100 mV, so
# that the recurrent input has the paper's mean (the fluctuations grow as
# 1/sqrt(C_E))
J = 100.0 / c_exc  # PSP amplitude (mV)
nu_threshold = theta / (J * c_exc * tau_m)  # spikes/ms
nu_ext = options.eta * nu_threshold

sim.setup(timestep=0.1, min_delay=delay, max_delay=delay)
rng = sim.NumpyRNG(seed=20000)
# voltages relative to rest (v_rest = 0), as in the paper
cell_type = sim.IF_curr_exp(tau_m=tau_m, cm=cm, tau_syn_E=tau_syn, tau_syn_I=tau_syn,
                            v_rest=0.0, v_reset=v_reset, v_thresh=theta,
                            tau_refrac=tau_refrac)
exc = sim.Population(n_exc, cell_type, label="excitatory")
inh = sim.Population(n_inh, cell_type, label="inhibitory")
cells = exc + inh
cells.initialize(v=sim.RandomDistribution("uniform", (0.0, theta), rng=rng))
external = sim.Population(n_exc + n_inh, sim.SpikeSourcePoisson(rate=1000.0 * c_exc * nu_ext),
                          label="external")

w_exc = J * cm / tau_syn  # nA
w_inh = -options.g * w_exc
excitatory_synapse = sim.StaticSynapse(weight=w_exc, delay=delay)
projections = {}
for pre, in_degree, weight, receptor in ((exc, c_exc, w_exc, "excitatory"),
                                         (inh, c_inh, w_inh, "inhibitory")):
    connector = sim.FixedNumberPreConnector(in_degree, rng=rng)
    projections[receptor] = sim.Projection(pre, cells, connector,
                                           sim.StaticSynapse(weight=weight, delay=delay),
                                           receptor_type=receptor)
# the external sources: source k drives cell k of the assembly
sim.Projection(external, cells, sim.OneToOneConnector(), excitatory_synapse,
               receptor_type="excitatory")
build_time = timer.diff()

cells.record("spikes")
exc[:50].record("v")
sim.run(options.duration)
run_time = timer.diff()

trains = exc.get_data("spikes").segments[0].spiketrains
rate = exc.mean_spike_count() * 1000.0 / options.duration
isis = [np.diff(st.magnitude) for st in trains if len(st) > 2]
cv = float(np.mean([i.std() / i.mean() for i in isis])) if isis else float("nan")
print(f"{n_exc + n_inh} cells; build {build_time:.2f} s, run {run_time:.2f} s")
print(f"excitatory rate {rate:.1f} spikes/s, mean CV of ISI {cv:.2f}")

if options.plot_figure:
    from pineal.utility.plotting import Figure, Panel

    filename = normalized_filename("Results", "brunel", "png", options.simulator)
    v = exc[:50].get_data("v").segments[0].analogsignals[0]
    Figure(Panel(trains[:100], ylabel="Excitatory neuron", yticks=True),
           Panel(v[:, :3], xticks=True, xlabel="Time (ms)", yticks=True, ylabel="v (mV)"),
           title=f"Brunel network, g = {options.g}, eta = {options.eta}").save(filename)
    print(f"figure saved to {filename}")

sim.end()
