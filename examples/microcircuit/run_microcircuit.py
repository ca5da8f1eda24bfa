"""Runs the Potjans & Diesmann (2014) cortical microcircuit and prints each
population's rate next to the full model's published one.

    python examples/microcircuit/run_microcircuit.py --n-scale 0.1 --k-scale 0.1
    python examples/microcircuit/run_microcircuit.py --n-scale 1 --k-scale 1   # 77,169 cells

Downscaled networks keep the full model's rates through in-degree scaling
with DC compensation (van Albada et al. 2015; parameters.py). The rates are
counted after a transient (the initial membrane potentials, normal with
mean -58 mV and sd 10 mV, put many cells above threshold at t = 0).
"""

import argparse
import pathlib
import sys

import numpy as np

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from network import build, spike_counts
from parameters import FULL_MEAN_RATES, POPULATIONS, Network, population_rates


def simulate(sim, net, tstop, transient, seed=55, threads=1):
    """Builds and runs `net`; returns the rates (Hz) over [transient, tstop]."""
    pops, _ = build(sim, net, seed=seed, threads=threads)
    sim.run(transient)
    before = spike_counts(pops)
    sim.run(tstop - transient)
    after = spike_counts(pops)
    return population_rates(after - before, net.sizes, (tstop - transient) / 1000.0)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-scale", type=float, default=0.1, help="fraction of the neurons")
    parser.add_argument("--k-scale", type=float, default=0.1, help="fraction of the in-degrees")
    parser.add_argument("--background", choices=("poisson", "dc"), default="poisson")
    parser.add_argument("--tstop", type=float, default=1000.0, help="simulated time (ms)")
    parser.add_argument("--transient", type=float, default=100.0, help="ms not counted")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--seed", type=int, default=55)
    args = parser.parse_args(argv)
    import pineal as sim

    net = Network(args.n_scale, args.k_scale, args.background)
    print(f"{net.n_cells} cells, {net.n_synapses} synapses, background {net.background}")
    rates = simulate(sim, net, args.tstop, args.transient, args.seed, args.threads)
    sim.end()
    print("population  rate Hz  published Hz")
    for name, rate, ref in zip(POPULATIONS, rates, FULL_MEAN_RATES):
        print(f"{name:10s} {rate:8.3f} {ref:12.3f}")
    return rates


if __name__ == "__main__":
    np.set_printoptions(precision=3)
    main()
