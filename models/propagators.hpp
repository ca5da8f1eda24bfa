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
