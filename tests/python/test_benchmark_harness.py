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
