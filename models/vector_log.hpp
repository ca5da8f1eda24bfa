// Natural log of the uniform variates of the Poisson sources, written so that
// the compiler vectorises loops that call it and so that a given argument
// gives the same bits in a vector body and in a scalar remainder (like
// vector_exp.hpp; glibc's log is neither).
//
// Method: u = 2^k z with z in [sqrt(1/2), sqrt(2)), found with integer
// operations on the bits of u (the musl / ARM optimized-routines reduction:
// subtracting the bits of sqrt(1/2) puts k in the exponent field), then
// log z = 2 atanh(s), s = (z - 1) / (z + 1), |s| <= 0.1716, by its series
// s + s^3/3 + ... + s^21/21 (the first omitted term is below 2^-57 of the
// sum), and log u = k ln2 + log z with ln2 split so that k ln2_hi is exact.
// Measured against std::log (tests/cpp/test_vector_log.cpp): within a few
// ulp for u in [2^-60, 1]. Valid ONLY for normal, positive, finite u (the
// callers pass u in (0, 1]); no checks, so that the loop vectorises.
#pragma once

#include <bit>
#include <cstdint>

namespace pineal::models {

inline double vector_log(double u) {
    constexpr std::uint64_t kSqrtHalf = 0x3fe6a09e667f3bcdull;  // bits of sqrt(1/2)
    constexpr std::uint64_t kTop = 0xfff0000000000000ull;
    constexpr double kLn2Hi = 0x1.62e42fefa3800p-1;  // trailing zeros: k ln2_hi exact
    constexpr double kLn2Lo = 0x1.ef35793c76730p-45;
    const std::uint64_t ix = std::bit_cast<std::uint64_t>(u);
    // t's top 12 bits hold k (two's complement, |k| < 1075); adding 2^63 makes
    // it non-negative so that a logical shift gives k + 2048, which the
    // magic-number trick below turns into a double (AVX2 has no 64-bit
    // arithmetic shift and no int64 -> double conversion).
    const std::uint64_t t = ix - kSqrtHalf;
    const std::uint64_t k_biased = (t + 0x8000000000000000ull) >> 52;  // k + 2048
    const double k = std::bit_cast<double>(0x4330000000000000ull | k_biased) - (0x1p52 + 2048.0);
    const double z = std::bit_cast<double>(ix - (t & kTop));  // u / 2^k
    const double s = (z - 1.0) / (z + 1.0);
    const double s2 = s * s;
    double p = 1.0 / 21.0;
    p = p * s2 + 1.0 / 19.0;
    p = p * s2 + 1.0 / 17.0;
    p = p * s2 + 1.0 / 15.0;
    p = p * s2 + 1.0 / 13.0;
    p = p * s2 + 1.0 / 11.0;
    p = p * s2 + 1.0 / 9.0;
    p = p * s2 + 1.0 / 7.0;
    p = p * s2 + 1.0 / 5.0;
    p = p * s2 + 1.0 / 3.0;
    // log z = 2 s + 2 s^3 p(s^2); 2 s is exact.
    const double log_z = 2.0 * s + (2.0 * s) * (s2 * p);
    return k * kLn2Hi + (k * kLn2Lo + log_z);
}

}  // namespace pineal::models
