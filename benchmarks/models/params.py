"""Parameters of the benchmark networks, shared by the pineal and NEST scripts.

Vogels-Abbott (Brette et al. 2007, benchmarks 1 and 2; the values are those
of examples/va_benchmark.py): 4000 cells, 80 % excitatory, p = 0.02,
tau_m 20 ms, cm 0.2 nF, threshold -50 mV, reset -60 mV, refractory 5 ms,
tau_syn 5 ms (exc) / 10 ms (inh), dt = delay = 0.1 ms.

Brunel (2000), model A with exponential instead of delta currents (pineal
has no delta synapse yet; NEST's brunel_exp_psc example makes the same
choice): NE = 10000, NI = 2500, fixed in-degree CE = 1000 / CI = 250,
J = 0.1 mV peak PSP, g = 5, eta = 2, delay 1.5 ms, tau_m 20 ms, theta 20 mV,
V_reset 10 mV, refractory 2 ms, tau_syn 0.5 ms, C 250 pF, and an independent
Poisson drive of eta * nu_thr * CE per neuron.
"""

import math

VA_CELL = {"tau_m": 20.0, "cm": 0.2, "v_thresh": -50.0, "v_reset": -60.0, "tau_refrac": 5.0,
           "tau_syn_E": 5.0, "tau_syn_I": 10.0}
VA_N, VA_P, VA_DT = 4000, 0.02, 0.1
VA_COBA = dict(VA_CELL, v_rest=-60.0, e_rev_E=0.0, e_rev_I=-80.0)
VA_COBA_W = (4.0e-3, 51.0e-3)  # uS
VA_CUBA = dict(VA_CELL, v_rest=-49.0)
VA_CUBA_W = (0.27e-3 * 60.0, 4.5e-3 * -20.0)  # nA: conductances times the driving force at -60 mV
VA_KICK = {"n": 20, "rate": 100.0, "duration": 50.0, "p": 0.01, "weight": 0.1}  # COBA only

BRUNEL = {"NE": 10000, "NI": 2500, "CE": 1000, "CI": 250, "J": 0.1, "g": 5.0, "eta": 2.0,
          "delay": 1.5, "dt": 0.1}
BRUNEL_CELL = {"tau_m": 20.0, "cm": 0.25, "v_rest": 0.0, "v_thresh": 20.0, "v_reset": 10.0,
               "tau_refrac": 2.0, "tau_syn_E": 0.5, "tau_syn_I": 0.5}


def psp_peak_per_nA(tau_m, tau_s, cm):
    """Peak PSP (mV) of a 1 nA exponential current into a leaky membrane."""
    t_max = math.log(tau_m / tau_s) / (1.0 / tau_s - 1.0 / tau_m)
    return (tau_s * tau_m / (tau_m - tau_s) / cm) * (math.exp(-t_max / tau_m)
                                                     - math.exp(-t_max / tau_s))


def brunel_weights():
    """(J_ex, J_in) in nA and the Poisson rate (Hz) per neuron."""
    c = BRUNEL_CELL
    j_ex = BRUNEL["J"] / psp_peak_per_nA(c["tau_m"], c["tau_syn_E"], c["cm"])
    j_in = -BRUNEL["g"] * j_ex
    nu_thr = c["v_thresh"] / (BRUNEL["J"] * BRUNEL["CE"] * c["tau_m"])  # per ms
    rate = 1000.0 * BRUNEL["eta"] * nu_thr * BRUNEL["CE"]
    return j_ex, j_in, rate
