"""Regression test of the main example, the Vogels-Abbott benchmark.

The checksum pins the exact spike trains for a fixed seed. If a change moves
it, the change must come with a note on its issue saying why the dynamics
changed (e.g. a different integrator or delivery order), and the new checksum
replaces the old one here.
"""

import hashlib
import importlib.util
import pathlib

import pineal as sim
import pytest

EXAMPLE = pathlib.Path(__file__).resolve().parents[2] / "examples" / "va_benchmark.py"

# Mean rate over all 4000 cells in a 1 s run must lie in the range known for
# the benchmark. Source: independent Brian 2 (2.9.0) and NEST (3.10.0)
# implementations of the same networks, benchmarks/reference/README.md: CUBA
# 5.64 +/- 0.21 Hz (Brian 2) and 5.63 +/- 0.23 Hz (NEST) across seeds, all 440
# runs within 5.08-6.47 Hz; COBA runs that keep firing 14.3 +/- 0.9 Hz (range
# 11.7-17.5 Hz; 2-3% of seeds fall silent after the kick in every simulator,
# so the seed used here is one that keeps firing).
RATE_RANGE_HZ = {"CUBA": (4.5, 7.0), "COBA": (11.0, 18.0)}

# sha256 of the (population, cell index, spike step) list of a 1 s run, seed 98765.
CHECKSUMS = {
    # 2026-11-30, first version (IF_curr_exp exact; IF_cond_exp exponential integrator).
    "CUBA": "f2b9fc286e0fdf2059d197524e4d0357e9f26359e71e7e95eb684c61214b105b",
    "COBA": "84aa0d7194920982db65a924611275b48a521996a7dd4828224f5cbd928069c0",
}


def load_example():
    spec = importlib.util.spec_from_file_location("va_benchmark", EXAMPLE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def spikes_of(population):
    """(cell index, spike step) rows of a population, sorted."""
    trains = population.get_data("spikes").segments[0].spiketrains
    rows = [(st.annotations["source_index"], int(round(t / 0.1)))
            for st in trains for t in st.magnitude]
    return sorted(rows)


@pytest.fixture(scope="module")
def example():
    return load_example()


@pytest.mark.parametrize("variant", ["CUBA", "COBA"])
def test_va_benchmark(example, variant):
    exc, inh, connections = example.build(variant, n=4000, seed=98765)
    sim.run(1000.0)
    exc_spikes, inh_spikes = spikes_of(exc), spikes_of(inh)
    sim.end()
    digest = hashlib.sha256(repr((exc_spikes, inh_spikes)).encode()).hexdigest()
    rate = (len(exc_spikes) + len(inh_spikes)) / 4000 / 1.0
    low, high = RATE_RANGE_HZ[variant]
    assert low <= rate <= high
    assert digest == CHECKSUMS[variant]
