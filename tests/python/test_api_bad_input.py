"""Bad input: each error has PyNN's exception type and a message that names
the parameter or object (pynn-api.md section 17); a failed call leaves the
network as it was."""

import numpy as np
import pineal
import pytest
from pineal import errors
from pineal.simulator import state

# --- cell parameters -------------------------------------------------------------------


def test_unknown_cell_parameter(sim):
    with pytest.raises(errors.NonExistentParameterError) as info:
        sim.IF_curr_exp(tau_x=3.0)
    assert isinstance(info.value, KeyError)
    message = str(info.value)
    assert "tau_x" in message and "IF_curr_exp" in message and "tau_m" in message
    assert info.value.parameter_name == "tau_x"


@pytest.mark.parametrize("action", ["set", "get", "deprecated", "initialize", "id"])
def test_unknown_names_in_every_call(sim, action):
    p = sim.Population(3, sim.IF_curr_exp())
    with pytest.raises(errors.NonExistentParameterError, match="tau_x"):
        if action == "set":
            p.set(tau_x=1.0)
        elif action == "get":
            p.get(["tau_m", "tau_x"])
        elif action == "deprecated":
            with pytest.warns(DeprecationWarning):
                sim.Population(3, sim.IF_curr_exp, {"tau_x": 1.0})
        elif action == "initialize":
            p.initialize(tau_x=-60.0)
        else:
            _ = p[0].tau_x


def test_unknown_synapse_parameter(sim):
    with pytest.raises(errors.NonExistentParameterError, match="foo"):
        sim.StaticSynapse(weight=0.1, foo=1.0)


@pytest.mark.parametrize("value", ["abc", True, {}, None])
def test_wrong_type_for_a_cell_parameter(sim, value):
    with pytest.raises(errors.InvalidParameterValueError, match="tau_m"):
        sim.IF_curr_exp(tau_m=value)


def test_wrong_type_in_set(sim):
    p = sim.Population(3, sim.IF_curr_exp())
    with pytest.raises(errors.InvalidParameterValueError, match="tau_m"):
        p.set(tau_m="abc")
    assert p.get("tau_m") == 20.0


@pytest.mark.parametrize(("name", "value"), [("tau_m", -1.0), ("tau_m", 0.0), ("cm", 0.0),
                                             ("tau_syn_E", -5.0), ("tau_refrac", -0.1),
                                             ("tau_m", float("nan")),
                                             ("v_thresh", float("inf"))])
def test_invalid_cell_parameter_values(sim, name, value):
    with pytest.raises(errors.InvalidParameterValueError, match=name):
        sim.Population(3, sim.IF_curr_exp(**{name: value}))


def test_negative_tau_m_everywhere(sim):
    p = sim.Population(3, sim.IF_curr_exp())
    with pytest.raises(errors.InvalidParameterValueError, match="tau_m") as info:
        p.set(tau_m=[10.0, -1.0, 10.0])
    assert "-1" in str(info.value)
    assert p.get("tau_m") == 20.0  # nothing was set
    with pytest.raises(errors.InvalidParameterValueError, match="tau_m"):
        p[1].tau_m = -2.0
    assert p.get("tau_m") == 20.0


def test_wrong_number_of_values(sim):
    with pytest.raises(errors.InvalidDimensionsError, match="tau_m"):
        sim.Population(3, sim.IF_curr_exp(tau_m=[10.0, 20.0]))
    p = sim.Population(3, sim.IF_curr_exp())
    with pytest.raises(errors.InvalidDimensionsError, match="cm"):
        p.set(cm=[1.0, 2.0, 3.0, 4.0])


def test_invalid_initial_value(sim):
    p = sim.Population(3, sim.IF_curr_exp())
    with pytest.raises(errors.InvalidParameterValueError, match="v"):
        p.initialize(v=[-60.0, float("nan"), -60.0])


@pytest.mark.parametrize(("params", "name"), [({"rate": -1.0}, "rate"),
                                              ({"start": -1.0}, "start"),
                                              ({"duration": -1.0}, "duration")])
def test_invalid_poisson_parameters(sim, params, name):
    with pytest.raises(errors.InvalidParameterValueError, match=name):
        sim.Population(2, sim.SpikeSourcePoisson(**params))


@pytest.mark.parametrize("times", [[3.0, 1.0], [-1.0, 2.0], [float("nan")], "abc"])
def test_invalid_spike_times(sim, times):
    with pytest.raises(errors.InvalidParameterValueError, match="spike_times"):
        sim.Population(2, sim.SpikeSourceArray(spike_times=times))


# --- populations ------------------------------------------------------------------------


@pytest.mark.parametrize("size", [0, -3])
def test_population_size_must_be_positive(sim, size):
    with pytest.raises(errors.InvalidDimensionsError, match="size") as info:
        sim.Population(size, sim.IF_curr_exp(), label="tiny")
    assert isinstance(info.value, ValueError)
    assert "tiny" in str(info.value)


@pytest.mark.parametrize("size", [2.5, "10", None, True])
def test_population_size_must_be_an_integer(sim, size):
    with pytest.raises(TypeError, match="size"):
        sim.Population(size, sim.IF_curr_exp())


def test_population_cell_type_must_be_a_cell_type(sim):
    with pytest.raises(TypeError, match="cellclass"):
        sim.Population(2, "IF_curr_exp")


def test_failed_population_leaves_the_network_unchanged(sim):
    a = sim.Population(3, sim.IF_curr_exp())
    a.record("v")
    n_before = len(state.populations)
    for bad in (lambda: sim.Population(0, sim.IF_curr_exp()),
                lambda: sim.Population(4, sim.IF_curr_exp(tau_m=-1.0)),
                lambda: sim.Population(4, sim.IF_curr_exp(), initial_values={"v": np.nan}),
                lambda: sim.Population(4, sim.SpikeSourceArray(spike_times=[2.0, 1.0]))):
        with pytest.raises(ValueError):
            bad()
    assert len(state.populations) == n_before
    b = sim.Population(2, sim.IF_curr_exp())
    assert b.first_id == a.last_id + 1  # no ids were used up
    assert sim.run(5.0) == pytest.approx(5.0)
    assert a.get_data().segments[0].analogsignals[0].shape == (51, 3)


# --- projections ------------------------------------------------------------------------


@pytest.fixture
def net(sim):
    sim.setup(timestep=0.1, min_delay=0.1, max_delay=5.0)
    return (sim.Population(3, sim.IF_curr_exp(), label="pre"),
            sim.Population(2, sim.IF_curr_exp(), label="post"))


@pytest.mark.parametrize("delay", [-1.0, 0.0, 0.01, 0.049])
def test_delay_below_dt(sim, net, delay):
    a, b = net
    with pytest.raises(errors.ConnectionError, match="delay") as info:
        sim.Projection(a, b, sim.AllToAllConnector(), sim.StaticSynapse(weight=0.1, delay=delay))
    assert "pre\u2192post" in str(info.value)


def test_delay_above_max_delay(sim, net):
    a, b = net
    with pytest.raises(errors.ConnectionError, match="max_delay"):
        sim.Projection(a, b, sim.AllToAllConnector(), sim.StaticSynapse(weight=0.1, delay=5.5))
    # 5.04 rounds to 5.0: allowed
    prj = sim.Projection(a, b, sim.AllToAllConnector(), sim.StaticSynapse(weight=0.1, delay=5.04))
    assert len(prj) == 6


def test_delay_below_explicit_min_delay(sim):
    sim.setup(timestep=0.1, min_delay=1.0, max_delay=5.0)
    a = sim.Population(2, sim.IF_curr_exp())
    with pytest.raises(errors.ConnectionError, match="delay"):
        sim.Projection(a, a, sim.AllToAllConnector(), sim.StaticSynapse(weight=0.1, delay=0.5))


def test_unknown_receptor_type(sim, net):
    a, b = net
    with pytest.raises(errors.ConnectionError, match="AMPA") as info:
        sim.Projection(a, b, sim.AllToAllConnector(), sim.StaticSynapse(weight=0.1),
                       receptor_type="AMPA")
    assert "excitatory" in str(info.value)  # lists the valid ones


def test_projection_onto_a_spike_source(sim, net):
    a, _ = net
    src = sim.Population(2, sim.SpikeSourcePoisson())
    with pytest.raises(errors.ConnectionError):
        sim.Projection(a, src, sim.AllToAllConnector())


@pytest.mark.parametrize(("weight", "receptor"), [(0.5, "inhibitory"), (-0.5, "excitatory")])
def test_weight_sign_must_match_the_receptor(sim, net, weight, receptor):
    a, b = net
    with pytest.raises(errors.ConnectionError, match="weight"):
        sim.Projection(a, b, sim.AllToAllConnector(), sim.StaticSynapse(weight=weight),
                       receptor_type=receptor)


@pytest.mark.parametrize("connector", ["all", None, 3])
def test_wrong_connector_type(sim, net, connector):
    a, b = net
    with pytest.raises(TypeError, match="onnector"):
        sim.Projection(a, b, connector)


def test_connector_class_instead_of_instance(sim, net):
    a, b = net
    with pytest.raises(TypeError, match="onnector"):
        sim.Projection(a, b, sim.AllToAllConnector)


def test_wrong_synapse_type(sim, net):
    a, b = net
    with pytest.raises(TypeError, match="synapse_type"):
        sim.Projection(a, b, sim.AllToAllConnector(), sim.IF_curr_exp())


def test_pre_must_be_a_population(sim, net):
    _, b = net
    with pytest.raises(errors.ConnectionError, match="presynaptic"):
        sim.Projection("pre", b, sim.AllToAllConnector())


@pytest.mark.parametrize("p", [-0.1, 1.5, float("nan"), "half"])
def test_p_connect_outside_zero_one(sim, p):
    with pytest.raises(errors.InvalidParameterValueError, match="p_connect"):
        sim.FixedProbabilityConnector(p)


def test_allow_self_connections_must_be_a_bool(sim):
    with pytest.raises(TypeError, match="allow_self_connections"):
        sim.AllToAllConnector(allow_self_connections="yes")


def test_from_list_bad_indices(sim):
    with pytest.raises(errors.ConnectionError, match="indices"):
        sim.FromListConnector([(-1, 0)])
    with pytest.raises(errors.ConnectionError, match="indices"):
        sim.FromListConnector([(0.5, 0)])


def test_from_list_unknown_column(sim, net):
    a, b = net
    with pytest.raises(errors.NonExistentParameterError, match="tau_x"):
        sim.Projection(a, b, sim.FromListConnector([(0, 0, 1.0)], column_names=["tau_x"]))


def test_failed_projection_leaves_the_network_unchanged(sim):
    sim.setup(timestep=0.1, min_delay=0.1, max_delay=5.0)
    src = sim.Population(1, sim.SpikeSourceArray(spike_times=[1.0, 2.0, 3.0]))
    cell = sim.Population(1, sim.IF_curr_exp())
    other = sim.Population(2, sim.IF_curr_exp())
    kept = sim.Projection(other, other, sim.AllToAllConnector(),
                          sim.StaticSynapse(weight=0.1, delay=1.0))
    n_projections = len(state.projections)
    # the first row is valid, the second has a delay above max_delay
    rows = [(0, 0, 2.0, 1.0), (0, 0, 2.0, 9.0)]
    with pytest.raises(errors.ConnectionError, match="max_delay"):
        sim.Projection(src, cell, sim.FromListConnector(rows))
    with pytest.raises(errors.ConnectionError):
        sim.Projection(src, cell, sim.AllToAllConnector(), sim.StaticSynapse(weight=2.0),
                       receptor_type="NMDA")
    with pytest.raises(errors.ConnectionError):
        sim.Projection(src, cell, sim.FromListConnector([(0, 0), (1, 0)]),
                       sim.StaticSynapse(weight=2.0, delay=1.0))
    assert len(state.projections) == n_projections
    assert len(kept) == 4
    cell.record("v")
    assert sim.run(10.0) == pytest.approx(10.0)
    v = cell.get_data().segments[0].analogsignals[0].magnitude
    np.testing.assert_array_equal(v, -65.0)  # no synapse of the failed projections acts


# --- recording ------------------------------------------------------------------------------


def test_recording_an_unknown_variable(sim):
    p = sim.Population(3, sim.IF_curr_exp(), label="cells")
    with pytest.raises(errors.RecordingError, match="gsyn_exc") as info:
        p.record("gsyn_exc")
    assert "IF_curr_exp" in str(info.value)
    assert info.value.variable == "gsyn_exc"
    src = sim.Population(2, sim.SpikeSourcePoisson())
    with pytest.raises(errors.RecordingError, match="v"):
        src.record("v")


def test_recording_error_records_nothing(sim):
    p = sim.Population(3, sim.IF_curr_exp())
    with pytest.raises(errors.RecordingError, match="foo"):
        p.record(["spikes", "v", "foo"])
    sim.run(5.0)
    seg = p.get_data().segments[0]
    assert len(seg.spiketrains) == 0 and len(seg.analogsignals) == 0


def test_sampling_interval_errors(sim):
    p = sim.Population(3, sim.IF_curr_exp())
    for bad in (-1.0, 0.0, float("nan")):
        with pytest.raises(ValueError, match="sampling_interval"):
            p.record("v", sampling_interval=bad)
    p.record("v", sampling_interval=1.0)
    p.record("spikes", sampling_interval=0.5)  # spikes have no interval
    p.record("v")                              # None keeps the current interval
    with pytest.raises(ValueError, match="sampling interval"):
        p.record("v", sampling_interval=0.5)
    sim.run(10.0)
    assert p.get_data().segments[0].analogsignals[0].shape == (11, 3)


# --- simulation control -----------------------------------------------------------------------


@pytest.fixture
def no_setup():
    state.clear()
    yield
    pineal.setup()


@pytest.mark.parametrize("call", [lambda s: s.run(10.0), lambda s: s.run_until(10.0),
                                  lambda s: s.reset(), lambda s: s.get_current_time(),
                                  lambda s: s.Population(2, s.IF_curr_exp())])
def test_use_before_setup(no_setup, call):
    with pytest.raises(RuntimeError, match="setup"):
        call(pineal)


@pytest.mark.parametrize("t", [float("nan"), float("inf")])
def test_run_until_a_time_that_is_not_finite(sim, t):
    with pytest.raises(ValueError):
        sim.run_until(t)
    with pytest.raises(ValueError):
        sim.run(t)
    assert sim.get_current_time() == 0.0


def test_objects_of_a_replaced_simulation(sim):
    p = sim.Population(3, sim.IF_curr_exp(tau_m=11.0), label="old")
    prj = sim.Projection(p, p, sim.AllToAllConnector())
    sim.setup()
    q = sim.Population(3, sim.IF_curr_exp(tau_m=22.0))
    for stale in (lambda: p.get("tau_m"), lambda: p.set(tau_m=33.0), lambda: p[0].tau_m,
                  lambda: p.record("v"), lambda: p.get_data(), lambda: len(prj),
                  lambda: sim.Projection(p, q, sim.AllToAllConnector())):
        with pytest.raises(RuntimeError, match="'old.*setup"):
            stale()
    assert q.get("tau_m") == 22.0  # not reached through the stale population
