// Tests of the Philox streams and the PyNN distributions.
//
// Statistical checks use fixed keys, so every run sees the same numbers: a
// bound is either met or not, never flaky. Bounds are nonetheless set at 5
// standard errors (or an equivalent chi-square quantile) so that a correct
// sampler passes for essentially any key, and a wrong one fails.
#include <Random123/philox.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <functional>
#include <numbers>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "pineal/errors.hpp"
#include "pineal/random.hpp"

using pineal::Distribution;
using pineal::RandomStream;
using pineal::StreamKey;

namespace {

constexpr std::size_t kSamples = 100000;
constexpr double kPi = std::numbers::pi;

// Analytic mean, variance and fourth central moment: the latter gives the
// standard error of the sample variance, sqrt((mu4 - var^2) / N).
struct Moments {
    double mean, var, mu4;
};

std::vector<double> sample(const std::string& name, std::vector<double> params,
                           std::uint64_t seed = 12345, std::size_t n = kSamples) {
    const Distribution d = Distribution::make(name, std::move(params));
    RandomStream rng(StreamKey{seed, 7, 3, 0});
    std::vector<double> xs(n);
    for (auto& x : xs) x = d.draw(rng);
    return xs;
}

void expect_moments(const std::vector<double>& xs, const Moments& m, const std::string& what) {
    const double n = static_cast<double>(xs.size());
    double mean = 0;
    for (double x : xs) mean += x;
    mean /= n;
    double var = 0;
    for (double x : xs) var += (x - mean) * (x - mean);
    var /= n - 1;
    const double se_mean = std::sqrt(m.var / n);
    const double se_var = std::sqrt((m.mu4 - m.var * m.var) / n);
    EXPECT_NEAR(mean, m.mean, 5 * se_mean) << what << " mean";
    EXPECT_NEAR(var, m.var, 5 * se_var) << what << " variance";
}

// Moments from the raw moments E[X], E[X^2], E[X^3], E[X^4].
Moments from_raw(double r1, double r2, double r3, double r4) {
    const double var = r2 - r1 * r1;
    const double mu4 = r4 - 4 * r1 * r3 + 6 * r1 * r1 * r2 - 3 * r1 * r1 * r1 * r1;
    return {r1, var, mu4};
}

double phi(double z) { return std::exp(-0.5 * z * z) / std::sqrt(2 * kPi); }
double Phi(double z) { return 0.5 * std::erfc(-z / std::sqrt(2.0)); }

// Moments of normal(mu, sigma) restricted to [low, high] by Simpson's rule
// (clipped = redraw) or with the outside mass moved onto the bounds (clip to
// boundary). Quadrature avoids hand-derived fourth moments of these laws.
Moments clipped_normal_moments(double mu, double sigma, double low, double high, bool to_boundary) {
    const double a = std::max(low, mu - 12 * sigma), b = std::min(high, mu + 12 * sigma);
    const int steps = 20000;
    const double h = (b - a) / steps;
    double raw[5] = {0, 0, 0, 0, 0};
    for (int i = 0; i <= steps; ++i) {
        const double x = a + i * h;
        const double w = (i == 0 || i == steps) ? 1 : (i % 2 ? 4 : 2);
        const double f = phi((x - mu) / sigma) / sigma * w * h / 3;
        for (int k = 0; k < 5; ++k) raw[k] += f * std::pow(x, k);
    }
    if (to_boundary) {
        const double below = Phi((low - mu) / sigma), above = 1 - Phi((high - mu) / sigma);
        for (int k = 0; k < 5; ++k) raw[k] += below * std::pow(low, k) + above * std::pow(high, k);
    }
    return from_raw(raw[1] / raw[0], raw[2] / raw[0], raw[3] / raw[0], raw[4] / raw[0]);
}

// Pearson chi-square against a pmf on 0, 1, 2, ..., with bins grown until each
// expects >= 20 counts and the rest of the support lumped into the last.
// Fails above df + 6 sqrt(2 df), roughly a 1e-6 tail.
void expect_pmf(const std::vector<double>& xs, const std::function<double(int)>& pmf,
                const std::string& what) {
    const double n = static_cast<double>(xs.size());
    int top = 0;
    for (double x : xs) top = std::max(top, static_cast<int>(x));
    std::vector<double> counts(top + 1, 0.0);
    for (double x : xs) counts[static_cast<int>(x)] += 1;
    double chi2 = 0, expected = 0, observed = 0, used_e = 0, used_o = 0;
    int bins = 0;
    for (int k = 0; k <= top; ++k) {
        expected += n * pmf(k);
        observed += counts[k];
        if (expected >= 20 && n * (1 - used_e / n) - expected >= 20) {
            chi2 += (observed - expected) * (observed - expected) / expected;
            used_e += expected, used_o += observed, expected = observed = 0, ++bins;
        }
    }
    const double tail_e = n - used_e, tail_o = n - used_o;
    chi2 += (tail_o - tail_e) * (tail_o - tail_e) / tail_e;
    const double df = bins;  // bins + 1 cells, minus one constraint
    ASSERT_GE(df, 5) << what;
    EXPECT_LT(chi2, df + 6 * std::sqrt(2 * df)) << what << " chi2 with df=" << df;
}

double log_choose(int n, int k) {
    return std::lgamma(n + 1.0) - std::lgamma(k + 1.0) - std::lgamma(n - k + 1.0);
}

// The pineal::Error thrown by f; a failure (and a `state` error) if none is.
pineal::Error caught(const std::function<void()>& f) {
    try {
        f();
    } catch (const pineal::Error& e) {
        return e;
    }
    ADD_FAILURE() << "no pineal::Error thrown";
    return pineal::Error(pineal::ErrorKind::state, "", "", "none thrown");
}

}  // namespace

// ------------------------------------------------------------- streams --

TEST(Random, MatchesPhilox4x64WithDocumentedKeyMapping) {
    const StreamKey key{11, 22, 33, 44};
    RandomStream rng(key);
    const r123::Philox4x64 philox;
    for (std::uint64_t block = 0; block < 3; ++block) {
        const auto out = philox({{33, 44, block, 0}}, {{11, 22}});
        for (int i = 0; i < 4; ++i) EXPECT_EQ(rng.next_u64(), out.v[i]);
    }
    EXPECT_EQ(rng.position(), 12u);
}

TEST(Random, SameKeySameSequence) {
    const StreamKey key{1, 2, 3, 4};
    RandomStream a(key), b(key);
    for (int i = 0; i < 1000; ++i) ASSERT_EQ(a.next_u64(), b.next_u64());
    for (int i = 0; i < 1000; ++i) ASSERT_EQ(a.normal(), b.normal());
}

TEST(Random, ResumeAtSavedPositionContinuesExactly) {
    const StreamKey key{99, 1, 5, 2};
    RandomStream full(key);
    std::vector<std::uint64_t> words(40);
    for (auto& w : words) w = full.next_u64();
    // Every offset within a block, so mid-block resumes are covered.
    for (std::uint64_t pos = 0; pos < 20; ++pos) {
        RandomStream resumed(key, pos);
        EXPECT_EQ(resumed.position(), pos);
        for (std::uint64_t i = pos; i < words.size(); ++i) ASSERT_EQ(resumed.next_u64(), words[i]);
    }
    // And via position() of a stream that drew doubles.
    RandomStream a(key);
    for (int i = 0; i < 7; ++i) a.exponential(2.0);
    RandomStream b(key, a.position());
    for (int i = 0; i < 20; ++i) ASSERT_EQ(a.uniform(), b.uniform());
}

TEST(Random, EveryKeyFieldChangesTheSequence) {
    const StreamKey base{1, 2, 3, 4};
    auto first_words = [](const StreamKey& k) {
        RandomStream rng(k);
        std::vector<std::uint64_t> w(8);
        for (auto& x : w) x = rng.next_u64();
        return w;
    };
    const auto ref = first_words(base);
    std::set<std::vector<std::uint64_t>> seen{ref};
    for (int field = 0; field < 4; ++field) {
        StreamKey k = base;
        std::uint64_t* f[] = {&k.seed, &k.stream, &k.entity, &k.segment};
        *f[field] += 1;
        EXPECT_TRUE(seen.insert(first_words(k)).second) << "field " << field;
    }
}

TEST(Random, UniformConversions) {
    const StreamKey key{5, 0, 0, 0};
    RandomStream words(key), u(key), u0(key);
    for (int i = 0; i < 10000; ++i) {
        const std::uint64_t w = words.next_u64();
        const double x = u.uniform(), y = u0.uniform_open0();
        ASSERT_EQ(x, static_cast<double>(w >> 11) * 0x1p-53);
        ASSERT_EQ(y, x + 0x1p-53);
        ASSERT_TRUE(x >= 0 && x < 1 && y > 0 && y <= 1);
    }
}

TEST(Random, DrawPerEntityUsesFirstDrawOfEachEntity) {
    const Distribution d = Distribution::make("normal", {1.0, 2.0});
    const StreamKey key{3, 4, 0, 1};
    std::vector<double> out(50);
    draw_per_entity(d, key, 1000, out.size(), out.data());
    for (std::size_t i = 0; i < out.size(); ++i) {
        StreamKey k = key;
        k.entity = 1000 + i;
        RandomStream rng(k);
        EXPECT_EQ(out[i], d.draw(rng));
    }
    pineal::draw_per_entity(d, key, 0, 0, nullptr);  // empty range is fine
}

// ------------------------------------------------------- distributions --

TEST(Random, Normal) {
    expect_moments(sample("normal", {2, 3}), {2, 9, 3 * 81}, "normal(2, 3)");
    for (double x : sample("normal", {4, 0}, 1, 100)) EXPECT_EQ(x, 4);
}

TEST(Random, Lognormal) {
    const double mu = 0.5, s2 = 0.25, w = std::exp(s2);
    const double mean = std::exp(mu + s2 / 2), var = (w - 1) * std::exp(2 * mu + s2);
    const double kurt = w * w * w * w + 2 * w * w * w + 3 * w * w - 3;  // non-excess
    const auto xs = sample("lognormal", {mu, 0.5});
    expect_moments(xs, {mean, var, kurt * var * var}, "lognormal(0.5, 0.5)");
    for (double x : xs) ASSERT_GT(x, 0);
}

TEST(Random, Uniform) {
    const double lo = -2, hi = 5, w = hi - lo;
    const auto xs = sample("uniform", {lo, hi});
    expect_moments(xs, {1.5, w * w / 12, w * w * w * w / 80}, "uniform(-2, 5)");
    for (double x : xs) ASSERT_TRUE(x >= lo && x < hi) << x;
    for (double x : sample("uniform", {3, 3}, 1, 10)) EXPECT_EQ(x, 3);
}

TEST(Random, Exponential) {
    const double b = 2.5;
    const auto xs = sample("exponential", {b});
    expect_moments(xs, {b, b * b, 9 * b * b * b * b}, "exponential(2.5)");
    for (double x : xs) ASSERT_GE(x, 0);
}

TEST(Random, GammaBothShapeRegimes) {
    for (double k : {0.5, 3.0}) {  // k < 1 exercises the boost
        const double theta = 2.0, var = k * theta * theta;
        const auto xs = sample("gamma", {k, theta});
        expect_moments(xs, {k * theta, var, (3 + 6 / k) * var * var}, "gamma k=" + std::to_string(k));
        for (double x : xs) ASSERT_GE(x, 0);
    }
}

TEST(Random, PoissonInversionAndPtrs) {
    for (double lam : {4.5, 29.0, 30.0, 100.0, 1e4}) {
        const auto xs = sample("poisson", {lam});
        const std::string what = "poisson(" + std::to_string(lam) + ")";
        expect_moments(xs, {lam, lam, lam * (1 + 3 * lam)}, what);
        for (double x : xs) ASSERT_TRUE(x >= 0 && x == std::floor(x));
        if (lam <= 100)
            expect_pmf(xs, [lam](int k) { return std::exp(k * std::log(lam) - lam - std::lgamma(k + 1.0)); },
                       what);
    }
    for (double x : sample("poisson", {0}, 1, 100)) EXPECT_EQ(x, 0);
}

TEST(Random, BinomialInversionAndBtrd) {
    // (20, .3): inversion; (37, .5), (1000, .3): BTRD; (500, .9): flipped BTRD;
    // (30, .9): flipped inversion.
    for (auto [n, p] : std::vector<std::pair<int, double>>{
             {20, 0.3}, {37, 0.5}, {1000, 0.3}, {500, 0.9}, {30, 0.9}}) {
        const double q = 1 - p, var = n * p * q;
        const auto xs = sample("binomial", {double(n), p});
        const std::string what = "binomial(" + std::to_string(n) + ", " + std::to_string(p) + ")";
        expect_moments(xs, {n * p, var, var * (1 + 3 * (n - 2) * p * q)}, what);
        for (double x : xs) ASSERT_TRUE(x >= 0 && x <= n && x == std::floor(x));
        expect_pmf(
            xs,
            [n, p, q](int k) {
                return k > n ? 0.0 : std::exp(log_choose(n, k) + k * std::log(p) + (n - k) * std::log(q));
            },
            what);
    }
    for (double x : sample("binomial", {10, 0}, 1, 10)) EXPECT_EQ(x, 0);
    for (double x : sample("binomial", {10, 1}, 1, 10)) EXPECT_EQ(x, 10);
    for (double x : sample("binomial", {0, 0.5}, 1, 10)) EXPECT_EQ(x, 0);
}

TEST(Random, UniformInt) {
    const int lo = -3, hi = 7, m = hi - lo;
    const auto xs = sample("uniform_int", {double(lo), double(hi)});
    const double m2 = double(m) * m;
    expect_moments(xs, {(lo + hi - 1) / 2.0, (m2 - 1) / 12, (m2 - 1) * (3 * m2 - 7) / 240},
                   "uniform_int(-3, 7)");
    std::vector<double> shifted;
    for (double x : xs) {
        ASSERT_TRUE(x >= lo && x < hi && x == std::floor(x)) << x;
        shifted.push_back(x - lo);
    }
    expect_pmf(shifted, [m](int k) { return k < m ? 1.0 / m : 0.0; }, "uniform_int");
    for (double x : sample("uniform_int", {5, 6}, 1, 10)) EXPECT_EQ(x, 5);
}

TEST(Random, NormalClippedRedraws) {
    for (auto [mu, sigma, lo, hi] : std::vector<std::array<double, 4>>{
             {0, 1, -0.5, 2}, {1, 2, 0, INFINITY}, {0, 1, 2, 3}}) {
        const auto xs = sample("normal_clipped", {mu, sigma, lo, hi});
        expect_moments(xs, clipped_normal_moments(mu, sigma, lo, hi, false),
                       "normal_clipped lo=" + std::to_string(lo));
        for (double x : xs) ASSERT_TRUE(x >= lo && x <= hi) << x;
    }
}

TEST(Random, NormalClippedImpossibleIntervalThrowsOnDraw) {
    const Distribution d = Distribution::make("normal_clipped", {0, 1, 50, 60});
    RandomStream rng(StreamKey{1, 0, 0, 0});
    const auto e = caught([&] { d.draw(rng); });
    EXPECT_EQ(e.kind(), pineal::ErrorKind::invalid_parameter_value);
    EXPECT_NE(std::string(e.what()).find("too unlikely"), std::string::npos) << e.what();
}

TEST(Random, NormalClippedToBoundary) {
    const double mu = 0.2, sigma = 1, lo = -1, hi = 1.5;
    const auto xs = sample("normal_clipped_to_boundary", {mu, sigma, lo, hi});
    expect_moments(xs, clipped_normal_moments(mu, sigma, lo, hi, true), "clipped_to_boundary");
    double at_low = 0;
    for (double x : xs) {
        ASSERT_TRUE(x >= lo && x <= hi) << x;
        at_low += x == lo;
    }
    // The mass on the lower bound is Phi(-1.2), a binomial proportion.
    const double p = Phi((lo - mu) / sigma);
    EXPECT_NEAR(at_low / kSamples, p, 5 * std::sqrt(p * (1 - p) / kSamples));
}

TEST(Random, VonMisesCircularMoments) {
    // E[cos j(X - mu)] = I_j(kappa) / I_0(kappa) and E[sin j(X - mu)] = 0; the
    // variance of cos/sin follows from the double-angle formulas.
    for (auto [mu, kappa] : std::vector<std::pair<double, double>>{{1, 2}, {3, 0.5}, {-2, 40}}) {
        const auto xs = sample("vonmises", {mu, kappa});
        auto rho = [kappa](int j) { return std::cyl_bessel_i(j, kappa) / std::cyl_bessel_i(0, kappa); };
        for (int j : {1, 2}) {
            std::vector<double> c, s;
            for (double x : xs) {
                ASSERT_TRUE(x > -kPi && x <= kPi) << x;
                c.push_back(std::cos(j * (x - mu)));
                s.push_back(std::sin(j * (x - mu)));
            }
            const double ec = rho(j), vc = (1 + rho(2 * j)) / 2 - ec * ec, vs = (1 - rho(2 * j)) / 2;
            // No closed form for the fourth moments, but |Y - EY| <= 2 gives
            // mu4 <= 4 var; passing mu4 = 4 var + var^2 over-states the SE.
            const std::string what = "vonmises(" + std::to_string(mu) + ", " + std::to_string(kappa) +
                                     ") j=" + std::to_string(j);
            expect_moments(c, {ec, vc, 4 * vc + vc * vc}, what + " cos");
            expect_moments(s, {0, vs, 4 * vs + vs * vs}, what + " sin");
        }
    }
}

TEST(Random, VonMisesLimits) {
    // kappa -> 0: uniform on (-pi, pi]; variance pi^2 / 3, mu4 pi^4 / 5.
    const auto flat = sample("vonmises", {1.0, 1e-9});
    expect_moments(flat, {0, kPi * kPi / 3, kPi * kPi * kPi * kPi / 5}, "vonmises kappa=1e-9");
    // Huge kappa: normal with variance 1 / kappa around mu.
    const double kappa = 1e8, mu = 0.5;
    expect_moments(sample("vonmises", {mu, kappa}), {mu, 1 / kappa, 3 / (kappa * kappa)},
                   "vonmises kappa=1e8");
    for (double x : sample("vonmises", {kPi, 1e8}, 3, 1000)) ASSERT_TRUE(x > -kPi && x <= kPi) << x;
}

// ------------------------------------------------------------ validation --

TEST(Random, NamesAndParameterOrder) {
    EXPECT_EQ(Distribution::name_of(pineal::DistributionKind::normal_clipped_to_boundary),
              "normal_clipped_to_boundary");
    EXPECT_EQ(Distribution::parameter_names(pineal::DistributionKind::gamma),
              (std::vector<std::string>{"k", "theta"}));
    EXPECT_EQ(Distribution::parameter_names(pineal::DistributionKind::poisson),
              (std::vector<std::string>{"lambda_"}));
    // Valid examples in the enumeration's order: the name table must follow it.
    const std::vector<std::pair<std::string, std::vector<double>>> examples = {
        {"binomial", {10, 0.5}}, {"gamma", {2, 1}}, {"exponential", {1}}, {"lognormal", {0, 1}},
        {"normal", {0, 1}}, {"normal_clipped", {0, 1, -1, 1}},
        {"normal_clipped_to_boundary", {0, 1, -1, 1}}, {"poisson", {3}}, {"uniform", {0, 1}},
        {"uniform_int", {0, 3}}, {"vonmises", {0, 1}}};
    for (std::size_t k = 0; k < examples.size(); ++k) {
        const auto kind = static_cast<pineal::DistributionKind>(k);
        EXPECT_EQ(Distribution::name_of(kind), examples[k].first);
        EXPECT_EQ(Distribution::make(examples[k].first, examples[k].second).kind, kind);
    }
    const Distribution d = Distribution::make("binomial", {10, 0.5});
    EXPECT_EQ(d.kind, pineal::DistributionKind::binomial);
    EXPECT_EQ(d.parameters, (std::vector<double>{10, 0.5}));
}

TEST(Random, UnknownDistributionNameThrows) {
    const auto e = caught([] { Distribution::make("gaussian", {0, 1}); });
    EXPECT_EQ(e.kind(), pineal::ErrorKind::invalid_parameter_value);
    EXPECT_EQ(e.object(), "RandomDistribution");
    EXPECT_EQ(e.parameter(), "gaussian");
    EXPECT_NE(std::string(e.what()).find("uniform_int"), std::string::npos) << e.what();
}

TEST(Random, InvalidParametersThrow) {
    const double nan = NAN, inf = INFINITY;
    const std::vector<std::pair<std::string, std::vector<double>>> cases = {
        // Wrong parameter count.
        {"normal", {0}}, {"exponential", {1, 2}}, {"normal_clipped", {0, 1, 2}},
        // Values.
        {"binomial", {-1, 0.5}}, {"binomial", {2.5, 0.5}}, {"binomial", {10, -0.1}},
        {"binomial", {10, 1.1}}, {"binomial", {10, nan}}, {"gamma", {0, 1}}, {"gamma", {1, 0}},
        {"gamma", {-1, 1}}, {"exponential", {0}}, {"exponential", {-2}}, {"lognormal", {0, -1}},
        {"normal", {0, -1}}, {"normal", {nan, 1}}, {"normal", {inf, 1}},
        {"normal_clipped", {0, -1, 0, 1}}, {"normal_clipped", {0, 1, 2, 1}},
        {"normal_clipped", {0, 1, nan, 1}}, {"normal_clipped_to_boundary", {0, 1, 2, 1}},
        {"normal_clipped_to_boundary", {0, -1, 0, 1}}, {"poisson", {-1}}, {"poisson", {inf}},
        {"uniform", {2, 1}}, {"uniform", {0, inf}}, {"uniform_int", {3, 3}},
        {"uniform_int", {4, 3}}, {"uniform_int", {0.5, 3}}, {"vonmises", {0, -1}},
        {"vonmises", {0, nan}}};
    for (const auto& [name, params] : cases)
        EXPECT_EQ(caught([&] { Distribution::make(name, params); }).kind(),
                  pineal::ErrorKind::invalid_parameter_value)
            << name;
    // The message names distribution, parameter and value.
    const auto e = caught([] { Distribution::make("normal", {0, -1}); });
    EXPECT_EQ(std::string(e.what()), "normal: sigma must be >= 0, got -1");
    EXPECT_EQ(e.object(), "normal");
    EXPECT_EQ(e.parameter(), "sigma");
}
