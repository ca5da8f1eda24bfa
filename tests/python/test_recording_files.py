"""pineal.recording.files (PyNN's simple array files): every format round-trips
data and metadata, and carries Projection.save -> FromFileConnector and
save_positions."""

import numpy as np
import pytest
from pineal.random import NumpyRNG
from pineal.recording import files

FORMATS = [files.StandardTextFile, files.PickleFile, files.NumpyBinaryFile,
           files.HDF5ArrayFile]
SUFFIX = {files.StandardTextFile: "txt", files.PickleFile: "pkl",
          files.NumpyBinaryFile: "npz", files.HDF5ArrayFile: "h5"}


def path(tmp_path, cls, stem="data"):
    return str(tmp_path / "sub" / f"{stem}.{SUFFIX[cls]}")  # the directory is created


@pytest.mark.parametrize("cls", FORMATS, ids=lambda c: c.__name__)
def test_data_and_metadata_round_trip(tmp_path, cls):
    data = np.array([[0, 3, 0.1, 1.5], [2, 1, 1 / 3, 0.25], [4, 4, -2e-7, 10.0]])
    metadata = {"columns": ["i", "j", "weight", "delay"], "population": "exc 1", "n": 3}
    f = cls(path(tmp_path, cls), mode="wb")
    f.write(data, metadata)
    f.close()
    g = cls(path(tmp_path, cls), mode="r")
    np.testing.assert_array_equal(g.read(), data)  # %.17g text is exact too
    assert g.get_metadata() == metadata
    with pytest.raises(ValueError, match="cannot be written"):
        g.write(data, {})
    g.close()
    with pytest.raises(ValueError, match="is closed"):
        g.read()


def test_pynn_style_text_header_with_bare_strings(tmp_path):
    f = tmp_path / "pynn.txt"
    f.write_text("# population = exc\n# columns = ['i', 'j', 'weight']\n0\t1\t0.5\n")
    meta = files.StandardTextFile(str(f)).get_metadata()
    assert meta == {"population": "exc", "columns": ["i", "j", "weight"]}


def test_bad_mode_and_missing_file(tmp_path):
    with pytest.raises(ValueError, match="mode must be one of"):
        files.PickleFile(str(tmp_path / "x.pkl"), mode="x")
    with pytest.raises(FileNotFoundError, match="no such file"):
        files.NumpyBinaryFile(str(tmp_path / "missing.npz"))


@pytest.mark.parametrize("cls", FORMATS, ids=lambda c: c.__name__)
def test_projection_save_and_from_file_connector(sim, tmp_path, cls):
    a = sim.Population(20, sim.IF_curr_exp())
    b = sim.Population(15, sim.IF_curr_exp())
    w = sim.RandomDistribution("uniform", (0.1, 0.9), rng=NumpyRNG(seed=4))
    prj = sim.Projection(a, b, sim.FixedProbabilityConnector(0.3, rng=NumpyRNG(seed=3)),
                         sim.StaticSynapse(weight=w, delay=sim.RandomDistribution(
                             "uniform", (0.5, 3.0), rng=NumpyRNG(seed=5))))
    prj.save("all", cls(path(tmp_path, cls), mode="wb"))
    source = cls(path(tmp_path, cls), mode="r")
    assert source.get_metadata()["columns"] == ["i", "j", "weight", "delay"]
    back = sim.Projection(a, b, sim.FromFileConnector(source))
    assert back.get(["weight", "delay"], "list") == prj.get(["weight", "delay"], "list")
    # the array format: one (n_pre, n_post) matrix per name, 0 where unconnected
    prj.save(["weight", "delay"], cls(path(tmp_path, cls, "arrays"), mode="wb"),
             format="array")
    stacked = cls(path(tmp_path, cls, "arrays")).read()
    weights, delays = stacked[:20], stacked[20:]
    expected = np.nan_to_num(prj.get("weight", "array"), nan=0.0)
    np.testing.assert_array_equal(weights, expected)
    assert np.count_nonzero(delays) == len(prj)


def test_distributed_file_object_reads_the_rank_s_file(sim, tmp_path):
    a = sim.Population(3, sim.IF_curr_exp())
    base = str(tmp_path / "conn.npz")
    for name, row in ((base, [1, 1, 0.25, 2.0]), (base + ".0", [0, 2, 0.5, 1.0])):
        f = files.NumpyBinaryFile(name, mode="wb")
        f.write([row], {"columns": ["i", "j", "weight", "delay"]})
        f.close()
    # one process is rank 0: it reads <file>.0, as PyNN
    prj = sim.Projection(a, a, sim.FromFileConnector(files.NumpyBinaryFile(base),
                                                     distributed=True))
    assert prj.get("weight", "list") == [(0, 2, 0.5)]


@pytest.mark.parametrize("cls", FORMATS, ids=lambda c: c.__name__)
def test_save_positions(sim, tmp_path, cls):
    p = sim.Population(12, sim.IF_curr_exp(), structure=sim.space.Grid2D(dx=5.0, dy=7.0,
                                                                          aspect_ratio=0.75),
                       label="grid")
    p.save_positions(cls(path(tmp_path, cls), mode="wb"))
    f = cls(path(tmp_path, cls))
    rows = f.read()
    assert f.get_metadata() == {"population": "grid"}
    np.testing.assert_array_equal(rows[:, 0], np.arange(12))
    np.testing.assert_array_equal(rows[:, 1:].T, p.positions)
    # an assembly, and a file name (text)
    (p + sim.Population(2, sim.IF_curr_exp())).save_positions(str(tmp_path / "a.txt"))
    text = files.StandardTextFile(str(tmp_path / "a.txt"))
    assert text.read().shape == (14, 4) and "assembly" in text.get_metadata()
