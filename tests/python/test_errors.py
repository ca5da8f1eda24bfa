"""pineal.errors: PyNN's exception names, bases and messages."""

import builtins
import warnings

import pytest
from pineal import errors


@pytest.mark.parametrize(
    ("name", "base"),
    [
        ("InvalidParameterValueError", ValueError),
        ("NonExistentParameterError", KeyError),
        ("InvalidDimensionsError", ValueError),
        ("ConnectionError", Exception),
        ("InvalidModelError", Exception),
        ("NoModelAvailableError", Exception),
        ("RoundingWarning", Warning),
        ("NothingToWriteError", IOError),
        ("InvalidWeightError", ValueError),
        ("NotLocalError", Exception),
        ("RecordingError", Exception),
    ],
)
def test_names_and_bases(name, base):
    cls = getattr(errors, name)
    assert issubclass(cls, base)
    assert name in errors.__all__


def test_connection_error_is_not_the_builtin():
    # PyNN's ConnectionError shadows the builtin (an OSError) on purpose.
    assert errors.ConnectionError is not builtins.ConnectionError
    assert not issubclass(errors.ConnectionError, OSError)
    with pytest.raises(errors.ConnectionError, match="receptor"):
        raise errors.ConnectionError("bad receptor type")


class IF_cond_exp:
    recordable = ("spikes", "v", "gsyn_exc", "gsyn_inh")


def test_nonexistent_parameter_message():
    err = errors.NonExistentParameterError("tau_foo", "IF_cond_exp", ["tau_m", "cm", "v_rest"])
    text = str(err)
    assert "tau_foo" in text
    assert "IF_cond_exp" in text
    for name in ("tau_m", "cm", "v_rest"):
        assert name in text
    assert err.parameter_name == "tau_foo"
    assert err.model_name == "IF_cond_exp"
    assert err.valid_parameter_names == ["tau_m", "cm", "v_rest"]


def test_nonexistent_parameter_model_given_as_class_or_instance():
    assert "IF_cond_exp" in str(errors.NonExistentParameterError("x", IF_cond_exp, ["a"]))
    assert "IF_cond_exp" in str(errors.NonExistentParameterError("x", IF_cond_exp(), ["a"]))


def test_nonexistent_parameter_default_valid_names_and_catching():
    err = errors.NonExistentParameterError("x", "Model")
    assert err.valid_parameter_names == ["unknown"]
    assert "unknown" in str(err)
    with pytest.raises(KeyError):
        raise err


def test_recording_error_lists_recordable():
    err = errors.RecordingError("w", IF_cond_exp())
    text = str(err)
    assert "'w'" in text
    assert "IF_cond_exp" in text
    for variable in IF_cond_exp.recordable:
        assert variable in text
    assert err.variable == "w"


def test_rounding_warning_can_be_issued():
    with pytest.warns(errors.RoundingWarning, match="rounded"):
        warnings.warn("delay rounded to 0.1 ms", errors.RoundingWarning, stacklevel=1)
