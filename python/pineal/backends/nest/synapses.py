"""pineal's dynamic synapse types -> NEST synapse models.

Each mapping is made only where NEST's model equations equal pineal's
definition (docs/plasticity.md); every other combination raises
NotImplementedError naming the synapse type, the parameters and the backend.
NEST's equations (NEST 3.10 model documentation):

- tsodyks_synapse (Tsodyks, Uziel & Markram 2000, three states x, y, z with
  the receptor's tau_psc, u <- u e^{-h/tau_fac} + U (1 - u e^{-h/tau_fac}),
  u = U without facilitation; transmits weight * u * x): pineal's
  TsodyksMarkramSynapse exactly, with tau_psc = the target cell's
  tau_syn_E / tau_syn_I. NEST divides by tau_psc - tau_rec and needs
  tau_psc > 0: tau_psc = tau_rec and receptors without a time constant
  (IF_curr_delta: pineal's two-state limit) raise.
- stdp_synapse (all-to-all pairs; potentiation w/Wmax += lambda
  (1 - w/Wmax)^mu_plus K+, depression w/Wmax -= alpha lambda (w/Wmax)^mu_minus
  K-, clipped to [0, Wmax]; the pre spike is seen at once, the post spike
  after the whole (dendritic) delay): with lambda = A_plus,
  alpha = A_minus / A_plus, Wmax = w_max the updates are
  A_plus Wmax^(1-mu) (Wmax - w)^mu and A_minus Wmax^(1-mu) w^mu, which are
  pineal's Additive (mu 0/0), Multiplicative (1/1) and
  AdditivePotentiationMultiplicativeDepression (0/1) when w_min = 0 and
  dendritic_delay_fraction = 1. tau_minus is a parameter of NEST's post
  neuron (one value per population).
- quantal_stp_synapse (Fuhrmann et al. 2002, NEST 3.10's send(): from the
  second spike on u <- U + u (1 - U) e^{-h/tau_fac}, then each depleted site
  recovers with probability 1 - e^{-h/tau_rec}, then each available site
  releases with probability u; weight * released is sent; the first spike
  releases with the initial u, NEST's default U): pineal's
  MultiQuantalSynapse (weight * released / n, u starting at 0 so that the
  first spike's u is U) with weight -> weight / n and u = U, and
  StochasticTsodyksMarkramSynapse as n = 1.
- bernoulli_synapse: each spike transmitted with probability p_transmit,
  pineal's SimpleStochasticSynapse (NEST's random numbers: statistically
  equal, not the same draws).
"""

import numpy as np

BACKEND = "pineal's NEST backend"
_STDP_MU = {"AdditiveWeightDependence": (0.0, 0.0),
            "MultiplicativeWeightDependence": (1.0, 1.0),
            "AdditivePotentiationMultiplicativeDepression": (0.0, 1.0)}


def _unsupported(what):
    return NotImplementedError(f"{what} is not supported by {BACKEND}")


class NestSynapse:
    """What one projection's dynamics becomes in NEST: the model to copy, its
    common defaults, per-synapse extra arrays, post-neuron settings, and the
    state variables pineal reads back (pineal name -> NEST name)."""

    def __init__(self, model, defaults, per_synapse=None, post=None, state=None,
                 weight_learned=False):
        self.model = model
        self.defaults = defaults
        self.per_synapse = per_synapse or {}
        self.post = post or {}
        self.state = state or {}
        self.weight_learned = weight_learned
        self.weight_factor = 1.0  # pineal weight -> NEST weight, besides the units


def translate(dynamics, receptor, post_model, post_params, post_cells, weight_scale,
              negative_weights):
    """NestSynapse for one projection. post_params: the post population's PyNN
    parameters (name -> array per cell); post_cells: each synapse's target."""
    p = dict(dynamics.parameters)
    name = dynamics.model
    if name == "TsodyksMarkramSynapse":
        key = {"excitatory": "tau_syn_E", "inhibitory": "tau_syn_I"}.get(receptor)
        try:
            tau_psc = np.asarray(post_params[key], dtype=float)[post_cells]
        except Exception as err:  # no such parameter (e.g. IF_curr_delta)
            raise _unsupported(f"TsodyksMarkramSynapse onto a receptor without a synaptic time "
                               f"constant ({receptor!r}; NEST's tsodyks_synapse needs "
                               f"tau_psc > 0)") from err
        if np.any(np.abs(tau_psc - p["tau_rec"]) <= 1e-12 * p["tau_rec"]):
            raise _unsupported(f"TsodyksMarkramSynapse with tau_rec = {p['tau_rec']} ms equal to "
                               f"the target's {key} (NEST's tsodyks_synapse divides by "
                               f"tau_psc - tau_rec)")
        return NestSynapse("tsodyks_synapse",
                           {"U": p["U"], "tau_rec": p["tau_rec"], "tau_fac": p["tau_facil"],
                            "u": 0.0, "x": 1.0, "y": 0.0},
                           per_synapse={"tau_psc": tau_psc},
                           state={"u": ("u", 1.0), "x": ("x", 1.0), "y": ("y", 1.0)})
    if name == "SimpleStochasticSynapse":
        return NestSynapse("bernoulli_synapse", {"p_transmit": p["p"]})
    if name in ("MultiQuantalSynapse", "StochasticTsodyksMarkramSynapse"):
        n = int(p.get("n", 1))
        synapse = NestSynapse("quantal_stp_synapse",
                              {"U": p["U"], "u": p["U"], "n": n, "a": n, "tau_rec": p["tau_rec"],
                               "tau_fac": p["tau_facil"]},
                              state={"available": ("a", 1.0)})
        synapse.weight_factor = 1.0 / n
        return synapse
    if name == "STDPMechanism":
        timing, dependence = dynamics.timing_dependence, dynamics.weight_dependence
        if timing != "SpikePairRule" or dependence not in _STDP_MU:
            raise _unsupported(f"STDPMechanism({timing}, {dependence}) (mapped: SpikePairRule "
                               f"with {', '.join(_STDP_MU)})")
        if p["dendritic_delay_fraction"] != 1.0:
            raise _unsupported(f"STDPMechanism with dendritic_delay_fraction = "
                               f"{p['dendritic_delay_fraction']} (NEST's delays are dendritic: "
                               f"1 only)")
        if p["w_min"] != 0.0:
            raise _unsupported(f"STDPMechanism with w_min = {p['w_min']} (NEST's stdp_synapse "
                               f"bounds weights at 0)")
        if negative_weights:
            raise _unsupported("STDPMechanism on an inhibitory projection (NEST's stdp_synapse "
                               "takes positive weights)")
        if post_model.kind != "neuron":
            raise _unsupported("STDPMechanism onto a spike source")
        if p["A_plus"] == 0.0:
            raise _unsupported("STDPMechanism with A_plus = 0 (NEST's alpha = A_minus/A_plus)")
        mu_plus, mu_minus = _STDP_MU[dependence]
        return NestSynapse("stdp_synapse",
                           {"tau_plus": p["tau_plus"], "lambda": p["A_plus"],
                            "alpha": p["A_minus"] / p["A_plus"], "mu_plus": mu_plus,
                            "mu_minus": mu_minus, "Wmax": p["w_max"] * weight_scale},
                           post={"tau_minus": p["tau_minus"]}, weight_learned=True)
    raise _unsupported(f"{name} (mapped: TsodyksMarkramSynapse, SimpleStochasticSynapse, "
                       f"StochasticTsodyksMarkramSynapse, MultiQuantalSynapse, STDPMechanism "
                       f"with SpikePairRule)")
