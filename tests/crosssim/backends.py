"""The installed backends, for scenarios written once and run on each.

A backend whose simulator does not import is still listed, as a pytest
param that skips with the reason (counted in the summary, never silent).
"""

import importlib

import pytest

EXTERNAL = {"nest": ("pineal.nest", "nest"), "brian2": ("pineal.brian2", "brian2")}


def params():
    out = [pytest.param("pineal.native", id="native")]
    for name, (module, dependency) in EXTERNAL.items():
        try:
            importlib.import_module(dependency)
            marks = ()
        except Exception as err:  # noqa: BLE001  (ImportError, or a broken binary install)
            marks = pytest.mark.skip(reason=f"{name} backend: {dependency} does not import ({err})")
        out.append(pytest.param(module, id=name, marks=marks))
    return out


def load(module):
    return importlib.import_module(module)
