"""pineal's dynamic synapse types -> Brian 2 Synapses code.

The equations are pineal's definition (docs/plasticity.md), written as
event-driven statements run when a spike arrives at the synapse:

- TsodyksMarkramSynapse: the three-state recursion with the receptor's
  tau_psc (the target cell's tau_syn_E / tau_syn_I, per synapse), h the time
  since the synapse's previous spike (since t = 0 for the first: the
  synapse's clock starts at its delay, as the arrival is that late); the
  transmitted weight weight * u * x replaces the static weight in the
  receptor's statement.

STDPMechanism and the stochastic synapses are not mapped yet.
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

    def on_pre(self, receptor_statement):
        body = re.sub(r"\bweight\b", f"({self.transmitted})", receptor_statement)
        return "\n".join([self.before, body, self.after])


def translate(dynamics, receptor, post_params, post_cells):
    p = dict(dynamics.parameters)
    if dynamics.model != "TsodyksMarkramSynapse":
        name = dynamics.model + (f"({dynamics.timing_dependence}, "
                                 f"{dynamics.weight_dependence})"
                                 if dynamics.model == "STDPMechanism" else "")
        raise _unsupported(f"{name} (mapped: TsodyksMarkramSynapse)")
    key = {"excitatory": "tau_syn_E", "inhibitory": "tau_syn_I"}.get(receptor)
    try:
        tau_psc = np.asarray(post_params[key], dtype=float)[post_cells]
    except Exception as err:  # noqa: BLE001  no such parameter (e.g. IF_curr_delta)
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
        f"z_tm = (1 - x_tm - y_tm) * pzz_tm + y_tm * (pyy_tm - pzz_tm) / (tau_psc / {tau_rec!r} - 1)",
        "y_tm = y_tm * pyy_tm",
        "x_tm = 1 - y_tm - z_tm",
        facil])
    after = "\n".join(["y_tm = y_tm + u_tm * x_tm", "x_tm = x_tm - u_tm * x_tm",
                       "tlast_tm = t / ms"])
    return BrianSynapse(["u_tm : 1", "x_tm : 1", "y_tm : 1", "tlast_tm : 1", "tau_psc : 1"],
                        before, after, "weight * u_tm * x_tm", {"tau_psc": tau_psc},
                        {"u": "u_tm", "x": "x_tm", "y": "y_tm"},
                        {"u_tm": 0.0, "x_tm": 1.0, "y_tm": 0.0})
