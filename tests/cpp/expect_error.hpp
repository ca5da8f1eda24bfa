// Shared by the C++ unit tests: checks that a call throws pineal::Error of a
// given kind, naming a given parameter (in parameter() and in the message).
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "pineal/errors.hpp"

namespace pineal::test {

inline const char* kind_name(ErrorKind k) {
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
    }
    return "?";
}

// Use as EXPECT_TRUE(throws(ErrorKind::x, "name", [&] { ... })). An empty
// `parameter` skips the parameter check.
template <class F>
::testing::AssertionResult throws(ErrorKind kind, const std::string& parameter, F&& f) {
    try {
        f();
    } catch (const Error& e) {
        if (e.kind() != kind)
            return ::testing::AssertionFailure() << "expected kind " << kind_name(kind) << ", got "
                                                 << kind_name(e.kind()) << ": " << e.what();
        if (!parameter.empty() && e.parameter() != parameter)
            return ::testing::AssertionFailure() << "expected parameter '" << parameter
                                                 << "', got '" << e.parameter() << "': " << e.what();
        if (!parameter.empty() && std::string(e.what()).find(parameter) == std::string::npos)
            return ::testing::AssertionFailure()
                   << "message does not name '" << parameter << "': " << e.what();
        return ::testing::AssertionSuccess();
    } catch (const std::exception& e) {
        return ::testing::AssertionFailure() << "expected pineal::Error, got " << e.what();
    }
    return ::testing::AssertionFailure() << "expected pineal::Error (" << kind_name(kind)
                                         << "), nothing was thrown";
}

}  // namespace pineal::test
