"""get_data() output works with Elephant and round-trips through neo's IO classes."""

import math

import neo
import numpy as np
import pytest
import quantities as pq

elephant_statistics = pytest.importorskip("elephant.statistics")

# elephant passes copy= to quantities, which warns about it on every call
pytestmark = pytest.mark.filterwarnings("ignore:The 'copy' argument in Quantity")


def test_regular_firing_rate_and_cv_with_elephant(sim):
    # IF_curr_exp with a constant current from v_reset = v_rest: the membrane
    # reaches threshold after T = tau_m ln(RI / (RI - (v_thresh - v_rest))),
    # R = tau_m / cm; then it is refractory for tau_refrac.
    tau_m, cm, i, tau_refrac = 20.0, 1.0, 1.0, 2.0
    cells = sim.Population(1, sim.IF_curr_exp(tau_m=tau_m, cm=cm, i_offset=i,
                                              tau_refrac=tau_refrac, v_rest=-65.0,
                                              v_reset=-65.0, v_thresh=-50.0))
    cells.record("spikes")
    sim.run(1000.0)
    (st,) = cells.get_data().segments[0].spiketrains
    ri = tau_m / cm * i
    period = tau_m * math.log(ri / (ri - 15.0)) + tau_refrac
    isi = elephant_statistics.isi(st)
    # each spike is stamped at the end of its step (docs/timing.md) and the
    # refractory period is a whole number of steps: every ISI lies within one
    # dt of the exact period, so their mean does too, and their spread is below dt
    dt = sim.get_time_step()
    assert abs(isi.rescale(pq.ms).magnitude.mean() - period) <= dt
    assert elephant_statistics.cv(isi) < dt / period
    rate = elephant_statistics.mean_firing_rate(st).rescale(pq.Hz).magnitude
    # n spikes in [0, 1000 ms): n = floor((1000 - t_first) / T) + 1, so the
    # rate n / 1 s lies within 1 Hz (one spike) of 1000 / T
    assert abs(rate - 1000.0 / period) <= 1.0 + 1e-9


def test_poisson_rate_and_cv_with_elephant(sim):
    sim.setup(rng_seed=12345)
    rate, n, duration = 20.0, 100, 20000.0
    sources = sim.Population(n, sim.SpikeSourcePoisson(rate=rate))
    sources.record("spikes")
    sim.run(duration)
    trains = sources.get_data().segments[0].spiketrains
    rates = [elephant_statistics.mean_firing_rate(st).rescale(pq.Hz).magnitude
             for st in trains]
    # total count ~ Poisson(n rate T = 40000): sd of the mean rate 0.1 Hz; 5 sd
    assert abs(np.mean(rates) - rate) < 5 * math.sqrt(rate * n * duration / 1000) / \
        (n * duration / 1000)
    cvs = [elephant_statistics.cv(elephant_statistics.isi(st)) for st in trains]
    # exponential ISIs: CV 1; the sample CV of ~400 ISIs has sd 0.05 and a bias
    # of -0.004 (numpy experiment, 4000 trains), so the mean of 100 has sd 0.005:
    # 5 sd + bias
    assert abs(np.mean(cvs) - 1.0) < 5 * 0.005 + 0.004


@pytest.mark.parametrize("ext", [".pkl", ".nix"])
def test_write_data_round_trip(sim, tmp_path, ext):
    if ext == ".nix":
        pytest.importorskip("nixio")
    p = sim.Population(3, sim.IF_curr_exp(i_offset=1.0), label="cells")
    p.record(["spikes", "v"])
    sim.run(50.0)
    sim.reset()
    sim.run(20.0)
    path = str(tmp_path / f"data{ext}")
    p.write_data(path)
    expected = p.get_data()
    # get_io() opens a NIX file for writing ("ow" truncates it): read with neo directly
    io = neo.io.NixIO(filename=path, mode="ro") if ext == ".nix" else sim.get_io(path)
    got = io.read_block()
    if hasattr(io, "close"):
        io.close()
    assert len(got.segments) == 2
    for a, b in zip(expected.segments, got.segments):
        assert len(a.spiketrains) == len(b.spiketrains) == 3
        for s1, s2 in zip(a.spiketrains, b.spiketrains):
            np.testing.assert_array_equal(s1.magnitude, s2.rescale(pq.ms).magnitude)
        np.testing.assert_array_equal(a.analogsignals[0].magnitude,
                                      b.analogsignals[0].magnitude)
