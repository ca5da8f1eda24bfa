// Bindings of the description types: model catalogue, values, connectors.
#include <nanobind/nanobind.h>
#include <nanobind/stl/optional.h>
#include <nanobind/stl/pair.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/vector.h>

#include <algorithm>
#include <tuple>

#include "bindings/convert.hpp"
#include "bindings/progress.hpp"
#include "pineal/connectors.hpp"
#include "pineal/model.hpp"
#include "pineal/values.hpp"

namespace pineal::bindings {

using namespace nb::literals;

void bind_models(nb::module_& m) {
    nb::class_<ParameterInfo>(m, "ParameterInfo")
        .def_ro("name", &ParameterInfo::name)
        .def_ro("default_value", &ParameterInfo::default_value)
        .def_ro("unit", &ParameterInfo::unit)
        .def_ro("doc", &ParameterInfo::doc)
        .def_ro("default_sequence", &ParameterInfo::default_sequence)
        .def_prop_ro("is_sequence",
                     [](const ParameterInfo& p) { return p.shape != ParameterShape::scalar; });
    nb::class_<StateInfo>(m, "StateInfo")
        .def_ro("name", &StateInfo::name)
        .def_ro("initial_value", &StateInfo::initial_value)
        .def_ro("unit", &StateInfo::unit);
    nb::class_<ModelInfo>(m, "ModelInfo")
        .def_ro("name", &ModelInfo::name)
        .def_ro("parameters", &ModelInfo::parameters)
        .def_ro("state", &ModelInfo::state)
        .def_ro("recordable", &ModelInfo::recordable)
        .def_ro("receptor_types", &ModelInfo::receptor_types)
        .def_ro("conductance_based", &ModelInfo::conductance_based)
        .def_ro("injectable", &ModelInfo::injectable)
        .def_ro("spike_source", &ModelInfo::spike_source)
        .def_ro("doc", &ModelInfo::doc);
    m.def("standard_models", &standard_models, nb::rv_policy::reference);
    m.def("find_model", &find_model, "name"_a, nb::rv_policy::reference);
    // PointNeuron: builds (or finds) the composed model and returns it.
    m.def("compose_point_neuron", &compose_point_neuron, "neuron"_a, "receptors"_a,
          nb::rv_policy::reference);
}

void bind_values(nb::module_& m) {
    nb::class_<Value>(m, "Value")
        .def_static("scalar", [](double x) { return Value(x); })
        .def_static("array", [](const Array1<double>& a) { return Value(to_vector(a)); })
        .def_static(
            "random",
            [](const std::string& name, std::vector<double> parameters, std::uint64_t seed,
               std::uint64_t stream) {
                RandomValue r{Distribution::make(name, std::move(parameters)), {seed, stream, 0, 0}};
                return Value(std::move(r));
            },
            "name"_a, "parameters"_a, "seed"_a, "stream"_a);
    // Draws n values of a distribution as the core would for entities 0..n-1
    // (used by tests and to evaluate random values on the Python side).
    m.def(
        "draw",
        [](const std::string& name, std::vector<double> parameters, std::uint64_t seed,
           std::uint64_t stream, std::size_t n) {
            std::vector<double> out(n);
            draw_per_entity(Distribution::make(name, std::move(parameters)), {seed, stream, 0, 0},
                            0, n, out.data());
            return to_numpy(std::move(out));
        },
        "name"_a, "parameters"_a, "seed"_a, "stream"_a, "n"_a);
}

void bind_space(nb::module_& m);  // bindings/space.cpp

namespace {

StreamKey key(std::uint64_t seed, std::uint64_t stream) { return {seed, stream, 0, 0}; }

// Every rule converts implicitly into a Connector (no geometry, no expressions).
template <class Rule>
void rule_converts(nb::class_<Connector>& cls) {
    cls.def(nb::init_implicit<Rule>());
}

}  // namespace

void bind_connectors(nb::module_& m) {
    bind_space(m);
    nb::class_<AllToAllConnector>(m, "AllToAllConnector")
        .def(nb::init<>())
        .def_rw("allow_self_connections", &AllToAllConnector::allow_self_connections);
    nb::class_<OneToOneConnector>(m, "OneToOneConnector").def(nb::init<>());
    nb::class_<FixedProbabilityConnector>(m, "FixedProbabilityConnector")
        .def("__init__",
             [](FixedProbabilityConnector* c, double p, bool allow_self, std::uint64_t seed,
                std::uint64_t stream) {
                 new (c) FixedProbabilityConnector{p, allow_self, key(seed, stream)};
             },
             "p_connect"_a, "allow_self_connections"_a, "seed"_a, "stream"_a);
    nb::class_<DistanceDependentProbabilityConnector>(m, "DistanceDependentProbabilityConnector")
        .def("__init__",
             [](DistanceDependentProbabilityConnector* c, const std::string& e, bool allow_self,
                std::uint64_t seed, std::uint64_t stream) {
                 new (c) DistanceDependentProbabilityConnector{e, allow_self, key(seed, stream)};
             },
             "d_expression"_a, "allow_self_connections"_a, "seed"_a, "stream"_a);
    nb::class_<ProbabilityMatrixConnector>(m, "ProbabilityMatrixConnector")
        .def("__init__",
             [](ProbabilityMatrixConnector* c, const std::string& name, const Array1<double>& p,
                bool allow_self, std::uint64_t seed, std::uint64_t stream) {
                 new (c) ProbabilityMatrixConnector{name, to_vector(p), allow_self,
                                                    key(seed, stream)};
             },
             "name"_a, "p"_a, "allow_self_connections"_a, "seed"_a, "stream"_a);
    nb::class_<FixedNumberPreConnector>(m, "FixedNumberPreConnector")
        .def("__init__",
             [](FixedNumberPreConnector* c, const Value& n, bool allow_self, bool replace,
                std::uint64_t seed, std::uint64_t stream) {
                 new (c) FixedNumberPreConnector{n, allow_self, replace, key(seed, stream)};
             },
             "n"_a, "allow_self_connections"_a, "with_replacement"_a, "seed"_a, "stream"_a);
    nb::class_<FixedNumberPostConnector>(m, "FixedNumberPostConnector")
        .def("__init__",
             [](FixedNumberPostConnector* c, const Value& n, bool allow_self, bool replace,
                std::uint64_t seed, std::uint64_t stream) {
                 new (c) FixedNumberPostConnector{n, allow_self, replace, key(seed, stream)};
             },
             "n"_a, "allow_self_connections"_a, "with_replacement"_a, "seed"_a, "stream"_a);
    nb::class_<FixedTotalNumberConnector>(m, "FixedTotalNumberConnector")
        .def("__init__",
             [](FixedTotalNumberConnector* c, std::uint64_t n, bool allow_self, bool replace,
                std::uint64_t seed, std::uint64_t stream, bool no_mutual) {
                 new (c) FixedTotalNumberConnector{n, allow_self, replace, key(seed, stream),
                                                   no_mutual};
             },
             "n"_a, "allow_self_connections"_a, "with_replacement"_a, "seed"_a, "stream"_a,
             "no_mutual"_a = false);
    nb::class_<SmallWorldConnector>(m, "SmallWorldConnector")
        .def("__init__",
             [](SmallWorldConnector* c, double degree, double rewiring, bool allow_self,
                std::uint64_t seed, std::uint64_t stream, bool no_mutual,
                std::optional<std::uint64_t> n_connections) {
                 new (c) SmallWorldConnector{degree, rewiring, allow_self, key(seed, stream),
                                             no_mutual, n_connections};
             },
             "degree"_a, "rewiring"_a, "allow_self_connections"_a, "seed"_a, "stream"_a,
             "no_mutual"_a = false, "n_connections"_a.none() = nb::none());
    nb::class_<FromListConnector>(m, "FromListConnector")
        .def("__init__",
             [](FromListConnector* c, const Array1<std::uint32_t>& pre,
                const Array1<std::uint32_t>& post, const std::vector<std::string>& names,
                const std::vector<Array1<double>>& columns) {
                 new (c) FromListConnector{to_vector(pre), to_vector(post), {}};
                 for (std::size_t k = 0; k < names.size() && k < columns.size(); ++k)
                     c->columns.emplace_back(names[k], to_vector(columns[k]));
             },
             "pre"_a, "post"_a, "column_names"_a, "columns"_a);

    nb::class_<Connector> cls(m, "Connector");
    rule_converts<AllToAllConnector>(cls);
    rule_converts<OneToOneConnector>(cls);
    rule_converts<FixedProbabilityConnector>(cls);
    rule_converts<DistanceDependentProbabilityConnector>(cls);
    rule_converts<ProbabilityMatrixConnector>(cls);
    rule_converts<FixedNumberPreConnector>(cls);
    rule_converts<FixedNumberPostConnector>(cls);
    rule_converts<FixedTotalNumberConnector>(cls);
    rule_converts<SmallWorldConnector>(cls);
    rule_converts<FromListConnector>(cls);
    cls.def_prop_ro("name", [](const Connector& c) { return connector_name(c); })
        .def("with_geometry",
             [](const Connector& c, const Geometry& g) {
                 Connector out = c;
                 out.geometry = std::make_shared<const Geometry>(g);
                 return out;
             })
        .def("with_expressions",
             [](const Connector& c, std::optional<std::string> w, std::optional<std::string> d) {
                 Connector out = c;
                 out.weight_expression = std::move(w);
                 out.delay_expression = std::move(d);
                 return out;
             },
             "weight"_a.none(), "delay"_a.none())
        .def("with_weight_checks",
             [](const Connector& c, bool check) {
                 Connector out = c;
                 out.check_weights = check;
                 return out;
             },
             "check"_a)
        .def_prop_ro("check_weights", [](const Connector& c) { return c.check_weights; });

    // The connections of a projection whose sides are lists of cell ids (an
    // Assembly), generated in the caller's thread into arrays instead of a
    // synapse store: (pre, post, weight, delay) in projection indices. The
    // ids only decide self-connections; they need not ascend.
    m.def(
        "generate_connection_list",
        [](const Connector& connector, const Array1<std::uint32_t>& pre_ids,
           const Array1<std::uint32_t>& post_ids, const Value& weight, const Value& delay,
           const std::string& label, std::optional<nb::object> progress) {
            struct Collect final : ConnectionSink {
                std::vector<std::uint32_t> pre, post;
                std::vector<double> weight, delay;
                void connect(std::uint32_t j, std::span<const std::uint32_t> i,
                             std::span<const double> w, std::span<const double> d) override {
                    pre.insert(pre.end(), i.begin(), i.end());
                    post.insert(post.end(), i.size(), j);
                    weight.insert(weight.end(), w.begin(), w.end());
                    delay.insert(delay.end(), d.begin(), d.end());
                }
            } sink;
            ConnectionRequest r;
            r.label = label;
            r.n_pre = static_cast<std::uint32_t>(pre_ids.shape(0));
            r.n_post = static_cast<std::uint32_t>(post_ids.shape(0));
            r.pre_cells = {pre_ids.data(), pre_ids.shape(0)};
            r.post_cells = {post_ids.data(), post_ids.shape(0)};
            r.pre_cells_sorted = std::is_sorted(r.pre_cells.begin(), r.pre_cells.end());
            r.post_cells_sorted = std::is_sorted(r.post_cells.begin(), r.post_cells.end());
            r.weight = weight;
            r.delay = delay;
            if (progress) {
                PythonProgress reporter(*progress);
                ConnectionProgress counter(r.n_post, reporter.hook());
                r.progress = &counter;
                reporter.run([&] { generate_connections(connector, r, sink); }, false);
            } else {
                generate_connections(connector, r, sink);
            }
            return nb::make_tuple(to_numpy(std::move(sink.pre)), to_numpy(std::move(sink.post)),
                                  to_numpy(std::move(sink.weight)),
                                  to_numpy(std::move(sink.delay)));
        },
        "connector"_a, "pre_ids"_a, "post_ids"_a, "weight"_a, "delay"_a, "label"_a,
        "progress"_a.none() = nb::none());
}

}  // namespace pineal::bindings
