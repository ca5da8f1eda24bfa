"""pineal.utility: script helpers, Timer and progress bars."""

import datetime
import logging
import os
import re
import sys
import types

import numpy as np
import pytest
from pineal import utility
from pineal.utility import (
    ProgressBar,
    SimulationProgressBar,
    Timer,
    get_script_args,
    get_simulator,
    init_logging,
    normalized_filename,
    script_tools,
    sort_by_column,
)
from pineal.utility import timer as timer_module

# --- Timer ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("seconds", "words"),
    [
        (0, "0 seconds"),
        (1, "1 second"),
        (2.5, "2.5 seconds"),
        (59, "59 seconds"),
        (60, "1 minute"),
        (123, "2 minutes, 3 seconds"),
        (3600, "1 hour"),
        (3661, "1 hour, 1 minute, 1 second"),
        (7322, "2 hours, 2 minutes, 2 seconds"),
        (90061, "1 day, 1 hour, 1 minute, 1 second"),
        (172800, "2 days"),
        (61.25, "1 minute, 1.25 seconds"),
    ],
)
def test_time_in_words(seconds, words):
    assert Timer.time_in_words(seconds) == words


class FakeClock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


@pytest.fixture
def clock(monkeypatch):
    fake = FakeClock()
    monkeypatch.setattr(timer_module.time, "perf_counter", fake)
    return fake


def test_timer_elapsed_diff_and_marks(clock):
    timer = Timer()
    clock.now += 5
    assert timer.elapsed_time() == 5
    clock.now += 2
    assert timer.diff() == 2  # since the elapsed_time() check
    clock.now += 3
    assert timer.elapsed_time() == 10
    clock.now += 123
    assert timer.elapsed_time(format="long") == "2 minutes, 13 seconds"
    clock.now += 4
    assert timer.mark("build") == ("build", 4)
    clock.now += 1
    timer.mark("run")
    assert timer.marks == [("build", 4), ("run", 1)]
    clock.now += 61
    assert timer.diff(format="long") == "1 minute, 1 second"


def test_timer_start_and_reset(clock):
    timer = Timer()
    timer.mark("a")
    clock.now += 10
    timer.start()
    clock.now += 1
    assert timer.elapsed_time() == 1
    assert timer.marks == [("a", 0)]  # start() keeps the marks
    clock.now += 1
    timer.reset()
    assert timer.marks == []
    clock.now += 2
    assert timer.elapsed_time() == 2


def test_timer_elapsedTime_is_deprecated(clock):
    timer = Timer()
    clock.now += 3
    with pytest.warns(DeprecationWarning, match="elapsed_time"):
        assert timer.elapsedTime() == 3


def test_timer_uses_real_time():
    timer = Timer()
    assert timer.elapsed_time() >= 0
    assert isinstance(timer.diff(), float)


# --- ProgressBar ------------------------------------------------------------------


def test_progress_bar_fixed(capsys):
    bar = ProgressBar(width=29)  # 20 characters of bar
    bar.set_level(0.5)
    assert capsys.readouterr().out == "\r[ ##########           ]  50%"
    bar(1.0)
    assert capsys.readouterr().out == "\r[ #################### ] 100%"
    bar.set_level(0.0)
    assert capsys.readouterr().out == "\r[                      ]   0%"


def test_progress_bar_clips_level(capsys):
    bar = ProgressBar(width=29, char="=")
    bar.set_level(1.7)
    assert capsys.readouterr().out == "\r[ ==================== ] 100%"
    bar.set_level(-0.3)
    assert capsys.readouterr().out.endswith("   0%")


def test_progress_bar_default_width(capsys):
    ProgressBar().set_level(0.25)
    out = capsys.readouterr().out
    assert out.startswith("\r[ #################")
    assert len(out) == 1 + 77
    assert out.endswith(" 25%")


def test_progress_bar_dynamic(capsys):
    bar = ProgressBar(width=29, mode="dynamic")
    bar.set_level(0.25)
    out = capsys.readouterr().out
    assert out == "\r" + "[ ##### ] 25%".ljust(29)


def test_progress_bar_bad_mode():
    with pytest.raises(ValueError, match="mode"):
        ProgressBar(mode="sideways")


def test_simulation_progress_bar(capsys):
    callback = SimulationProgressBar(10.0, 100.0)
    assert callback(0.0) == 10.0
    assert callback(50.0) == 60.0
    out = capsys.readouterr().out
    assert out.endswith(" 50%")
    assert "\n" not in out
    assert callback(100.0) == 110.0
    assert capsys.readouterr().out.endswith("100%\n")


def test_simulation_progress_bar_needs_positive_interval():
    with pytest.raises(ValueError):
        SimulationProgressBar(0.0, 100.0)


# --- normalized_filename -------------------------------------------------------------


class FixedDatetime(datetime.datetime):
    @classmethod
    def now(cls, tz=None):
        return cls(2024, 3, 9, 7, 5, 4)


@pytest.fixture
def fixed_now(monkeypatch):
    monkeypatch.setattr(script_tools, "datetime", types.SimpleNamespace(datetime=FixedDatetime))


def test_normalized_filename(fixed_now):
    name = normalized_filename("Results", "va_benchmark", "pkl", "nest")
    assert name == os.path.join("Results", "20240309", "va_benchmark_nest_20240309-070504.pkl")


def test_normalized_filename_with_processes_and_iso8601(fixed_now):
    name = normalized_filename("out", "model", "h5", "native", num_processes=4, use_iso8601=True)
    assert name == os.path.join("out", "2024-03-09", "model_native_np4_2024-03-09T07:05:04.h5")


def test_normalized_filename_real_clock():
    name = normalized_filename("r", "b", "txt", "sim", num_processes=2)
    assert re.fullmatch(r"r/(\d{8})/b_sim_np2_(\d{8})-\d{6}\.txt", name.replace(os.sep, "/"))


# --- get_simulator / get_script_args ------------------------------------------------


@pytest.fixture
def fake_backends(monkeypatch):
    modules = {}
    for name in ("native", "nest"):
        module = types.ModuleType(f"pineal.{name}")
        monkeypatch.setitem(sys.modules, f"pineal.{name}", module)
        modules[name] = module
    return modules


@pytest.mark.parametrize(
    ("argument", "backend"),
    [
        ("native", "native"),
        ("pineal", "native"),
        ("nest", "nest"),
        ("pineal.nest", "nest"),
    ],
)
def test_get_simulator_imports_the_backend(monkeypatch, fake_backends, argument, backend):
    monkeypatch.setattr(sys, "argv", ["model.py", argument])
    sim, args = get_simulator()
    assert sim is fake_backends[backend]
    assert args.simulator == argument


def test_get_simulator_extra_arguments(monkeypatch, fake_backends):
    monkeypatch.setattr(sys, "argv", ["model.py", "nest", "7", "--plot-figure"])
    sim, args = get_simulator(
        ("n", "number of cells", {"type": int}),
        ("--plot-figure", "plot the results", {"action": "store_true"}),
        ("--debug", "debug output"),
    )
    assert sim is fake_backends["nest"]
    assert args.n == 7
    assert args.plot_figure is True
    assert args.debug is None


def test_get_simulator_errors(monkeypatch, fake_backends):
    monkeypatch.setattr(sys, "argv", ["model.py"])
    with pytest.raises(SystemExit):
        get_simulator()
    monkeypatch.setattr(sys, "argv", ["model.py", "no_such_backend"])
    with pytest.raises(ImportError):
        get_simulator()


def test_get_script_args(monkeypatch):
    monkeypatch.setattr(sys, "argv", ["model.py", "a", "b"])
    assert get_script_args(2) == ["a", "b"]
    # launchers that put their own options before the script
    monkeypatch.setattr(sys, "argv", ["nrniv", "-python", "/path/model.py", "params.txt"])
    assert get_script_args(1) == ["params.txt"]
    with pytest.raises(ValueError, match="usage: model.py PARAMS"):
        get_script_args(2, usage="usage: model.py PARAMS")


# --- init_logging ---------------------------------------------------------------------


@pytest.fixture
def restore_logging():
    root = logging.getLogger()
    saved_handlers, saved_level = root.handlers[:], root.level
    yield
    for handler in root.handlers[:]:
        root.removeHandler(handler)
        handler.close()
    for handler in saved_handlers:
        root.addHandler(handler)
    root.setLevel(saved_level)


def test_init_logging_single_process(tmp_path, restore_logging):
    logfile = tmp_path / "run.log"
    logger = init_logging(str(logfile), debug=True)
    assert logger.name == "pineal"
    logger.debug("details here")
    logging.getLogger("pineal.other").info("hello")
    text = logfile.read_text()
    assert "details here" in text
    assert "hello" in text
    assert "rank" not in text


def test_init_logging_several_processes(tmp_path, restore_logging):
    logfile = tmp_path / "run.log"
    logger = init_logging(str(logfile), num_processes=4, rank=2)
    logger.debug("hidden")  # INFO level without debug
    logger.info("visible")
    assert not logfile.exists()
    text = (tmp_path / "run.log.2").read_text()
    assert "visible" in text
    assert "rank 2" in text
    assert "hidden" not in text


def test_init_logging_level_overrides_debug(tmp_path, restore_logging):
    logfile = tmp_path / "run.log"
    logger = init_logging(str(logfile), debug=True, level="WARNING")
    logger.info("not shown")
    logger.warning("shown")
    text = logfile.read_text()
    assert "shown" in text
    assert "not shown" not in text


def test_init_logging_to_stderr(capsys, restore_logging):
    init_logging(None).info("to stderr")
    assert "to stderr" in capsys.readouterr().err


# --- notify and sort_by_column ----------------------------------------------------------


def test_notify_sends_through_smtp(monkeypatch):
    sent = []

    class FakeSMTP:
        def __init__(self, host):
            self.host = host

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def send_message(self, message):
            sent.append((self.host, message))

    monkeypatch.setattr(script_tools.smtplib, "SMTP", FakeSMTP)
    utility.notify("done", subject="run 3", smtphost="mail.example", address="me@example.org")
    [(host, message)] = sent
    assert host == "mail.example"
    assert message["Subject"] == "run 3"
    assert message["To"] == "me@example.org"
    assert message.get_content().strip() == "done"


def test_notify_without_settings_sends_nothing(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("no mail should be sent")

    monkeypatch.setattr(script_tools.smtplib, "SMTP", refuse)
    monkeypatch.setitem(sys.modules, "settings", None)  # no settings.py
    utility.notify()


def test_sort_by_column():
    a = np.array([[3, 0.1], [1, 0.2], [2, 0.3], [1, 0.4]])
    np.testing.assert_array_equal(
        sort_by_column(a, 0), np.array([[1, 0.2], [1, 0.4], [2, 0.3], [3, 0.1]])
    )
    np.testing.assert_array_equal(sort_by_column(a, 1), a)


def test_sort_by_column_keeps_the_order_of_ties():
    # large enough that an unstable sort would shuffle rows with equal keys
    a = np.column_stack([np.arange(200) % 3, np.arange(200)])
    result = sort_by_column(a, 0)
    np.testing.assert_array_equal(result[:, 0], np.sort(a[:, 0]))
    for key in range(3):
        assert np.all(np.diff(result[result[:, 0] == key, 1]) > 0)


def test_get_simulator_names_a_backend_not_available_yet(monkeypatch):
    monkeypatch.setattr(sys, "argv", ["model.py", "neuron"])
    monkeypatch.delitem(sys.modules, "pineal.neuron", raising=False)
    with pytest.raises(NotImplementedError, match="neuron backend"):
        get_simulator()


def test_get_simulator_brian2_is_the_adapter(monkeypatch):
    # importing pineal.brian2 needs no brian2: that is imported by setup()
    import pineal.brian2

    monkeypatch.setattr(sys, "argv", ["model.py", "brian2"])
    assert get_simulator()[0] is pineal.brian2


def test_get_simulator_native_is_the_real_engine(monkeypatch):
    import pineal.native

    monkeypatch.setattr(sys, "argv", ["model.py", "native"])
    assert get_simulator()[0] is pineal.native


def test_setup_progress_bar_draws_during_run(capsys):
    import pineal

    pineal.setup(progress_bar=True)
    pineal.Population(2, pineal.IF_curr_exp())
    assert pineal.run(10.0) == pytest.approx(10.0)
    out = capsys.readouterr().out
    assert "100%" in out and out.count("\r") >= 50
    pineal.setup()
    pineal.run(10.0)
    assert capsys.readouterr().out == ""  # off unless asked
    with pytest.raises(ValueError, match="progress_bar"):
        pineal.setup(progress_bar="yes")
    pineal.setup()
