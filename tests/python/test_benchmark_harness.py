"""The benchmark harness (benchmarks/run.py) works end to end on a tiny scale,
with pineal alone: every model runs in a child process and reports what the
table needs. No timing is asserted; NEST is not needed."""

import importlib.util
import json
import pathlib

ROOT = pathlib.Path(__file__).resolve().parents[2]


def load_harness():
    spec = importlib.util.spec_from_file_location("bench_run", ROOT / "benchmarks" / "run.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_tiny_run_of_every_model(tmp_path, capsys):
    out = tmp_path / "results.json"
    results = load_harness().main(["--set", "all", "--scale", "0.02", "--tstop", "50",
                                   "--repeat", "1", "--threads", "2", "--simulators",
                                   "pineal", "--json", str(out)])
    assert [r["model"] for r in results] == ["va_cuba", "va_coba", "brunel"]
    for r in results:
        assert r["simulator"] == "pineal" and r["threads"] == 2
        assert r["synapses"] > 0 and r["spikes"]["median"] >= 0
        assert r["sim_s"]["min"] <= r["sim_s"]["median"] <= r["sim_s"]["max"]
        assert r["peak_rss_mb"]["median"] > 10  # the child's own ru_maxrss
        # The synapse store's footprint is reported (8 B per synapse plus rows).
        assert 8.0 <= r["store_bytes_per_synapse"] < r["store_peak_bytes_per_synapse"]
    saved = json.loads(out.read_text())
    assert saved["table"] == capsys.readouterr().out.strip()
    assert "va_coba | 2 | pineal" in saved["table"]


def test_tiny_run_of_the_microcircuit(tmp_path, capsys):
    out = tmp_path / "pd14.json"
    results = load_harness().main(["--set", "pd14", "--scale", "0.02", "--tstop", "200",
                                   "--repeat", "2", "--threads", "1", "--simulators",
                                   "pineal", "--json", str(out)])
    assert [r["model"] for r in results] == ["pd14", "pd14_dc"]
    for r in results:
        assert r["cells"] == 1544 and len(r["population_rates"]) == 8  # rounded sizes
        # Two runs with the same seed: the same spikes (pineal is deterministic).
        first, second = r["runs"]
        assert first["population_counts"] == second["population_counts"]
        # The pooled rates are the counts after the transient over both runs.
        window = 2 * (200.0 - first["transient"]) / 1000.0
        assert r["population_rates"][2] == (2 * first["population_counts"][2]
                                            / first["population_sizes"][2] / window)
    table = capsys.readouterr().out
    assert "against the published full-scale rates" in table
    assert "| published | | | 0.971 |" in table and "| pd14 | 1 | pineal |" in table
    assert "| pd14_dc | 1 | pineal |" not in table.split("published")[1]


def test_phase_table_has_a_row_per_thread_and_every_slice():
    spec = importlib.util.spec_from_file_location("bench_phases",
                                                  ROOT / "benchmarks" / "phases.py")
    phases = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(phases)
    text = phases.main(["--models", "va_cuba", "brunel", "--threads", "2", "--scale", "0.02",
                        "--tstop", "50"])
    rows = [line.split("|")[1:-1] for line in text.splitlines()[2:]]
    assert [(r[0].strip(), r[1].strip(), r[2].strip()) for r in rows] == [
        ("va_cuba", "2", "0"), ("va_cuba", "2", "1"), ("brunel", "2", "0"), ("brunel", "2", "1")]
    # min_delay 0.1 ms (VA) and 1.5 ms (Brunel): 500 and 34 slices in 50 ms.
    assert [int(r[3]) for r in rows] == [500, 500, 34, 34]
    for r in rows:
        update, wait, deliver = (float(x) for x in r[4:7])
        assert update > 0 and wait >= 0 and deliver > 0


def test_models_must_belong_to_the_set():
    import pytest

    with pytest.raises(SystemExit):
        load_harness().main(["--set", "va", "--models", "pd14", "--simulators", "pineal"])
