"""Simulation control (pynn-api.md section 2): setup, run, run_until with
callbacks, reset, end and the state queries."""

import numpy as np
import pineal
import pytest
from pineal import errors

# --- setup -------------------------------------------------------------------


def test_setup_returns_the_rank_and_sets_the_state(sim):
    assert sim.setup(timestep=0.25, min_delay=0.5, max_delay=8.0) == 0
    assert sim.get_time_step() == 0.25
    assert sim.get_min_delay() == 0.5
    assert sim.get_max_delay() == 8.0
    assert sim.get_current_time() == 0.0
    assert sim.num_processes() == 1
    assert sim.rank() == 0


def test_setup_defaults(sim):
    sim.setup()
    assert sim.get_time_step() == pineal.control.DEFAULT_TIMESTEP == 0.1
    assert pineal.control.DEFAULT_MIN_DELAY == pineal.control.DEFAULT_MAX_DELAY == "auto"
    # min_delay 'auto' without connections: one time step
    assert sim.get_min_delay() == pytest.approx(0.1)


def test_setup_tolerates_keywords_meant_for_other_backends(sim):
    # Scenario scripts pass NEST's keywords to every backend.
    rank = sim.setup(timestep=0.1, min_delay=0.1, max_delay=10.0, threads=2, rng_seed=1234,
                     verbosity="error", spike_precision="on_grid", t_flush=10,
                     use_cvode=False, rtol=1e-3)
    assert rank == 0
    assert sim.get_max_delay() == 10.0
    assert sim.run(1.0) == pytest.approx(1.0)


@pytest.mark.parametrize("key", ["dt", "mindelay", "maxdelay", "time_step"])
def test_setup_rejects_old_keyword_names(sim, key):
    with pytest.raises(Exception, match=key):
        sim.setup(**{key: 0.1})


def test_setup_min_delay_above_max_delay_raises(sim):
    with pytest.raises(Exception, match="min_delay") as info:
        sim.setup(timestep=0.1, min_delay=2.0, max_delay=1.0)
    assert "max_delay" in str(info.value)


def test_setup_min_delay_below_timestep_raises(sim):
    with pytest.raises(Exception, match="min_delay") as info:
        sim.setup(timestep=0.1, min_delay=0.05)
    assert "timestep" in str(info.value)


@pytest.mark.parametrize("timestep", [0.0, -0.1, float("nan")])
def test_setup_rejects_a_non_positive_timestep(sim, timestep):
    with pytest.raises(errors.InvalidParameterValueError, match="timestep"):
        sim.setup(timestep=timestep)


def test_setup_discards_the_previous_simulation(sim):
    sim.Population(3, sim.IF_curr_exp())
    sim.run(10.0)
    sim.setup()
    assert sim.get_current_time() == 0.0
    # ids start again from the beginning
    p = sim.Population(2, sim.IF_curr_exp())
    sim.setup()
    q = sim.Population(2, sim.IF_curr_exp())
    assert q.first_id == p.first_id


# --- run, run_until, run_for -----------------------------------------------------


def test_run_returns_the_current_time(sim):
    assert sim.run(10.0) == pytest.approx(10.0)
    assert sim.run(5.5) == pytest.approx(15.5)
    assert sim.get_current_time() == pytest.approx(15.5)
    assert sim.run_for(4.5) == pytest.approx(20.0)
    assert sim.run_until(30.0) == pytest.approx(30.0)
    assert sim.run(0.0) == pytest.approx(30.0)


def test_run_with_another_timestep(sim):
    sim.setup(timestep=0.25)
    assert sim.run(1.0) == pytest.approx(1.0)
    assert sim.run_until(2.5) == pytest.approx(2.5)


def test_run_until_in_the_past_raises_value_error(sim):
    sim.run(10.0)
    with pytest.raises(ValueError, match="5"):
        sim.run_until(5.0)
    assert sim.get_current_time() == pytest.approx(10.0)
    # less than dt/2 in the past is rounding noise, not an error
    assert sim.run_until(10.0 - 0.04) == pytest.approx(10.0)


def test_run_negative_time_raises_value_error(sim):
    with pytest.raises(ValueError):
        sim.run(-1.0)


class Recorder:
    """A callback f(t) -> next t that remembers when it was called."""

    def __init__(self, interval, calls, name):
        self.interval, self.calls, self.name = interval, calls, name

    def __call__(self, t):
        self.calls.append((self.name, round(t, 9)))
        return t + self.interval


def test_run_until_calls_callbacks_at_their_times(sim):
    calls = []
    t = sim.run_until(50.0, callbacks=[Recorder(7.0, calls, "a"), Recorder(25.0, calls, "b")])
    assert t == pytest.approx(50.0)
    assert calls == [("a", 0.0), ("b", 0.0), ("a", 7.0), ("a", 14.0), ("a", 21.0),
                     ("b", 25.0), ("a", 28.0), ("a", 35.0), ("a", 42.0), ("a", 49.0),
                     ("b", 50.0)]


def test_run_callbacks_see_the_simulation_time(sim):
    seen = []

    def cb(t):
        seen.append((t, sim.get_current_time()))
        return t + 2.5

    sim.run(10.0, callbacks=[cb])
    assert [a for a, _ in seen] == pytest.approx([0.0, 2.5, 5.0, 7.5, 10.0])
    assert all(a == b for a, b in seen)


def test_run_callbacks_as_pynn_at_the_end_of_a_run(sim):
    # As PyNN: each run_until asks every callback afresh; the earliest pending
    # callback is called at time_point even if its own event lies beyond it.
    calls = []
    sim.run(20.0, callbacks=[Recorder(7.0, calls, "a")])
    assert calls == [("a", 0.0), ("a", 7.0), ("a", 14.0), ("a", 20.0)]
    calls.clear()
    sim.run(10.0, callbacks=[Recorder(7.0, calls, "a")])
    assert calls == [("a", 20.0), ("a", 27.0), ("a", 30.0)]


def test_run_callbacks_within_one_step_are_merged(sim):
    calls = []
    sim.run(10.0, callbacks=[Recorder(4.0, calls, "a"), Recorder(4.05, calls, "b")])
    # b's event (4.05) lies within dt of a's (4.0): both are called at 4.0
    assert ("a", 4.0) in calls and ("b", 4.0) in calls
    assert all(t in (0.0, 4.0, 8.0, 10.0) for _, t in calls)


def test_run_callback_returning_none_stops_being_called(sim):
    calls = []

    def once(t):
        calls.append(t)
        return 3.0 if t == 0.0 else None

    assert sim.run(10.0, callbacks=[once]) == pytest.approx(10.0)
    assert calls == [0.0, pytest.approx(3.0)]


def test_run_callback_returning_the_current_time_does_not_hang(sim):
    calls = []

    def now(t):
        calls.append(t)
        return t

    assert sim.run(1.0, callbacks=[now]) == pytest.approx(1.0)
    assert len(calls) == 11  # once per step, then at the end


# --- reset -----------------------------------------------------------------------


def test_reset_returns_to_zero_and_reapplies_initial_values(sim):
    p = sim.Population(2, sim.IF_curr_exp(i_offset=0.5), initial_values={"v": -60.0})
    p.record("v")
    sim.run(20.0)
    v_end = p.get_data().segments[0].analogsignals[0][-1].magnitude
    assert np.all(v_end > -60.0 + 1.0)  # the current depolarised the cells
    sim.reset()
    assert sim.get_current_time() == 0.0
    sim.run(20.0)
    segments = p.get_data().segments
    assert len(segments) == 2
    first, second = (s.analogsignals[0].magnitude for s in segments)
    np.testing.assert_array_equal(second[0], [-60.0, -60.0])
    # same initial state, same parameters: the second trial repeats the first
    np.testing.assert_array_equal(first, second)


def test_reset_keeps_parameters_changed_between_runs(sim):
    p = sim.Population(1, sim.IF_curr_exp())
    p.record("v")
    sim.run(5.0)
    p.set(i_offset=0.5)
    sim.reset()
    assert p.get("i_offset") == 0.5
    sim.run(5.0)
    v = p.get_data().segments[-1].analogsignals[0].magnitude[:, 0]
    assert v[0] == -65.0 and v[-1] > -64.0


def test_reset_uses_initial_values_set_after_the_run(sim):
    p = sim.Population(3, sim.IF_curr_exp())
    p.record("v")
    sim.run(5.0)
    p.initialize(v=[-70.0, -60.0, -55.0])
    sim.reset()
    sim.run(1.0)
    v0 = p.get_data().segments[-1].analogsignals[0].magnitude[0]
    np.testing.assert_array_equal(v0, [-70.0, -60.0, -55.0])


def test_end_keeps_recorded_data(sim):
    p = sim.Population(2, sim.IF_curr_exp())
    p.record("v")
    sim.run(3.0)
    sim.end()
    assert p.get_data().segments[0].analogsignals[0].shape == (31, 2)


# --- models ----------------------------------------------------------------------


def test_list_standard_models(sim):
    names = sim.list_standard_models()
    assert {"IF_curr_exp", "SpikeSourcePoisson", "SpikeSourceArray"} <= set(names)
    assert len(names) == len(set(names))
    for name in names:
        cls = getattr(sim, name)
        assert cls.__name__ == name
        p = sim.Population(2, cls())
        assert p.celltype.get_parameter_names()
    sim.run(1.0)
