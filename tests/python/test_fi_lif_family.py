"""f-I relation of the LIF family without synaptic input, exactly on the grid.

With only i_offset, every IF_curr_* / IF_cond_* model is the same LIF. From
v_reset = v_rest the free membrane crosses threshold after
T = tau_m ln(R I / (R I - (v_thresh - v_reset))); the spike is stamped at the
end of that step, and V is then clamped for round(tau_refrac/dt) steps, so the
spike steps are n_k = ceil(T/dt) + k (ceil(T/dt) + R). Table for a modeller:
docs/models/fi_curves.md (scripts/fi_curves.py).
"""

import math
import pathlib
import re

import numpy as np
import pineal as sim
import pytest

DT = 0.1
CURRENTS = [0.8, 1.1, 1.7, 2.6, 3.5]  # nA, cm 1 nF, tau_m 20 ms: rheobase 0.75 nA


def predicted_steps(i, t_stop):
    r, tau_m, gap, refr = 20.0, 20.0, 15.0, 20
    free = math.ceil(tau_m * math.log(r * i / (r * i - gap)) / DT)
    first = free
    steps = []
    n = first
    while n <= round(t_stop / DT):
        steps.append(n)
        n += free + refr
    return steps


@pytest.mark.parametrize("model", ["IF_curr_exp", "IF_curr_alpha", "IF_curr_delta",
                                   "IF_cond_exp", "IF_cond_alpha"])
def test_spike_steps_follow_the_lif_law(model):
    sim.setup(timestep=DT)
    p = sim.Population(len(CURRENTS), getattr(sim, model)(tau_refrac=2.0))
    p.set(i_offset=CURRENTS)
    p.record("spikes")
    sim.run(300.0)
    trains = p.get_data().segments[0].spiketrains
    sim.end()
    for i, st in zip(CURRENTS, trains):
        steps = np.round(st.magnitude / DT).astype(int)
        np.testing.assert_array_equal(steps, predicted_steps(i, 300.0), err_msg=f"I = {i}")


def test_below_rheobase_no_spikes():
    sim.setup(timestep=DT)
    p = sim.Population(1, sim.IF_curr_alpha(i_offset=0.74))
    p.record("spikes")
    sim.run(500.0)
    assert len(p.get_data().segments[0].spiketrains[0]) == 0
    sim.end()


def test_fi_table_covers_every_spiking_standard_model():
    """Every spiking model of list_standard_models() is a column of a table in
    docs/models/fi_curves.md or linked from it to the f-I table of its own page
    (scripts/fi_curves.py refuses to write it otherwise; rerun it when adding a model)."""
    text = (pathlib.Path(__file__).resolve().parents[2] / "docs" / "models"
            / "fi_curves.md").read_text()
    columns = {c.strip().split(" ")[0].split("(")[0]
               for line in text.splitlines() if line.startswith("| I (nA) |")
               for c in line.strip("|").split("|")}
    linked = set(re.findall(r"\[(\w+)\]\(\1\.md\)", text))
    missing = [m for m in sim.list_standard_models()
               if not m.startswith("SpikeSource") and m not in columns | linked]
    assert not missing, f"no f-I table for {missing}; run python scripts/fi_curves.py"
