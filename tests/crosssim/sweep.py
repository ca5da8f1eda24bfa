"""The default run and the full sweep of the cross-simulator scenarios.

The default test run executes one small scenario per model and backend;
``PINEAL_CROSSSIM_FULL=1 python -m pytest tests/crosssim`` runs every
scenario (each cell type under step current too, every connector, the VA
benchmark statistics). Cases of the full sweep skip in the default run with
that reason shown (counted in the summary).
"""

import os
from dataclasses import dataclass

import pytest

FULL = os.environ.get("PINEAL_CROSSSIM_FULL", "") not in ("", "0")


def full_only(*values, id=None):
    """A pytest.param that runs only in the full sweep."""
    return pytest.param(*values, id=id, marks=pytest.mark.skipif(
        not FULL, reason="full cross-simulator sweep only (PINEAL_CROSSSIM_FULL=1)"))


@dataclass
class Result:
    """One scenario on one backend against the native engine."""
    passed: bool
    difference: str   # the measured difference, in words and numbers
    criterion: str    # what had to hold
