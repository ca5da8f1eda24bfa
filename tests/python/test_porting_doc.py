"""docs/porting.md lists exactly the PyNN names pineal does not support yet,
and each of them raises NotImplementedError naming itself."""

import pathlib
import re

import pineal
import pytest
from pineal.unsupported import UNSUPPORTED, is_stub

DOC = pathlib.Path(__file__).resolve().parents[2] / "docs" / "porting.md"


def _listed():
    text = DOC.read_text()
    section = text.split("<!-- unsupported-names -->")[1].split("<!-- /unsupported-names -->")[0]
    return set(re.findall(r"`(\w+)`", section))


def _stubs():
    return {n for names in UNSUPPORTED.values() for n in names if is_stub(getattr(pineal, n))}


def test_every_unsupported_name_is_listed_and_every_listed_name_is_unsupported():
    # a name implemented since (by a model, connector or current source) must
    # leave the list; a new stub must join it
    assert _listed() == _stubs()


@pytest.mark.parametrize("name", sorted(_stubs()))
def test_unsupported_names_raise_naming_themselves(name):
    with pytest.raises(NotImplementedError, match=name):
        getattr(pineal, name)(1.0, weight=2.0)
    assert getattr(pineal.native, name) is getattr(pineal, name)


def test_utility_legacy_functions():
    from pineal import utility

    with pytest.raises(NotImplementedError, match="save_population"):
        utility.save_population(None, "x")
    with pytest.raises(NotImplementedError, match="load_population"):
        utility.load_population("x", pineal)
