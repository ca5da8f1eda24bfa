"""pineal's dynamic synapse types -> Brian 2 Synapses code.

The equations are pineal's definition (docs/plasticity.md), written as
event-driven statements run when a spike arrives at the synapse:

- TsodyksMarkramSynapse: the three-state recursion with the receptor's
  tau_psc (the target cell's tau_syn_E / tau_syn_I, per synapse), h the time
  since the synapse's previous spike (since t = 0 for the first: the
  synapse's clock starts at its delay, as the arrival is that late); the
  transmitted weight weight * u * x replaces the static weight in the
  receptor's statement.

- STDPMechanism(SpikePairRule, Additive / Multiplicative /
  AdditivePotentiationMultiplicativeDepression), all-to-all pairs, pending
  updates as docs/plasticity.md defines them, for dendritic_delay_fraction
  = 1. Everything runs in "synapse time" shifted by the transmission delay
  D: the update of presynaptic spike a runs at its arrival (t = a + D, in
  the transmission statement, before the weight is sent), the post spike
  b = t_post + d reaches the synapse through the post pathway at b + D. So
  at a's arrival exactly the post spikes with b <= a have been seen, in
  order; post before pre in a step (the post pathway's order is lower); a
  post spike at b = a is taken out of the depression (a pair with a = b
  changes nothing). Post spikes accumulate the pending potentiation (a sum
  of the pre trace for the additive rule, a product of (1 - A_plus P) for the
  multiplicative one, each clipped as the sequential updates are) that the
  next presynaptic spike applies; the weight read after a run is the one
  as of each synapse's last presynaptic arrival.

- SimpleStochasticSynapse: the receptor's statement gets
  weight * int(rand() < p) (Brian's random numbers: statistically pineal's
  law, not its draws).

StochasticTsodyksMarkramSynapse and MultiQuantalSynapse are not mapped yet.
"""

import re

import numpy as np

BACKEND = "pineal's Brian 2 backend"


def _unsupported(what):
    return NotImplementedError(f"{what} is not supported by {BACKEND}")


class BrianSynapse:
    """Synapse variables, the statements run before and after the receptor's
    on_pre (whose `weight` becomes `transmitted`), per-synapse arrays, and the
    state pineal reads back (pineal name -> Brian variable)."""

    def __init__(self, variables, before, after, transmitted, per_synapse, state, initial):
        self.variables = variables
        self.before = before
        self.after = after
        self.transmitted = transmitted
        self.per_synapse = per_synapse
        self.state = state
        self.initial = initial
        self.on_post = None   # the post pathway's statements (STDP)
        self.learns = False   # the weight changes (read back from Brian)

    def on_pre(self, receptor_statement):
        body = re.sub(r"\bweight\b", f"({self.transmitted})", receptor_statement)
        return "\n".join([self.before, body, self.after])


_STDP = ("AdditiveWeightDependence", "MultiplicativeWeightDependence",
         "AdditivePotentiationMultiplicativeDepression")


def _stdp(dynamics, p):
    timing, dependence = dynamics.timing_dependence, dynamics.weight_dependence
    if timing != "SpikePairRule" or dependence not in _STDP:
        raise _unsupported(f"STDPMechanism({timing}, {dependence}) (mapped: SpikePairRule with "
                           f"{', '.join(_STDP)})")
    if p["dendritic_delay_fraction"] != 1.0:
        raise _unsupported(f"STDPMechanism with dendritic_delay_fraction = "
                           f"{p['dendritic_delay_fraction']} (written for 1 only)")
    a_plus, a_minus = repr(p["A_plus"]), repr(p["A_minus"])
    w_min, w_max = repr(p["w_min"]), repr(p["w_max"])
    tau_plus, tau_minus = repr(p["tau_plus"]), repr(p["tau_minus"])
    multiplicative = dependence == "MultiplicativeWeightDependence"
    if multiplicative:
        apply = (f"weight = clip({w_max} - ({w_max} - weight) * pend_q, {w_min}, {w_max})")
    else:
        apply = f"weight = clip(weight + {a_plus} * {w_max} * pend_s, {w_min}, {w_max})"
    f_minus = w_max if dependence == "AdditiveWeightDependence" else f"(weight - {w_min})"
    before = "\n".join([
        "a_st = t / ms - dsyn",
        "pend_s = pend_s" if multiplicative else "pend_q = pend_q",
        apply, "pend_s = 0", "pend_q = 1",
        # the post trace at a, without a post spike at b = a
        f"m_st = (apost - int(abs(tpost - a_st) < half_dt)) * exp(-(a_st - tpost) / {tau_minus})",
        f"weight = clip(weight - {a_minus} * {f_minus} * m_st, {w_min}, {w_max})",
        f"apre = apre * exp(-(a_st - tpre) / {tau_plus}) + 1",
        "tpre = a_st"])
    on_post = "\n".join([
        "b_st = t / ms - dsyn",
        f"p_st = apre * exp(-(b_st - tpre) / {tau_plus})",
        "pend_s = pend_s + p_st",
        f"pend_q = pend_q * clip(1 - {a_plus} * p_st, 0, 1)",
        f"apost = apost * exp(-(b_st - tpost) / {tau_minus}) + 1",
        "tpost = b_st"])
    synapse = BrianSynapse(["apre : 1", "tpre : 1", "apost : 1", "tpost : 1", "pend_s : 1",
                            "pend_q : 1", "dsyn : 1", "half_dt : 1 (shared)"],
                           before, "", "weight", {}, {},
                           {"apre": 0.0, "tpre": 0.0, "apost": 0.0, "tpost": 0.0,
                            "pend_s": 0.0, "pend_q": 1.0})
    synapse.on_post = on_post
    synapse.learns = True
    return synapse


def translate(dynamics, receptor, post_params, post_cells):
    p = dict(dynamics.parameters)
    if dynamics.model == "STDPMechanism":
        return _stdp(dynamics, p)
    if dynamics.model == "SimpleStochasticSynapse":
        return BrianSynapse([], "", "", f"weight * int(rand() < {p['p']!r})", {}, {}, {})
    if dynamics.model != "TsodyksMarkramSynapse":
        name = dynamics.model + (f"({dynamics.timing_dependence}, "
                                 f"{dynamics.weight_dependence})"
                                 if dynamics.model == "STDPMechanism" else "")
        raise _unsupported(f"{name} (mapped: TsodyksMarkramSynapse, SimpleStochasticSynapse, "
                           f"STDPMechanism with SpikePairRule)")
    key = {"excitatory": "tau_syn_E", "inhibitory": "tau_syn_I"}.get(receptor)
    try:
        tau_psc = np.asarray(post_params[key], dtype=float)[post_cells]
    except Exception as err:  # no such parameter (e.g. IF_curr_delta)
        raise _unsupported(f"TsodyksMarkramSynapse onto a receptor without a synaptic time "
                           f"constant ({receptor!r})") from err
    tau_rec, tau_facil, U = p["tau_rec"], p["tau_facil"], p["U"]
    if np.any(np.abs(tau_psc - tau_rec) <= 1e-12 * tau_rec):
        raise _unsupported(f"TsodyksMarkramSynapse with tau_rec = {tau_rec} ms equal to the "
                           f"target's {key} (the limit form is not written for Brian 2)")
    facil = (f"u_tm = u_tm * exp(-h_tm / {tau_facil!r})\nu_tm = u_tm + {U!r} * (1 - u_tm)"
             if tau_facil > 0 else f"u_tm = {U!r}")
    before = "\n".join([
        "h_tm = t / ms - tlast_tm",
        "pyy_tm = exp(-h_tm / tau_psc)",
        f"pzz_tm = exp(-h_tm / {tau_rec!r})",
        f"z_tm = (1 - x_tm - y_tm) * pzz_tm"
        f" + y_tm * (pyy_tm - pzz_tm) / (tau_psc / {tau_rec!r} - 1)",
        "y_tm = y_tm * pyy_tm",
        "x_tm = 1 - y_tm - z_tm",
        facil])
    after = "\n".join(["y_tm = y_tm + u_tm * x_tm", "x_tm = x_tm - u_tm * x_tm",
                       "tlast_tm = t / ms"])
    return BrianSynapse(["u_tm : 1", "x_tm : 1", "y_tm : 1", "tlast_tm : 1", "tau_psc : 1"],
                        before, after, "weight * u_tm * x_tm", {"tau_psc": tau_psc},
                        {"u": "u_tm", "x": "x_tm", "y": "y_tm"},
                        {"u_tm": 0.0, "x_tm": 1.0, "y_tm": 0.0})
