// exp(x) written so that the compiler vectorises loops that call it, and so
// that its result for a given x is the same bits whether the call sits in a
// vectorised loop body or in its scalar remainder. (glibc's libmvec vector
// exp and the scalar exp differ in the last bits, which would make results
// depend on how cells are split between threads.)
//
// Method: x = n ln2 + r with n = round(x / ln2) and |r| <= ln2 / 2 (ln2 split
// in a high part with trailing zero bits, so n * ln2_hi is exact), then
// exp(r) by its Taylor polynomial of degree 13 (truncation error
// 0.347^14 / 14! < 1e-17 relative) and 2^n put directly into the exponent
// bits. Measured against std::exp over [-708, 709]: at most 2 ulp
// (tests/cpp/test_vector_exp.cpp). Valid ONLY for x in [-708, 709]: outside,
// the exponent bits overflow and the result is garbage. There is no clamp
// because a compare-and-select stops GCC 12 from vectorising the loop; the
// caller checks its range (see IF_cond_exp's slow path).
#pragma once

#include <bit>
#include <cstdint>

namespace pineal::models {

inline double vector_exp(double x) {
    constexpr double kLog2e = 1.4426950408889634;
    constexpr double kShift = 0x1.8p52;  // adding it rounds to an integer
    constexpr double kLn2Hi = 0x1.62e42fefa3800p-1;
    constexpr double kLn2Lo = 0x1.ef35793c76730p-45;
    const double t = x * kLog2e + kShift;
    const double n = t - kShift;
    const double r = (x - n * kLn2Hi) - n * kLn2Lo;
    double p = 1.0 / 6227020800.0;  // 1/13!
    p = p * r + 1.0 / 479001600.0;
    p = p * r + 1.0 / 39916800.0;
    p = p * r + 1.0 / 3628800.0;
    p = p * r + 1.0 / 362880.0;
    p = p * r + 1.0 / 40320.0;
    p = p * r + 1.0 / 5040.0;
    p = p * r + 1.0 / 720.0;
    p = p * r + 1.0 / 120.0;
    p = p * r + 1.0 / 24.0;
    p = p * r + 1.0 / 6.0;
    p = p * r + 0.5;
    p = p * r + 1.0;
    p = p * r + 1.0;
    // The low bits of t hold n; (n + 1023) << 52 is 2^n as a double.
    const std::int64_t bits = (std::bit_cast<std::int64_t>(t) - std::bit_cast<std::int64_t>(kShift) + 1023)
                              << 52;
    return p * std::bit_cast<double>(bits);
}

}  // namespace pineal::models
