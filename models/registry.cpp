// The model registry, generated from models/all_models.hpp.
#include <cmath>
#include <sstream>

#include "models/all_models.hpp"
#include "pineal/errors.hpp"

namespace pineal {

namespace {
template <class T>
int index_of(const std::vector<T>& items, const std::string& name) {
    for (std::size_t i = 0; i < items.size(); ++i)
        if (items[i].name == name) return static_cast<int>(i);
    return -1;
}
}  // namespace

int ModelInfo::parameter_index(const std::string& n) const { return index_of(parameters, n); }
int ModelInfo::state_index(const std::string& n) const { return index_of(state, n); }

int ModelInfo::receptor_index(const std::string& n) const {
    for (std::size_t i = 0; i < receptor_types.size(); ++i)
        if (receptor_types[i] == n) return static_cast<int>(i);
    return -1;
}

bool ModelInfo::can_record(const std::string& variable) const {
    for (const auto& r : recordable)
        if (r == variable) return true;
    return false;
}

const std::vector<ModelInfo>& standard_models() {
    static const std::vector<ModelInfo> models = models::all_models();
    return models;
}

const ModelInfo& find_model(const std::string& name) {
    for (const auto& m : standard_models())
        if (m.name == name) return m;
    if (const ModelInfo* m = find_composed_model(name)) return *m;
    std::ostringstream known;
    for (const auto& m : standard_models()) known << (known.tellp() > 0 ? ", " : "") << m.name;
    fail(ErrorKind::invalid_model, name, "", "unknown cell type '", name,
         "'; the native engine has: ", known.str());
}

void check_parameter_value(const ModelInfo& model, const ParameterInfo& p, double value) {
    if (!std::isfinite(value))
        fail(ErrorKind::invalid_parameter_value, model.name, p.name, model.name, ".", p.name,
             " must be a finite number, got ", value);
    if (p.check == Check::positive && !(value > 0.0))
        fail(ErrorKind::invalid_parameter_value, model.name, p.name, model.name, ".", p.name,
             " must be > 0 ", p.unit, ", got ", value);
    if (p.check == Check::non_negative && !(value >= 0.0))
        fail(ErrorKind::invalid_parameter_value, model.name, p.name, model.name, ".", p.name,
             " must be >= 0 ", p.unit, ", got ", value);
}

}  // namespace pineal
