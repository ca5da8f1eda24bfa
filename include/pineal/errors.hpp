// One error root for the whole library. The kind maps one-to-one onto the
// Python exceptions that keep PyNN's names (see python/pineal/errors.py).
#pragma once

#include <sstream>
#include <stdexcept>
#include <string>

namespace pineal {

enum class ErrorKind {
    invalid_parameter_value,  // InvalidParameterValueError
    non_existent_parameter,   // NonExistentParameterError
    invalid_dimensions,       // InvalidDimensionsError
    connection,               // ConnectionError
    invalid_model,            // InvalidModelError
    recording,                // RecordingError
    not_supported,            // NotImplementedError: not supported by this backend
    out_of_range,             // IndexError
    state,                    // RuntimeError: e.g. run() before setup()
    wrong_type,               // TypeError: e.g. injecting current into a spike source
};

class Error : public std::runtime_error {
public:
    Error(ErrorKind kind, std::string object, std::string parameter, const std::string& message)
        : std::runtime_error(message),
          kind_(kind),
          object_(std::move(object)),
          parameter_(std::move(parameter)) {}

    ErrorKind kind() const { return kind_; }
    // The model, population or projection the error is about ("" if none).
    const std::string& object() const { return object_; }
    // The offending parameter name ("" if none).
    const std::string& parameter() const { return parameter_; }

private:
    ErrorKind kind_;
    std::string object_;
    std::string parameter_;
};

// Builds a message from streamable pieces: fail(kind, obj, param, "value ", v, " is < 0").
template <class... Parts>
[[noreturn]] void fail(ErrorKind kind, const std::string& object, const std::string& parameter,
                       const Parts&... parts) {
    std::ostringstream os;
    (os << ... << parts);
    throw Error(kind, object, parameter, os.str());
}

}  // namespace pineal
