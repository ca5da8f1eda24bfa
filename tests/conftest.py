"""Fixed seeds for every test (tests/python and tests/crosssim).

An RNG created without a seed (NumpyRNG(), or a RandomDistribution without
rng=) draws its seed from OS entropy, as in PyNN. In the tests that made
results differ from run to run (one check was all-positive draws of a
N(0, 1) in one run of 64). Here unseeded RNGs get the seeds 1, 2, 3, ... in
creation order, afresh for each test: distinct, and the same on every run.
A test of the entropy seeding itself is marked `os_entropy_seeds`.
"""

import itertools

import pytest
from pineal.random import AbstractRNG


@pytest.fixture(autouse=True)
def deterministic_default_seeds(request, monkeypatch):
    if request.node.get_closest_marker("os_entropy_seeds"):
        return
    seeds = itertools.count(1)
    monkeypatch.setattr(AbstractRNG, "_default_seed", lambda self: next(seeds))
