"""benchmarks/connectivity.py works end to end at a tiny scale (400 cells per
population): every case runs in a child process and reports what the table
needs. No timing is asserted. NEST is compared when it is importable."""

import importlib.util
import json
import pathlib

ROOT = pathlib.Path(__file__).resolve().parents[2]


def load_benchmark():
    spec = importlib.util.spec_from_file_location("bench_connectivity",
                                                  ROOT / "benchmarks" / "connectivity.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_tiny_run_of_every_case(tmp_path, capsys):
    bench = load_benchmark()
    nest = bench.python_with("nest", ["python3"]) is not None
    out = tmp_path / "connectivity.json"
    results = bench.main(["--cells", "400", "--cases", "all", "--simulators", "pineal",
                          "--json", str(out)])
    keyed = {(r["case"], r["simulator"]): r for r in results}
    for case in bench.CASES + bench.EXTRA_CASES:
        r = keyed[(case, "pineal")]
        assert r["cells"] == 400 and r["threads"] == 1
        # exact counts of the deterministic-count connectors
        expected = {"fixed_number_pre": 400 * 40, "fixed_number_post": 400 * 40,
                    "fixed_total_number": 400 * 400 // 10}.get(case)
        if expected is not None:
            assert r["synapses"] == expected
        else:
            assert r["synapses"] > 0
        assert r["wall_s"] > 0 and r["rate_per_cpu_s"] > 0
        # the synapse store's own footprint: 6 B per synapse (16-bit
        # targets: 400 cells) plus row headers
        assert 6.0 <= r["store_bytes_per_synapse"] < r["store_peak_bytes_per_synapse"]
    table = capsys.readouterr().out.strip()
    saved = json.loads(out.read_text())
    assert saved["table"] == table
    assert saved["meta"]["load_average"] and "fixed_probability | 1 | pineal" in table
    if nest:  # side by side: the pineal row carries the pineal/NEST ratios
        results = bench.main(["--cells", "400", "--cases", "fixed_number_pre", "--simulators",
                              "pineal", "nest", "--json", str(out)])
        assert [r["synapses"] for r in results] == [400 * 40, 400 * 40]
        assert results[1]["nest_version"]
        row = next(x for x in capsys.readouterr().out.splitlines()
                   if "fixed_number_pre | 1 | pineal" in x)
        assert row.split("|")[-3].strip() != ""
