"""Per-slice overhead of the native engine's step loop.

A network of two cells connected to each other does almost no work per step,
so the run time per min_delay slice is the loop's own cost: the barrier,
the spike merge and the bookkeeping of every step.

    python benchmarks/overhead.py --threads 1 2 --steps 100000
"""

import argparse
import time

import pineal as sim


def per_slice_us(threads, steps, slice_steps, dt=0.1):
    sim.setup(timestep=dt, min_delay=slice_steps * dt, max_delay=slice_steps * dt,
              threads=threads)
    cells = sim.Population(2 * threads, sim.IF_curr_exp())
    sim.Projection(cells, cells, sim.AllToAllConnector(),
                   sim.StaticSynapse(weight=0.1, delay=slice_steps * dt))
    sim.run(10 * dt)  # prepares the run
    start = time.perf_counter()
    sim.run(steps * dt)
    elapsed = time.perf_counter() - start
    sim.end()
    return elapsed / (steps / slice_steps) * 1e6, elapsed / steps * 1e6


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--steps", type=int, default=100000)
    parser.add_argument("--slices", type=int, nargs="+", default=[1, 15],
                        help="min_delay in steps")
    args = parser.parse_args()
    print("| threads | min_delay (steps) | us per slice | us per step |")
    print("|---|---|---|---|")
    for threads in args.threads:
        for slice_steps in args.slices:
            s, t = per_slice_us(threads, args.steps, slice_steps)
            print(f"| {threads} | {slice_steps} | {s:.2f} | {t:.2f} |")


if __name__ == "__main__":
    main()
