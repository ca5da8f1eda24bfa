#include "pineal/population.hpp"

#include <cmath>

#include "pineal/errors.hpp"

namespace pineal {

namespace {
// Random values are keyed by cell index, so a subset draws what the whole
// population would have drawn for those cells.
std::vector<double> values_for(const Value& value, const std::vector<std::uint32_t>& cells,
                               const std::string& name) {
    if (!value.is_random()) return value.expand(cells.size(), name.c_str());
    std::vector<double> v(cells.size());
    for (std::size_t n = 0; n < cells.size(); ++n)
        draw_per_entity(value.random().distribution, value.random().key, cells[n], 1, &v[n]);
    return v;
}
}  // namespace

Population::Population(const ModelInfo& model, std::size_t size, std::string label,
                       std::uint64_t first_id)
    : model_(&model), size_(size), label_(std::move(label)), first_id_(first_id) {
    if (size == 0)
        fail(ErrorKind::invalid_dimensions, label_, "size", "Population '", label_,
             "': size must be at least 1, got 0");
    parameters_.resize(model.parameters.size());
    sequences_.resize(model.parameters.size());
    for (std::size_t k = 0; k < model.parameters.size(); ++k) {
        if (model.parameters[k].shape == ParameterShape::scalar)
            parameters_[k].assign(size, model.parameters[k].default_value);
        else
            sequences_[k].assign(size, model.parameters[k].default_sequence);
    }
    for (const auto& s : model.state) initial_values_.emplace_back(size, s.initial_value);
}

Population Population::block(std::size_t begin, std::size_t end) const {
    Population out(*model_, end - begin, label_, first_id_ + begin);
    auto cut = [begin, end](const auto& all, auto& part) {
        if (!all.empty())
            part.assign(all.begin() + std::ptrdiff_t(begin), all.begin() + std::ptrdiff_t(end));
    };
    for (std::size_t k = 0; k < parameters_.size(); ++k) {
        cut(parameters_[k], out.parameters_[k]);
        cut(sequences_[k], out.sequences_[k]);
    }
    for (std::size_t k = 0; k < initial_values_.size(); ++k)
        cut(initial_values_[k], out.initial_values_[k]);
    out.parameter_version_ = parameter_version_;
    return out;
}

int Population::require_parameter(const std::string& name, ParameterShape shape) const {
    const int k = model_->parameter_index(name);
    if (k < 0) {
        std::string known;
        for (const auto& p : model_->parameters) known += (known.empty() ? "" : ", ") + p.name;
        fail(ErrorKind::non_existent_parameter, model_->name, name, "'", name,
             "' is not a parameter of ", model_->name, "; its parameters are: ", known);
    }
    // Sequence and array parameters are both per-cell arrays; they differ
    // only in the ordering check of set_sequence().
    if ((model_->parameters[k].shape == ParameterShape::scalar) !=
        (shape == ParameterShape::scalar))
        fail(ErrorKind::invalid_parameter_value, model_->name, name, model_->name, ".", name,
             shape == ParameterShape::scalar ? " takes a sequence of values per cell"
                                             : " takes one number per cell");
    return k;
}

std::vector<std::uint32_t> Population::selection(
    std::optional<std::span<const std::uint32_t>> cells) const {
    if (!cells) {
        std::vector<std::uint32_t> all(size_);
        for (std::size_t i = 0; i < size_; ++i) all[i] = static_cast<std::uint32_t>(i);
        return all;
    }
    for (auto i : *cells)
        if (i >= size_)
            fail(ErrorKind::out_of_range, label_, "", "Population '", label_, "': cell index ", i,
                 " out of range for size ", size_);
    return {cells->begin(), cells->end()};
}

void Population::set_parameter(const std::string& name, const Value& value,
                               std::optional<std::span<const std::uint32_t>> cells) {
    const int k = require_parameter(name, ParameterShape::scalar);
    const auto sel = selection(cells);
    const auto v = values_for(value, sel, name);
    for (double x : v) check_parameter_value(*model_, model_->parameters[k], x);
    for (std::size_t n = 0; n < sel.size(); ++n) parameters_[k][sel[n]] = v[n];
    ++parameter_version_;
}

void Population::set_sequence(const std::string& name,
                              const std::vector<std::vector<double>>& per_cell,
                              std::optional<std::span<const std::uint32_t>> cells) {
    const int k = require_parameter(name, ParameterShape::sequence);
    const auto sel = selection(cells);
    if (per_cell.size() != 1 && per_cell.size() != sel.size())
        fail(ErrorKind::invalid_dimensions, model_->name, name, model_->name, ".", name,
             ": expected one sequence or ", sel.size(), " sequences, got ", per_cell.size());
    for (const auto& seq : per_cell) {
        for (std::size_t j = 0; j < seq.size(); ++j) {
            check_parameter_value(*model_, model_->parameters[k], seq[j]);
            if (model_->parameters[k].shape == ParameterShape::sequence && j > 0 &&
                seq[j] < seq[j - 1])
                fail(ErrorKind::invalid_parameter_value, model_->name, name, model_->name, ".",
                     name, " must be non-decreasing, but ", seq[j], " follows ", seq[j - 1]);
        }
    }
    for (std::size_t n = 0; n < sel.size(); ++n)
        sequences_[k][sel[n]] = per_cell.size() == 1 ? per_cell[0] : per_cell[n];
    ++parameter_version_;
}

void Population::set_initial_value(const std::string& name, const Value& value,
                                   std::optional<std::span<const std::uint32_t>> cells) {
    const int k = model_->state_index(name);
    if (k < 0) {
        std::string known;
        for (const auto& s : model_->state) known += (known.empty() ? "" : ", ") + s.name;
        fail(ErrorKind::non_existent_parameter, model_->name, name, "'", name,
             "' is not a state variable of ", model_->name,
             known.empty() ? "; it has none" : "; its state variables are: ", known);
    }
    const auto sel = selection(cells);
    const auto v = values_for(value, sel, name);
    for (double x : v)
        if (!std::isfinite(x))
            fail(ErrorKind::invalid_parameter_value, model_->name, name, model_->name,
                 ": initial value of ", name, " must be finite, got ", x);
    for (std::size_t n = 0; n < sel.size(); ++n) initial_values_[k][sel[n]] = v[n];
}

const std::vector<double>& Population::parameter(const std::string& name) const {
    return parameters_[require_parameter(name, ParameterShape::scalar)];
}

const std::vector<double>& Population::initial_value(const std::string& name) const {
    const int k = model_->state_index(name);
    if (k < 0)
        fail(ErrorKind::non_existent_parameter, model_->name, name, "'", name,
             "' is not a state variable of ", model_->name);
    return initial_values_[k];
}

}  // namespace pineal
