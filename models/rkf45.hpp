// Adaptive Runge-Kutta-Fehlberg 4(5) integration of one cell over one time
// step, with exact location of threshold events. Shared by the nonlinear
// models (AdEx, Izhikevich, HH).
//
// Scheme: Fehlberg's embedded pair (Hairer, Norsett & Wanner, Solving ODEs I,
// table II.5.1); the 5th-order solution is propagated and the difference to
// the 4th-order one is the local error estimate (as GSL's rkf45, which NEST
// uses). A substep is accepted when
//   max_i |err_i| / (atol_i + rtol |y_i|) <= 1,
// and the next substep length follows the usual controller
// h <- h * clamp(0.9 err^{-1/5}, 0.2, 5). The accepted length is kept per
// cell between time steps (as NEST keeps IntegrationStep).
//
// Events: after every accepted substep the model's event function g(y) is
// evaluated (g < 0: no event; a model returns -1 when events are off, e.g.
// while refractory). When g crosses from < 0 to >= 0 inside a substep, the
// crossing is located by the Illinois variant of regula falsi on the substep
// length, re-integrating from the substep's start with one Fehlberg step per
// trial, until the bracket is shorter than kEventTimeTolerance. The state is
// then set to the point just after the crossing and the model's handler runs
// (reset, adaptation jump, refractory flag); integration continues from there
// to the end of the step. A crossing is therefore found whatever dt (only an
// excursion above threshold that reverses within one error-controlled
// substep could pass unseen; at v_spike and 30 mV the models are still
// accelerating upwards), never doubled, and the state after a reset does not
// carry the error of a late detection.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <limits>

namespace pineal::models {

template <std::size_t N>
using StateVec = std::array<double, N>;

template <std::size_t N>
struct Tolerance {
    double rtol = 1e-10;
    StateVec<N> atol{};  // per component, in its unit
};

inline constexpr double kEventTimeTolerance = 1e-10;  // ms: bracket length of a located event

namespace rkf45_detail {

// One Fehlberg step of length h from y (dydt0 = f(y)); returns the
// 5th-order solution in out and the local error estimate in err.
template <std::size_t N, class Rhs>
void fehlberg_step(const StateVec<N>& y, const StateVec<N>& k1, double h, Rhs& rhs,
                   StateVec<N>& out, StateVec<N>& err) {
    StateVec<N> k2, k3, k4, k5, k6, tmp;
    for (std::size_t i = 0; i < N; ++i) tmp[i] = y[i] + h * (1.0 / 4.0) * k1[i];
    rhs(tmp, k2);
    for (std::size_t i = 0; i < N; ++i) tmp[i] = y[i] + h * (3.0 / 32.0 * k1[i] + 9.0 / 32.0 * k2[i]);
    rhs(tmp, k3);
    for (std::size_t i = 0; i < N; ++i)
        tmp[i] = y[i] + h * (1932.0 / 2197.0 * k1[i] - 7200.0 / 2197.0 * k2[i] +
                             7296.0 / 2197.0 * k3[i]);
    rhs(tmp, k4);
    for (std::size_t i = 0; i < N; ++i)
        tmp[i] = y[i] + h * (439.0 / 216.0 * k1[i] - 8.0 * k2[i] + 3680.0 / 513.0 * k3[i] -
                             845.0 / 4104.0 * k4[i]);
    rhs(tmp, k5);
    for (std::size_t i = 0; i < N; ++i)
        tmp[i] = y[i] + h * (-8.0 / 27.0 * k1[i] + 2.0 * k2[i] - 3544.0 / 2565.0 * k3[i] +
                             1859.0 / 4104.0 * k4[i] - 11.0 / 40.0 * k5[i]);
    rhs(tmp, k6);
    for (std::size_t i = 0; i < N; ++i) {
        out[i] = y[i] + h * (16.0 / 135.0 * k1[i] + 6656.0 / 12825.0 * k3[i] +
                             28561.0 / 56430.0 * k4[i] - 9.0 / 50.0 * k5[i] + 2.0 / 55.0 * k6[i]);
        err[i] = h * (1.0 / 360.0 * k1[i] - 128.0 / 4275.0 * k3[i] - 2197.0 / 75240.0 * k4[i] +
                      1.0 / 50.0 * k5[i] + 2.0 / 55.0 * k6[i]);
    }
}

template <std::size_t N>
double error_norm(const StateVec<N>& y, const StateVec<N>& y_new, const StateVec<N>& err,
                  const Tolerance<N>& tol) {
    double worst = 0.0;
    for (std::size_t i = 0; i < N; ++i) {
        const double scale = tol.atol[i] + tol.rtol * std::max(std::abs(y[i]), std::abs(y_new[i]));
        const double e = std::abs(err[i]) / scale;
        if (!(e <= worst)) worst = e;  // also catches NaN
    }
    return std::isnan(worst) ? std::numeric_limits<double>::infinity() : worst;
}

}  // namespace rkf45_detail

// Advances y over a time step of length T (ms). `h` is the cell's substep
// length, carried between calls. `event(y)` and `on_event(y)` as described
// above; `on_event` may change what `rhs` computes (refractory clamp).
// Returns the number of events handled in this step.
template <std::size_t N, class Rhs, class Event, class OnEvent>
int rkf45_advance(StateVec<N>& y, double T, double& h, const Tolerance<N>& tol, Rhs&& rhs,
                  Event&& event, OnEvent&& on_event) {
    using rkf45_detail::error_norm;
    using rkf45_detail::fehlberg_step;
    int events = 0;
    // A state already past threshold (set by initialize()) fires at once.
    if (event(y) >= 0.0) {
        on_event(y);
        ++events;
    }
    const double h_min = 1e-12 * T;
    double t = 0.0;
    StateVec<N> k1, y_new, err;
    if (!(h > 0.0) || h > T) h = T;
    while (t < T) {
        const bool last = h >= T - t;
        const double step = last ? T - t : h;
        rhs(y, k1);
        fehlberg_step(y, k1, step, rhs, y_new, err);
        const double e = error_norm(y, y_new, err, tol);
        if (e > 1.0 && step > h_min) {  // reject and retry shorter
            h = step * std::max(0.2, std::isfinite(e) ? 0.9 * std::pow(e, -0.25) : 0.0);
            continue;
        }
        // Accepted. The suggestion for the next substep comes from this one,
        // unless it was cut short by the end of the step.
        const double grow = e > 0.0 ? std::clamp(0.9 * std::pow(e, -0.2), 0.2, 5.0) : 5.0;
        if (!last || step >= h) h = step * grow;
        if (event(y_new) >= 0.0) {
            // Locate the crossing in (0, step]: g(lo) < 0 <= g(hi).
            double lo = 0.0, hi = step, g_lo = event(y), g_hi = event(y_new);
            StateVec<N> y_hi = y_new, y_try;
            int side = 0;
            for (int it = 0; it < 100 && hi - lo > kEventTimeTolerance; ++it) {
                double theta = hi - g_hi * (hi - lo) / (g_hi - g_lo);
                if (!(theta > lo && theta < hi)) theta = 0.5 * (lo + hi);
                fehlberg_step(y, k1, theta, rhs, y_try, err);
                const double g = event(y_try);
                if (g >= 0.0) {
                    hi = theta, g_hi = g, y_hi = y_try;
                    if (side == +1) g_lo *= 0.5;  // Illinois: avoid a stuck end
                    side = +1;
                } else {
                    lo = theta, g_lo = g;
                    if (side == -1) g_hi *= 0.5;
                    side = -1;
                }
            }
            y = y_hi;
            t = (last && hi == step) ? T : t + hi;
            on_event(y);
            ++events;
            continue;
        }
        y = y_new;
        t = last ? T : t + step;
    }
    return events;
}

}  // namespace pineal::models
