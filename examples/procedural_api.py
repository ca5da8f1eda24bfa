"""A PyNN 0.7-style script with the procedural API (create, connect, record,
initialize, set), which PyNN still runs with DeprecationWarnings.

    python examples/procedural_api.py native
"""

import warnings

from pineal.utility import get_simulator, normalized_filename

sim, options = get_simulator(
    ("--duration", "simulated time (ms)", {"type": float, "default": 100.0}),
)
warnings.simplefilter("ignore", DeprecationWarning)  # this style is deprecated on purpose

sim.setup(timestep=0.1)
cells = sim.create(sim.IF_curr_exp(), n=10)
inputs = sim.create(sim.SpikeSourcePoisson(rate=100.0), n=20)
sim.connect(inputs, cells, weight=0.5, delay=1.0, p=0.5, rng=sim.NumpyRNG(seed=11))
sim.set(cells, tau_m=15.0)
sim.initialize(cells, v=-60.0)

spike_file = normalized_filename("Results", "procedural_spikes", "pkl", options.simulator)
v_file = normalized_filename("Results", "procedural_v", "pkl", options.simulator)
sim.record("spikes", cells, spike_file)
sim.record_v(cells[0], v_file)

sim.run(options.duration)
sim.end()  # writes both files

block = sim.get_io(spike_file).read_block()
counts = [len(st) for st in block.segments[0].spiketrains]
print(f"spike counts: {counts}; files {spike_file}, {v_file}")
