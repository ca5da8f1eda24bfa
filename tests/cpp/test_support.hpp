// Shared by the C++ unit tests: an error-kind assertion and small builders.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <numeric>
#include <optional>
#include <string>
#include <vector>

#include "pineal/errors.hpp"
#include "pineal/simulation.hpp"

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
        case ErrorKind::wrong_type: return "wrong_type";
    }
    return "?";
}

// Checks that f() throws pineal::Error of the given kind, naming `parameter`
// in parameter() and in the message.
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
                                                 << "', got '" << e.parameter()
                                                 << "': " << e.what();
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

// A StaticSynapse projection between two whole populations.
inline ProjectionSpec projection(std::size_t pre, std::size_t post, Connector connector,
                                 Value weight = 0.5, std::optional<Value> delay = std::nullopt,
                                 const std::string& receptor = "excitatory") {
    ProjectionSpec s;
    s.pre = pre;
    s.post = post;
    s.connector = std::move(connector);
    s.weight = std::move(weight);
    s.delay = std::move(delay);
    s.receptor_type = receptor;
    s.label = "prj";
    return s;
}

// Indices 0 .. n-1.
inline std::vector<std::uint32_t> all_cells(std::size_t n) {
    std::vector<std::uint32_t> c(n);
    std::iota(c.begin(), c.end(), 0u);
    return c;
}

}  // namespace pineal::test
