// models/stiff_linear_step.hpp against closed forms: with constant a and b,
// V(h) = u + (V0 - u) e^{-b h}, u = a / b. A single 4-point Gauss-Lobatto
// step at b h = 20 overshoots u by 70% of |u| (the bug it fixes); the
// substeps (ceil(20 / (1/8)) = 160 of them) must land within 1e-9 |u| of
// the closed form and never pass u by more than that: their error is a
// fixed fraction of u, at most 2.4e-12 |u| accumulated
// (models/stiff_linear_step.hpp), so 1e-9 leaves room for round-off.
#include <gtest/gtest.h>

#include <cmath>

#include "models/stiff_linear_step.hpp"

using pineal::models::is_stiff_step;
using pineal::models::kStiffDecayBound;
using pineal::models::stiff_linear_step;

TEST(StiffLinearStep, ConstantCoefficientsMatchTheClosedForm) {
    const double h = 0.1, u = -80.0, v0 = -65.0;
    for (double bh : {0.5, 4.0, 20.0, 100.0, 1e4}) {
        const double b = bh / h;
        auto drive = [&](double) { return b * u; };
        auto decay = [&](double t0, double t1) { return b * (t1 - t0); };
        ASSERT_TRUE(is_stiff_step(bh));
        const double v = stiff_linear_step(v0, h, bh, drive, decay);
        const double exact = u + (v0 - u) * std::exp(-bh);
        EXPECT_NEAR(v, exact, 1e-9 * std::abs(u)) << "b h = " << bh;
        EXPECT_GE(v, u - 1e-9 * std::abs(u)) << "b h = " << bh;
    }
}

TEST(StiffLinearStep, DecayingConductanceMatchesTheClosedForm) {
    // b(s) = g e^{-s/tau}, a = b u: V(h) = u + (V0 - u) e^{-B(h)} exactly.
    const double h = 0.1, tau = 0.5, u = -75.0, v0 = -60.0, g = 400.0;
    auto drive = [&](double s) { return g * std::exp(-s / tau) * u; };
    auto decay = [&](double t0, double t1) {
        return -g * tau * std::exp(-t0 / tau) * std::expm1(-(t1 - t0) / tau);
    };
    const double bh = decay(0.0, h);
    const double v = stiff_linear_step(v0, h, bh, drive, decay);
    EXPECT_NEAR(v, u + (v0 - u) * std::exp(-bh), 1e-9 * std::abs(u));
}

TEST(StiffLinearStep, SmallOrNanDecayIsNotStiff) {
    EXPECT_FALSE(is_stiff_step(kStiffDecayBound));
    EXPECT_FALSE(is_stiff_step(std::nan("")));
    EXPECT_TRUE(is_stiff_step(2 * kStiffDecayBound));
}
