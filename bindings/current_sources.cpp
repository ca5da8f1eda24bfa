// Bindings of current sources: module functions on a Simulation, so that the
// Simulation class binding stays as it is.
#include <nanobind/nanobind.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/vector.h>

#include "bindings/convert.hpp"
#include "pineal/errors.hpp"
#include "pineal/simulation.hpp"

namespace pineal::bindings {

using namespace nb::literals;

namespace {
CurrentSourceKind kind_of(const std::string& name) {
    if (name == "DCSource") return CurrentSourceKind::dc;
    if (name == "ACSource") return CurrentSourceKind::ac;
    if (name == "StepCurrentSource") return CurrentSourceKind::step;
    if (name == "NoisyCurrentSource") return CurrentSourceKind::noisy;
    fail(ErrorKind::invalid_model, name, "", "unknown current source '", name, "'");
}

// Python gives every parameter of the class (PyNN names, already defaulted).
CurrentSourceParameters parameters_of(const std::string& label, const nb::dict& d) {
    CurrentSourceParameters p;
    for (auto [key, value] : d) {
        const std::string name = nb::cast<std::string>(key);
        if (name == "times" || name == "amplitudes") {
            auto v = nb::cast<std::vector<double>>(value);
            (name == "times" ? p.times : p.amplitudes) = std::move(v);
            continue;
        }
        const double x = nb::cast<double>(value);
        if (name == "amplitude") p.amplitude = x;
        else if (name == "start") p.start = x;
        else if (name == "stop") p.stop = x;
        else if (name == "frequency") p.frequency = x;
        else if (name == "offset") p.offset = x;
        else if (name == "phase") p.phase = x;
        else if (name == "mean") p.mean = x;
        else if (name == "stdev") p.stdev = x;
        else if (name == "dt") p.dt = x;
        else
            fail(ErrorKind::non_existent_parameter, label, name, label, " has no parameter '",
                 name, "'");
    }
    return p;
}
}  // namespace

void bind_current_sources(nb::module_& m) {
    m.def("add_current_source",
          [](Simulation& s, const std::string& kind, const nb::dict& params) {
              return s.add_current_source(kind_of(kind), parameters_of(kind, params), kind);
          },
          "simulation"_a, "kind"_a, "parameters"_a);
    m.def("set_current_source",
          [](Simulation& s, std::size_t source, const nb::dict& params) {
              s.set_current_source(source, parameters_of(s.current_source(source).label, params));
          },
          "simulation"_a, "source"_a, "parameters"_a);
    m.def("inject",
          [](Simulation& s, std::size_t source, std::size_t pop, const Array1<std::uint32_t>& cells) {
              s.inject(source, pop, std::span<const std::uint32_t>(cells.data(), cells.size()));
          },
          "simulation"_a, "source"_a, "population"_a, "cells"_a);
    m.def("record_current_source", &Simulation::record_current_source, "simulation"_a,
          "source"_a);
    m.def("current_source_signal",
          [](const Simulation& s, std::size_t source) {
              SignalData d = s.current_source_signal(source);
              return nb::make_tuple(to_numpy(std::move(d.values)), d.t_start, d.sampling_interval);
          },
          "simulation"_a, "source"_a);
}

}  // namespace pineal::bindings
