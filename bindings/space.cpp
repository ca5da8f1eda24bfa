// Bindings of space, structures and the expression evaluator.
#include <nanobind/nanobind.h>
#include <nanobind/stl/array.h>
#include <nanobind/stl/optional.h>
#include <nanobind/stl/pair.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/vector.h>

#include <algorithm>

#include "bindings/convert.hpp"
#include "pineal/connectors.hpp"
#include "pineal/expression.hpp"
#include "pineal/space.hpp"

namespace pineal::bindings {

using namespace nb::literals;

namespace {

using Boundaries = std::vector<std::optional<std::pair<double, double>>>;

nb::ndarray<nb::numpy, double> as_3xn(std::vector<double>&& p) {
    const std::size_t n = p.size() / 3;
    return to_numpy(std::move(p), {3, n});
}

std::optional<StreamKey> shuffle_key(std::optional<std::pair<std::uint64_t, std::uint64_t>> k) {
    if (!k) return std::nullopt;
    return StreamKey{k->first, k->second, 0, 0};
}

}  // namespace

void bind_space(nb::module_& m) {
    nb::class_<Geometry>(m, "Geometry")
        .def("__init__",
             [](Geometry* g, const Array1<double>& pre, const Array1<double>& post,
                const std::string& axes, double scale_factor, std::array<double, 3> offset,
                const Boundaries& periodic) {
                 new (g) Geometry{to_vector(pre), to_vector(post), {}};
                 g->space.axes = Space::parse_axes(axes);
                 g->space.scale_factor = scale_factor;
                 g->space.offset = offset;
                 for (std::size_t k = 0; k < 3 && k < periodic.size(); ++k)
                     g->space.periodic[k] = periodic[k];
             },
             "pre"_a, "post"_a, "axes"_a, "scale_factor"_a, "offset"_a, "periodic"_a);
    m.def("line_positions",
          [](std::size_t n, double dx, double x0, double y, double z) {
              return as_3xn(line_positions(n, dx, x0, y, z));
          });
    m.def("grid2d_positions",
          [](std::size_t n, double a, double dx, double dy, double x0, double y0, double z,
             std::optional<std::pair<std::uint64_t, std::uint64_t>> shuffle) {
              return as_3xn(grid2d_positions(n, a, dx, dy, x0, y0, z, shuffle_key(shuffle)));
          },
          "n"_a, "aspect_ratio"_a, "dx"_a, "dy"_a, "x0"_a, "y0"_a, "z"_a, "shuffle"_a.none());
    m.def("grid3d_positions",
          [](std::size_t n, double axy, double axz, double dx, double dy, double dz, double x0,
             double y0, double z0, std::optional<std::pair<std::uint64_t, std::uint64_t>> shuffle) {
              return as_3xn(
                  grid3d_positions(n, axy, axz, dx, dy, dz, x0, y0, z0, shuffle_key(shuffle)));
          },
          "n"_a, "aspect_ratioXY"_a, "aspect_ratioXZ"_a, "dx"_a, "dy"_a, "dz"_a, "x0"_a, "y0"_a,
          "z0"_a, "shuffle"_a.none());
    m.def("cuboid_positions",
          [](std::size_t n, double w, double h, double d, std::array<double, 3> origin,
             std::uint64_t seed, std::uint64_t stream) {
              return as_3xn(cuboid_positions(n, w, h, d, origin, {seed, stream, 0, 0}));
          });
    m.def("sphere_positions",
          [](std::size_t n, double r, std::array<double, 3> origin, std::uint64_t seed,
             std::uint64_t stream) {
              return as_3xn(sphere_positions(n, r, origin, {seed, stream, 0, 0}));
          });
    nb::class_<Expression>(m, "Expression")
        .def(nb::init<const std::string&, std::vector<std::string>, const std::string&>(),
             "text"_a, "variables"_a, "what"_a = "expression")
        .def("evaluate",
             [](const Expression& e, std::vector<double> v) {
                 v.resize(std::max<std::size_t>(v.size(), 32), 0.0);  // unset variables read 0
                 return e.evaluate(v.data());
             })
        .def("uses", &Expression::uses)
        .def_prop_ro("text", &Expression::text);
    m.def("expression_variables", &expression_variables);
}

}  // namespace pineal::bindings
