// Exact propagators shared by the linear (current-based) models.
#pragma once

#include <cmath>

namespace pineal::models {

// expm1(x)/x, accurate for every x including 0.
inline double expm1_over_x(double x) {
    if (x == 0.0) return 1.0;
    if (std::abs(x) < 1e-5) return 1.0 + x * (0.5 + x / 6.0);
    return std::expm1(x) / x;
}

// Change of V (mV) over dt produced by an exponentially decaying current of
// 1 nA at the start of the step (time constant tau_s) into a membrane with
// time constant tau_m and capacitance c:
//   (1/c) * (e^{-dt/tau_s} - e^{-dt/tau_m}) / (1/tau_m - 1/tau_s).
// Written as e^{-dt/tau_m} * dt * expm1(x)/x with x = dt (1/tau_m - 1/tau_s)
// so that tau_s == tau_m (limit dt e^{-dt/tau_m} / c) and nearby values are
// exact to round-off instead of cancelling.
inline double exp_current_to_voltage(double dt, double tau_m, double tau_s, double c) {
    const double x = dt * (1.0 / tau_m - 1.0 / tau_s);
    return std::exp(-dt / tau_m) * dt * expm1_over_x(x) / c;
}

}  // namespace pineal::models

namespace pineal::models {

// g(z) = integral_0^1 u e^{z u} du = (e^z (z - 1) + 1) / z^2, accurate for
// every z: the closed form cancels for small |z| (relative error ~ eps/z^2),
// so |z| < 1 uses the series sum_n z^n / (n! (n + 2)) (converged to round-off
// after 20 terms).
inline double ramp_exp_integral(double z) {
    if (std::abs(z) < 1.0) {
        double term = 1.0, sum = 0.5;  // n = 0
        for (int n = 1; n < 22; ++n) {
            term *= z / n;
            sum += term / (n + 2);
        }
        return sum;
    }
    return (std::exp(z) * (z - 1.0) + 1.0) / (z * z);
}

// Change of V (mV) over dt produced by the auxiliary alpha variable y (nA/ms)
// at the start of a step, where dI/dt = y - I/tau_s, dy/dt = -y/tau_s, so that
// I(s) = y s e^{-s/tau_s} within the step:
//   (1/c) integral_0^dt e^{-(dt - s)/tau_m} s e^{-s/tau_s} ds
//   = e^{-dt/tau_m} dt^2 g(dt (1/tau_m - 1/tau_s)) / c,
// exact to round-off also at and near tau_s == tau_m.
inline double alpha_aux_to_voltage(double dt, double tau_m, double tau_s, double c) {
    const double z = dt * (1.0 / tau_m - 1.0 / tau_s);
    return std::exp(-dt / tau_m) * dt * dt * ramp_exp_integral(z) / c;
}

}  // namespace pineal::models
