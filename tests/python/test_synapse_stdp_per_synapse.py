"""STDPMechanism with amplitudes and bounds given per synapse (A_plus,
A_minus, eta, rho, w_min, w_max, mu_plus, mu_minus): every synapse's learned
weight against the independent event-by-event computation
(stdp_reference.py) with that synapse's own parameters, rtol 1e-11 as in
test_synapse_stdp.py; the checks that span parameters (w_min <= w_max per
synapse); time constants stay one value per projection."""

import numpy as np
import pineal as sim
import pytest
from pineal.errors import InvalidParameterValueError
from stdp_reference import final_weight
from test_synapse_stdp import BOUNDS, COMBINATIONS, DT, TIMING, driven_post


def _uniform(low, high, seed):
    return sim.RandomDistribution("uniform", (low, high), rng=sim.NumpyRNG(seed=seed))


def _mechanism(rule, dep, seed, fraction):
    timing = dict(TIMING[rule])
    if rule == "SpikePairRule":
        timing.update(A_plus=_uniform(0.02, 0.08, seed), A_minus="0.03 + 0.0001 * d")
    else:
        timing.update(eta=_uniform(0.001, 0.006, seed), rho=lambda d: 1.0 + 0.01 * d)
    bounds = dict(w_min=BOUNDS["w_min"], w_max=_uniform(0.010, 0.014, seed + 100))
    if dep == "GutigWeightDependence":
        bounds.update(mu_plus=_uniform(0.4, 0.9, seed + 200), mu_minus=0.3)
    return sim.STDPMechanism(timing_dependence=getattr(sim, rule)(**timing),
                             weight_dependence=getattr(sim, dep)(**bounds),
                             weight=_uniform(BOUNDS["w_min"], 0.01, seed + 300), delay=2.0,
                             dendritic_delay_fraction=fraction)


@pytest.fixture(scope="module")
def learned():
    sim.setup(timestep=DT, min_delay=0.1, rng_seed=4)
    rng = np.random.default_rng(5)
    driver_times = np.unique(np.round(np.cumsum(rng.exponential(40.0, 30)), 1))
    post = driven_post(2, driver_times[driver_times < 1000])
    pre = sim.Population(5, sim.SpikeSourcePoisson(rate=25.0, duration=900.0),
                         structure=sim.space.Line(dx=10.0))
    pre.record("spikes")
    runs = []
    for k, (rule, dep) in enumerate(COMBINATIONS):
        for fraction in (1.0, 0.25):
            prj = sim.Projection(pre, post, sim.AllToAllConnector(),
                                 _mechanism(rule, dep, 10 * k + int(4 * fraction), fraction))
            names = [n for n in ("A_plus", "A_minus", "eta", "rho", "w_min", "w_max", "mu_plus",
                                 "mu_minus") if n in prj.synapse_type.get_parameter_names()]
            before = prj.get(["weight", "delay"] + names, format="list")
            runs.append((rule, dep, fraction, names, before, prj))
    sim.run(1000.0)
    data = {"pre": [s.magnitude for s in pre.get_data().segments[0].spiketrains],
            "post": [s.magnitude for s in post.get_data().segments[0].spiketrains],
            "runs": [(r, d, f, n, b, prj.get("weight", format="list"))
                     for r, d, f, n, b, prj in runs]}
    sim.end()
    return data


@pytest.mark.parametrize("rule, dep", COMBINATIONS)
def test_each_synapse_learns_with_its_own_parameters(learned, rule, dep):
    steps = lambda t: np.rint(np.asarray(t) / DT).astype(int).tolist()  # noqa: E731
    moved = 0
    for r, d, fraction, names, before, after in learned["runs"]:
        if (r, d) != (rule, dep):
            continue
        own = [dict(zip(names, row[4:])) for row in before]
        assert len({tuple(o.values()) for o in own}) == len(own)  # really per synapse
        for (i, j, w0, delay, *_), p, (i2, j2, w) in zip(before, own, after):
            assert (i, j) == (i2, j2)
            params = {**TIMING[rule], **p}  # the synapse's own amplitudes and bounds
            expected = final_weight(rule, dep, w0, steps(learned["pre"][i]),
                                    steps(learned["post"][j]), round(delay / DT), fraction, DT,
                                    params)
            assert w == pytest.approx(expected, rel=1e-11, abs=1e-15), (i, j, fraction, p)
            moved += w != w0
    assert moved > 10


def test_bounds_are_checked_per_synapse_and_time_constants_stay_uniform():
    sim.setup(timestep=DT)
    pre = sim.Population(2, sim.SpikeSourceArray(spike_times=[1.0]))
    post = sim.Population(2, sim.IF_cond_exp())

    def stdp(**bounds):
        return sim.STDPMechanism(timing_dependence=sim.SpikePairRule(),
                                 weight_dependence=sim.AdditiveWeightDependence(**bounds),
                                 weight=0.001)
    with pytest.raises(InvalidParameterValueError, match="w_min = 0.5 exceeds w_max = 0.4"):
        sim.Projection(pre, post, sim.AllToAllConnector(),
                       stdp(w_min=0.5, w_max=[[0.6, 0.7], [0.4, 0.8]]))
    prj = sim.Projection(pre, post, sim.AllToAllConnector(),
                         stdp(w_min=0.1, w_max=[[0.6, 0.7], [0.4, 0.8]]))
    np.testing.assert_array_equal(prj.get("w_max", format="array"), [[0.6, 0.7], [0.4, 0.8]])
    with pytest.raises(InvalidParameterValueError, match="exceeds w_max = 0.4"):
        prj.set(w_min=0.5, A_plus=0.3)  # nothing changes
    assert prj.get("A_plus", format="list", with_address=False) == [0.01] * 4
    assert prj.get("w_min", format="list", with_address=False) == [0.1] * 4
    with pytest.raises(InvalidParameterValueError, match="exceeds"):
        prj.set(w_min=[[0.1, 0.1], [0.5, 0.1]])
    prj.set(w_max=2.0)  # one value again
    assert prj.get("w_max", format="list", with_address=False) == [2.0] * 4
    with pytest.raises(NotImplementedError, match="tau_plus"):
        prj.set(tau_plus=[[10.0, 20.0], [30.0, 40.0]])
    with pytest.raises(NotImplementedError, match="tau_minus"):
        sim.SpikePairRule(tau_minus=_uniform(10.0, 20.0, 1))
    sim.end()


def test_uniform_stdp_parameters_cost_nothing_per_synapse():
    def dynamic_bytes(**timing):
        sim.setup(timestep=DT)
        pre = sim.Population(50, sim.SpikeSourceArray(spike_times=[1.0]))
        post = sim.Population(40, sim.IF_cond_exp())
        sim.Projection(pre, post, sim.AllToAllConnector(),
                       sim.STDPMechanism(timing_dependence=sim.SpikePairRule(**timing),
                                         weight_dependence=sim.AdditiveWeightDependence(),
                                         weight=0.5))
        memory = sim.simulator.state.core.synapse_memory()
        sim.end()
        return memory["dynamic_bytes"], memory["synapses"]

    baseline, n = dynamic_bytes()
    uniform, _ = dynamic_bytes(A_plus=[[0.02] * 40] * 50)  # a constant array is one value
    two, _ = dynamic_bytes(A_plus=_uniform(0.01, 0.02, 1), A_minus="0.01 + 0.001 * d")
    assert n == 2000 and uniform == baseline
    assert two - baseline == 2 * 8 * n
