// Bindings of Projection.set on the Simulation (Simulation::set_synapses),
// attached to the Simulation class bound in simulation.cpp.
#include <nanobind/nanobind.h>
#include <nanobind/stl/optional.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/vector.h>

#include <memory>

#include "bindings/convert.hpp"
#include "pineal/simulation.hpp"

namespace pineal::bindings {

using namespace nb::literals;

void bind_projection_update(nb::module_& m) {
    (void)m;
    nb::handle cls = nb::type<Simulation>();
    nb::setattr(
        cls, "set_synapses",
        nb::cpp_function(
            [](Simulation& s, std::size_t projection, const std::string& attribute,
               const Value& value, bool per_connection, std::optional<std::string> expression,
               const Geometry* geometry, bool check_only, bool initial) {
                SynapseUpdate u;
                u.value = value;
                u.per_connection = per_connection;
                u.expression = std::move(expression);
                if (geometry) u.geometry = std::make_shared<const Geometry>(*geometry);
                u.check_only = check_only;
                u.initial = initial;
                s.set_synapses(projection, attribute, u);
            },
            nb::scope(cls), nb::name("set_synapses"), nb::is_method(), "projection"_a,
            "attribute"_a, "value"_a, "per_connection"_a = false,
            "expression"_a.none() = nb::none(), "geometry"_a.none() = nb::none(), "check_only"_a = false,
            "initial"_a = false, nb::call_guard<nb::gil_scoped_release>()));
    nb::setattr(cls, "synapse_attributes",
                nb::cpp_function(
                    [](const Simulation& s, std::size_t projection) {
                        return s.synapse_attributes(projection);
                    },
                    nb::scope(cls), nb::name("synapse_attributes"), nb::is_method(),
                    "projection"_a));
}

}  // namespace pineal::bindings
