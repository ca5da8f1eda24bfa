// Connectors and synapse values (weights) through Simulation::connect and
// Simulation::connections, and connection generation into a partition's sink.
// Delays: test_delays.cpp.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <tuple>
#include <utility>
#include <vector>

#include "pineal/connectors.hpp"
#include "pineal/simulation.hpp"
#include "test_support.hpp"

using pineal::AllToAllConnector;
using pineal::ConnectionData;
using pineal::Distribution;
using pineal::ErrorKind;
using pineal::FixedProbabilityConnector;
using pineal::FromListConnector;
using pineal::OneToOneConnector;
using pineal::RandomValue;
using pineal::Simulation;
using pineal::StreamKey;
using pineal::Value;
using pineal::test::projection;
using pineal::test::throws;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

using Pair = std::pair<std::uint32_t, std::uint32_t>;

// (pre, post) -> index in `c`; fails the test on a duplicate pair.
std::map<Pair, std::size_t> by_pair(const ConnectionData& c) {
    std::map<Pair, std::size_t> m;
    for (std::size_t k = 0; k < c.pre.size(); ++k)
        EXPECT_TRUE(m.emplace(Pair{c.pre[k], c.post[k]}, k).second)
            << "duplicate connection " << c.pre[k] << " -> " << c.post[k];
    return m;
}

FixedProbabilityConnector fixed_p(double p, std::uint64_t seed, std::uint64_t stream,
                                  bool self = true) {
    FixedProbabilityConnector c;
    c.p_connect = p;
    c.allow_self_connections = self;
    c.rng = StreamKey{seed, stream, 0, 0};
    return c;
}

}  // namespace

TEST(Connectors, AllToAllSelfConnectionsAreDecidedByCellId) {
    Simulation sim;
    const auto a = sim.create_population("IF_curr_exp", 10, "a");
    const auto b = sim.create_population("IF_curr_exp", 10, "b");
    const auto with_self = sim.connect(projection(a, a, AllToAllConnector{true}));
    const auto without = sim.connect(projection(a, a, AllToAllConnector{false}));
    const auto other = sim.connect(projection(a, b, AllToAllConnector{false}));
    EXPECT_EQ(sim.projection_size(with_self), 100u);
    EXPECT_EQ(sim.projection_size(without), 90u);
    EXPECT_EQ(by_pair(sim.connections(with_self)).size(), 100u);
    const auto c = sim.connections(without);
    for (std::size_t k = 0; k < c.pre.size(); ++k) EXPECT_NE(c.pre[k], c.post[k]);
    EXPECT_EQ(by_pair(c).size(), 90u);
    // Different populations: index i -> i is not a self-connection.
    EXPECT_EQ(sim.projection_size(other), 100u);
}

TEST(Connectors, OneToOne) {
    Simulation sim;
    const auto a = sim.create_population("SpikeSourcePoisson", 7, "a");
    const auto b = sim.create_population("IF_curr_exp", 7, "b");
    const auto p = sim.connect(projection(a, b, OneToOneConnector{}, 0.25, Value(1.5)));
    const auto c = sim.connections(p);
    ASSERT_EQ(c.pre.size(), 7u);
    std::set<std::uint32_t> posts;
    for (std::size_t k = 0; k < 7; ++k) {
        EXPECT_EQ(c.pre[k], c.post[k]);
        EXPECT_EQ(c.weight[k], 0.25);
        EXPECT_DOUBLE_EQ(c.delay[k], 1.5);
        posts.insert(c.post[k]);
    }
    EXPECT_EQ(posts.size(), 7u);
}

TEST(Connectors, FixedProbabilityCountIsBinomial) {
    Simulation sim;
    const auto a = sim.create_population("IF_curr_exp", 200, "a");
    const auto b = sim.create_population("IF_curr_exp", 200, "b");
    const double p = 0.1, n = 200.0 * 200.0;
    const auto prj = sim.connect(projection(a, b, fixed_p(p, 77, 0)));
    const double count = static_cast<double>(sim.projection_size(prj));
    const double sd = std::sqrt(n * p * (1 - p));
    EXPECT_NEAR(count, n * p, 5 * sd);
    // Sources are unbiased: the two halves of the pre population each get
    // Binomial(n/2, p) connections; their difference has the same sd as the total.
    const auto c = sim.connections(prj);
    double low = 0;
    for (auto i : c.pre) low += i < 100;
    EXPECT_NEAR(low - (count - low), 0.0, 5 * sd);
    EXPECT_EQ(by_pair(c).size(), c.pre.size());
}

TEST(Connectors, FixedProbabilityEdgeProbabilitiesAndSelfExclusion) {
    Simulation sim;
    const auto a = sim.create_population("IF_curr_exp", 30, "a");
    EXPECT_EQ(sim.projection_size(sim.connect(projection(a, a, fixed_p(0.0, 1, 0)))), 0u);
    EXPECT_EQ(sim.projection_size(sim.connect(projection(a, a, fixed_p(1.0, 1, 0)))), 900u);
    EXPECT_EQ(sim.projection_size(sim.connect(projection(a, a, fixed_p(1.0, 1, 0, false)))), 870u);
    // Excluding self-connections does not shift the other draws: the result is
    // the same connectivity with the diagonal removed.
    const auto with = by_pair(sim.connections(sim.connect(projection(a, a, fixed_p(0.3, 5, 9)))));
    const auto without =
        by_pair(sim.connections(sim.connect(projection(a, a, fixed_p(0.3, 5, 9, false)))));
    std::set<Pair> expected;
    for (const auto& [pair, k] : with)
        if (pair.first != pair.second) expected.insert(pair);
    std::set<Pair> got;
    for (const auto& [pair, k] : without) got.insert(pair);
    EXPECT_EQ(got, expected);
    EXPECT_LT(got.size(), with.size());  // the diagonal had some hits to remove
}

TEST(Connectors, FixedProbabilityIsReproducibleAndStreamsDiffer) {
    auto build = [](std::uint64_t seed, std::uint64_t stream) {
        Simulation sim;
        const auto a = sim.create_population("IF_curr_exp", 50, "a");
        const auto b = sim.create_population("IF_curr_exp", 40, "b");
        const auto c = sim.connections(sim.connect(projection(a, b, fixed_p(0.2, seed, stream))));
        std::set<Pair> pairs;
        for (std::size_t k = 0; k < c.pre.size(); ++k) pairs.insert({c.pre[k], c.post[k]});
        return pairs;
    };
    const auto ref = build(11, 3);
    EXPECT_GT(ref.size(), 0u);
    EXPECT_EQ(build(11, 3), ref);
    EXPECT_NE(build(11, 4), ref);
    EXPECT_NE(build(12, 3), ref);
}

TEST(Connectors, ProbabilityOutsideUnitIntervalIsAnError) {
    Simulation sim;
    const auto a = sim.create_population("IF_curr_exp", 5, "a");
    for (double p : {-0.1, 1.5, kNaN})
        EXPECT_TRUE(throws(ErrorKind::invalid_parameter_value, "p_connect",
                           [&] { sim.connect(projection(a, a, fixed_p(p, 1, 0))); }))
            << p;
    EXPECT_EQ(sim.connect(projection(a, a, OneToOneConnector{})), 0u);
}

TEST(Connectors, FromListWithWeightAndDelayColumns) {
    Simulation sim;
    const auto a = sim.create_population("SpikeSourceArray", 3, "a");
    const auto b = sim.create_population("IF_curr_exp", 4, "b");
    FromListConnector fl;
    fl.pre = {0, 2, 1, 2};
    fl.post = {3, 0, 3, 3};
    fl.columns = {{"weight", {0.1, 0.2, 0.3, 0.4}}, {"delay", {0.5, 1.0, 1.5, 2.0}}};
    const auto c = sim.connections(sim.connect(projection(a, b, fl)));
    const auto m = by_pair(c);
    ASSERT_EQ(m.size(), 4u);
    for (std::size_t row = 0; row < 4; ++row) {
        const std::size_t k = m.at({fl.pre[row], fl.post[row]});
        EXPECT_EQ(c.weight[k], double(float(fl.columns[0].second[row]))) << row;  // float32 store
        EXPECT_DOUBLE_EQ(c.delay[k], fl.columns[1].second[row]) << row;
    }
    // Without columns the synapse type's values apply.
    FromListConnector plain;
    plain.pre = {1};
    plain.post = {2};
    const auto d = sim.connections(sim.connect(projection(a, b, plain, 0.7, Value(0.3))));
    ASSERT_EQ(d.pre.size(), 1u);
    EXPECT_EQ(d.weight[0], double(float(0.7)));
    EXPECT_DOUBLE_EQ(d.delay[0], 0.3);
}

TEST(Connectors, FromListErrors) {
    Simulation sim;
    const auto a = sim.create_population("SpikeSourceArray", 3, "a");
    const auto b = sim.create_population("IF_curr_exp", 4, "b");
    FromListConnector bad_pre{{0, 3}, {0, 0}, {}};
    FromListConnector bad_post{{0, 1}, {0, 4}, {}};
    FromListConnector ragged{{0, 1}, {0}, {}};
    FromListConnector short_column{{0, 1}, {0, 1}, {{"weight", {0.1}}}};
    FromListConnector unknown_column{{0}, {0}, {{"tau_psc", {1.0}}}};
    auto conn = [&](const FromListConnector& c) { sim.connect(projection(a, b, c)); };
    EXPECT_TRUE(throws(ErrorKind::connection, "", [&] { conn(bad_pre); }));
    EXPECT_TRUE(throws(ErrorKind::connection, "", [&] { conn(bad_post); }));
    EXPECT_TRUE(throws(ErrorKind::invalid_dimensions, "", [&] { conn(ragged); }));
    EXPECT_TRUE(throws(ErrorKind::invalid_dimensions, "weight", [&] { conn(short_column); }));
    EXPECT_TRUE(
        throws(ErrorKind::non_existent_parameter, "tau_psc", [&] { conn(unknown_column); }));
    EXPECT_EQ(sim.connect(projection(a, b, OneToOneConnector{})), 0u);
}

TEST(Connectors, RandomWeightsAreDeterministicPerTarget) {
    const RandomValue rv{Distribution::make("uniform", {0.1, 0.5}), StreamKey{99, 5, 0, 0}};
    // Weights of target j are the draws of entity j, in connection order.
    auto expected = [&](std::uint32_t post, std::size_t k) {
        StreamKey key = rv.key;
        key.entity = post;
        pineal::RandomStream rng(key);
        double w = 0;
        for (std::size_t n = 0; n <= k; ++n) w = rv.distribution.draw(rng);
        return double(float(w));  // the synapse store keeps float32 weights
    };
    auto weights = [&](std::size_t n_post) {
        Simulation sim;
        const auto a = sim.create_population("IF_curr_exp", 6, "a");
        const auto b = sim.create_population("IF_curr_exp", n_post, "b");
        return sim.connections(sim.connect(projection(a, b, AllToAllConnector{}, Value(rv))));
    };
    const auto small = weights(3);
    const auto large = weights(8);
    const auto ms = by_pair(small), ml = by_pair(large);
    ASSERT_EQ(ms.size(), 18u);
    for (const auto& [pair, k] : ms) {
        // AllToAll connects pre 0..5 in order, so source i is the i-th draw.
        EXPECT_EQ(small.weight[k], expected(pair.second, pair.first));
        // The weights of a target do not depend on how many targets there are.
        EXPECT_EQ(large.weight[ml.at(pair)], small.weight[k]);
    }
    std::set<double> distinct(small.weight.begin(), small.weight.end());
    EXPECT_EQ(distinct.size(), small.weight.size());
}

TEST(Connectors, ArrayWeightsAreIndexedByPreAndPost) {
    Simulation sim;
    const std::uint32_t n_pre = 4, n_post = 5;
    const auto a = sim.create_population("IF_curr_exp", n_pre, "a");
    const auto b = sim.create_population("IF_curr_exp", n_post, "b");
    std::vector<double> w(n_pre * n_post);
    for (std::uint32_t i = 0; i < n_pre; ++i)
        for (std::uint32_t j = 0; j < n_post; ++j) w[i * n_post + j] = 1.0 + 10.0 * i + j;
    for (const pineal::Connector& conn :
         {pineal::Connector{AllToAllConnector{}}, pineal::Connector{fixed_p(0.5, 3, 1)}}) {
        const auto c = sim.connections(sim.connect(projection(a, b, conn, Value(w))));
        EXPECT_GT(c.pre.size(), 0u);
        for (std::size_t k = 0; k < c.pre.size(); ++k)
            EXPECT_EQ(c.weight[k], 1.0 + 10.0 * c.pre[k] + c.post[k]);
    }
    // Array delays follow the same layout.
    std::vector<double> d(n_pre * n_post, 1.0);
    d[2 * n_post + 3] = 2.5;
    const auto c =
        sim.connections(sim.connect(projection(a, b, AllToAllConnector{}, 0.1, Value(d))));
    for (std::size_t k = 0; k < c.pre.size(); ++k)
        EXPECT_DOUBLE_EQ(c.delay[k], c.pre[k] == 2 && c.post[k] == 3 ? 2.5 : 1.0);
    // Wrong shape.
    EXPECT_TRUE(throws(ErrorKind::invalid_dimensions, "weight", [&] {
        const Value short_w(std::vector<double>(n_pre * n_post - 1, 1.0));
        sim.connect(projection(a, b, AllToAllConnector{}, short_w));
    }));
    // NaN is allowed where no connection is made, not where one is.
    std::vector<double> holes(n_pre * n_post, kNaN);
    holes[1 * n_post + 2] = 0.3;
    const FromListConnector one_pair{{1}, {2}, {}};
    const auto h = sim.connections(sim.connect(projection(a, b, one_pair, Value(holes))));
    ASSERT_EQ(h.weight.size(), 1u);
    EXPECT_EQ(h.weight[0], double(float(0.3)));  // weights are stored as float32
    EXPECT_TRUE(throws(ErrorKind::connection, "weight", [&] {
        sim.connect(projection(a, b, FromListConnector{{0}, {2}, {}}, Value(holes)));
    }));
}

TEST(Connectors, WeightSignRules) {
    Simulation sim;
    const auto a = sim.create_population("IF_curr_exp", 3, "a");
    const auto b = sim.create_population("IF_curr_exp", 3, "b");
    auto conn = [&](Value w, const std::string& receptor) {
        return sim.connect(
            projection(a, b, AllToAllConnector{}, std::move(w), std::nullopt, receptor));
    };
    EXPECT_TRUE(throws(ErrorKind::connection, "weight", [&] { conn(-0.1, "excitatory"); }));
    EXPECT_TRUE(throws(ErrorKind::connection, "weight", [&] { conn(0.1, "inhibitory"); }));
    EXPECT_TRUE(throws(ErrorKind::connection, "weight", [&] { conn(kNaN, "inhibitory"); }));
    std::vector<double> mixed(9, -0.2);
    mixed[7] = 0.2;
    EXPECT_TRUE(throws(ErrorKind::connection, "weight", [&] { conn(Value(mixed), "inhibitory"); }));
    for (auto& x : mixed) x = -x;
    EXPECT_TRUE(throws(ErrorKind::connection, "weight", [&] { conn(Value(mixed), "excitatory"); }));
    // Random weights straddling zero.
    const RandomValue rv{Distribution::make("uniform", {-1.0, 1.0}), StreamKey{1, 2, 0, 0}};
    EXPECT_TRUE(throws(ErrorKind::connection, "weight", [&] { conn(Value(rv), "excitatory"); }));
    // Valid ones, including zero on both receptors.
    EXPECT_EQ(conn(-0.3, "inhibitory"), 0u);
    EXPECT_EQ(conn(0.0, "inhibitory"), 1u);
    EXPECT_EQ(conn(0.0, "excitatory"), 2u);
    EXPECT_EQ(conn(0.3, "excitatory"), 3u);
    // PyNN's safe=False (check_weights = false) skips the sign rule: the
    // weights are stored as given (float32).
    {
        pineal::Connector unchecked{AllToAllConnector{}};
        unchecked.check_weights = false;
        const auto h = sim.connect(
            projection(a, b, unchecked, Value(-0.25), std::nullopt, "excitatory"));
        const auto data = sim.connections(h);
        ASSERT_EQ(data.weight.size(), 9u);
        for (double w : data.weight) EXPECT_EQ(w, -0.25);
    }
    // Unknown receptor, and a target that takes no input.
    const auto src = sim.create_population("SpikeSourcePoisson", 3, "src");
    for (const auto& [post, receptor] : {std::pair{b, "AMPA"}, std::pair{src, "excitatory"}}) {
        try {
            sim.connect(projection(a, post, AllToAllConnector{}, 0.1, std::nullopt, receptor));
            ADD_FAILURE() << "no error for receptor " << receptor;
        } catch (const pineal::Error& e) {
            EXPECT_EQ(e.kind(), ErrorKind::connection);
            EXPECT_EQ(e.parameter(), "receptor_type");
            EXPECT_NE(std::string(e.what()).find(receptor), std::string::npos) << e.what();
        }
    }
    EXPECT_TRUE(throws(ErrorKind::out_of_range, "",
                       [&] { sim.connect(projection(a, 9, AllToAllConnector{})); }));
}

namespace {
// A sink that keeps what it receives, for targets of one parity (a partition).
struct ListSink final : pineal::ConnectionSink {
    int parity = -1;  // -1: owns every target
    std::vector<std::tuple<std::uint32_t, std::uint32_t, double, double>> rows;
    bool owns(std::uint32_t post) const override { return parity < 0 || int(post % 2) == parity; }
    void connect(std::uint32_t post, std::span<const std::uint32_t> pre,
                 std::span<const double> w, std::span<const double> d) override {
        EXPECT_TRUE(owns(post));
        for (std::size_t k = 0; k < pre.size(); ++k) rows.emplace_back(pre[k], post, w[k], d[k]);
    }
};

pineal::ConnectionRequest request(Value weight, pineal::WeightSign sign) {
    pineal::ConnectionRequest r;
    r.label = "direct";
    r.n_pre = 3;
    r.n_post = 4;
    r.pre_first_id = 1;
    r.post_first_id = 10;
    r.weight = std::move(weight);
    r.delay = 1.0;
    r.weight_sign = sign;
    return r;
}
}  // namespace

TEST(Connectors, MixedSignsAreRejectedWhereEitherSignIsAllowed) {
    std::vector<double> w(12, -0.5);
    ListSink ok;
    auto generate = [](const std::vector<double>& weights, ListSink& sink) {
        pineal::generate_connections(AllToAllConnector{},
                                     request(Value(weights), pineal::WeightSign::any), sink);
    };
    generate(w, ok);
    EXPECT_EQ(ok.rows.size(), 12u);
    w[11] = 0.5;  // the last target's last weight flips the sign
    ListSink sink;
    EXPECT_TRUE(throws(ErrorKind::connection, "weight", [&] { generate(w, sink); }));
    w.assign(12, 0.0);
    w[3] = 0.5;  // zeros go with either sign
    ListSink zeros;
    generate(w, zeros);
    EXPECT_EQ(zeros.rows.size(), 12u);
}

TEST(Connectors, PartitionsGenerateOnlyTheirTargetsAndAgreeWithTheWhole) {
    const RandomValue rv{Distribution::make("uniform", {0.1, 0.9}), StreamKey{8, 1, 0, 0}};
    const pineal::Connector c = fixed_p(0.5, 21, 6);
    const auto r = request(Value(rv), pineal::WeightSign::non_negative);
    ListSink whole, even, odd;
    even.parity = 0;
    odd.parity = 1;
    pineal::generate_connections(c, r, whole);
    pineal::generate_connections(c, r, even);
    pineal::generate_connections(c, r, odd);
    auto merged = even.rows;
    merged.insert(merged.end(), odd.rows.begin(), odd.rows.end());
    std::sort(merged.begin(), merged.end());
    auto all = whole.rows;
    std::sort(all.begin(), all.end());
    EXPECT_EQ(merged, all);
    EXPECT_GT(even.rows.size(), 0u);
    EXPECT_GT(odd.rows.size(), 0u);
}

TEST(Connectors, SelfConnectionsByIdWhenTheCellListsDoNotAscend) {
    // An Assembly side out of creation order: ids 7, 5, 6 and 6, 7. Without
    // self-connections the pairs (id 7 -> 7) and (6 -> 6) are left out.
    const std::vector<std::uint32_t> pre{7, 5, 6}, post{6, 7};
    pineal::ConnectionRequest r = request(0.5, pineal::WeightSign::any);
    r.n_pre = 3;
    r.n_post = 2;
    r.pre_first_id = r.post_first_id = 0;
    r.pre_cells = pre;
    r.post_cells = post;
    r.pre_cells_sorted = r.post_cells_sorted = false;
    EXPECT_EQ(r.pre_index_of(6), std::optional<std::uint32_t>(2));
    EXPECT_EQ(r.post_index_of(7), std::optional<std::uint32_t>(1));
    EXPECT_EQ(r.post_index_of(5), std::nullopt);
    ListSink sink;
    AllToAllConnector c;
    c.allow_self_connections = false;
    pineal::generate_connections(c, r, sink);
    std::set<Pair> got;
    for (const auto& [i, j, w, d] : sink.rows) got.insert({i, j});
    EXPECT_EQ(got, (std::set<Pair>{{0, 0}, {1, 0}, {1, 1}, {2, 1}}));
}

TEST(Connectors, ProgressIsReportedEveryPercentOfTheTargets) {
    std::vector<double> seen;
    pineal::ConnectionProgress progress(300, [&](double f) { seen.push_back(f); });
    pineal::ConnectionRequest r = request(0.5, pineal::WeightSign::any);
    r.n_post = 300;
    r.progress = &progress;
    ListSink sink;
    pineal::generate_connections(fixed_p(0.3, 4, 1), r, sink);
    ASSERT_EQ(seen.size(), 100u);  // every 3 targets
    for (std::size_t k = 0; k < seen.size(); ++k) EXPECT_DOUBLE_EQ(seen[k], 3.0 * (k + 1) / 300);
}
