// exp(x) written so that the compiler vectorises loops that call it, and so
// that its result for a given x is the same bits whether the call sits in a
// vectorised loop body or in its scalar remainder. (glibc's libmvec vector
// exp and the scalar exp differ in the last bits, which would make results
// depend on how cells are split between threads.)
//
// Method: x = n ln2 + r with n = round(x / ln2) and |r| <= ln2 / 2 (ln2 split
// in a high part with trailing zero bits, so n * ln2_hi is exact), then
// exp(r) by a polynomial of degree 9 (below) and 2^n put directly into the exponent
// bits. Measured against std::exp over [-708, 709]: relative error below
// 1e-13 (tests/cpp/test_vector_exp.cpp). Valid ONLY for x in [-708, 709]: outside,
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
    // exp(r) = 1 + r + r^2 g(r), g of degree 7 fitted to (exp(r) - 1 - r) / r^2
    // on [-ln2/2, ln2/2] by Chebyshev interpolation (scripts/fit_vector_exp.py). With
    // these rounded coefficients the relative error of 1 + r + r^2 g is below
    // 7.4e-14 (about 330 ulp; a degree-13 Taylor polynomial would give 1 ulp
    // for four more multiply-adds). IF_cond_exp, the caller, multiplies
    // membrane terms of ~65 mV by it, which its contracting propagator keeps
    // below ~1e-9 mV in total: the size of the quadrature error, and far
    // below what test_validation_if_cond_exp.py asserts (1e-6 mV).
    double p = 0x1.72ad3ae3ed777p-19;
    p = p * r + 0x1.a136b06babd51p-16;
    p = p * r + 0x1.a019c3721fb3ep-13;
    p = p * r + 0x1.6c166be75a859p-10;
    p = p * r + 0x1.111111170ad56p-7;
    p = p * r + 0x1.55555565c559fp-5;
    p = p * r + 0x1.5555555554f97p-3;
    p = p * r + 0x1.fffffffffe069p-2;
    p = p * r + 1.0;
    p = p * r + 1.0;
    // The low bits of t hold n; (n + 1023) << 52 is 2^n as a double.
    const std::int64_t bits = (std::bit_cast<std::int64_t>(t) - std::bit_cast<std::int64_t>(kShift) + 1023)
                              << 52;
    return p * std::bit_cast<double>(bits);
}

}  // namespace pineal::models
