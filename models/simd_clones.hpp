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
#pragma once

#define PINEAL_SIMD_CLONES gnu::target_clones("avx512f", "avx2", "default")
