// pineal._core: the C++ API of include/pineal/ exposed to Python, with
// arrays passed as numpy arrays (no per-element Python objects).
#include <nanobind/nanobind.h>
#include <nanobind/ndarray.h>
#include <nanobind/stl/optional.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/vector.h>

#include "bindings/convert.hpp"
#include "pineal/errors.hpp"
#include "pineal/model.hpp"
#include "pineal/simulation.hpp"

namespace nb = nanobind;
using namespace nb::literals;

namespace pineal::bindings {
void bind_models(nb::module_& m);
void bind_synapses(nb::module_& m);
void bind_values(nb::module_& m);
void bind_connectors(nb::module_& m);
void bind_simulation(nb::module_& m);
void bind_current_sources(nb::module_& m);
void bind_projection_update(nb::module_& m);
}  // namespace pineal::bindings

namespace {

const char* kind_name(pineal::ErrorKind k) {
    using pineal::ErrorKind;
    switch (k) {
        case ErrorKind::invalid_parameter_value: return "invalid_parameter_value";
        case ErrorKind::non_existent_parameter: return "non_existent_parameter";
        case ErrorKind::invalid_dimensions: return "invalid_dimensions";
        case ErrorKind::connection: return "connection";
        case ErrorKind::invalid_model: return "invalid_model";
        case ErrorKind::recording: return "recording";
        case ErrorKind::not_supported: return "not_supported";
        case ErrorKind::out_of_range: return "out_of_range";
        case ErrorKind::state: return "state";
        case ErrorKind::wrong_type: return "wrong_type";
    }
    return "state";
}

}  // namespace

NB_MODULE(_core, m) {
    m.doc() = "pineal's C++ core: description, connectivity, randomness and the native engine";
    // The current Simulation lives in a module global of pineal.simulator, so
    // it is still referenced when the interpreter tears modules down.
    nb::set_leak_warnings(false);
    // Errors become the PyNN-named exceptions of pineal.errors.
    nb::register_exception_translator([](const std::exception_ptr& p, void*) {
        try {
            std::rethrow_exception(p);
        } catch (const pineal::Error& e) {
            nb::object make = nb::module_::import_("pineal._core_errors").attr("make");
            nb::object exc = make(kind_name(e.kind()), e.object(), e.parameter(), e.what());
            PyErr_SetObject(reinterpret_cast<PyObject*>(Py_TYPE(exc.ptr())), exc.ptr());
        }
    });
    pineal::bindings::bind_models(m);
    pineal::bindings::bind_values(m);
    pineal::bindings::bind_connectors(m);
    pineal::bindings::bind_synapses(m);
    pineal::bindings::bind_simulation(m);
    pineal::bindings::bind_current_sources(m);
    pineal::bindings::bind_projection_update(m);
}
