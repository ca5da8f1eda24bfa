"""pineal.random: PyNN's RNG and RandomDistribution API plus pineal's seed/stream contract."""

import copy
import pickle

import numpy as np
import pytest
from pineal.random import (
    GSLRNG,
    AbstractRNG,
    NativeRNG,
    NumpyRNG,
    RandomDistribution,
    WrappedRNG,
    available_distributions,
)

MPI_RANK_VARIABLES = (
    "OMPI_COMM_WORLD_RANK",
    "PMIX_RANK",
    "PMI_RANK",
    "MV2_COMM_WORLD_RANK",
)


@pytest.fixture(autouse=True)
def _single_process(monkeypatch):
    # The tests assume rank 0, even if someone runs them under mpirun.
    for var in MPI_RANK_VARIABLES:
        monkeypatch.delenv(var, raising=False)


# --- available_distributions ---------------------------------------------------


def test_available_distributions_names_and_order():
    assert available_distributions == {
        "binomial": ("n", "p"),
        "gamma": ("k", "theta"),
        "exponential": ("beta",),
        "lognormal": ("mu", "sigma"),
        "normal": ("mu", "sigma"),
        "normal_clipped": ("mu", "sigma", "low", "high"),
        "normal_clipped_to_boundary": ("mu", "sigma", "low", "high"),
        "poisson": ("lambda_",),
        "uniform": ("low", "high"),
        "uniform_int": ("low", "high"),
        "vonmises": ("mu", "kappa"),
    }


# --- RandomDistribution arguments ----------------------------------------------


def test_positional_and_named_parameters_agree():
    pos = RandomDistribution("normal_clipped", (0.5, 0.1, 0.0, 1.0))
    named = RandomDistribution("normal_clipped", high=1.0, low=0.0, sigma=0.1, mu=0.5)
    expected = {"mu": 0.5, "sigma": 0.1, "low": 0.0, "high": 1.0}
    assert pos.parameters == expected
    assert named.parameters == expected
    # stored in the documented order, whatever order the keywords came in
    assert list(named.parameters) == ["mu", "sigma", "low", "high"]
    assert pos.name == "normal_clipped"


def test_positional_list_accepted():
    assert RandomDistribution("uniform", [-70, -50]).parameters == {
        "low": -70,
        "high": -50,
    }


def test_positional_and_named_together_is_an_error():
    with pytest.raises(ValueError, match="not both"):
        RandomDistribution("normal", (0.0,), sigma=1.0)


@pytest.mark.parametrize(
    "named",
    [
        {"mu": 0.0, "sd": 1.0},  # wrong name
        {"mu": 0.0},  # missing
        {"mu": 0.0, "sigma": 1.0, "low": 0.0},  # extra
        {},  # nothing at all
    ],
)
def test_wrong_parameter_names_raise_key_error(named):
    with pytest.raises(KeyError):
        RandomDistribution("normal", **named)


@pytest.mark.parametrize("values", [(0.0,), (0.0, 1.0, 2.0), ()])
def test_wrong_parameter_count_raises_value_error(values):
    with pytest.raises(ValueError, match="2 parameters"):
        RandomDistribution("normal", values)


def test_dict_as_positional_raises_type_error():
    with pytest.raises(TypeError):
        RandomDistribution("normal", {"mu": 0.0, "sigma": 1.0})


def test_scalar_as_positional_raises_type_error():
    with pytest.raises(TypeError):
        RandomDistribution("exponential", 2.0)


def test_unknown_distribution_names_the_allowed_ones():
    with pytest.raises(ValueError, match="normal_clipped_to_boundary") as info:
        RandomDistribution("gaussian", (0.0, 1.0))
    assert "gaussian" in str(info.value)


@pytest.mark.parametrize(
    ("name", "params", "mentioned"),
    [
        ("normal", {"mu": 0.0, "sigma": -1.0}, "sigma"),
        ("lognormal", {"mu": 0.0, "sigma": -0.1}, "sigma"),
        ("normal_clipped", {"mu": 0.0, "sigma": -1.0, "low": -1, "high": 1}, "sigma"),
        ("normal_clipped", {"mu": 0.0, "sigma": 1.0, "low": 2, "high": 1}, "low"),
        (
            "normal_clipped_to_boundary",
            {"mu": 0, "sigma": 1, "low": 2, "high": 1},
            "low",
        ),
        ("gamma", {"k": -1.0, "theta": 1.0}, "k"),
        ("gamma", {"k": 1.0, "theta": -1.0}, "theta"),
        ("exponential", {"beta": -2.0}, "beta"),
        ("poisson", {"lambda_": -3.0}, "lambda_"),
        ("binomial", {"n": 10, "p": 1.5}, "p"),
        ("binomial", {"n": -1, "p": 0.5}, "n"),
        ("vonmises", {"mu": 0.0, "kappa": -1.0}, "kappa"),
        ("uniform_int", {"low": 5, "high": 5}, "low"),
        ("normal", {"mu": "zero", "sigma": 1.0}, "mu"),
        ("normal", {"mu": 0.0, "sigma": np.array([1.0, -1.0])}, "sigma"),
    ],
)
def test_invalid_values_raise_value_error_naming_the_parameter(name, params, mentioned):
    with pytest.raises(ValueError, match=mentioned):
        RandomDistribution(name, **params)


def test_values_numpy_accepts_are_accepted():
    # numpy draws uniform(low > high) and sigma == 0 without complaint; so do we.
    RandomDistribution("uniform", (1.0, 0.0))
    RandomDistribution("normal", (0.0, 0.0))


def test_default_rng_is_a_new_numpy_rng():
    a = RandomDistribution("uniform", (0, 1))
    b = RandomDistribution("uniform", (0, 1))
    assert isinstance(a.rng, NumpyRNG)
    assert a.rng is not b.rng
    assert a.rng.seed != b.rng.seed


def test_rng_must_be_an_rng():
    with pytest.raises(TypeError):
        RandomDistribution("uniform", (0, 1), rng=np.random.RandomState(1))


def test_repr_and_str():
    rd = RandomDistribution("normal", mu=0.5, sigma=0.1, rng=NumpyRNG(seed=1))
    assert (
        repr(rd)
        == "RandomDistribution('normal', mu=0.5, sigma=0.1, "
           "rng=NumpyRNG(seed=1, parallel_safe=True))"
    )
    assert str(rd) == "normal(mu=0.5, sigma=0.1)"


# --- seeds and streams (pineal contract) ---------------------------------------


@pytest.mark.os_entropy_seeds
@pytest.mark.parametrize("cls", [NumpyRNG, GSLRNG, WrappedRNG, AbstractRNG])
def test_unseeded_rngs_draw_an_integer_seed(cls):
    a, b = cls(), cls()
    assert isinstance(a.seed, int)
    assert 0 <= a.seed < 2**63
    assert a.seed != b.seed  # from OS entropy: equal with probability 2**-63


def test_given_seed_is_kept():
    assert NumpyRNG(seed=12345).seed == 12345
    assert GSLRNG(seed=7).seed == 7
    assert NumpyRNG(seed=np.int64(3)).seed == 3


def test_native_rng_seed_stays_none():
    assert NativeRNG().seed is None
    assert NativeRNG(seed=9).seed == 9


@pytest.mark.parametrize(
    ("seed", "error"),
    [
        (1.5, TypeError),
        ("1", TypeError),
        (True, TypeError),
        (-1, ValueError),
        (2**64, ValueError),
    ],
)
def test_bad_seeds(seed, error):
    with pytest.raises(error):
        NumpyRNG(seed=seed)
    with pytest.raises(error):
        NativeRNG(seed=seed)


@pytest.mark.parametrize("cls", [NumpyRNG, GSLRNG, NativeRNG])
def test_next_stream_counts_uses_per_instance(cls):
    a, b = cls(seed=1), cls(seed=1)
    assert [a._next_stream() for _ in range(3)] == [0, 1, 2]
    assert b._next_stream() == 0
    assert a._next_stream() == 3


def test_parallel_unsafe_seed_is_shifted_by_rank(monkeypatch):
    monkeypatch.setenv("OMPI_COMM_WORLD_RANK", "3")
    monkeypatch.setenv("OMPI_COMM_WORLD_SIZE", "4")
    assert NumpyRNG(seed=10, parallel_safe=False).seed == 13
    assert NumpyRNG(seed=10, parallel_safe=True).seed == 10
    rng = NumpyRNG(seed=10, parallel_safe=False)
    assert rng.rank == 3
    assert rng.num_processes == 4


def test_describe():
    rng = NumpyRNG(seed=42)
    assert "NumpyRNG" in rng.describe()
    assert "42" in rng.describe()
    assert rng.describe(template=None)["seed"] == 42


# --- NumpyRNG behaves like numpy's RandomState -----------------------------------


def test_next_matches_random_state():
    rng, ref = NumpyRNG(seed=42), np.random.RandomState(42)
    np.testing.assert_array_equal(rng.next(5, "normal", {"mu": 0, "sigma": 1}), ref.normal(0, 1, 5))
    np.testing.assert_array_equal(rng.next(3), ref.uniform(0, 1, 3))


def test_direct_calls_are_numpy_calls():
    rng, ref = NumpyRNG(seed=42), np.random.RandomState(42)
    np.testing.assert_array_equal(rng.normal(1.0, 2.0, size=4), ref.normal(1.0, 2.0, size=4))
    np.testing.assert_array_equal(rng.permutation(10), ref.permutation(10))
    np.testing.assert_array_equal(rng.uniform(-1, 1, 3), ref.uniform(-1, 1, 3))
    np.testing.assert_array_equal(
        rng.choice(10, 4, replace=False), ref.choice(10, 4, replace=False)
    )
    # direct calls and next() share one state
    assert rng.next() == ref.uniform()


def test_unknown_attribute_raises_attribute_error():
    with pytest.raises(AttributeError):
        NumpyRNG(seed=1).no_such_method  # noqa: B018


@pytest.mark.parametrize(
    ("name", "params", "reference"),
    [
        ("binomial", {"n": 10, "p": 0.3}, lambda rs, n: rs.binomial(10, 0.3, n)),
        ("gamma", {"k": 2.0, "theta": 3.0}, lambda rs, n: rs.gamma(2.0, 3.0, n)),
        ("exponential", {"beta": 5.0}, lambda rs, n: rs.exponential(5.0, n)),
        (
            "lognormal",
            {"mu": 0.1, "sigma": 0.5},
            lambda rs, n: rs.lognormal(0.1, 0.5, n),
        ),
        ("normal", {"mu": -65.0, "sigma": 2.0}, lambda rs, n: rs.normal(-65.0, 2.0, n)),
        (
            "normal_clipped_to_boundary",
            {"mu": 0.0, "sigma": 1.0, "low": -0.5, "high": 0.5},
            lambda rs, n: np.clip(rs.normal(0.0, 1.0, n), -0.5, 0.5),
        ),
        ("poisson", {"lambda_": 4.0}, lambda rs, n: rs.poisson(4.0, n)),
        (
            "uniform",
            {"low": -70.0, "high": -50.0},
            lambda rs, n: rs.uniform(-70.0, -50.0, n),
        ),
        ("uniform_int", {"low": 2, "high": 9}, lambda rs, n: rs.randint(2, 9, n)),
        ("vonmises", {"mu": 0.5, "kappa": 2.0}, lambda rs, n: rs.vonmises(0.5, 2.0, n)),
    ],
)
def test_distribution_mapping_matches_numpy(name, params, reference):
    values = RandomDistribution(name, rng=NumpyRNG(seed=2024), **params).next(50)
    np.testing.assert_array_equal(values, reference(np.random.RandomState(2024), 50))


def test_parameters_as_sequence_in_rng_next():
    rng, ref = NumpyRNG(seed=3), np.random.RandomState(3)
    np.testing.assert_array_equal(rng.next(4, "gamma", (2.0, 0.5)), ref.gamma(2.0, 0.5, 4))


def test_other_numpy_distributions_use_numpy_names():
    rng, ref = NumpyRNG(seed=3), np.random.RandomState(3)
    np.testing.assert_array_equal(rng.next(4, "beta", {"a": 2.0, "b": 3.0}), ref.beta(2.0, 3.0, 4))
    with pytest.raises(ValueError, match="unknown distribution"):
        rng.next(4, "no_such_distribution", {})


def test_normal_clipped_stays_in_bounds_and_is_reproducible():
    def draw():
        return RandomDistribution(
            "normal_clipped", (0.0, 1.0, -0.2, 0.5), rng=NumpyRNG(seed=11)
        ).next(1000)

    values = draw()
    assert values.min() >= -0.2
    assert values.max() <= 0.5
    np.testing.assert_array_equal(values, draw())
    # the unclipped normal would have put many values outside
    assert (np.abs(np.random.RandomState(11).normal(0, 1, 1000)) > 0.5).sum() > 100


def test_normal_clipped_gives_up_on_an_impossible_interval():
    rd = RandomDistribution("normal_clipped", (0.0, 1.0, 50.0, 51.0), rng=NumpyRNG(seed=1))
    with pytest.raises(RuntimeError, match="1000"):
        rd.next(3)


def test_large_seed_is_reproducible():
    a, b = NumpyRNG(seed=2**40 + 5), NumpyRNG(seed=2**40 + 5)
    np.testing.assert_array_equal(a.next(5), b.next(5))
    assert not np.array_equal(NumpyRNG(seed=2**40 + 6).next(5), NumpyRNG(seed=2**40 + 5).next(5))


# --- next(): n and mask -----------------------------------------------------------


def test_n_none_gives_one_value():
    value = NumpyRNG(seed=5).next()
    assert np.ndim(value) == 0
    assert value == np.random.RandomState(5).uniform()
    value = RandomDistribution("normal", (0, 1), rng=NumpyRNG(seed=5)).next()
    assert np.ndim(value) == 0


def test_n_zero_gives_an_empty_array():
    values = NumpyRNG(seed=5).next(0)
    assert isinstance(values, np.ndarray)
    assert values.shape == (0,)


def test_n_negative_is_an_error():
    with pytest.raises(ValueError, match="negative"):
        NumpyRNG(seed=5).next(-1)
    with pytest.raises(ValueError):
        RandomDistribution("uniform", (0, 1)).next(-3)


def test_n_must_be_an_integer():
    with pytest.raises(TypeError):
        NumpyRNG(seed=5).next(2.5)


def test_aliases():
    assert AbstractRNG.random is AbstractRNG.next
    assert AbstractRNG.sample is AbstractRNG.next
    np.testing.assert_array_equal(NumpyRNG(seed=1).sample(3), NumpyRNG(seed=1).next(3))


@pytest.mark.parametrize(
    "mask",
    [
        np.array([True, False, True, False, False, True, False, False, False, True]),
        np.array([0, 2, 5, 9]),
    ],
)
def test_mask_parallel_safe_draws_all_then_selects(mask):
    full = np.random.RandomState(8).normal(0, 1, 10)
    values = NumpyRNG(seed=8).next(10, "normal", {"mu": 0, "sigma": 1}, mask=mask)
    np.testing.assert_array_equal(values, full[mask])


@pytest.mark.parametrize(
    "mask",
    [
        np.array([True, False, True, False, False, True, False, False, False, True]),
        np.array([0, 2, 5, 9]),
    ],
)
def test_mask_not_parallel_safe_draws_only_selected(mask):
    rng = NumpyRNG(seed=8, parallel_safe=False)
    values = rng.next(10, "normal", {"mu": 0, "sigma": 1}, mask=mask)
    np.testing.assert_array_equal(values, np.random.RandomState(8).normal(0, 1, 4))


def test_distribution_next_with_mask():
    mask = np.array([False, True, True, False])
    rd = RandomDistribution("uniform", (0, 10), rng=NumpyRNG(seed=4))
    np.testing.assert_array_equal(
        rd.next(4, mask=mask), np.random.RandomState(4).uniform(0, 10, 4)[mask]
    )


# --- lazily_evaluate ----------------------------------------------------------------


def test_lazily_evaluate_shape_and_mask():
    ref = np.random.RandomState(6).uniform(0, 1, 12)
    def rd(safe=True):
        return RandomDistribution("uniform", (0, 1), rng=NumpyRNG(seed=6, parallel_safe=safe))

    np.testing.assert_array_equal(rd().lazily_evaluate(shape=(3, 4)), ref.reshape(3, 4))
    np.testing.assert_array_equal(rd().lazily_evaluate(shape=12), ref)
    np.testing.assert_array_equal(
        rd().lazily_evaluate(mask=(slice(None), 1), shape=(3, 4)),
        ref.reshape(3, 4)[:, 1],
    )
    mask = np.array([1, 5, 7])
    np.testing.assert_array_equal(rd().lazily_evaluate(mask=mask, shape=(12,)), ref[mask])
    # not parallel safe: only three values are drawn
    np.testing.assert_array_equal(rd(False).lazily_evaluate(mask=mask, shape=(12,)), ref[:3])
    assert np.ndim(rd().lazily_evaluate()) == 0


# --- copying --------------------------------------------------------------------


def test_deepcopy_and_pickle_continue_the_same_stream():
    rng = NumpyRNG(seed=99)
    rng.next(7)
    rng._next_stream()
    for clone in (copy.deepcopy(rng), pickle.loads(pickle.dumps(rng))):
        assert clone.seed == 99
        assert clone.rng is not rng.rng
        assert clone._next_stream() == 1
        np.testing.assert_array_equal(clone.next(5), copy.deepcopy(rng).next(5))
    rd = RandomDistribution("normal", (0, 1), rng=rng)
    rd_copy = copy.deepcopy(rd)
    np.testing.assert_array_equal(rd_copy.next(3), rd.next(3))


# --- GSLRNG and NativeRNG -------------------------------------------------------------


def test_gslrng_without_gsl_is_reproducible():
    a, b, c = GSLRNG(seed=5), GSLRNG(seed=5), GSLRNG(seed=6)
    first = a.next(10, "normal", {"mu": 0, "sigma": 1})
    np.testing.assert_array_equal(first, b.next(10, "normal", {"mu": 0, "sigma": 1}))
    assert not np.array_equal(first, c.next(10, "normal", {"mu": 0, "sigma": 1}))
    assert a.type == "mt19937"
    # every distribution works (GSL itself lacked vonmises and clipped_to_boundary)
    for name, params in [
        ("vonmises", (0.0, 1.0)),
        ("normal_clipped_to_boundary", (0, 1, -1, 1)),
    ]:
        assert RandomDistribution(name, params, rng=GSLRNG(seed=1)).next(5).shape == (5,)


def test_gslrng_other_type_warns():
    with pytest.warns(UserWarning, match="ranlux"):
        GSLRNG(seed=1, type="ranlux")


def test_native_rng_cannot_draw_in_python():
    rng = NativeRNG()
    with pytest.raises(NotImplementedError):
        rng.next(3)
    rd = RandomDistribution("normal", (0.0, 1.0), rng=rng)
    assert rd.rng is rng
    with pytest.raises(NotImplementedError):
        rd.next(3)
