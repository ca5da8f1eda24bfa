// A population as a description: a model, a size, parameter values and
// initial values per cell (structure of arrays). It knows no engine.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "pineal/model.hpp"
#include "pineal/values.hpp"

namespace pineal {

class Population {
public:
    Population(const ModelInfo& model, std::size_t size, std::string label, std::uint64_t first_id);

    const ModelInfo& model() const { return *model_; }
    std::size_t size() const { return size_; }
    const std::string& label() const { return label_; }
    std::uint64_t first_id() const { return first_id_; }

    // Sets a scalar parameter for all cells, or for `cells` (sorted indices)
    // only. Random entities are the cell indices.
    void set_parameter(const std::string& name, const Value& value,
                       std::optional<std::span<const std::uint32_t>> cells = std::nullopt);
    // Sets a sequence parameter: one sequence per selected cell, or one
    // sequence for all of them (per_cell.size() == 1).
    void set_sequence(const std::string& name, const std::vector<std::vector<double>>& per_cell,
                      std::optional<std::span<const std::uint32_t>> cells = std::nullopt);
    void set_initial_value(const std::string& name, const Value& value,
                           std::optional<std::span<const std::uint32_t>> cells = std::nullopt);

    const std::vector<double>& parameter(int index) const { return parameters_[index]; }
    const std::vector<double>& parameter(const std::string& name) const;
    const std::vector<std::vector<double>>& sequence(int index) const { return sequences_[index]; }
    const std::vector<double>& initial_value(int index) const { return initial_values_[index]; }
    const std::vector<double>& initial_value(const std::string& name) const;

    // The cells [begin, end) as a population of their own (parameters,
    // sequences and initial values of those cells; first_id() that of cell
    // `begin`): what one shard of the engine updates. 0 <= begin < end <= size().
    Population block(std::size_t begin, std::size_t end) const;

    // Incremented on every parameter change so engines re-derive constants.
    std::uint64_t parameter_version() const { return parameter_version_; }

private:
    int require_parameter(const std::string& name, ParameterShape shape) const;
    std::vector<std::uint32_t> selection(std::optional<std::span<const std::uint32_t>> cells) const;

    const ModelInfo* model_;
    std::size_t size_;
    std::string label_;
    std::uint64_t first_id_;
    std::vector<std::vector<double>> parameters_;               // [parameter][cell]
    std::vector<std::vector<std::vector<double>>> sequences_;   // [parameter][cell][k]
    std::vector<std::vector<double>> initial_values_;           // [state][cell]
    std::uint64_t parameter_version_ = 0;
};

}  // namespace pineal
