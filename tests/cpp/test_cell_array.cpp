// The per-cell arrays of engine shards (src/engine/cell_array.hpp): no two
// arrays share a 4 KB page, and they do not all start at one offset within
// a page (which would make their loads and stores alias).
#include <gtest/gtest.h>

#include <cstdint>
#include <set>
#include <vector>

#include "engine/cell_array.hpp"

namespace {
std::uintptr_t address(const void* p) { return reinterpret_cast<std::uintptr_t>(p); }
}  // namespace

TEST(CellArray, ArraysOfAPageOrMoreLeaveAPageFreeOnEitherSide) {
    // Interleaved with ordinary heap blocks, as shards' arrays are with
    // everything else.
    std::vector<pineal::CellArray> arrays;
    std::vector<std::vector<double>> others;
    for (int k = 0; k < 16; ++k) {
        arrays.emplace_back(2000, 1.0);  // 16 KB, as VA's blocks at 2 threads
        others.emplace_back(k % 3 + 1, 0.0);
    }
    for (std::size_t a = 0; a < arrays.size(); ++a) {
        const std::uintptr_t begin = address(arrays[a].data());
        const std::uintptr_t end = begin + arrays[a].size() * sizeof(double);
        auto apart = [&](std::uintptr_t b, std::uintptr_t e) {
            return e + 4096 <= begin || end + 4096 <= b;
        };
        for (std::size_t b = 0; b < arrays.size(); ++b)
            if (b != a) {
                const std::uintptr_t ob = address(arrays[b].data());
                EXPECT_TRUE(apart(ob, ob + arrays[b].size() * sizeof(double))) << a << ", " << b;
            }
        for (const auto& o : others)
            EXPECT_TRUE(apart(address(o.data()), address(o.data()) + o.size() * sizeof(double)));
    }
}

TEST(CellArray, ArraysStartAtStaggeredLinesOfTheirPage) {
    std::vector<pineal::CellArray> arrays;
    std::set<std::uintptr_t> offsets;
    for (int k = 0; k < 8; ++k) {
        arrays.emplace_back(1024, 0.0);
        EXPECT_EQ(address(arrays.back().data()) % 64, 0u);  // whole cache lines
        offsets.insert(address(arrays.back().data()) % 4096);
    }
    EXPECT_EQ(offsets.size(), 8u);
}

TEST(CellArray, SmallArraysCostNoMoreThanTheirOwnSizeInGuards) {
    EXPECT_EQ(pineal::cell_array_detail::guard_for(8), 0u);
    EXPECT_EQ(pineal::cell_array_detail::guard_for(511), 0u);
    EXPECT_EQ(pineal::cell_array_detail::guard_for(512), 512u);
    EXPECT_EQ(pineal::cell_array_detail::guard_for(1000), 1024u);
    EXPECT_EQ(pineal::cell_array_detail::guard_for(100000), 4096u);
    pineal::CellArray one(1, 3.0);
    for (int k = 0; k < 100; ++k) one.push_back(4.0);  // reallocations across the sizes
    EXPECT_EQ(one[0], 3.0);
    EXPECT_EQ(one[100], 4.0);
}

TEST(CellArray, SmallArraysHaveWholeCacheLinesOfTheirOwn) {
    // Two shards' blocks of a few cells never share a line.
    std::vector<pineal::CellArray> arrays;
    for (int k = 0; k < 8; ++k) arrays.emplace_back(3, 1.0);
    std::set<std::uintptr_t> lines;
    for (const auto& a : arrays) {
        EXPECT_EQ(address(a.data()) % 64, 0u);
        lines.insert(address(a.data()) / 64);
    }
    EXPECT_EQ(lines.size(), 8u);
}
