"""pineal.utility.plotting (pynn-api.md section 16): Figure, Panel and helpers."""

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest
from pineal.utility.plotting import (
    DataTable,
    Figure,
    Histogram,
    Panel,
    comparison_plot,
    connection_plot,
    isi_histogram,
    variable_names,
)


@pytest.fixture
def segment(sim):
    p = sim.Population(4, sim.IF_curr_exp(i_offset=np.linspace(0.8, 1.6, 4)), label="cells")
    p.record(["spikes", "v"])
    sim.run(100.0)
    return p.get_data().segments[0]


def test_figure_of_traces_and_raster(segment, tmp_path):
    v = segment.filter(name="v")[0]
    fig = Figure(
        Panel(v, ylabel="Membrane potential (mV)", xticks=True, yticks=True, legend=True,
              y_offset=1.0),
        Panel(segment.spiketrains, xlabel="Time (ms)", xticks=True, ylabel="auto"),
        title="cells",
    )
    path = tmp_path / "sub" / "fig.png"
    fig.save(str(path))
    assert path.stat().st_size > 1000
    axes = fig.fig.axes
    assert len(axes) == 2
    assert len(axes[0].lines) == 4  # one line per channel
    # the raster: one row per cell, at its source_index, one marker per spike
    rows = [line.get_ydata()[0] for line in axes[1].lines if len(line.get_ydata())]
    assert sorted(rows) == [0, 1, 2, 3]
    assert sum(len(line.get_xdata()) for line in axes[1].lines) == \
        sum(len(st) for st in segment.spiketrains)
    assert axes[1].get_ylabel() == "Neuron index"
    fig.close()


def test_comparison_plot_and_helpers(segment):
    assert variable_names(segment) == ["spikes", "v"]
    fig = comparison_plot([segment, segment], ["a", "b"], title="compare")
    assert len(fig.fig.axes) == 2
    fig.close()
    hist = isi_histogram(segment)
    assert hist.data.size == sum(max(len(st) - 1, 0) for st in segment.spiketrains)
    table = DataTable([0.0, 1.0, 2.0, 3.0], [1.0, 3.0, 5.0, 7.0])
    params, _ = table.fit_curve(lambda x, a, b: a * x + b, [1.0, 0.0])
    np.testing.assert_allclose(params, [2.0, 1.0], atol=1e-9)
    fig = Figure(Panel(table, show_fit=True), Panel(Histogram([1, 2, 2, 3]), bins=3),
                 Panel(np.eye(3)))
    assert len(fig.fig.axes) == 3
    fig.close()
    with pytest.raises(TypeError, match="cannot plot str"):
        Figure(Panel("no data"))


def test_connection_plot(sim):
    a = sim.Population(2, sim.SpikeSourcePoisson())
    b = sim.Population(3, sim.IF_curr_exp())
    prj = sim.Projection(a, b, sim.FromListConnector([(0, 0, 0.5, 1.0), (1, 2, 0.0, 1.0)]))
    assert connection_plot(prj) == "O  \n  ."
