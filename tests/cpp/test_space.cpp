// Structures (positions) and distances in a Space.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <tuple>

#include "pineal/space.hpp"
#include "test_support.hpp"

namespace pineal {
namespace {

TEST(Structures, LineIsX0PlusDxI) {
    const auto p = line_positions(3, 2.0, 1.0, 5.0, 6.0);
    EXPECT_EQ(p, (std::vector<double>{1, 3, 5, 5, 5, 5, 6, 6, 6}));
}

TEST(Structures, Grid2DHasYFastest) {
    // 6 cells, aspect ratio 1.5: nx = 3, ny = 2.
    const auto p = grid2d_positions(6, 1.5, 10.0, 1.0, 100.0, 0.0, 7.0, std::nullopt);
    EXPECT_EQ(std::vector<double>(p.begin(), p.begin() + 6),
              (std::vector<double>{100, 100, 110, 110, 120, 120}));
    EXPECT_EQ(std::vector<double>(p.begin() + 6, p.begin() + 12),
              (std::vector<double>{0, 1, 0, 1, 0, 1}));
    EXPECT_EQ(p[12], 7.0);
    EXPECT_TRUE(test::throws(ErrorKind::invalid_dimensions, "aspect_ratio", [] {
        grid2d_positions(10, 1.0, 1, 1, 0, 0, 0, std::nullopt);
    }));
}

TEST(Structures, Grid3DHasZFastestAndShufflingPermutes) {
    const auto p = grid3d_positions(8, 1.0, 1.0, 1, 1, 1, 0, 0, 0, std::nullopt);
    // cell 1 is (0, 0, 1), cell 2 (0, 1, 0), cell 4 (1, 0, 0)
    EXPECT_EQ(std::make_tuple(p[1], p[8 + 1], p[16 + 1]), std::make_tuple(0.0, 0.0, 1.0));
    EXPECT_EQ(std::make_tuple(p[2], p[8 + 2], p[16 + 2]), std::make_tuple(0.0, 1.0, 0.0));
    EXPECT_EQ(std::make_tuple(p[4], p[8 + 4], p[16 + 4]), std::make_tuple(1.0, 0.0, 0.0));
    const auto q = grid3d_positions(8, 1.0, 1.0, 1, 1, 1, 0, 0, 0, StreamKey{3, 1, 0, 0});
    std::set<std::tuple<double, double, double>> a, b;
    for (int i = 0; i < 8; ++i) a.emplace(p[i], p[8 + i], p[16 + i]), b.emplace(q[i], q[8 + i], q[16 + i]);
    EXPECT_EQ(a, b);
    EXPECT_NE(p, q);
    EXPECT_TRUE(test::throws(ErrorKind::invalid_dimensions, "aspect_ratioXY", [] {
        grid3d_positions(9, 1.0, 1.0, 1, 1, 1, 0, 0, 0, std::nullopt);
    }));
}

TEST(Structures, RandomPointsStayInsideTheirShape) {
    const std::size_t n = 20000;
    const auto s = sphere_positions(n, 2.0, {1, 2, 3}, StreamKey{5, 2, 0, 0});
    const auto c = cuboid_positions(n, 2.0, 4.0, 6.0, {0, 0, 10}, StreamKey{5, 3, 0, 0});
    double mean_r3 = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const double r = std::hypot(s[i] - 1, s[n + i] - 2, s[2 * n + i] - 3);
        EXPECT_LE(r, 2.0);
        mean_r3 += std::pow(r / 2.0, 3) / double(n);
        EXPECT_LE(std::fabs(c[i]), 1.0);
        EXPECT_LE(std::fabs(c[n + i]), 2.0);
        EXPECT_LE(std::fabs(c[2 * n + i] - 10), 3.0);
    }
    // Uniform in a ball: (r/R)^3 is uniform on [0, 1]: mean 1/2, sd 1/sqrt(12 n).
    EXPECT_NEAR(mean_r3, 0.5, 5.0 / std::sqrt(12.0 * double(n)));
}

TEST(Space, DistancesWithScaleOffsetAxesAndPeriodicBoundaries) {
    Space s;
    const double pre[3] = {0, 0, 0};
    const double post[3] = {3, 4, 12};
    EXPECT_EQ(Space::norm(s.displacement(pre, s.transform_post(post))), 13.0);
    s.axes = Space::parse_axes("xy");
    EXPECT_EQ(Space::norm(s.displacement(pre, s.transform_post(post))), 5.0);
    s.scale_factor = 2.0;
    s.offset = {-1.5, -2.0, 0.0};  // post becomes 2 * (1.5, 2, .) = (3, 4, .)
    EXPECT_EQ(Space::norm(s.displacement(pre, s.transform_post(post))), 5.0);
    Space p;
    p.periodic[0] = std::pair{0.0, 10.0};
    const double a[3] = {1, 0, 0};
    const double b[3] = {9, 0, 0};
    const auto d = p.displacement(a, p.transform_post(b));
    EXPECT_EQ(d[0], -2.0);  // nearest image: 9 is 2 to the left of 1 + 10
    const double c[3] = {4, 0, 0};
    EXPECT_EQ(p.displacement(a, p.transform_post(c))[0], 3.0);
    EXPECT_TRUE(test::throws(ErrorKind::invalid_parameter_value, "axes",
                             [] { Space::parse_axes("xw"); }));
}

}  // namespace
}  // namespace pineal
