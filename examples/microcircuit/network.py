"""The Potjans & Diesmann (2014) microcircuit written with the PyNN API
(parameters and downscaling in parameters.py).

Every projection is a FixedTotalNumberConnector with the paper's number of
synapses (pairs drawn with replacement; autapses and multapses allowed, as
the formula for K assumes), clipped-normal weights and delays. The Poisson
background is one SpikeSourcePoisson per cell connected one to one (each
cell its own train); the DC background and the downscaling compensation are
each population's i_offset.
"""

import numpy as np
from parameters import CELL, DT, POISSON_DELAY, POPULATIONS, V0_MEAN, V0_SD


def build(sim, net, seed=55, threads=1, record=True):
    """Sets up `sim` and builds `net` (a parameters.Network); returns the
    populations in POPULATIONS order and the recurrent projections by
    (target index, source index)."""
    from pineal.random import NumpyRNG, RandomDistribution

    sim.setup(timestep=DT, min_delay=DT, threads=threads, rng_seed=seed)
    rng = NumpyRNG(seed=seed)
    pops, projections = [], {}
    for a, name in enumerate(POPULATIONS):
        cell = sim.IF_curr_exp(**dict(CELL, i_offset=float(net.dc_nA[a])))
        pop = sim.Population(int(net.sizes[a]), cell, label=name)
        pop.initialize(v=RandomDistribution("normal", mu=V0_MEAN, sigma=V0_SD, rng=rng))
        pops.append(pop)
    for a, target in enumerate(pops):
        for b, source in enumerate(pops):
            n = int(net.synapses[a, b])
            if n == 0:
                continue
            w = net.weight_distribution(a, b)
            d = net.delay_distribution(a, b)
            synapse = sim.StaticSynapse(  # weights pA -> nA
                weight=RandomDistribution("normal_clipped", tuple(x * 1e-3 for x in w), rng=rng),
                delay=RandomDistribution("normal_clipped", d, rng=rng))
            projections[a, b] = sim.Projection(
                source, target, sim.FixedTotalNumberConnector(n, rng=rng), synapse,
                receptor_type="excitatory" if w[0] > 0 else "inhibitory",
                label=f"{source.label}->{target.label}")
    if net.background == "poisson":
        for a, target in enumerate(pops):
            drive = sim.Population(target.size, sim.SpikeSourcePoisson(
                rate=float(net.ext_rates[a])), label=f"bg_{target.label}")
            sim.Projection(drive, target, sim.OneToOneConnector(),
                           sim.StaticSynapse(weight=net.ext_weight * 1e-3, delay=POISSON_DELAY),
                           receptor_type="excitatory")
    if record:
        for pop in pops:
            pop.record("spikes")
    return pops, projections


def spike_counts(pops):
    """Spikes recorded so far, per population."""
    return np.array([sum(p.get_spike_counts().values()) for p in pops], dtype=np.int64)
