// The synapse store (src/engine/synapse_store.hpp) keeps local targets in 16
// bits in blocks of at most 65536 cells and in 32 bits above. Both widths
// must hold and deliver the same synapses: the same rows, segments and
// summation order, the last index of a 16-bit block included.
#include <gtest/gtest.h>

#include <cstdint>
#include <tuple>
#include <vector>

#include "engine/synapse_store.hpp"

namespace {

using Row = std::tuple<std::uint32_t, std::uint32_t, double, std::int32_t>;

// Connections onto local targets {0, 7, last}: 3 sources, two delays.
pineal::ProjectionStore build(std::size_t block) {
    pineal::ProjectionStore store(0, 1, 0, 3, 10, 10 + block, "test");
    const pineal::DelayRules rules{0.1, 0.0, 100.0};
    const std::uint32_t last = static_cast<std::uint32_t>(block - 1);
    for (std::uint32_t t : {0u, 7u, last}) {
        const std::vector<std::uint32_t> pre = {2, 0, 2, 1};
        const std::vector<double> w = {t == 7 ? 2.5 : 0.5, -1.25, 0.125, 3.0};
        const std::vector<double> d = {0.2, 0.1, 0.1, 0.3};
        store.append(static_cast<std::uint32_t>(10 + t), pre, w, d, rules);
    }
    store.finish();
    return store;
}

std::vector<Row> rows(const pineal::ProjectionStore& s) {
    std::vector<Row> out;
    s.for_each([&](std::uint32_t i, std::uint32_t post, double w, std::int32_t d) {
        out.emplace_back(i, post - 10, w, d);
    });
    return out;
}

}  // namespace

TEST(SynapseStore, NarrowAndWideTargetsHoldTheSameSynapses) {
    const pineal::ProjectionStore narrow = build(65536), wide = build(65537);
    EXPECT_TRUE(narrow.narrow_targets());
    EXPECT_FALSE(wide.narrow_targets());
    auto a = rows(narrow), b = rows(wide);
    ASSERT_EQ(a.size(), 12u);
    for (auto& r : a)
        if (std::get<1>(r) == 65535) std::get<1>(r) = 65536;  // the last cell
    EXPECT_EQ(a, b);
    // Rows by source, segments by increasing delay: source 2 has delays 1
    // (targets 0, 7, last, generation order) and 2.
    const auto segs = narrow.segments(2);
    ASSERT_EQ(segs.size(), 2u);
    EXPECT_EQ(segs[0].delay, 1);
    EXPECT_EQ(segs[1].delay, 2);
    std::vector<std::uint32_t> targets;
    for (const pineal::Synapse s : narrow.synapses(segs[0])) targets.push_back(s.target);
    EXPECT_EQ(targets, (std::vector<std::uint32_t>{0, 7, 65535}));
    // Rows 4 x 4 B, segments (4 + sentinel) x 8 B, synapses 6 or 8 B.
    EXPECT_EQ(narrow.bytes(), 4 * 4 + 5 * 8 + 12 * 6u);
    EXPECT_EQ(wide.bytes(), 4 * 4 + 5 * 8 + 12 * 8u);
}

TEST(SynapseStore, AddIntoSumsEachSegmentIntoItsTargets) {
    for (std::size_t block : {std::size_t{65536}, std::size_t{65537}}) {
        const pineal::ProjectionStore store = build(block);
        std::vector<double> slot(block, 0.0);
        for (std::uint32_t i = 0; i < 3; ++i)
            for (const auto& seg : store.segments(i)) store.add_into(seg, slot.data());
        const std::size_t last = block - 1;
        // Per target: 0.5 (2.5 for cell 7) - 1.25 + 0.125 + 3.0 (dyadic: exact sums).
        EXPECT_EQ(slot[0], 0.5 - 1.25 + 0.125 + 3.0) << block;
        EXPECT_EQ(slot[7], 2.5 - 1.25 + 0.125 + 3.0) << block;
        EXPECT_EQ(slot[last], 0.5 - 1.25 + 0.125 + 3.0) << block;
        double total = 0.0;
        for (double x : slot) total += x;
        EXPECT_EQ(total, slot[0] + slot[7] + slot[last]) << block;
    }
}
