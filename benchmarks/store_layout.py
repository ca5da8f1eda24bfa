"""Bytes per synapse of the microcircuit's synapse stores, computed from the
model's numbers (no network is built), for the current layout and for
alternatives of the synapse store (docs/engine.md, "Synapse storage").

Per (projection, shard) store: a synapse record of 6 B (16-bit target,
float32 weight; 8 B before, with a 32-bit target, still used in blocks
over 65536 cells), 8 B per delay segment (plus one sentinel), 4 B per
source (plus one). Rows: a source's
synapses onto the shard's block; with FixedTotalNumber (sources drawn with
replacement, targets uniform) a row has Poisson(K / (N_pre S)) synapses,
and a row of n synapses drawn from delay distribution p has
sum_d 1 - (1 - p_d)^n distinct delays, so, averaged over the Poisson row
length, sum_d 1 - exp(-lambda p_d) segments. Delays: normal clipped to
[dt, inf) by redrawing (PyNN's normal_clipped), rounded to the 0.1 ms grid
(ties up). The Poisson background (one source per cell, one to one) adds
one row of one synapse per cell.

    python benchmarks/store_layout.py --scale 0.1 0.5 1 --shards 1 2
"""

import argparse
import math
import pathlib
import sys

import numpy as np

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "examples" / "microcircuit"))
import parameters as P  # noqa: E402


def delay_probabilities(mu, sd, dt):
    """P(delay = k dt) for the clipped normal, rounded to the grid (ties up)."""
    k = np.arange(1, int((mu + 12 * sd) / dt) + 2)
    lo, hi = (k - 0.5) * dt, (k + 0.5) * dt
    cdf = lambda x: 0.5 * (1 + np.vectorize(math.erf)((x - mu) / (sd * math.sqrt(2))))  # noqa: E731
    mass = cdf(hi) - cdf(np.maximum(lo, dt))
    return mass / mass.sum()


def store_figures(scale, shards, dt=0.1):
    net = P.Network(n_scale=scale, k_scale=scale, background="poisson")
    synapses = segments = sources = 0.0
    for a in range(8):
        for b in range(8):
            K, n_pre = net.synapses[a, b], net.sizes[b]
            mu, sd, _, _ = net.delay_distribution(a, b, dt)
            lam = K / (n_pre * shards)
            p = delay_probabilities(mu, sd, dt)
            synapses += K
            segments += shards * (n_pre * np.sum(1 - np.exp(-lam * p)) + 1)
            sources += shards * (n_pre + 1)
    recurrent, rec_segments, rec_rows = synapses, segments, shards * net.n_cells * 8
    cells = net.n_cells  # background: one source, one synapse, one segment per cell
    synapses += cells
    segments += cells + 8 * shards
    sources += cells + 8 * shards
    return recurrent, synapses, segments, sources, rec_segments, rec_rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, nargs="+", default=[0.1, 0.5, 1.0])
    parser.add_argument("--shards", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    print("| scale | shards | synapses | segments per recurrent row | 8 B records (before) "
          "| 8 B records, 4 B headers | 8 B records with the delay, no headers "
          "| 6 B records (now) | 6 B records, 4 B headers |")
    print("|---|---|---|---|---|---|---|---|---|")
    for scale in args.scale:
        for shards in args.shards:
            rec, n, seg, rows, rec_seg, rec_rows = store_figures(scale, shards)
            before = (8 * n + 8 * seg + 4 * rows) / n
            half = (8 * n + 4 * seg + 8 * rows) / n  # + 4 B per row: its first synapse
            inline = (8 * n + 4 * rows) / n
            now = (6 * n + 8 * seg + 4 * rows) / n
            both = (6 * n + 4 * seg + 8 * rows) / n
            print(f"| {scale:g} | {shards} | {rec:.3g} | {rec_seg / rec_rows:.1f} | {before:.2f} "
                  f"| {half:.2f} | {inline:.2f} | {now:.2f} | {both:.2f} |")


if __name__ == "__main__":
    main()
