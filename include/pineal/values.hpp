// A parameter value as PyNN users give it: one number for everything, one
// number per element, or a random distribution drawn per element. The value
// is lowered to plain numbers once, where it is used.
#pragma once

#include <cstdint>
#include <variant>
#include <vector>

#include "pineal/random.hpp"

namespace pineal {

struct RandomValue {
    Distribution distribution;
    StreamKey key;  // seed and stream of this use; entity set per element
};

class Value {
public:
    Value(double scalar = 0.0) : v_(scalar) {}  // NOLINT: a number is a value
    explicit Value(std::vector<double> per_element) : v_(std::move(per_element)) {}
    explicit Value(RandomValue random) : v_(std::move(random)) {}

    bool is_scalar() const { return std::holds_alternative<double>(v_); }
    bool is_array() const { return std::holds_alternative<std::vector<double>>(v_); }
    bool is_random() const { return std::holds_alternative<RandomValue>(v_); }
    double scalar() const { return std::get<double>(v_); }
    const std::vector<double>& array() const { return std::get<std::vector<double>>(v_); }
    const RandomValue& random() const { return std::get<RandomValue>(v_); }

    // Value for each of `n` elements whose random entities are first_entity..;
    // an array value must have exactly n entries (else invalid_dimensions,
    // naming `what`).
    std::vector<double> expand(std::size_t n, const char* what,
                               std::uint64_t first_entity = 0) const;

private:
    std::variant<double, std::vector<double>, RandomValue> v_;
};

}  // namespace pineal
