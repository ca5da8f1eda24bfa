"""An independent event-by-event computation of pair-based STDP for the
tests: every update sums over all earlier spikes directly (no traces), in
synapse time, a post spike before a pre spike at the same time, and stops at
the last presynaptic spike (later post spikes are pending, as in NEST)."""

import math

WINDOW_RULES = ("SpikePairRule", "Vogels2011Rule")


def f_plus(dep, w, p):
    if dep == "MultiplicativeWeightDependence":
        return p["w_max"] - w
    if dep == "GutigWeightDependence":
        return max(0.0, p["w_max"] - w) ** p["mu_plus"]
    return p["w_max"]  # additive, and APMD's potentiation


def f_minus(dep, w, p):
    if dep in ("MultiplicativeWeightDependence", "AdditivePotentiationMultiplicativeDepression"):
        return w - p["w_min"]
    if dep == "GutigWeightDependence":
        return max(0.0, w - p["w_min"]) ** p["mu_minus"]
    return p["w_max"]


def clip(w, p):
    return min(p["w_max"], max(p["w_min"], w))


def potentiate(rule, dep, w, lags, p):
    """A post spike; lags: b - a > 0 (ms) to every earlier pre spike."""
    if rule == "Vogels2011Rule":
        return clip(w + p["eta"] * sum(math.exp(-x / p["tau"]) for x in lags), p)
    s = sum(math.exp(-x / p["tau_plus"]) for x in lags)
    return clip(w + p["A_plus"] * f_plus(dep, w, p) * s, p)


def depress(rule, dep, w, lags, p):
    """A pre spike; lags: a - b > 0 (ms) to every earlier post spike."""
    if rule == "Vogels2011Rule":
        alpha = 2.0 * p["rho"] * p["tau"] / 1000.0
        return clip(w + p["eta"] * (sum(math.exp(-x / p["tau"]) for x in lags) - alpha), p)
    s = sum(math.exp(-x / p["tau_minus"]) for x in lags)
    return clip(w - p["A_minus"] * f_minus(dep, w, p) * s, p)


def final_weight(rule, dep, w0, pre_steps, post_steps, delay_steps, fraction, dt, p):
    """Weight after the last presynaptic spike. Times in steps (integers)
    shifted by the axonal ((1 - f) d) and dendritic (f d) delays."""
    a = [t + (1.0 - fraction) * delay_steps for t in pre_steps]
    b = [t + fraction * delay_steps for t in post_steps]
    if not a:
        return w0
    events = sorted([(t, 0) for t in b if t <= a[-1]] + [(t, 1) for t in a])
    w = w0
    for t, kind in events:
        if kind == 0:
            w = potentiate(rule, dep, w, [(t - x) * dt for x in a if x < t], p)
        else:
            w = depress(rule, dep, w, [(t - y) * dt for y in b if y < t], p)
    return w
