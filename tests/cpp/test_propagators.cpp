// The propagators of the alpha-shaped models (models/propagators.hpp): the
// ramp integral r(z) = int_0^1 u e^{zu} du must be accurate to round-off for
// every z, including the small |z| where its closed form cancels, so that the
// IF_curr_alpha / IF_cond_alpha propagators hold at and near tau_syn == tau_m.
#include <gtest/gtest.h>

#include <cmath>

#include "models/propagators.hpp"

using pineal::models::alpha_aux_to_voltage;
using pineal::models::ramp_exp_integral;

namespace {

// The series sum_n z^n / (n! (n + 2)) in long double: exact to ~1e-18 for |z| <= 4.
long double ramp_series(long double z) {
    long double term = 1.0L, sum = 0.5L;
    for (int n = 1; n < 80; ++n) {
        term *= z / n;
        sum += term / (n + 2);
    }
    return sum;
}

}  // namespace

TEST(Propagators, RampIntegralMatchesLongDoubleSeries) {
    for (double z : {0.0, 1e-14, -1e-14, 1e-8, -1e-8, 1e-3, -1e-3, 0.3, -0.3, 0.999, -0.999,
                     1.0, -1.0, 1.001, -1.001, 2.5, -2.5, 4.0, -4.0}) {
        const double expected = static_cast<double>(ramp_series(z));
        EXPECT_NEAR(ramp_exp_integral(z), expected, 4e-16 * std::abs(expected)) << "z = " << z;
    }
    EXPECT_DOUBLE_EQ(ramp_exp_integral(0.0), 0.5);
}

TEST(Propagators, RampIntegralLargeArguments) {
    // Closed form (e^z (z - 1) + 1) / z^2 is accurate away from 0.
    for (double z : {-50.0, -10.0, 10.0, 30.0}) {
        const long double e = (std::exp(static_cast<long double>(z)) * (z - 1.0L) + 1.0L) /
                              (static_cast<long double>(z) * z);
        EXPECT_NEAR(ramp_exp_integral(z), static_cast<double>(e), 1e-14 * std::abs((double)e));
    }
}

TEST(Propagators, AlphaPropagatorContinuousAcrossEqualTimeConstants) {
    const double dt = 0.1, tau_m = 10.0, c = 0.25;
    // At tau_s == tau_m: (1/c) e^{-dt/tau_m} dt^2 / 2.
    const double at = alpha_aux_to_voltage(dt, tau_m, tau_m, c);
    EXPECT_NEAR(at, std::exp(-dt / tau_m) * dt * dt / 2 / c, 1e-17);
    for (double rel : {1e-12, 1e-9, 1e-6}) {
        const double near = alpha_aux_to_voltage(dt, tau_m, tau_m * (1 + rel), c);
        // z = (dt/tau_m) rel to first order and r(z) = 1/2 + z/3 + ..., so the
        // propagator moves by (2/3)(dt/tau_m) rel * at: resolved, not lost to
        // cancellation (the closed form alone gives noise of ~eps/z^2 here).
        const double expected_change = (2.0 / 3.0) * (dt / tau_m) * rel * at;
        EXPECT_NEAR(near - at, expected_change, 1e-3 * expected_change + 1e-17)
            << "rel = " << rel;
    }
}
