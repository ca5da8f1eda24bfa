// vector_exp (models/vector_exp.hpp): accuracy against std::exp, and the same
// bits in a vectorised loop as in a scalar call, which the bit-identity of
// results across threads relies on.
#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <vector>

#include "models/simd_clones.hpp"
#include "models/vector_exp.hpp"

using pineal::models::vector_exp;

namespace {

[[gnu::noinline]] double scalar_call(double x) { return vector_exp(x); }

// Vectorised by GCC at -O3, for the widest vectors the machine has (as
// if_cond_exp.hpp's pass 1 is).
[[gnu::noinline, PINEAL_SIMD_CLONES]] void vector_call(const double* __restrict x, double* __restrict y,
                                   std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) y[i] = vector_exp(x[i]);
}

}  // namespace

// The bound: 7.4e-14, the fitted polynomial's relative error in exact
// arithmetic (models/vector_exp.hpp), plus a few ulp of rounding.
TEST(VectorExp, WithinItsRelativeErrorOfStdExpOverItsDomain) {
    double worst = 0, worst_x = 0;
    // A dense sweep near 0 (decay factors) and a coarse one over [-708, 709].
    for (int k = -200000; k <= 200000; ++k) {
        for (double x : {k * 1e-5, k * 0.0035449}) {
            if (x < -708.0 || x > 709.0) continue;  // outside the stated domain
            const double e = std::abs(vector_exp(x) / std::exp(x) - 1.0);
            if (e > worst) worst = e, worst_x = x;
        }
    }
    EXPECT_LT(worst, 1e-13) << "at x = " << worst_x;
    EXPECT_GT(worst, 1e-15);  // the sweep reaches the polynomial's error
    EXPECT_EQ(vector_exp(0.0), 1.0);
}

TEST(VectorExp, VectorisedLoopGivesTheBitsOfTheScalarCall) {
    std::vector<double> x(1001), y(x.size());
    for (std::size_t i = 0; i < x.size(); ++i) x[i] = -30.0 + 0.0617 * double(i) + 1e-7 * double(i % 7);
    vector_call(x.data(), y.data(), x.size());
    for (std::size_t i = 0; i < x.size(); ++i)
        ASSERT_EQ(std::bit_cast<std::uint64_t>(y[i]), std::bit_cast<std::uint64_t>(scalar_call(x[i])))
            << "x = " << x[i];
}
