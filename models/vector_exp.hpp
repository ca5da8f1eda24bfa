// exp(x) written so that the compiler vectorises loops that call it, and so
// that its result for a given x is the same bits whether the call sits in a
// vectorised loop body or in its scalar remainder. (glibc's libmvec vector
// exp and the scalar exp differ in the last bits, which would make results
// depend on how cells are split between threads.)
//
// Method: x = n ln2 + r with n = round(x / ln2) and |r| <= ln2 / 2 (ln2 split
// in a high part with trailing zero bits, so n * ln2_hi is exact), then
// exp(r) by a polynomial of degree 11 (below) and 2^n put directly into the exponent
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
    // exp(r) = 1 + r + r^2 g(r), g of degree 9 fitted to (exp(r) - 1 - r) / r^2
    // on [-ln2/2, ln2/2] by Chebyshev interpolation (mpmath, 50 digits;
    // relative error of 1 + r + r^2 g with these rounded coefficients below
    // 2e-17, against 1e-17 for the degree-13 Taylor polynomial it replaces):
    // two multiply-adds fewer per exp.
    double p = 0x1.af389ecfc4b9cp-26;
    p = p * r + 0x1.28917c89a43a7p-22;
    p = p * r + 0x1.71de0db2f6b19p-19;
    p = p * r + 0x1.a019b9149a41cp-16;
    p = p * r + 0x1.a01a01a7c2efep-13;
    p = p * r + 0x1.6c16c17889ef1p-10;
    p = p * r + 0x1.11111111109b5p-7;
    p = p * r + 0x1.5555555553d68p-5;
    p = p * r + 0x1.5555555555556p-3;
    p = p * r + 0x1.0000000000001p-1;
    p = p * r + 1.0;
    p = p * r + 1.0;
    // The low bits of t hold n; (n + 1023) << 52 is 2^n as a double.
    const std::int64_t bits = (std::bit_cast<std::int64_t>(t) - std::bit_cast<std::int64_t>(kShift) + 1023)
                              << 52;
    return p * std::bit_cast<double>(bits);
}

}  // namespace pineal::models
