// PyNN's space: cell positions (structures) and the distances between them.
// Positions are 3 x N, row-major: x of every cell, then y, then z.
#pragma once

#include <array>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "pineal/random.hpp"

namespace pineal {

// Space(axes, scale_factor, offset, periodic_boundaries). Post-synaptic
// positions are transformed as scale_factor * (pos + offset) before the
// difference is taken (PyNN's convention); periodic axes wrap the difference
// to the nearest image.
struct Space {
    std::array<bool, 3> axes{true, true, true};  // which of x, y, z count
    double scale_factor = 1.0;
    std::array<double, 3> offset{0.0, 0.0, 0.0};
    std::array<std::optional<std::pair<double, double>>, 3> periodic{};

    // Parses PyNN's axes argument: "", "x", "xy", ..., "xyz" ("" = all).
    static std::array<bool, 3> parse_axes(const std::string& axes);

    // Displacement post - pre along the counted axes (0 on the others), with
    // the post position already transformed by transform_post().
    std::array<double, 3> displacement(const double* pre, const std::array<double, 3>& post) const;
    std::array<double, 3> transform_post(const double* post) const;
    static double norm(const std::array<double, 3>& v) {
        return std::sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
    }
};

// Positions of both sides of a projection and the space they live in.
struct Geometry {
    std::vector<double> pre;   // 3 x n_pre
    std::vector<double> post;  // 3 x n_post
    Space space;
    std::size_t n_pre() const { return pre.size() / 3; }
    std::size_t n_post() const { return post.size() / 3; }
    // Position of cell i as (x, y, z) (copied out of the 3 x N layout).
    static std::array<double, 3> at(const std::vector<double>& p, std::size_t i) {
        const std::size_t n = p.size() / 3;
        return {p[i], p[n + i], p[2 * n + i]};
    }
};

// Structures (PyNN's BaseStructure subclasses). Each returns 3 x n positions.
std::vector<double> line_positions(std::size_t n, double dx, double x0, double y, double z);
// nx = sqrt(n * aspect_ratio) must be an integer and divide n; y varies fastest.
// With `shuffle`, positions are permuted with the stream `key`.
std::vector<double> grid2d_positions(std::size_t n, double aspect_ratio, double dx, double dy,
                                     double x0, double y0, double z,
                                     const std::optional<StreamKey>& shuffle);
std::vector<double> grid3d_positions(std::size_t n, double aspect_xy, double aspect_xz,
                                     double dx, double dy, double dz, double x0, double y0,
                                     double z0, const std::optional<StreamKey>& shuffle);
// Uniform points in a Cuboid(width, height, depth) or a Sphere(radius)
// centred on `origin`; point i comes from stream entity i.
std::vector<double> cuboid_positions(std::size_t n, double width, double height, double depth,
                                     std::array<double, 3> origin, StreamKey key);
std::vector<double> sphere_positions(std::size_t n, double radius, std::array<double, 3> origin,
                                     StreamKey key);

}  // namespace pineal
