// Structures and distances (PyNN's pyNN.space, documented behaviour).
#include "pineal/space.hpp"

#include <cmath>
#include <numeric>

#include "pineal/errors.hpp"

namespace pineal {

std::array<bool, 3> Space::parse_axes(const std::string& axes) {
    if (axes.empty()) return {true, true, true};
    std::array<bool, 3> out{false, false, false};
    static const std::string kNames = "xyz";
    for (char c : axes) {
        const auto k = kNames.find(c);
        if (k == std::string::npos || out[k])
            fail(ErrorKind::invalid_parameter_value, "Space", "axes", "Space: axes must be one of "
                 "None, 'x', 'y', 'z', 'xy', 'yz', 'xz', 'xyz', got '", axes, "'");
        out[k] = true;
    }
    return out;
}

std::array<double, 3> Space::transform_post(const double* post) const {
    return {scale_factor * (post[0] + offset[0]), scale_factor * (post[1] + offset[1]),
            scale_factor * (post[2] + offset[2])};
}

std::array<double, 3> Space::displacement(const double* pre,
                                          const std::array<double, 3>& post) const {
    std::array<double, 3> d{0.0, 0.0, 0.0};
    for (int k = 0; k < 3; ++k) {
        if (!axes[k]) continue;
        double x = post[k] - pre[k];
        if (periodic[k]) {
            // Nearest image: |x| becomes min(|x|, L - |x|), sign kept.
            const double L = periodic[k]->second - periodic[k]->first;
            const double a = std::fabs(x);
            if (L - a < a) x = x > 0 ? -(L - a) : (L - a);
        }
        d[k] = x;
    }
    return d;
}

std::vector<double> line_positions(std::size_t n, double dx, double x0, double y, double z) {
    std::vector<double> p(3 * n);
    for (std::size_t i = 0; i < n; ++i) p[i] = x0 + dx * double(i), p[n + i] = y, p[2 * n + i] = z;
    return p;
}

namespace {

void shuffle_columns(std::vector<double>& p, std::size_t n, const StreamKey& key) {
    std::vector<std::size_t> perm(n);
    std::iota(perm.begin(), perm.end(), 0);
    RandomStream rng(key);
    for (std::size_t i = n; i > 1; --i) {
        const auto j = static_cast<std::size_t>(rng.uniform() * double(i));
        std::swap(perm[i - 1], perm[j < i ? j : i - 1]);
    }
    std::vector<double> q(p.size());
    for (std::size_t i = 0; i < n; ++i)
        for (int k = 0; k < 3; ++k) q[k * n + i] = p[k * n + perm[i]];
    p.swap(q);
}

}  // namespace

std::vector<double> grid2d_positions(std::size_t n, double aspect_ratio, double dx, double dy,
                                     double x0, double y0, double z,
                                     const std::optional<StreamKey>& shuffle) {
    const double nx_f = std::sqrt(double(n) * aspect_ratio);
    const auto nx = static_cast<std::size_t>(std::llround(nx_f));
    if (!(aspect_ratio > 0) || std::fabs(nx_f - double(nx)) > 1e-9 * std::max(1.0, nx_f) ||
        nx == 0 || n % nx != 0)
        fail(ErrorKind::invalid_dimensions, "Grid2D", "aspect_ratio", "Grid2D: ", n,
             " cells cannot be arranged with aspect_ratio ", aspect_ratio,
             " (sqrt(n * aspect_ratio) must be an integer dividing n)");
    const std::size_t ny = n / nx;
    std::vector<double> p(3 * n);
    for (std::size_t i = 0; i < n; ++i) {
        p[i] = x0 + dx * double(i / ny);
        p[n + i] = y0 + dy * double(i % ny);
        p[2 * n + i] = z;
    }
    if (shuffle) shuffle_columns(p, n, *shuffle);
    return p;
}

std::vector<double> grid3d_positions(std::size_t n, double aspect_xy, double aspect_xz,
                                     double dx, double dy, double dz, double x0, double y0,
                                     double z0, const std::optional<StreamKey>& shuffle) {
    const auto nx = static_cast<std::size_t>(
        std::llround(std::cbrt(double(n) * aspect_xy * aspect_xz)));
    const auto ny = nx == 0 ? 0 : static_cast<std::size_t>(std::llround(double(nx) / aspect_xy));
    const auto nz = nx == 0 ? 0 : static_cast<std::size_t>(std::llround(double(nx) / aspect_xz));
    if (!(aspect_xy > 0 && aspect_xz > 0) || nx * ny * nz != n)
        fail(ErrorKind::invalid_dimensions, "Grid3D", "aspect_ratioXY", "Grid3D: ", n,
             " cells cannot be arranged with aspect_ratioXY ", aspect_xy, ", aspect_ratioXZ ",
             aspect_xz,
             " (nx * ny * nz = ", nx, " * ", ny, " * ", nz, ")");
    std::vector<double> p(3 * n);
    for (std::size_t i = 0; i < n; ++i) {
        p[i] = x0 + dx * double(i / (ny * nz));
        p[n + i] = y0 + dy * double((i / nz) % ny);
        p[2 * n + i] = z0 + dz * double(i % nz);
    }
    if (shuffle) shuffle_columns(p, n, *shuffle);
    return p;
}

std::vector<double> cuboid_positions(std::size_t n, double width, double height, double depth,
                                     std::array<double, 3> origin, StreamKey key) {
    const double ext[3] = {width, height, depth};
    for (double e : ext)
        if (!(e >= 0) || !std::isfinite(e))
            fail(ErrorKind::invalid_parameter_value, "Cuboid", "width/height/depth",
                 "Cuboid: extents must be finite and >= 0, got ", width, ", ", height, ", ",
                 depth);
    std::vector<double> p(3 * n);
    for (std::size_t i = 0; i < n; ++i) {
        key.entity = i;
        RandomStream rng(key);
        for (int k = 0; k < 3; ++k) p[k * n + i] = origin[k] + ext[k] * (rng.uniform() - 0.5);
    }
    return p;
}

std::vector<double> sphere_positions(std::size_t n, double radius, std::array<double, 3> origin,
                                     StreamKey key) {
    if (!(radius >= 0) || !std::isfinite(radius))
        fail(ErrorKind::invalid_parameter_value, "Sphere", "radius",
             "Sphere: radius must be finite and >= 0, got ", radius);
    std::vector<double> p(3 * n);
    for (std::size_t i = 0; i < n; ++i) {
        key.entity = i;
        RandomStream rng(key);
        double v[3];
        do {  // rejection from the enclosing cube (acceptance pi/6)
            for (double& x : v) x = 2.0 * rng.uniform() - 1.0;
        } while (v[0] * v[0] + v[1] * v[1] + v[2] * v[2] > 1.0);
        for (int k = 0; k < 3; ++k) p[k * n + i] = origin[k] + radius * v[k];
    }
    return p;
}

}  // namespace pineal
