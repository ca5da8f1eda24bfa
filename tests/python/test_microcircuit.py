"""The Potjans & Diesmann (2014) microcircuit example (examples/microcircuit/):
its numbers against the paper, the downscaling against van Albada et al.
(2015), the network pineal builds from them, and a short run of a small
version. The rate check against the published rates at 10 % scale is the
benchmark command (benchmarks/README.md), not a test: it takes minutes."""

import math
import pathlib
import sys

import numpy as np
import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "examples" / "microcircuit"))
import parameters as pd


def test_full_model_sizes():
    assert pd.N_FULL.sum() == 77169  # [PD14] Table 5
    total = pd.Network().n_synapses
    # ~3e8 synapses ("about 0.3 billion" in PD14); NEST's example reports 299 million.
    assert 2.98e8 < total < 3.0e8


def test_synapse_numbers_give_the_connection_probabilities():
    # Independent check of K: K pairs drawn with replacement among N_pre N_post
    # leave a pair unconnected with probability (1 - 1/(N_pre N_post))^K, so the
    # connection probability is 1 minus that. Rounding K changes it by at most
    # about 1 / (N_pre N_post) < 1e-8.
    k = pd.full_synapse_numbers()
    pairs = np.outer(pd.N_FULL, pd.N_FULL).astype(float)
    probability = 1.0 - np.exp(k * np.log1p(-1.0 / pairs))
    assert np.abs(probability - pd.CONN_PROBS).max() < 1e-7


def test_weights_and_delays():
    net = pd.Network()
    assert net.weights[0, 2] == pytest.approx(2 * 87.8)  # L4E -> L2/3E doubled
    assert net.weights[3, 1] == pytest.approx(-4 * 87.8)  # g = -4
    assert net.weight_distribution(1, 0) == pytest.approx((87.8, 8.78, 0.0, math.inf))
    assert net.weight_distribution(0, 7)[2:] == (-math.inf, 0.0)
    assert net.delay_distribution(0, 0) == pytest.approx((1.5, 0.75, 0.1, math.inf))
    assert net.delay_distribution(0, 1) == pytest.approx((0.75, 0.375, 0.1, math.inf))


@pytest.mark.parametrize("background", ["poisson", "dc"])
def test_downscaling_keeps_mean_and_variance_of_the_input(background):
    # [vA15]: with in-degrees k K and weights w / sqrt(k), the input's variance
    # (sum K w^2 nu) is unchanged and the DC current restores its mean
    # (tau_s sum K w nu), the rates being the full model's.
    full, small = pd.Network(1.0, 1.0, background), pd.Network(0.3, 0.1, background)
    tau = pd.CELL["tau_syn_E"] * 1e-3  # s

    def moments(net):
        indegree = net.synapses / net.sizes[:, None]
        mean = tau * (indegree * net.weights * pd.FULL_MEAN_RATES).sum(axis=1) + net.dc
        var = (indegree * net.weights ** 2 * pd.FULL_MEAN_RATES).sum(axis=1)
        if background == "poisson":
            mean = mean + tau * net.ext_rates * net.ext_weight
            var = var + net.ext_rates * net.ext_weight ** 2
        return mean, var

    (m_full, v_full), (m_small, v_small) = moments(full), moments(small)
    # Rounding the synapse numbers of the small network: relative 1e-3 at most.
    assert m_small == pytest.approx(m_full, rel=2e-3)
    assert v_small == pytest.approx(v_full, rel=2e-3)
    assert np.all(full.dc == 0.0) if background == "poisson" else np.all(full.dc > 0)


def test_bad_scale_is_refused():
    with pytest.raises(ValueError, match="k_scale"):
        pd.Network(0.1, 0.0)
    with pytest.raises(ValueError, match="background"):
        pd.Network(0.1, 0.1, "noise")


def test_built_network_and_a_short_run():
    import pineal as sim
    from network import build, spike_counts

    net = pd.Network(0.02, 0.1)
    pops, projections = build(sim, net, seed=7)
    assert len(projections) == np.count_nonzero(net.synapses)
    for (a, b), projection in projections.items():
        assert projection.size() == net.synapses[a, b]  # FixedTotalNumber: exactly
    weights, delays = (np.asarray(x) for x in zip(*projections[0, 2].get(
        ["weight", "delay"], format="list", with_address=False)))
    mu, sd = net.weights[0, 2] * 1e-3, net.weight_sds[0, 2] * 1e-3
    # 40507 synapses: the sample mean within 5 standard errors (clipping at 0 lies
    # 10 sd below the mean and moves it by nothing measurable).
    assert abs(weights.mean() - mu) < 5 * sd / math.sqrt(weights.size)
    assert weights.min() > 0 and delays.min() >= pd.DT - 1e-12
    inhibitory = np.asarray(projections[0, 1].get("weight", format="list", with_address=False))
    assert inhibitory.max() <= 0
    sim.run(100.0)
    early = spike_counts(pops)
    sim.run(300.0)
    rates = pd.population_rates(spike_counts(pops) - early, net.sizes, 0.3)
    sim.end()
    # Deterministic (fixed seed). At 2 % of the cells and 10 % of the in-degrees
    # the rates are not the full model's (the benchmark checks that at 10 %),
    # but every population must be active and none run away: a wrong sign,
    # weight unit or DC current silences or saturates populations (checked:
    # g = +4 drives every population to ~470 Hz, g = -8 silences all of them;
    # g = -4 gives 0.9-11 Hz here).
    assert np.all(rates > 0.1 * pd.FULL_MEAN_RATES)
    assert np.all(rates < 3.0 * pd.FULL_MEAN_RATES + 1.0)


def test_construction_staging_is_released():
    # The microcircuit's 3e8 synapses need the store's staging (12 B per
    # synapse) freed after each projection: it once stayed allocated
    # (`v = {}` keeps a vector's capacity), 6.2 GB resident at full scale
    # instead of ~2.6 GB. The heap memory still allocated after a
    # 4e6-synapse projection must be about the store's own bytes (it was 2.5
    # times as much). Measured with glibc's mallinfo2 (bytes in use), not
    # RSS, which also holds freed memory the allocator keeps.
    import ctypes

    import pineal as sim
    from pineal.simulator import state

    class MallInfo2(ctypes.Structure):
        _fields_ = [(name, ctypes.c_size_t) for name in (
            "arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks",
            "uordblks", "fordblks", "keepcost")]

    try:
        mallinfo2 = ctypes.CDLL("libc.so.6").mallinfo2
    except (OSError, AttributeError):
        pytest.skip("needs glibc >= 2.33 (mallinfo2)")
    mallinfo2.restype = MallInfo2

    def in_use():
        info = mallinfo2()
        return info.uordblks + info.hblkhd

    sim.setup(timestep=0.1, min_delay=0.1)
    cells = sim.Population(20000, sim.IF_curr_exp())
    before = in_use()
    sim.Projection(cells, cells, sim.FixedTotalNumberConnector(4_000_000),
                   sim.StaticSynapse(weight=0.1, delay=1.0))
    added = in_use() - before
    store = state.core.synapse_memory()["bytes"]
    sim.end()
    # 6 B per synapse (16-bit targets: the block has 20000 cells) + rows.
    assert 6 * 4_000_000 <= store < 6.2 * 4_000_000
    assert added < 1.2 * store


def test_run_script(capsys):
    import run_microcircuit

    rates = run_microcircuit.main(["--n-scale", "0.02", "--k-scale", "0.1", "--tstop", "150",
                                   "--background", "dc"])
    out = capsys.readouterr().out
    assert "1544 cells" in out and "background dc" in out
    assert len(rates) == 8 and out.count(" Hz") == 2  # header: rate Hz, published Hz
    for name, rate in zip(pd.POPULATIONS, rates):
        assert f"{name:10s} {rate:8.3f}" in out
