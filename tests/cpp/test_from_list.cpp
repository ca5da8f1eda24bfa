// FromListConnector groups the rows by target with a counting sort restricted
// to the targets each worker owns (src/core/connectors_basic.cpp): every row
// must arrive exactly once, with its own weight and delay, the same for any
// (threads, virtual ranks), duplicates (multapses) included.
#include <gtest/gtest.h>

#include <algorithm>
#include <tuple>

#include "test_support.hpp"

namespace pineal {
namespace {

FromListConnector random_list(std::size_t rows, std::uint32_t n_pre, std::uint32_t n_post) {
    RandomStream rng({5, 6, 7, 8});
    FromListConnector fl;
    std::vector<double> w, d;
    for (std::size_t k = 0; k < rows; ++k) {
        fl.pre.push_back(static_cast<std::uint32_t>(rng.next_u64() % n_pre));
        fl.post.push_back(static_cast<std::uint32_t>(rng.next_u64() % n_post));
        w.push_back(0.001 * double(k + 1));             // identifies the row
        d.push_back(0.1 * double(1 + rng.next_u64() % 20));
    }
    fl.columns = {{"weight", w}, {"delay", d}};
    return fl;
}

ConnectionData connect(int threads, int ranks, const FromListConnector& fl) {
    SetupOptions o;
    o.threads = threads;
    o.virtual_ranks = ranks;
    Simulation sim(o);
    const auto a = sim.create_population("SpikeSourceArray", 30, "a");
    const auto b = sim.create_population("IF_curr_exp", 25, "b");
    return sim.connections(sim.connect(test::projection(a, b, fl)));
}

TEST(FromList, EveryRowOnceWithItsValuesForAnyPartition) {
    const auto fl = random_list(3000, 30, 25);  // about 4 rows per (pre, post) pair
    const ConnectionData one = connect(1, 1, fl);
    using Row = std::tuple<std::uint32_t, std::uint32_t, double, double>;
    std::vector<Row> expected, got;
    for (std::size_t k = 0; k < fl.pre.size(); ++k)
        expected.emplace_back(fl.pre[k], fl.post[k], double(float(fl.columns[0].second[k])),
                              fl.columns[1].second[k]);
    for (std::size_t k = 0; k < one.pre.size(); ++k)
        got.emplace_back(one.pre[k], one.post[k], one.weight[k], one.delay[k]);
    std::sort(expected.begin(), expected.end());
    std::sort(got.begin(), got.end());
    ASSERT_EQ(got.size(), expected.size());
    for (std::size_t k = 0; k < got.size(); ++k) {
        EXPECT_EQ(std::get<0>(got[k]), std::get<0>(expected[k])) << k;
        EXPECT_EQ(std::get<1>(got[k]), std::get<1>(expected[k])) << k;
        EXPECT_EQ(std::get<2>(got[k]), std::get<2>(expected[k])) << k;
        EXPECT_DOUBLE_EQ(std::get<3>(got[k]), std::get<3>(expected[k])) << k;
    }
    for (auto [threads, ranks] : {std::pair{2, 1}, {3, 1}, {2, 3}}) {
        const ConnectionData other = connect(threads, ranks, fl);
        EXPECT_EQ(other.pre, one.pre) << threads << " x " << ranks;
        EXPECT_EQ(other.post, one.post) << threads << " x " << ranks;
        EXPECT_EQ(other.weight, one.weight) << threads << " x " << ranks;
        EXPECT_EQ(other.delay, one.delay) << threads << " x " << ranks;
    }
}

}  // namespace
}  // namespace pineal
