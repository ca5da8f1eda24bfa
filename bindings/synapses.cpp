// Bindings of the dynamic synapse catalogue (models/synapses/) and of the
// description of a projection's synapse dynamics.
#include <nanobind/nanobind.h>
#include <nanobind/stl/pair.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/vector.h>

#include "bindings/convert.hpp"
#include "models/synapses/synapse_model.hpp"
#include "pineal/simulation.hpp"

namespace pineal::bindings {

using namespace nb::literals;

void bind_synapses(nb::module_& m) {
    nb::class_<SynapseParameter>(m, "SynapseParameter")
        .def_ro("name", &SynapseParameter::name)
        .def_ro("default_value", &SynapseParameter::default_value)
        .def_ro("unit", &SynapseParameter::unit)
        .def_ro("min", &SynapseParameter::min)
        .def_ro("max", &SynapseParameter::max)
        .def_ro("integer", &SynapseParameter::integer)
        .def_ro("doc", &SynapseParameter::doc);
    nb::class_<SynapseModelInfo>(m, "SynapseModelInfo")
        .def_ro("name", &SynapseModelInfo::name)
        .def_prop_ro("kind",
                     [](const SynapseModelInfo& s) {
                         switch (s.kind) {
                             case SynapseKind::timing_dependence: return "timing_dependence";
                             case SynapseKind::weight_dependence: return "weight_dependence";
                             default: return "synapse";
                         }
                     })
        .def_ro("parameters", &SynapseModelInfo::parameters)
        .def_ro("state", &SynapseModelInfo::state)
        .def_ro("learns_weight", &SynapseModelInfo::learns_weight)
        .def_ro("doc", &SynapseModelInfo::doc);
    m.def("synapse_models", &synapse_models, nb::rv_policy::reference);
    nb::class_<SynapseDynamics>(m, "SynapseDynamics")
        .def(nb::init<>())
        .def("__init__",
             [](SynapseDynamics* d, std::string model, std::string timing, std::string weight,
                std::vector<std::pair<std::string, double>> parameters) {
                 new (d) SynapseDynamics{std::move(model), std::move(timing), std::move(weight),
                                         std::move(parameters)};
             },
             "model"_a, "timing_dependence"_a = "", "weight_dependence"_a = "",
             "parameters"_a = std::vector<std::pair<std::string, double>>{})
        .def_rw("model", &SynapseDynamics::model)
        .def_rw("timing_dependence", &SynapseDynamics::timing_dependence)
        .def_rw("weight_dependence", &SynapseDynamics::weight_dependence)
        .def_rw("parameters", &SynapseDynamics::parameters);
}

void bind_synapse_queries(nb::class_<Simulation>& sim) {
    sim.def("synapse_state", [](const Simulation& s, std::size_t projection,
                                const std::string& variable) {
        return to_numpy(s.synapse_state(projection, variable));
    });
    sim.def("initialize_synapses", &Simulation::initialize_synapses, "projection"_a,
            "variable"_a, "value"_a, "check_only"_a = false);
    sim.def("set_synapse_parameter", &Simulation::set_synapse_parameter, "projection"_a, "name"_a,
            "value"_a, "check_only"_a = false);
}

}  // namespace pineal::bindings
