// Random connectors: counts, degree distributions and distance profiles
// (fixed seeds; bounds of 5 standard deviations), exact structure where the
// rule fixes it, independence of threads and partitions, and bad input.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <set>
#include <utility>
#include <vector>

#include "pineal/connectors.hpp"
#include "pineal/simulation.hpp"
#include "test_support.hpp"

namespace pineal {
namespace {

using test::projection;
using test::throws;

StreamKey key(std::uint64_t stream) { return {2024, stream, 0, 0}; }

// Cells on lines along x (spacing 1 um), post offset by `post_x0`.
std::shared_ptr<const Geometry> line_geometry(std::size_t n_pre, std::size_t n_post,
                                              double post_x0 = 0.0) {
    auto g = std::make_shared<Geometry>();
    g->pre = line_positions(n_pre, 1.0, 0.0, 0.0, 0.0);
    g->post = line_positions(n_post, 1.0, post_x0, 0.0, 0.0);
    return g;
}

struct Net {
    Simulation sim;
    std::size_t a, b;
    Net(std::size_t n_a, std::size_t n_b, int threads = 1, int ranks = 1)
        : sim([&] {
              SetupOptions o;
              o.threads = threads;
              o.virtual_ranks = ranks;
              return o;
          }()) {
        a = sim.create_population("IF_curr_exp", n_a, "a");
        b = sim.create_population("IF_curr_exp", n_b, "b");
    }
    ConnectionData connect(std::size_t pre, std::size_t post, Connector c, Value w = 0.5) {
        return sim.connections(sim.connect(projection(pre, post, std::move(c), std::move(w))));
    }
};

std::vector<double> counts(const std::vector<std::uint32_t>& idx, std::size_t n) {
    std::vector<double> c(n, 0.0);
    for (auto i : idx) c[i] += 1;
    return c;
}

// Sum of squared standardised deviations: expectation n (each term has mean
// 1 whatever the correlations), variance about 2n; 5-sigma upper bound.
void expect_chi2_below_bound(const std::vector<double>& c, double mean, double var) {
    double chi2 = 0;
    for (double x : c) chi2 += (x - mean) * (x - mean) / var;
    const double n = double(c.size());
    EXPECT_LT(chi2, n + 5.0 * std::sqrt(2.0 * n)) << "mean " << mean << " var " << var;
}

TEST(FixedNumberPre, ExactInDegreeDistinctSourcesUniformOutDegree) {
    Net net(50, 200);
    const auto c = net.connect(net.a, net.b, FixedNumberPreConnector{Value(7.0), true, false, key(1)});
    ASSERT_EQ(c.pre.size(), 1400u);
    std::map<std::uint32_t, std::set<std::uint32_t>> sources;
    for (std::size_t k = 0; k < c.pre.size(); ++k) sources[c.post[k]].insert(c.pre[k]);
    for (const auto& [j, s] : sources) EXPECT_EQ(s.size(), 7u) << "target " << j;
    // Source i is among the 7 of each target with probability 7/50, independently.
    expect_chi2_below_bound(counts(c.pre, 50), 200 * 0.14, 200 * 0.14 * 0.86);
}

TEST(FixedNumberPre, MoreThanNPreUsesEverySourceEquallyThenARemainder) {
    Net net(5, 30);
    const auto c = net.connect(net.a, net.b, FixedNumberPreConnector{Value(12.0), true, false, key(2)});
    ASSERT_EQ(c.pre.size(), 30u * 12u);
    std::map<std::uint32_t, std::vector<double>> per_target;
    for (std::size_t k = 0; k < c.pre.size(); ++k) {
        auto& v = per_target[c.post[k]];
        v.resize(5);
        v[c.pre[k]] += 1;
    }
    for (const auto& [j, v] : per_target) {
        EXPECT_EQ(std::count(v.begin(), v.end(), 3.0), 2) << j;  // 12 = 2 * 5 + 2 distinct
        EXPECT_EQ(std::count(v.begin(), v.end(), 2.0), 3) << j;
    }
}

TEST(FixedNumberPre, WithReplacementSelfExclusionAndRandomN) {
    Net net(10, 10);
    const auto c = net.connect(net.a, net.a, FixedNumberPreConnector{Value(30.0), false, true, key(3)});
    ASSERT_EQ(c.pre.size(), 300u);
    for (std::size_t k = 0; k < c.pre.size(); ++k) EXPECT_NE(c.pre[k], c.post[k]);
    // Each draw uniform over the 9 other cells: source i gets Binomial(270, 1/9).
    expect_chi2_below_bound(counts(c.pre, 10), 270.0 / 9.0, 270.0 / 9.0 * 8.0 / 9.0);
    RandomValue n{Distribution::make("binomial", {10, 0.5}), key(4)};
    Net big(40, 2000);
    const auto r = big.connect(big.a, big.b, FixedNumberPreConnector{Value(n), true, false, key(5)});
    // Sum of 2000 Binomial(10, 0.5): mean 10000, variance 5000.
    EXPECT_NEAR(double(r.pre.size()), 10000.0, 5.0 * std::sqrt(5000.0));
    for (double x : counts(r.post, 2000)) EXPECT_LE(x, 10.0);
}

TEST(FixedNumberPost, ExactOutDegreeUniformInDegree) {
    Net net(200, 50);
    const auto c = net.connect(net.a, net.b, FixedNumberPostConnector{Value(7.0), true, false, key(6)});
    ASSERT_EQ(c.pre.size(), 1400u);
    std::map<std::uint32_t, std::set<std::uint32_t>> targets;
    for (std::size_t k = 0; k < c.pre.size(); ++k) targets[c.pre[k]].insert(c.post[k]);
    ASSERT_EQ(targets.size(), 200u);
    for (const auto& [i, t] : targets) EXPECT_EQ(t.size(), 7u) << "source " << i;
    expect_chi2_below_bound(counts(c.post, 50), 200 * 0.14, 200 * 0.14 * 0.86);
    Net self(20, 20);
    const auto s = self.connect(self.a, self.a, FixedNumberPostConnector{Value(19.0), false, false, key(7)});
    EXPECT_EQ(s.pre.size(), 380u);  // every pair but the self pairs
    for (std::size_t k = 0; k < s.pre.size(); ++k) EXPECT_NE(s.pre[k], s.post[k]);
}

TEST(FixedTotalNumber, WithReplacementCountsAreMultinomial) {
    Net net(40, 60);
    const auto c = net.connect(net.a, net.b, FixedTotalNumberConnector{5000, true, true, key(8)});
    ASSERT_EQ(c.pre.size(), 5000u);
    expect_chi2_below_bound(counts(c.post, 60), 5000.0 / 60, 5000.0 / 60 * 59 / 60);
    expect_chi2_below_bound(counts(c.pre, 40), 5000.0 / 40, 5000.0 / 40 * 39 / 40);
}

TEST(FixedTotalNumber, WithoutReplacementPairsAreDistinct) {
    Net net(40, 60);
    const auto c = net.connect(net.a, net.b, FixedTotalNumberConnector{1200, true, false, key(9)});
    ASSERT_EQ(c.pre.size(), 1200u);
    std::set<std::pair<std::uint32_t, std::uint32_t>> pairs;
    for (std::size_t k = 0; k < c.pre.size(); ++k) pairs.emplace(c.pre[k], c.post[k]);
    EXPECT_EQ(pairs.size(), 1200u);
    // In-degree of target j: 1200 draws without replacement from 2400 pairs,
    // 40 of them j's: mean 20, variance 20 * (1 - 40/2400) * (2400 - 1200) / 2399.
    expect_chi2_below_bound(counts(c.post, 60), 20.0, 20.0 * (1 - 40.0 / 2400) * 1200 / 2399);
    Net self(30, 30);
    const auto all = self.connect(self.a, self.a, FixedTotalNumberConnector{870, false, false, key(10)});
    ASSERT_EQ(all.pre.size(), 870u);  // every allowed pair exactly once
    for (std::size_t k = 0; k < all.pre.size(); ++k) EXPECT_NE(all.pre[k], all.post[k]);
    EXPECT_TRUE(throws(ErrorKind::connection, "n", [&] {
        self.connect(self.a, self.a, FixedTotalNumberConnector{871, false, false, key(11)});
    }));
    EXPECT_EQ(self.sim.projection_size(0), 870u);
    // The failed projection left nothing: the next one gets handle 1.
    EXPECT_EQ(self.sim.connect(projection(self.a, self.a, OneToOneConnector{})), 1u);
}

// NoMutual (no_mutual): only pairs with source index > target index.
TEST(FixedTotalNumber, NoMutualUsesOnlyPairsAboveTheDiagonal) {
    Net net(30, 30);
    const auto all = net.connect(net.a, net.a, FixedTotalNumberConnector{435, true, false, key(38), true});
    ASSERT_EQ(all.pre.size(), 435u);  // 30 * 29 / 2: every allowed pair exactly once
    std::set<std::pair<std::uint32_t, std::uint32_t>> pairs;
    for (std::size_t k = 0; k < all.pre.size(); ++k) {
        EXPECT_GT(all.pre[k], all.post[k]);
        pairs.emplace(all.pre[k], all.post[k]);
    }
    EXPECT_EQ(pairs.size(), 435u);
    EXPECT_TRUE(throws(ErrorKind::connection, "n", [&] {
        net.connect(net.a, net.a, FixedTotalNumberConnector{436, true, false, key(39), true});
    }));
    // With replacement, target j receives Binomial(3000, (29 - j) / 435) draws.
    const auto c = net.connect(net.a, net.a, FixedTotalNumberConnector{3000, true, true, key(40), true});
    ASSERT_EQ(c.pre.size(), 3000u);
    for (std::size_t k = 0; k < c.pre.size(); ++k) EXPECT_GT(c.pre[k], c.post[k]);
    const auto in = counts(c.post, 30);
    for (std::uint32_t j = 0; j < 30; ++j) {
        const double p = (29.0 - j) / 435.0;
        EXPECT_LE(std::abs(in[j] - 3000 * p), 5 * std::sqrt(3000 * p * (1 - p)) + 1e-9)
            << "target " << j;
    }
}

TEST(DistanceDependentProbability, ProfileFollowsTheExpression) {
    // 600 000 pairs: a 5 % error in the probability would be > 9 sigma in bin 0.
    Net net(3000, 200);
    Connector c = DistanceDependentProbabilityConnector{"0.8 * exp(-d/200)", true, key(12)};
    c.geometry = line_geometry(3000, 200);
    const auto data = net.connect(net.a, net.b, c);
    // Bins of 300 um in distance; expected count and variance per bin from
    // the exact per-pair probabilities.
    const int bins = 10;
    std::vector<double> got(bins, 0), mean(bins, 0), var(bins, 0);
    for (std::size_t k = 0; k < data.pre.size(); ++k)
        got[std::abs(int(data.pre[k]) - int(data.post[k])) / 300] += 1;
    for (int i = 0; i < 3000; ++i)
        for (int j = 0; j < 200; ++j) {
            const double p = 0.8 * std::exp(-std::abs(i - j) / 200.0);
            mean[std::abs(i - j) / 300] += p;
            var[std::abs(i - j) / 300] += p * (1 - p);
        }
    for (int b = 0; b < bins; ++b)
        EXPECT_NEAR(got[b], mean[b], 5 * std::sqrt(var[b]) + 1e-9) << "bin " << b;
}

TEST(DistanceDependentProbability, StepExpressionIsExactAndUsesDx) {
    Net net(20, 20);
    Connector c = DistanceDependentProbabilityConnector{"d < 3", false, key(13)};
    c.geometry = line_geometry(20, 20);
    const auto data = net.connect(net.a, net.a, c);
    std::size_t expected = 0;
    for (int i = 0; i < 20; ++i)
        for (int j = 0; j < 20; ++j) expected += (i != j && std::abs(i - j) < 3);
    EXPECT_EQ(data.pre.size(), expected);
    for (std::size_t k = 0; k < data.pre.size(); ++k)
        EXPECT_LT(std::abs(int(data.pre[k]) - int(data.post[k])), 3);
    Connector right = DistanceDependentProbabilityConnector{"dx > 0", true, key(14)};
    right.geometry = c.geometry;  // dx = x_post - x_pre
    const auto r = net.connect(net.a, net.a, right);
    EXPECT_EQ(r.pre.size(), 190u);
    for (std::size_t k = 0; k < r.pre.size(); ++k) EXPECT_LT(r.pre[k], r.post[k]);
}

TEST(SynapseExpressions, WeightsAndDelaysAreFunctionsOfDistance) {
    Net net(5, 4);
    Connector c = AllToAllConnector{};
    c.geometry = line_geometry(5, 4, 10.0);
    c.weight_expression = "0.1 + d/1000";
    c.delay_expression = "1 + d/10";
    const auto data = net.sim.connections(net.sim.connect(projection(net.a, net.b, c)));
    ASSERT_EQ(data.pre.size(), 20u);
    for (std::size_t k = 0; k < 20; ++k) {
        const double d = std::fabs(10.0 + data.post[k] - data.pre[k]);
        // Weights are stored as float32 (docs/engine.md).
        EXPECT_EQ(data.weight[k], static_cast<double>(static_cast<float>(0.1 + d / 1000)));
        EXPECT_NEAR(data.delay[k], 1 + d / 10, 1e-12);  // a multiple of dt = 0.1 already
    }
}

TEST(SmallWorld, LocalPairsRewiredWithTheGivenProbability) {
    const std::size_t n = 400;
    Net net(n, n);
    Connector none = SmallWorldConnector{5.0, 0.0, false, key(15)};
    none.geometry = line_geometry(n, n);
    const auto local = net.connect(net.a, net.a, none);
    std::size_t expected = 0;
    std::vector<double> local_per_target(n, 0);
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < n; ++j)
            if (i != j && std::abs(int(i) - int(j)) < 5) ++expected, local_per_target[j] += 1;
    EXPECT_EQ(local.pre.size(), expected);
    Connector some = none;
    std::get<SmallWorldConnector>(some.rule).rewiring = 0.3;
    std::get<SmallWorldConnector>(some.rule).rng = key(16);
    const auto rewired = net.connect(net.a, net.a, some);
    EXPECT_EQ(counts(rewired.post, n), local_per_target);  // in-degree unchanged
    // A connection ends non-local if rewired (0.3) onto one of the n - 1 -
    // local cells (uniform over the n - 1 other cells).
    double mean = 0, var = 0, got = 0;
    for (std::size_t j = 0; j < n; ++j) {
        const double q = 0.3 * (double(n - 1) - local_per_target[j]) / double(n - 1);
        mean += local_per_target[j] * q;
        var += local_per_target[j] * q * (1 - q);
    }
    for (std::size_t k = 0; k < rewired.pre.size(); ++k) {
        EXPECT_NE(rewired.pre[k], rewired.post[k]);
        got += std::abs(int(rewired.pre[k]) - int(rewired.post[k])) >= 5;
    }
    EXPECT_NEAR(got, mean, 5 * std::sqrt(var));
}

TEST(ProbabilityMatrix, ZeroOneAndHalf) {
    Net net(30, 40);
    ProbabilityMatrixConnector m{"IndexBasedProbabilityConnector", std::vector<double>(1200), true,
                                 key(17)};
    for (std::size_t i = 0; i < 30; ++i)
        for (std::size_t j = 0; j < 40; ++j) m.p[i * 40 + j] = i < 10 ? 0.0 : (i < 20 ? 1.0 : 0.5);
    const auto c = net.connect(net.a, net.b, m);
    const auto per_source = counts(c.pre, 30);
    double halves = 0;
    for (std::size_t i = 0; i < 30; ++i) {
        if (i < 10) EXPECT_EQ(per_source[i], 0.0);
        else if (i < 20) EXPECT_EQ(per_source[i], 40.0);
        else halves += per_source[i];
    }
    EXPECT_NEAR(halves, 200.0, 5 * std::sqrt(100.0));  // Binomial(400, 1/2)
}

// Every random connector gives the same connections for any threads and
// partitions, including random weights and per-source/global decisions.
TEST(RandomConnectors, IndependentOfThreadsAndPartitions) {
    RandomValue n{Distribution::make("uniform_int", {0, 9}), key(18)};
    RandomValue w{Distribution::make("uniform", {0.1, 0.5}), key(19)};
    auto geometry = line_geometry(97, 97);
    std::vector<Connector> rules{
        FixedProbabilityConnector{0.2, false, key(20)},
        FixedNumberPreConnector{Value(n), false, false, key(21)},
        FixedNumberPreConnector{Value(5.0), true, true, key(22)},
        FixedNumberPostConnector{Value(n), false, false, key(23)},
        FixedNumberPostConnector{Value(4.0), true, true, key(24)},
        FixedTotalNumberConnector{900, false, true, key(25)},
        FixedTotalNumberConnector{900, false, false, key(26)},
        DistanceDependentProbabilityConnector{"exp(-d/20)", false, key(27)},
        SmallWorldConnector{4.0, 0.2, false, key(28)},
        FixedTotalNumberConnector{900, true, true, key(36), true},   // NoMutual
        SmallWorldConnector{4.0, 0.5, true, key(37), true}};         // NoMutual
    for (auto& r : rules) r.geometry = geometry;
    std::vector<std::vector<ConnectionData>> results;
    for (auto [threads, ranks] : {std::pair{1, 1}, std::pair{2, 2}, std::pair{1, 3}}) {
        Net net(97, 61, threads, ranks);
        std::vector<ConnectionData> out;
        for (const auto& r : rules) {
            // pre == post population only where sizes allow: use a -> a.
            out.push_back(net.connect(net.a, net.a, r, Value(w)));
        }
        results.push_back(std::move(out));
    }
    for (std::size_t k = 0; k < rules.size(); ++k) {
        EXPECT_GT(results[0][k].pre.size(), 0u) << connector_name(rules[k]);
        for (std::size_t v = 1; v < results.size(); ++v) {
            EXPECT_EQ(results[0][k].pre, results[v][k].pre) << connector_name(rules[k]);
            EXPECT_EQ(results[0][k].post, results[v][k].post) << connector_name(rules[k]);
            EXPECT_EQ(results[0][k].weight, results[v][k].weight) << connector_name(rules[k]);
        }
    }
}

TEST(RandomConnectors, BadInputGivesSpecificErrors) {
    Net net(10, 10);
    auto geometry = line_geometry(10, 10);
    Connector too_likely = DistanceDependentProbabilityConnector{"2 * exp(-d)", true, key(30)};
    too_likely.geometry = geometry;
    EXPECT_TRUE(throws(ErrorKind::invalid_parameter_value, "d_expression",
                       [&] { net.connect(net.a, net.b, too_likely); }));
    EXPECT_TRUE(throws(ErrorKind::connection, "positions", [&] {
        net.connect(net.a, net.b, DistanceDependentProbabilityConnector{"exp(-d)", true, key(31)});
    }));
    EXPECT_TRUE(throws(ErrorKind::invalid_parameter_value, "d_expression", [&] {
        net.connect(net.a, net.b, DistanceDependentProbabilityConnector{"exp(-d", true, key(31)});
    }));
    EXPECT_TRUE(throws(ErrorKind::invalid_parameter_value, "n", [&] {
        net.connect(net.a, net.b, FixedNumberPreConnector{Value(-1.0), true, false, key(32)});
    }));
    EXPECT_TRUE(throws(ErrorKind::invalid_parameter_value, "n", [&] {
        net.connect(net.a, net.b, FixedNumberPostConnector{Value(2.5), true, false, key(33)});
    }));
    EXPECT_TRUE(throws(ErrorKind::connection, "n", [&] {
        net.connect(net.a, net.b, FixedTotalNumberConnector{101, true, false, key(34)});
    }));
    Connector sw = SmallWorldConnector{2.0, 1.5, true, key(35)};
    sw.geometry = geometry;
    EXPECT_TRUE(throws(ErrorKind::invalid_parameter_value, "rewiring",
                       [&] { net.connect(net.a, net.b, sw); }));
    ProbabilityMatrixConnector m{"DisplacementDependentProbabilityConnector",
                                 std::vector<double>(100, 0.5), true, key(36)};
    m.p[17] = -0.1;
    EXPECT_TRUE(throws(ErrorKind::invalid_parameter_value, "connection probability",
                       [&] { net.connect(net.a, net.b, m); }));
    Connector w = AllToAllConnector{};
    w.weight_expression = "0.1 + q";
    EXPECT_TRUE(throws(ErrorKind::invalid_parameter_value, "weight",
                       [&] { net.connect(net.a, net.b, w); }));
    Net one(1, 1);
    EXPECT_TRUE(throws(ErrorKind::connection, "n", [&] {
        one.connect(one.a, one.a, FixedNumberPreConnector{Value(1.0), false, false, key(37)});
    }));
    Connector wrong_size = DistanceDependentProbabilityConnector{"exp(-d)", true, key(38)};
    wrong_size.geometry = line_geometry(10, 9);
    EXPECT_TRUE(throws(ErrorKind::invalid_dimensions, "positions",
                       [&] { net.connect(net.a, net.b, wrong_size); }));
    // Nothing was kept from the failed projections: the next one is handle 0.
    EXPECT_EQ(net.sim.connect(projection(net.a, net.b, OneToOneConnector{})), 0u);
}

}  // namespace
}  // namespace pineal
