// The vectorised cell loops give the same bits whichever instruction set they
// are compiled for (models/simd_clones.hpp): AVX-512, AVX2 and baseline
// x86-64 runs of the same cells are compared bit for bit, on the clones this
// machine can run. Simulations rely on it: a result must not depend on the
// machine, nor on how cells fall into vector bodies and scalar remainders.
#include <gtest/gtest.h>

#include <bit>
#include <cstdint>
#include <cstring>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "models/if_cond_exp.hpp"
#include "models/if_curr_exp.hpp"

namespace pm = pineal::models;
namespace pd = pineal::models::detail;

namespace {

// One runner per loop and instruction set; flatten inlines the loop body
// into the runner, which compiles it for that target.
#define PINEAL_RUNNERS(TARGET_ATTRIBUTE, NAME)                                                   \
    TARGET_ATTRIBUTE [[gnu::flatten, gnu::noinline]] int cond_##NAME(const pd::CondExpArrays& a, \
                                                                      std::size_t n, bool u) {   \
        return u ? pd::cond_exp_advance_impl<true>(a, 0, n)                                      \
                 : pd::cond_exp_advance_impl<false>(a, 0, n);                                    \
    }                                                                                            \
    TARGET_ATTRIBUTE [[gnu::flatten, gnu::noinline]] int curr_##NAME(const pd::CurrExpArrays& a, \
                                                                      std::size_t n, bool u) {   \
        if (u) return pd::curr_exp_advance_impl<true, false, true>(a, 0, n);                     \
        return a.injected ? pd::curr_exp_advance_impl<false, true, true>(a, 0, n)                \
                          : pd::curr_exp_advance_impl<false, false, true>(a, 0, n);              \
    }

PINEAL_RUNNERS([[gnu::target("avx512f")]], avx512)
PINEAL_RUNNERS([[gnu::target("avx2")]], avx2)
PINEAL_RUNNERS(, baseline)
#undef PINEAL_RUNNERS

struct Target {
    std::string name;
    bool available;
    std::function<int(const pd::CondExpArrays&, std::size_t, bool)> cond;
    std::function<int(const pd::CurrExpArrays&, std::size_t, bool)> curr;
};

// The clones this machine can run, baseline first; a test needs two.
std::vector<Target> targets() {
    std::vector<Target> all{{"baseline", true, cond_baseline, curr_baseline},
                            {"avx2", __builtin_cpu_supports("avx2") != 0, cond_avx2, curr_avx2},
                            {"avx512f", __builtin_cpu_supports("avx512f") != 0, cond_avx512, curr_avx512}};
    std::erase_if(all, [](const Target& t) { return !t.available; });
    return all;
}

std::uint64_t bits(double x) { return std::bit_cast<std::uint64_t>(x); }

// 1003 cells: not a multiple of any vector width, so every clone has a
// remainder. Values of the sizes the kernels' prepare() gives, with some
// cells refractory, some at threshold and (IF_cond_exp) some out of the fast
// formula's range.
constexpr std::size_t kCells = 1003;

std::vector<double> uniform(std::mt19937_64& rng, double lo, double hi, std::size_t n = kCells) {
    std::uniform_real_distribution<double> d(lo, hi);
    std::vector<double> x(n);
    for (double& v : x) v = d(rng);
    return x;
}

std::vector<int> refractory(std::mt19937_64& rng) {
    std::vector<int> left(kCells);
    for (int& l : left) l = rng() % 4 == 0 ? static_cast<int>(rng() % 20) : 0;
    return left;
}

}  // namespace

TEST(SimdClones, IfCondExpAdvanceGivesTheSameBitsOnEveryInstructionSet) {
    if (targets().size() < 2) GTEST_SKIP() << "only the baseline clone runs here";
    std::mt19937_64 rng(7);
    std::vector<double> ge = uniform(rng, 0.0, 0.05), gi = uniform(rng, 0.0, 0.2);
    for (std::size_t i = 0; i < kCells; i += 97) ge[i] = 40.0;  // out of range: left for pass 2
    const std::vector<double> v0 = uniform(rng, -75.0, -49.0), drive = uniform(rng, -4.0, 1.0);
    const std::vector<int> left0 = refractory(rng);
    std::vector<std::vector<double>> ae, ai;
    for (int k = 0; k < 4; ++k) ae.push_back(uniform(rng, 0.0, 0.01)), ai.push_back(uniform(rng, -0.8, -0.6));
    const auto ql = uniform(rng, 4e-4, 6e-4), qe = uniform(rng, 0.01, 0.012), qi = uniform(rng, 0.005, 0.01),
               ml = uniform(rng, 3e-3, 4e-3), me = uniform(rng, 0.07, 0.08), mi = uniform(rng, 0.04, 0.07),
               xe = uniform(rng, 1e-4, 2e-4), xi = uniform(rng, 5e-5, 1e-4);
    for (bool uniform_constants : {false, true}) {
        std::vector<std::uint64_t> reference_v;
        std::vector<int> reference_left;
        int reference_flags = -1;
        for (const Target& t : targets()) {
            std::vector<double> V = v0;
            std::vector<int> left = left0;
            pd::CondExpArrays a{V.data(), left.data(), ge.data(), gi.data(), drive.data(),
                                {ae[0].data(), ae[1].data(), ae[2].data(), ae[3].data()},
                                {ai[0].data(), ai[1].data(), ai[2].data(), ai[3].data()},
                                ql.data(), qe.data(), qi.data(), ml.data(), me.data(), mi.data(),
                                xe.data(), xi.data(), 0.1 / 12.0, 0.5 / 12.0, -50.0};
            const int flags = t.cond(a, kCells, uniform_constants);
            std::vector<std::uint64_t> v_bits;
            for (double x : V) v_bits.push_back(bits(x));
            if (reference_flags < 0) {
                // The data reach every branch of the loop.
                EXPECT_EQ(flags, pd::kCrossed | pd::kOutOfRange);
                EXPECT_NE(V, v0);
                reference_v = v_bits, reference_left = left, reference_flags = flags;
                continue;
            }
            EXPECT_EQ(flags, reference_flags) << t.name;
            EXPECT_EQ(left, reference_left) << t.name;
            for (std::size_t i = 0; i < kCells; ++i)
                ASSERT_EQ(v_bits[i], reference_v[i]) << t.name << ", cell " << i << " (uniform " << uniform_constants << ")";
        }
    }
}

TEST(SimdClones, IfCurrExpAdvanceGivesTheSameBitsOnEveryInstructionSet) {
    if (targets().size() < 2) GTEST_SKIP() << "only the baseline clone runs here";
    std::mt19937_64 rng(11);
    const std::vector<double> v0 = uniform(rng, -70.0, -49.0), ie0 = uniform(rng, 0.0, 2.0),
                              ii0 = uniform(rng, -2.0, 0.0), in_e = uniform(rng, 0.0, 0.5),
                              in_i = uniform(rng, -0.5, 0.0), rest = uniform(rng, -66.0, -64.0),
                              offset = uniform(rng, 0.0, 1.0), p22 = uniform(rng, 0.99, 0.999),
                              p21e = uniform(rng, 0.08, 0.1), p21i = uniform(rng, 0.08, 0.1),
                              p20 = uniform(rng, 0.09, 0.1), p11e = uniform(rng, 0.97, 0.99),
                              p11i = uniform(rng, 0.98, 0.995), injected = uniform(rng, -0.2, 0.3);
    const std::vector<int> left0 = refractory(rng);
    for (int variant = 0; variant < 3; ++variant) {  // uniform constants, per cell, per cell + injected
        const bool uniform_constants = variant == 0;
        std::vector<std::uint64_t> reference;
        std::vector<int> reference_left;
        int reference_any = -1;
        for (const Target& t : targets()) {
            std::vector<double> V = v0, Ie = ie0, Ii = ii0, ce = in_e, ci = in_i;
            std::vector<int> left = left0;
            pd::CurrExpArrays a{V.data(),     Ie.data(),   Ii.data(),    left.data(),
                                ce.data(),    ci.data(),   variant == 2 ? injected.data() : nullptr,
                                rest.data(),  offset.data(), p22.data(), p21e.data(),
                                p21i.data(),  p20.data(),  p11e.data(),  p11i.data(),
                                -50.0,        ce.data(),   ci.data()};
            const int any = t.curr(a, kCells, uniform_constants);
            std::vector<std::uint64_t> out;
            for (const auto* column : {&V, &Ie, &Ii, &ce, &ci})
                for (double x : *column) out.push_back(bits(x));
            if (reference_any < 0) {
                EXPECT_EQ(any, 1);  // some cell crossed threshold
                reference = out, reference_left = left, reference_any = any;
                continue;
            }
            EXPECT_EQ(any, reference_any) << t.name;
            EXPECT_EQ(left, reference_left) << t.name;
            for (std::size_t k = 0; k < out.size(); ++k)
                ASSERT_EQ(out[k], reference[k]) << t.name << ", value " << k << " (variant " << variant << ")";
        }
    }
}
