// The instruction sets the vectorised cell loops are compiled for, one clone
// each, chosen when the library loads (GCC function multi-versioning):
// AVX-512 (8 doubles per vector), AVX2 (4) and baseline x86-64 (2).
//
// Every clone does the same IEEE operations in the same order, so a
// simulation gives the same bits on any x86-64 machine. That needs the
// build's -ffp-contract=off: GCC 12's avx512f clone enables FMA and would
// otherwise fuse multiply-adds (AVX2 and baseline have no FMA). The loops'
// helpers (vector_exp, vector_log) give the same bits in a vector body as in
// a scalar remainder. tests/cpp/test_simd_clones.cpp compares the clones bit
// for bit.
//
// Short ranges take PINEAL_SIMD_CLONES_NARROW (the same without AVX-512):
// GCC 12 leaves the remainder of a vectorised loop scalar, so an AVX-512
// loop over fewer than 8 cells (a population of a few cells, a shard's
// last block) ran all of them in scalar code, 1.5x the time of AVX2's
// 4-lane body (perf): 500 populations of 5 IF_cond_exp cells took 0.875 s
// per simulated second with the AVX-512 clone, 0.605 s with AVX2 (one
// build, through the C++ API). The kernels
// choose by the length of the range (PINEAL_SIMD_DISPATCH below).
#pragma once

#include <cstddef>

#define PINEAL_SIMD_CLONES gnu::target_clones("avx512f", "avx2", "default")
#define PINEAL_SIMD_CLONES_NARROW gnu::target_clones("avx2", "default")

namespace pineal::models {

// Ranges of at least this many cells use the AVX-512 clones.
inline constexpr std::size_t kWideSimdCells = 32;

}  // namespace pineal::models

// Defines RET NAME(const ARRAYS& a, begin, end, bool uniform), which runs
// IMPL(a, begin, end, uniform) as the clones this header chooses: NAME_wide
// (PINEAL_SIMD_CLONES) for ranges of kWideSimdCells or more, NAME_narrow
// otherwise. flatten compiles IMPL's loop into each clone.
#define PINEAL_SIMD_DISPATCH(RET, NAME, ARRAYS, IMPL)                                         \
    [[PINEAL_SIMD_CLONES, gnu::flatten]] inline RET NAME##_wide(                              \
        const ARRAYS& a, std::size_t begin, std::size_t end, bool uniform) {                  \
        return IMPL(a, begin, end, uniform);                                                  \
    }                                                                                         \
    [[PINEAL_SIMD_CLONES_NARROW, gnu::flatten]] inline RET NAME##_narrow(                     \
        const ARRAYS& a, std::size_t begin, std::size_t end, bool uniform) {                  \
        return IMPL(a, begin, end, uniform);                                                  \
    }                                                                                         \
    inline RET NAME(const ARRAYS& a, std::size_t begin, std::size_t end, bool uniform) {      \
        return end - begin >= ::pineal::models::kWideSimdCells                                \
                   ? NAME##_wide(a, begin, end, uniform)                                      \
                   : NAME##_narrow(a, begin, end, uniform);                                   \
    }
