"""Population and ID (pynn-api.md sections 3.2, 4.1, 10.1, 10.4)."""

import numpy as np
import pytest
import quantities as pq
from pineal import errors
from pineal.populations import ID

IF_CURR_EXP_DEFAULTS = {"v_rest": -65.0, "cm": 1.0, "tau_m": 20.0, "tau_refrac": 0.1,
                        "tau_syn_E": 5.0, "tau_syn_I": 5.0, "i_offset": 0.0, "v_reset": -65.0,
                        "v_thresh": -50.0}


# --- size, label, ids --------------------------------------------------------------


def test_size_label_and_ids(sim):
    p = sim.Population(10, sim.IF_curr_exp(), label="exc")
    assert p.size == len(p) == 10
    assert p.label == "exc"
    assert p.last_id - p.first_id == 9
    assert len(p.all_cells) == 10
    ids = [int(i) for i in p.all_cells]
    assert ids == list(range(p.first_id, p.last_id + 1))
    assert list(p) == list(p.all_cells)
    for k, cell in enumerate(p.all_cells):
        assert isinstance(cell, ID) and isinstance(cell, int)
        assert cell.parent is p
        assert p[k] is cell
        assert p.id_to_index(cell) == k
    assert p[-1] == p.last_id
    assert p.celltype.__class__.__name__ == "IF_curr_exp"


def test_ids_of_populations_do_not_overlap(sim):
    a = sim.Population(5, sim.IF_curr_exp())
    b = sim.Population(3, sim.SpikeSourcePoisson())
    assert b.first_id > a.last_id
    assert not set(map(int, a.all_cells)) & set(map(int, b.all_cells))
    assert a[0] in a and a[0] not in b


def test_default_labels_are_distinct(sim):
    a = sim.Population(1, sim.IF_curr_exp())
    b = sim.Population(1, sim.IF_curr_exp())
    assert a.label.startswith("population") and b.label.startswith("population")
    assert a.label != b.label


def test_index_out_of_range(sim):
    p = sim.Population(3, sim.IF_curr_exp())
    with pytest.raises(IndexError):
        p[3]
    with pytest.raises(ValueError):
        p.id_to_index(p.last_id + 1)


def test_id_to_index_of_an_array(sim):
    p = sim.Population(5, sim.IF_curr_exp())
    np.testing.assert_array_equal(p.id_to_index(p.all_cells[[1, 3]].astype(int)), [1, 3])


# --- defaults and get ------------------------------------------------------------------


def test_defaults_of_if_curr_exp(sim):
    p = sim.Population(4, sim.IF_curr_exp())
    for name, value in IF_CURR_EXP_DEFAULTS.items():
        assert p.get(name) == value, name
    assert p.celltype.default_initial_values["v"] == -65.0
    assert p.receptor_types == ("excitatory", "inhibitory")
    assert set(p.celltype.recordable) == {"spikes", "v"}
    assert p.conductance_based is False


def test_defaults_of_if_cond_exp(sim):
    if "IF_cond_exp" not in sim.list_standard_models():
        pytest.skip("IF_cond_exp is not compiled in")
    p = sim.Population(2, sim.IF_cond_exp())
    expected = {**IF_CURR_EXP_DEFAULTS, "e_rev_E": 0.0, "e_rev_I": -70.0}
    assert set(p.celltype.get_parameter_names()) == set(expected)
    for name, value in expected.items():
        assert p.get(name) == value, name
    assert p.celltype.default_initial_values == {"v": -65.0, "gsyn_exc": 0.0, "gsyn_inh": 0.0}
    assert set(p.celltype.recordable) == {"spikes", "v", "gsyn_exc", "gsyn_inh"}
    assert p.conductance_based is True


def test_get_simplify(sim):
    p = sim.Population(4, sim.IF_curr_exp(tau_m=15.0))
    value = p.get("tau_m")
    assert isinstance(value, float) and value == 15.0
    full = p.get("tau_m", simplify=False)
    assert isinstance(full, np.ndarray)
    np.testing.assert_array_equal(full, [15.0] * 4)
    p.set(cm=[1.0, 2.0, 3.0, 4.0])
    tau_m, cm = p.get(["tau_m", "cm"])
    assert tau_m == 15.0
    np.testing.assert_array_equal(cm, [1.0, 2.0, 3.0, 4.0])


# --- ID attribute access -------------------------------------------------------------


def test_id_parameter_read_and_write(sim):
    p = sim.Population(5, sim.IF_curr_exp())
    assert p[2].tau_m == 20.0
    p[2].tau_m = 12.5
    assert p[2].tau_m == 12.5
    np.testing.assert_array_equal(p.get("tau_m"), [20.0, 20.0, 12.5, 20.0, 20.0])
    assert p[2].get_parameters()["tau_m"] == 12.5
    p[3].set_parameters(cm=0.5, v_thresh=-45.0)
    assert (p[3].cm, p[3].v_thresh) == (0.5, -45.0)
    assert p[4].cm == 1.0


def test_id_unknown_attribute(sim):
    p = sim.Population(2, sim.IF_curr_exp())
    with pytest.raises(errors.NonExistentParameterError, match="tau_x"):
        _ = p[0].tau_x
    assert not hasattr(p[0], "tau_x")
    assert getattr(p[0], "tau_x", 7) == 7


def test_id_set_is_an_attribute_error(sim):
    p = sim.Population(2, sim.IF_curr_exp())
    with pytest.raises(AttributeError):
        p[0].set(tau_m=3.0)


def test_id_initial_value(sim):
    p = sim.Population(3, sim.IF_curr_exp())
    assert p[1].get_initial_value("v") == -65.0
    p[1].set_initial_value("v", -58.0)
    assert p[1].get_initial_value("v") == -58.0
    assert p[0].get_initial_value("v") == -65.0


# --- set with the accepted value kinds (section 3.2) -------------------------------------


def test_set_scalar_list_array_and_function(sim):
    p = sim.Population(4, sim.IF_curr_exp())
    p.set(tau_m=11.0)
    assert p.get("tau_m") == 11.0
    p.set(tau_m=[10.0, 11.0, 12.0, 13.0])
    np.testing.assert_array_equal(p.get("tau_m"), [10.0, 11.0, 12.0, 13.0])
    p.set(cm=np.array([0.5, 0.6, 0.7, 0.8]))
    np.testing.assert_array_equal(p.get("cm"), [0.5, 0.6, 0.7, 0.8])
    p.set(v_thresh=lambda i: -50.0 + i)
    np.testing.assert_array_equal(p.get("v_thresh"), [-50.0, -49.0, -48.0, -47.0])
    # other parameters untouched
    np.testing.assert_array_equal(p.get("tau_m"), [10.0, 11.0, 12.0, 13.0])


def test_set_several_parameters_at_once(sim):
    p = sim.Population(3, sim.IF_curr_exp())
    p.set(tau_m=12.0, v_rest=-70.0)
    assert (p.get("tau_m"), p.get("v_rest")) == (12.0, -70.0)


def test_cell_type_parameters_of_every_kind(sim):
    p = sim.Population(3, sim.IF_curr_exp(tau_m=[10.0, 20.0, 30.0], cm=lambda i: 1.0 + i,
                                          v_rest=-60.0))
    np.testing.assert_array_equal(p.get("tau_m"), [10.0, 20.0, 30.0])
    np.testing.assert_array_equal(p.get("cm"), [1.0, 2.0, 3.0])
    assert p.get("v_rest") == -60.0


def _random_tau_m(sim, seed, n=50):
    sim.setup()
    rng = sim.NumpyRNG(seed=seed)
    p = sim.Population(n, sim.IF_curr_exp(tau_m=sim.RandomDistribution("uniform", (10.0, 20.0),
                                                                         rng=rng)))
    return p.get("tau_m", simplify=False)


def test_random_distribution_is_reproducible_for_a_seeded_rng(sim):
    a = _random_tau_m(sim, 12345)
    b = _random_tau_m(sim, 12345)
    c = _random_tau_m(sim, 54321)
    assert np.all((a >= 10.0) & (a < 20.0))
    assert len(np.unique(a)) == len(a)  # one draw per cell
    np.testing.assert_array_equal(a, b)
    assert not np.any(a == c)


def test_random_distribution_in_set_and_initialize(sim):
    rng = sim.NumpyRNG(seed=7)
    p = sim.Population(200, sim.IF_curr_exp())
    p.set(v_thresh=sim.RandomDistribution("normal", (-50.0, 1.0), rng=rng))
    vt = p.get("v_thresh", simplify=False)
    # mean of 200 draws: sd 1/sqrt(200) = 0.07; 5 sigma = 0.35
    assert abs(vt.mean() + 50.0) < 0.35
    assert 0.7 < vt.std() < 1.3
    p.initialize(v=sim.RandomDistribution("uniform", (-70.0, -60.0), rng=rng))
    v0 = np.array([c.get_initial_value("v") for c in p])
    assert np.all((v0 >= -70.0) & (v0 < -60.0)) and len(np.unique(v0)) == 200


def test_two_uses_of_one_rng_draw_different_values(sim):
    rng = sim.NumpyRNG(seed=99)
    dist = sim.RandomDistribution("uniform", (0.0, 1.0), rng=rng)
    p = sim.Population(20, sim.IF_curr_exp(i_offset=dist))
    q = sim.Population(20, sim.IF_curr_exp(i_offset=dist))
    assert not np.any(p.get("i_offset") == q.get("i_offset"))


# --- initialize -----------------------------------------------------------------------


def test_initialize_with_every_kind_of_value(sim):
    p = sim.Population(3, sim.IF_curr_exp())
    p.record("v")
    p.initialize(v=-60.0)
    sim.run(0.1)
    first = p.get_data().segments[0].analogsignals[0].magnitude[0]
    np.testing.assert_array_equal(first, [-60.0] * 3)
    for value, expected in ([[-70.0, -65.0, -60.0], [-70.0, -65.0, -60.0]],
                            [np.array([-61.0, -62.0, -63.0]), [-61.0, -62.0, -63.0]],
                            [lambda i: -65.0 + i / 10.0, [-65.0, -64.9, -64.8]]):
        sim.reset()
        p.initialize(v=value)
        sim.run(0.1)
        first = p.get_data().segments[-1].analogsignals[0].magnitude[0]
        np.testing.assert_allclose(first, expected, rtol=0, atol=1e-12)
    assert "v" in p.initial_values


def test_initial_values_argument(sim):
    p = sim.Population(2, sim.IF_curr_exp(), initial_values={"v": -55.0})
    assert [c.get_initial_value("v") for c in p] == [-55.0, -55.0]


# --- deprecated class + cellparams form, quantities ------------------------------------------


def test_deprecated_class_and_cellparams(sim):
    with pytest.warns(DeprecationWarning):
        p = sim.Population(10, sim.IF_curr_exp, {"tau_m": 15.0})
    assert p.size == 10
    assert p.get("tau_m") == 15.0
    assert p.get("cm") == 1.0
    with pytest.warns(DeprecationWarning):
        q = sim.Population(3, sim.IF_curr_exp)
    assert q.get("tau_m") == 20.0


def test_cellparams_with_an_instance_is_a_type_error(sim):
    with pytest.raises(TypeError):
        sim.Population(3, sim.IF_curr_exp(), {"tau_m": 15.0})


def test_quantities_are_converted_to_pynn_units(sim):
    p = sim.Population(3, sim.IF_curr_exp(tau_m=15 * pq.ms, v_rest=-0.07 * pq.V,
                                          cm=500 * pq.pF, i_offset=100 * pq.pA))
    assert p.get("tau_m") == pytest.approx(15.0)
    assert p.get("v_rest") == pytest.approx(-70.0)
    assert p.get("cm") == pytest.approx(0.5)
    assert p.get("i_offset") == pytest.approx(0.1)
    p.set(v_thresh=-0.045 * pq.V)
    assert p.get("v_thresh") == pytest.approx(-45.0)
    p.initialize(v=-0.06 * pq.V)
    assert p[0].get_initial_value("v") == pytest.approx(-60.0)


def test_quantity_in_the_wrong_dimension(sim):
    with pytest.raises(errors.InvalidParameterValueError, match="ms"):
        sim.Population(3, sim.IF_curr_exp(tau_m=1 * pq.mV))


# --- spike-source parameters ------------------------------------------------------------


def test_spike_source_array_per_cell_sequences(sim):
    p = sim.Population(2, sim.SpikeSourceArray(spike_times=[[1.0, 2.0], [3.0]]))
    times = p.get("spike_times")
    assert times[0] == sim.Sequence([1.0, 2.0])
    assert times[1] == sim.Sequence([3.0])
    assert p[1].spike_times == sim.Sequence([3.0])
    q = sim.Population(3, sim.SpikeSourceArray(spike_times=sim.Sequence([5.0, 6.0])))
    assert q.get("spike_times") == sim.Sequence([5.0, 6.0])


def test_spike_source_poisson_defaults(sim):
    p = sim.Population(2, sim.SpikeSourcePoisson())
    assert (p.get("rate"), p.get("start"), p.get("duration")) == (1.0, 0.0, 1e10)
    assert p.receptor_types == ()
    assert p.celltype.recordable == ["spikes"]
    assert p.injectable is False
