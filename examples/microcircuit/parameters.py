"""Parameters of the Potjans & Diesmann (2014) cortical microcircuit and the
downscaling of van Albada, Helias & Diesmann (2015).

Plain numbers and numpy only, so that the pineal (PyNN API) script and the
hand-written PyNEST script in benchmarks/nest/ build the same network from
the same values.

Sources:
- [PD14] Potjans TC, Diesmann M (2014) The cell-type specific cortical
  microcircuit. Cereb Cortex 24:785-806, Table 5 (populations, connection
  probabilities, external in-degrees, weights, delays, background rate) and
  the model description (neuron parameters, initial membrane potentials,
  the number of synapses K for a connection probability C).
- [vA15] van Albada SJ, Helias M, Diesmann M (2015) Scalability of
  asynchronous networks is limited by one-to-one mapping between effective
  connectivity and correlations. PLoS Comput Biol 11:e1004490 (in-degree
  scaling: weights 1/sqrt(k), the lost mean input restored by a DC current).
- [NEST-PD14] NEST's PyNEST microcircuit example
  (pynest/examples/Potjans_2014/network_params.py, NEST 3.x): the mean rates
  of a full-scale simulation ('full_mean_rates'), used for the DC
  compensation and as the published rates the downscaled model is checked
  against; the Poisson delay of 1.5 ms.
"""

import math

import numpy as np

POPULATIONS = ("L23E", "L23I", "L4E", "L4I", "L5E", "L5I", "L6E", "L6I")

# [PD14] Table 5: population sizes (77,169 neurons in all).
N_FULL = np.array([20683, 5834, 21915, 5479, 4850, 1065, 14395, 2948])

# [PD14] Table 5: connection probabilities, row = target, column = source,
# both in POPULATIONS order.
CONN_PROBS = np.array([
    [0.1009, 0.1689, 0.0437, 0.0818, 0.0323, 0.0, 0.0076, 0.0],
    [0.1346, 0.1371, 0.0316, 0.0515, 0.0755, 0.0, 0.0042, 0.0],
    [0.0077, 0.0059, 0.0497, 0.1350, 0.0067, 0.0003, 0.0453, 0.0],
    [0.0691, 0.0029, 0.0794, 0.1597, 0.0033, 0.0, 0.1057, 0.0],
    [0.1004, 0.0622, 0.0505, 0.0057, 0.0831, 0.3726, 0.0204, 0.0],
    [0.0548, 0.0269, 0.0257, 0.0022, 0.0600, 0.3158, 0.0086, 0.0],
    [0.0156, 0.0066, 0.0211, 0.0166, 0.0572, 0.0197, 0.0396, 0.2252],
    [0.0364, 0.0010, 0.0034, 0.0005, 0.0277, 0.0080, 0.0658, 0.1443],
])

# [PD14] Table 5: external (background) in-degrees and their rate.
K_EXT = np.array([1600, 1500, 2100, 1900, 2000, 1900, 2900, 2100])
BG_RATE = 8.0  # Hz per external synapse

# [PD14] Table 5: synapses. w = 87.8 pA (a 0.15 mV PSP), relative sd 0.1,
# g = -4 for inhibitory sources, L4E -> L2/3E doubled. Delays (ms): excitatory
# 1.5 +- 0.75, inhibitory 0.75 +- 0.375; normal, redrawn outside [dt, inf)
# (weights: redrawn when their sign flips).
W_MEAN = 87.8  # pA
W_REL_SD = 0.1
G = -4.0
DELAY_EXC, DELAY_INH, DELAY_REL_SD = 1.5, 0.75, 0.5  # ms
POISSON_DELAY = 1.5  # ms [NEST-PD14]

# [PD14] neuron model (iaf_psc_exp / IF_curr_exp), PyNN units.
CELL = {"cm": 0.25,          # nF (250 pF)
        "tau_m": 10.0,       # ms
        "v_rest": -65.0,     # mV
        "v_thresh": -50.0,   # mV
        "v_reset": -65.0,    # mV
        "tau_refrac": 2.0,   # ms
        "tau_syn_E": 0.5,    # ms
        "tau_syn_I": 0.5,    # ms
        "i_offset": 0.0}     # nA
V0_MEAN, V0_SD = -58.0, 10.0  # mV: initial membrane potentials [PD14]
DT = 0.1  # ms [PD14]

# [NEST-PD14] full_mean_rates (Hz), from a full-scale simulation with
# Poisson background: the rates the DC compensation assumes and the rates a
# downscaled network is checked against.
FULL_MEAN_RATES = np.array([0.971, 2.868, 4.746, 5.396, 8.142, 9.078, 0.991, 7.523])


def is_excitatory(index):
    return POPULATIONS[index].endswith("E")


def full_synapse_numbers():
    """[PD14]: K = log(1 - C) / log(1 - 1 / (N_pre N_post)), the number of
    synapses that, drawn at random with replacement among the N_pre N_post
    pairs, connect a given pair with probability C. Rounded; (target, source)."""
    pairs = np.outer(N_FULL, N_FULL).astype(float)
    return np.round(np.log1p(-CONN_PROBS) / np.log1p(-1.0 / pairs)).astype(np.int64)


def full_weights():
    """Mean weight (pA) of each (target, source) projection."""
    w = np.where([is_excitatory(b) for b in range(8)], W_MEAN, G * W_MEAN)
    weights = np.tile(w, (8, 1))
    weights[0, 2] = 2.0 * W_MEAN  # L4E -> L2/3E
    return weights


def mean_delays():
    """Mean delay (ms) of each (target, source) projection (by source type)."""
    d = np.where([is_excitatory(b) for b in range(8)], DELAY_EXC, DELAY_INH)
    return np.tile(d, (8, 1))


class Network:
    """The numbers of one (possibly downscaled) microcircuit.

    n_scale scales the populations, k_scale the in-degrees (recurrent and
    external). Downscaled in-degrees get weights w / sqrt(k_scale), which
    keeps the variance of each cell's input, and a DC current restores the
    mean input lost, computed with the full model's rates [vA15]:
    (1 - sqrt(k)) tau_syn sum_b K_ab w_ab nu_b, plus the same for the
    external input when it is Poisson.

    background "poisson": each cell receives its own Poisson train of
    rate k K_ext 8 Hz with weight w / sqrt(k) [PD14]; "dc": the mean of the
    full Poisson input, tau_syn K_ext 8 Hz w, as a constant current (NEST's
    recommendation for benchmarks [NEST-PD14]).
    """

    def __init__(self, n_scale=1.0, k_scale=1.0, background="poisson"):
        if not 0.0 < n_scale <= 1.0:
            raise ValueError(f"n_scale must be in (0, 1], got {n_scale}")
        if not 0.0 < k_scale <= 1.0:
            raise ValueError(f"k_scale must be in (0, 1], got {k_scale}")
        if background not in ("poisson", "dc"):
            raise ValueError(f"background must be 'poisson' or 'dc', got {background!r}")
        self.n_scale, self.k_scale, self.background = n_scale, k_scale, background
        self.sizes = np.maximum(1, np.round(N_FULL * n_scale)).astype(np.int64)
        full = full_synapse_numbers()
        # [NEST-PD14] keeps the full model's in-degree K / N_post times k.
        self.synapses = np.round(full * n_scale * k_scale).astype(np.int64)
        w_scale = 1.0 / math.sqrt(k_scale)
        self.weights = full_weights() * w_scale           # pA
        self.weight_sds = np.abs(self.weights) * W_REL_SD  # pA
        self.delays = mean_delays()
        self.delay_sds = self.delays * DELAY_REL_SD
        self.ext_weight = W_MEAN * w_scale
        self.ext_rates = BG_RATE * K_EXT * k_scale  # Hz, one Poisson train per cell
        tau = CELL["tau_syn_E"]
        indegree_full = full / N_FULL[:, None]
        # pA ms Hz -> pA: 1e-3.
        recurrent = 1e-3 * tau * (indegree_full * full_weights() * FULL_MEAN_RATES).sum(axis=1)
        external = 1e-3 * tau * K_EXT * W_MEAN * BG_RATE
        missing = 1.0 - math.sqrt(k_scale)
        if background == "poisson":
            self.dc = missing * (recurrent + external)
        else:
            self.dc = missing * recurrent + external
        self.dc_nA = self.dc * 1e-3

    @property
    def n_cells(self):
        return int(self.sizes.sum())

    @property
    def n_synapses(self):
        return int(self.synapses.sum())

    def weight_distribution(self, target, source):
        """(mu, sigma, low, high) of a clipped normal in pA: the sign may not flip."""
        mu, sd = self.weights[target, source], self.weight_sds[target, source]
        return (mu, sd, 0.0, math.inf) if mu > 0 else (mu, sd, -math.inf, 0.0)

    def delay_distribution(self, target, source, dt=DT):
        """(mu, sigma, low, high) of a clipped normal in ms: at least one step."""
        return (self.delays[target, source], self.delay_sds[target, source], dt, math.inf)


def population_rates(counts, sizes, seconds):
    """Rates (Hz) from spike counts per population."""
    return np.asarray(counts, dtype=float) / np.asarray(sizes, dtype=float) / seconds
