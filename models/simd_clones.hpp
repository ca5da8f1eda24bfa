// The instruction sets the vectorised cell loops are compiled for, one clone
// each, chosen when the library loads (GCC function multi-versioning):
// AVX-512 (8 doubles per vector), AVX2 (4) and baseline x86-64 (2).
//
// Every clone does the same IEEE operations in the same order, so a
// simulation gives the same bits on any x86-64 machine: none of these targets
// enables FMA (GCC's avx2 and avx512f imply no fma), the library is built
// with -ffp-contract=off in case one ever does, and the loops' helpers
// (vector_exp, vector_log) give the same bits in a vector body as in a scalar
// remainder. tests/cpp/test_simd_clones.cpp compares the clones bit for bit.
#pragma once

#define PINEAL_SIMD_CLONES gnu::target_clones("avx512f", "avx2", "default")
