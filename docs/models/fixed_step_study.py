"""How fine would a fixed-step scheme have to be? The measurement behind the
integrator choice of the nonlinear models (docs/models/*.md).

Classic RK4 with n equal substeps per 0.1 ms step (the vectorisable
alternative to per-cell adaptive RKF45), against the same DOP853 references
as the validation tests (tests/python). Threshold crossings are detected at
substep ends and reset there (what a fixed-step kernel would do), and HH uses
the engine's spike rule on the step samples. Prints the maximum |v - v_ref|
and whether the spike steps are identical, per n.

    python docs/models/fixed_step_study.py
"""

import math
import pathlib
import sys

import numpy as np

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent.parent / "tests" / "python"))

import adex_reference as A  # noqa: E402
import test_validation_hh_cond_exp as H  # noqa: E402
import test_validation_izhikevich as Z  # noqa: E402

DT = 0.1


def rk4(f, y, h):
    k1 = f(y)
    k2 = f(y + 0.5 * h * k1)
    k3 = f(y + 0.5 * h * k2)
    k4 = f(y + h * k3)
    return y + h / 6 * (k1 + 2 * k2 + 2 * k3 + k4)


def run_fixed(f, y0, n_steps, n_sub, peak=None, on_spike=None, refractory=0, clamp=None):
    """Step samples of y[0] and spike steps; reset at the substep that passes `peak`."""
    y = np.array(y0, dtype=float)
    v = [y[0]]
    spikes, left = [], 0
    for k in range(n_steps):
        clamped = left > 0
        if clamped:
            left -= 1
        for _ in range(n_sub):
            y = rk4(lambda x, clamped=clamped: f(x, clamped), y, DT / n_sub)
            if peak is not None and not clamped and y[0] >= peak:
                y = on_spike(y)
                spikes.append(k + 1)
                if refractory > 0:
                    clamped, left = True, refractory
        v.append(y[0])
    return np.array(v), np.array(spikes, dtype=int)


def adex(params):
    p = dict(A.DEFAULTS, **params)
    g_l = p["cm"] / p["tau_m"]

    def f(y, clamped):
        V = p["v_reset"] if clamped else min(y[0], p["v_spike"])
        dv = 0.0 if clamped else (-g_l * (V - p["v_rest"]) + g_l * p["delta_T"] * math.exp(
            (V - p["v_thresh"]) / p["delta_T"]) - y[1] + p["i_offset"]) / p["cm"]
        return np.array([dv, (1e-3 * p["a"] * (V - p["v_rest"]) - y[1]) / p["tau_w"]])

    def on_spike(y):
        return np.array([p["v_reset"], y[1] + p["b"]])
    return f, on_spike, p


def izhikevich(params):
    p = dict(Z.DEFAULTS, **params)

    def f(y, clamped):
        return np.array([0.04 * y[0] ** 2 + 5 * y[0] + 140 - y[1] + 1000 * p["i_offset"],
                         p["a"] * (p["b"] * y[0] - y[1])])

    def on_spike(y):
        return np.array([p["c"], y[1] + p["d"]])
    return f, on_spike


def hh(params):
    p = dict(H.DEFAULTS, **params)

    def f(y, clamped):
        V, m, h, n = y
        u = V - p["v_offset"]
        x = H.x_over_expm1
        dv = (-p["g_leak"] * (V - p["e_rev_leak"]) - p["gbar_Na"] * m ** 3 * h * (V - p["e_rev_Na"])
              - p["gbar_K"] * n ** 4 * (V - p["e_rev_K"]) + p["i_offset"]) / p["cm"]
        am, bm = 1.28 * x((13 - u) / 4), 1.4 * x((u - 40) / 5)
        ah, bh = 0.128 * math.exp((17 - u) / 18), 4 / (1 + math.exp((40 - u) / 5))
        an, bn = 0.16 * x((15 - u) / 5), 0.5 * math.exp((10 - u) / 40)
        return np.array([dv, am * (1 - m) - bm * m, ah * (1 - h) - bh * h, an * (1 - n) - bn * n])
    return f, p


def hh_spikes(v, p):
    out, pause = [], 0
    for k in range(1, len(v)):
        if pause > 0:
            pause -= 1
        elif v[k] >= p["v_offset"] + 30 and v[k] < v[k - 1]:
            out.append(k)
            pause = int(round(2.0 / DT))
    return np.array(out, dtype=int)


def report(label, ref_v, ref_spikes, runs):
    print(label)
    for n, (v, spikes) in runs:
        same = np.array_equal(spikes, ref_spikes)
        shift = ""
        if not same and len(spikes) == len(ref_spikes):
            shift = f", largest shift {np.max(np.abs(spikes - ref_spikes))} steps"
        print(f"  RK4 x {n:3d} substeps: max |dv| = {np.max(np.abs(v - ref_v)):.1e} mV, "
              f"spike steps identical: {same} ({len(spikes)} vs {len(ref_spikes)}{shift})")


def main():
    subs = [1, 2, 5, 10, 20, 50]
    for params, v0, label in [(dict(i_offset=0.55), -70.6, "AdEx subthreshold (0.55 nA)"),
                              (dict(i_offset=1.0, tau_refrac=2.0), -65.0,
                               "AdEx spiking (1 nA, tau_refrac 2 ms)")]:
        steps = 3000
        f, on_spike, p = adex(params)
        ref, ref_sp = A.reference(params, v0, 0.0, steps, DT, False)
        runs = [(n, run_fixed(f, [v0, 0.0], steps, n, p["v_spike"], on_spike,
                              int(round(p["tau_refrac"] / DT)))) for n in subs]
        report(label, ref[:, 0], ref_sp, runs)
    for params, label in [(dict(i_offset=0.002), "Izhikevich subthreshold (0.002 nA)"),
                          (dict(i_offset=0.01), "Izhikevich spiking (0.01 nA)")]:
        f, on_spike = izhikevich(params)
        ref, ref_sp = Z.reference(params, -70.0, -14.0, 3000, DT)
        runs = [(n, run_fixed(f, [-70.0, -14.0], 3000, n, 30.0, on_spike)) for n in subs]
        report(label, ref[:, 0], ref_sp, runs)
    for current, steps, label in [(0.02, 2000, "HH subthreshold (0.02 nA)"),
                                  (0.2, 1000, "HH spiking (0.2 nA)")]:
        f, p = hh(dict(i_offset=current))
        ref, ref_sp = H.reference(dict(i_offset=current), steps, DT)
        runs = []
        for n in subs:
            try:
                with np.errstate(all="raise"):
                    v, _ = run_fixed(f, [-65.0, 0.0, 1.0, 0.0], steps, n)
            except (OverflowError, FloatingPointError):
                print(f"  RK4 x {n:3d} substeps: diverges")
                continue
            runs.append((n, (v, hh_spikes(v, p))))
        report(label, ref[:, 0], ref_sp, runs)


if __name__ == "__main__":
    main()
