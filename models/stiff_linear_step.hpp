// One step of the linear membrane equation dV/ds = a(s) - b(s) V, b >= 0,
// for a step whose decay B(h) = int_0^h b is too large for a single
// quadrature: the exponential integrators of the conductance-based models
// (IF_cond_exp, IF_cond_alpha, the cond_exp channel models, GIF_cond_exp,
// PointNeuron) call it on their exact (scalar) path for such steps.
//
// Why. The exponential integrator writes
//   V(h) = e^{-B(h)} V(0) + int_0^h a(s) e^{-(B(h) - B(s))} ds
// and evaluates the integral by a polynomial quadrature. With b nearly
// constant over the step, a = b u (u the instantaneous equilibrium, a convex
// combination of the reversal potentials), the integral is
// u beta int_0^1 e^{-beta (1 - x)} dx with beta = B(h), whose sixth
// derivative grows like beta^6: 4-point Gauss-Lobatto's error (coefficient
// 6.6e-7 h^7 f^(6)) is a fraction 2.8e-13 of |u| (u in mV: the quadrature
// acts on u itself, not on u - V) at beta = 1/8, 3.6e-11 at 1/4, 5.7e-10
// at 3/8, 4.0e-9 at 1/2, 4.0e-7 at 1, 1.7e-3 at 4 and 0.70 at 20 (an
// overshoot: V jumps past u; 40 uS with u = -80 mV gave -134.8 mV). The
// Gauss-Legendre rules of the other models fail the same way (their errors
// also grow as a power of beta). So a step with B(h) > kStiffDecayBound
// (3/8) is split into n equal substeps with B <= kSubstepDecayBound (1/8)
// each, each integrated exactly in the propagator and by 4-point
// Gauss-Lobatto in the integral. The per-(sub)step errors are damped by
// e^{-beta} per (sub)step, so they add up to at most 1 / (1 - e^{-beta})
// times one: 1.9e-9 |u| for steps at 3/8 (1e-6 mV up to |u| = 500 mV),
// 2.4e-12 |u| for substeps. Measured errors in docs/models/*.md.
#pragma once

#include <cmath>
#include <cstdint>

namespace pineal::models {

// Largest B = int b over one (sub)step integrated by a single quadrature,
// for conductances that decay within the step (b nearly constant).
// 3/8 rather than 1/4: VA COBA's inhibitory conductances reach B(h) = 1/4
// often enough that IF_cond_exp's exact path cost it 10% of its time.
inline constexpr double kStiffDecayBound = 0.375;

// Largest B of one substep of a stiff step: small, so that a stiff step's
// error does not grow with the conductance (40-200 uS steps measure
// 2e-10 mV against DOP853).
inline constexpr double kSubstepDecayBound = 0.125;

// The same for conductances that can rise from 0 within a step (alpha and
// beta waveforms): b(s) grows ~ s, so B(s) ~ beta (s/h)^2 and the
// integrand's sixth derivative grows only like beta^3, not beta^6: a 10 uS
// alpha input on a 0.2 nF cell (B = 0.32 in its first step) left 5.7e-6 mV
// with a 1/4 bound, 2e-8 mV with this one (docs/models/IF_cond_alpha.md).
inline constexpr double kStiffRisingDecayBound = 1.0 / 16.0;

// Upper bound on substeps (B(h) up to 2^16 / 8 = 8192 at the 1/8 bound, i.e.
// 16000 uS on a 0.2 nF cell at dt = 0.1 ms): past it the substeps get longer
// than the bound (1/4 at 32000 uS: still 3.6e-11 |u| each).
inline constexpr double kMaxSubsteps = 65536.0;

// Whether a step with decay integral b_h needs substeps (false for NaN: the
// caller's own formula then propagates it).
inline bool is_stiff_step(double b_h, double bound = kStiffDecayBound) { return b_h > bound; }

// V(h) from v0 for dV/ds = drive(s) - b(s) V, s in [0, h], where drive(s)
// returns a(s) and decay(t0, t1) returns int_{t0}^{t1} b exactly; b_h =
// decay(0, h); substeps with B <= bound. Substeps of equal length, each with 4-point Gauss-Lobatto
// (nodes t0, t0 + k/2 (1 -+ 1/sqrt 5), t1; weights k/2 (1/6, 5/6, 5/6, 1/6)).
template <class Drive, class Decay>
double stiff_linear_step(double v0, double h, double b_h, const Drive& drive, const Decay& decay,
                         double bound = kSubstepDecayBound) {
    const double count = std::fmin(std::ceil(b_h / bound), kMaxSubsteps);
    const auto n = static_cast<std::int64_t>(count > 1.0 ? count : 1.0);
    const double k = h / static_cast<double>(n);
    const double r = 1.0 / std::sqrt(5.0);
    const double u0 = 0.5 * k * (1.0 - r), u1 = 0.5 * k * (1.0 + r);
    const double w_end = k / 12.0, w_in = k * 5.0 / 12.0;
    double v = v0;
    for (std::int64_t j = 0; j < n; ++j) {
        const double t0 = static_cast<double>(j) * k;
        const double t1 = j + 1 == n ? h : static_cast<double>(j + 1) * k;
        const double s0 = t0 + u0, s1 = t0 + u1;
        // Propagators to t1 from each node, from the decay over the pieces
        // [t0, s0], [s0, s1], [s1, t1] (no cancelling differences).
        const double q = decay(s1, t1), m = decay(s0, s1), p = decay(t0, s0);
        const double f2 = std::exp(-q), f1 = std::exp(-(m + q)), f0 = std::exp(-(p + m + q));
        v = f0 * v + w_end * (f0 * drive(t0) + drive(t1)) + w_in * (f1 * drive(s0) + f2 * drive(s1));
    }
    return v;
}

}  // namespace pineal::models
