"""Shared fixtures for the PyNN-API tests.

`sim` is the pineal module after ``sim.setup()``; ``sim.end()`` runs after
the test. A test that needs other setup() arguments calls setup() again
(setup() discards the previous network, as in PyNN).
"""

import pineal
import pytest


@pytest.fixture
def sim():
    pineal.setup()
    yield pineal
    pineal.end()
