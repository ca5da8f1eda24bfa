"""Figures of recorded data with matplotlib, as PyNN scripts draw them
(``pyNN.utility.plotting``): a Figure is a vertical stack of Panels; a Panel
draws AnalogSignals (one line per channel), lists of SpikeTrains (rasters),
2-D arrays (images), DataTables (scatter, optional fit) and Histograms.
"""

import os
from collections import defaultdict

import matplotlib.pyplot as plt
import neo
import numpy as np

DEFAULT_FIG_SETTINGS = {
    "lines.linewidth": 0.5,
    "axes.linewidth": 0.5,
    "axes.labelsize": "small",
    "legend.fontsize": "small",
    "font.size": 8,
    "savefig.dpi": 150,
}


def handle_options(ax, options):
    """Applies PyNN's panel options: xticks/yticks (labels hidden unless True),
    xlabel/ylabel, xlim/ylim; the rest go to matplotlib."""
    if "xticks" not in options or options.pop("xticks") is False:
        plt.setp(ax.get_xticklabels(), visible=False)
    if "xlabel" in options:
        ax.set_xlabel(options.pop("xlabel"))
    if "yticks" not in options or options.pop("yticks") is False:
        plt.setp(ax.get_yticklabels(), visible=False)
    if "ylabel" in options:
        ax.set_ylabel(options.pop("ylabel"))
    if "ylim" in options:
        ax.set_ylim(options.pop("ylim"))
    if "xlim" in options:
        ax.set_xlim(options.pop("xlim"))


def plot_signal(ax, signal, index=None, label="", **options):
    """One channel (`index`) or every channel of an AnalogSignal."""
    options = dict(options)
    handle_options(ax, options)
    times = signal.times.rescale("ms").magnitude
    values = signal.magnitude if index is None else signal.magnitude[:, [index]]
    ax.plot(times, values, label=label, **options)
    if times.size > 1:
        ax.set_xlim(times[0], times[-1])


def plot_signals(ax, signal, label="", **options):
    """Every channel of a signal, labelled by channel_index."""
    options = dict(options)
    y_offset = options.pop("y_offset", None)
    legend = options.pop("legend", False)
    handle_options(ax, options)
    times = signal.times.rescale("ms").magnitude
    indices = signal.array_annotations.get("channel_index", np.arange(signal.shape[1]))
    for k in range(signal.shape[1]):
        offset = k * y_offset if y_offset else 0.0
        ax.plot(times, signal.magnitude[:, k] + offset,
                label=f"{label} #{indices[k]}".strip(), **options)
    if times.size > 1:
        ax.set_xlim(times[0], times[-1])
    if legend:
        ax.legend()


def plot_spiketrains(ax, spiketrains, label="", **options):
    """A raster: each train on the row of its source_index."""
    options = dict(options)
    options.setdefault("marker", "|")
    options.setdefault("linestyle", "")
    options.setdefault("markersize", 4)
    options.setdefault("color", "C0")  # one colour for the whole raster
    handle_options(ax, options)
    max_index = 0
    min_index = np.inf
    for k, st in enumerate(spiketrains):
        row = st.annotations.get("source_index", k)
        ax.plot(st.rescale("ms").magnitude, np.full(len(st), row), label=label if k == 0 else
                None, **options)
        max_index, min_index = max(max_index, row), min(min_index, row)
    if spiketrains:
        ax.set_ylim(min_index - 0.5, max_index + 0.5)
        ax.set_xlim(float(spiketrains[0].t_start.rescale("ms")),
                    float(spiketrains[0].t_stop.rescale("ms")))


def plot_array_as_image(ax, arr, label="", **options):
    options = dict(options)
    handle_options(ax, options)
    ax.imshow(arr, interpolation="none", aspect="auto", **options)


class DataTable:
    """x, y data for a scatter plot, optionally with a fitted curve."""

    def __init__(self, x, y):
        self.x = np.asarray(x, dtype=float)
        self.y = np.asarray(y, dtype=float)
        self.y_fit = None

    def fit_curve(self, f, p0, **fitting_parameters):
        from scipy.optimize import curve_fit

        self._f = f
        self._p0 = p0
        self.parameters, self.covariance = curve_fit(f, self.x, self.y, p0=p0,
                                                     **fitting_parameters)
        self.y_fit = f(self.x, *self.parameters)
        return self.parameters, self.covariance


def scatterplot(ax, data_table, label="", **options):
    options = dict(options)
    show_fit = options.pop("show_fit", False)
    handle_options(ax, options)
    ax.plot(data_table.x, data_table.y, "o", label=label, **options)
    if show_fit and data_table.y_fit is not None:
        ax.plot(data_table.x, data_table.y_fit, "-")


class Histogram:
    """Data to draw as a histogram (a Panel item)."""

    def __init__(self, data):
        self.data = np.asarray(data)

    def evaluate(self, bins=10, **kwargs):
        return np.histogram(self.data, bins=bins, **kwargs)


def plot_hist(ax, histogram, label="", **options):
    options = dict(options)
    bins = options.pop("bins", 10)
    handle_options(ax, options)
    counts, edges = histogram.evaluate(bins)
    ax.bar(edges[:-1], counts, width=np.diff(edges), align="edge", label=label, **options)


def variable_names(segment):
    """The names of the signals of a segment (and "spikes" if it has spike trains)."""
    names = sorted({s.name for s in segment.analogsignals})
    return (["spikes"] if segment.spiketrains else []) + names


def isi_histogram(segment):
    """A Histogram of every inter-spike interval of a segment."""
    intervals = [np.diff(st.rescale("ms").magnitude) for st in segment.spiketrains]
    return Histogram(np.concatenate(intervals) if intervals else np.zeros(0))


class Panel:
    """One set of axes: its data are AnalogSignals, lists of SpikeTrains,
    SpikeTrainLists, 2-D arrays, DataTables or Histograms."""

    def __init__(self, *data, **options):
        self.data = list(data)
        self.options = options
        self.data_labels = options.pop("data_labels", [])
        self.line_properties = options.pop("line_properties", [])

    def plot(self, axes):
        """Draws the panel into `axes`."""
        for k, datum in enumerate(self.data):
            properties = dict(self.options)
            if k < len(self.line_properties):
                properties.update(self.line_properties[k])
            label = self.data_labels[k] if k < len(self.data_labels) else ""
            ylabel = properties.get("ylabel")
            if isinstance(datum, (neo.AnalogSignal, neo.IrregularlySampledSignal)):
                if ylabel == "auto":
                    properties["ylabel"] = f"{datum.name} ({datum.dimensionality.string})"
                if "y_offset" in properties or "legend" in properties:
                    plot_signals(axes, datum, label=label, **properties)
                else:
                    plot_signal(axes, datum, label=label, **properties)
            elif isinstance(datum, (list, tuple)) and all(
                    isinstance(x, neo.SpikeTrain) for x in datum) or \
                    type(datum).__name__ == "SpikeTrainList":
                properties.pop("legend", None)
                if ylabel == "auto":
                    properties["ylabel"] = "Neuron index"
                plot_spiketrains(axes, list(datum), label=label, **properties)
            elif isinstance(datum, np.ndarray) and datum.ndim == 2:
                plot_array_as_image(axes, datum, label=label, **properties)
            elif isinstance(datum, DataTable):
                scatterplot(axes, datum, label=label, **properties)
            elif isinstance(datum, Histogram):
                plot_hist(axes, datum, label=label, **properties)
            else:
                raise TypeError(f"Panel: cannot plot {type(datum).__name__}: expected an "
                                "AnalogSignal, a list of SpikeTrains, a 2-D array, a "
                                "DataTable or a Histogram")
        if self.options.get("legend") and self.data_labels:
            axes.legend()


class Figure:
    """Panels stacked vertically; save() writes it (directories created), show()
    opens it."""

    def __init__(self, *panels, **options):
        n = len(panels)
        settings = dict(DEFAULT_FIG_SETTINGS, **(options.get("settings") or {}))
        size = options.get("size", (6, 2 * n + 1.2))
        with plt.rc_context(settings):
            self.fig = plt.figure(figsize=size)
            gs = self.fig.add_gridspec(n, 1)
            for k, panel in enumerate(panels):
                panel.plot(self.fig.add_subplot(gs[k, 0]))
            if options.get("title"):
                self.fig.suptitle(options["title"])
            if options.get("annotations"):
                self.fig.text(0.01, 0.01, options["annotations"], fontsize=6)
        if n:
            self.fig.tight_layout()

    def save(self, filename):
        directory = os.path.dirname(filename)
        if directory:
            os.makedirs(directory, exist_ok=True)
        self.fig.savefig(filename)

    def show(self):
        plt.show()

    def close(self):
        plt.close(self.fig)


def comparison_plot(segments, labels, title="", annotations=None, fig_settings=None,
                    with_spikes=True):
    """A Figure comparing several segments: one panel per variable, one line
    colour per segment."""
    by_variable = defaultdict(list)
    for seg, label in zip(segments, labels):
        for name in variable_names(seg):
            if name == "spikes":
                if with_spikes:
                    by_variable[name].append((seg.spiketrains, label))
            else:
                for signal in seg.analogsignals:
                    if signal.name == name:
                        by_variable[name].append((signal, label))
    panels = []
    colours = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    names = list(by_variable)
    for k, name in enumerate(names):
        data, data_labels = zip(*by_variable[name])
        panels.append(Panel(*data, data_labels=list(data_labels), ylabel=name, yticks=True,
                            xticks=k == len(names) - 1, legend=(k == 0),
                            line_properties=[{"color": colours[j % len(colours)]}
                                             for j in range(len(data))]))
    return Figure(*panels, title=title, annotations=annotations, settings=fig_settings)


def connection_plot(projection, positive="O", zero=".", empty=" ", spacer=""):
    """A text picture of a projection's weights: one row per presynaptic cell."""
    weights = projection.get("weight", format="array", gather=True)
    rows = []
    for row in weights:
        chars = [empty if np.isnan(w) else positive if w > 0 else zero for w in row]
        rows.append(spacer.join(chars))
    return "\n".join(rows)
