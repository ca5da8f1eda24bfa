// What a standard model is, as data: PyNN name, parameters, state variables,
// recordables, receptor types. Every model file in models/ provides one
// ModelInfo; the registry is generated from the list in models/all_models.hpp.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace pineal {

class NeuronKernel;  // engine side, see src/engine/kernel.hpp

enum class Check {
    any,           // any finite number
    positive,      // > 0
    non_negative,  // >= 0
};

enum class ParameterShape {
    scalar,    // one number per cell
    sequence,  // one non-decreasing array per cell (PyNN Sequence, e.g. spike_times)
    array,     // one array per cell in any order (PyNN ArrayParameter, e.g. GIF's a_eta)
};

struct ParameterInfo {
    std::string name;
    double default_value = 0.0;
    std::string unit;  // PyNN unit string: "mV", "nA", "nF", "ms", "Hz", "uS", ""
    Check check = Check::any;
    ParameterShape shape = ParameterShape::scalar;
    std::string doc;
    std::vector<double> default_sequence{};  // default of a sequence or array parameter
};

struct StateInfo {
    std::string name;
    double initial_value = 0.0;
    std::string unit;
};

struct ModelInfo {
    std::string name;  // PyNN class name, e.g. "IF_curr_exp"
    std::vector<ParameterInfo> parameters;
    std::vector<StateInfo> state;            // initialisable state, in kernel order
    std::vector<std::string> recordable;     // "spikes" plus state names
    std::vector<std::string> receptor_types; // one input port each, in this order
    bool conductance_based = false;
    bool injectable = true;  // false for spike sources
    bool spike_source = false;
    std::string doc;  // equations and the source they come from
    std::function<std::unique_ptr<NeuronKernel>()> make_kernel;

    // Index of a parameter / state variable / receptor; -1 if absent.
    int parameter_index(const std::string& name) const;
    int state_index(const std::string& name) const;
    int receptor_index(const std::string& name) const;
    bool can_record(const std::string& variable) const;
};

// All compiled-in standard models, in the order of models/all_models.hpp.
const std::vector<ModelInfo>& standard_models();
// Throws Error(invalid_model) listing the known names if absent. Also finds
// the composed models made by compose_point_neuron.
const ModelInfo& find_model(const std::string& name);

// PyNN's PointNeuron(neuron, **receptors): the model with body `neuron`
// ("LIF" or "AdExp") and one receptor type per (name, response), the response
// being a PyNN class name (CurrExpPostSynapticResponse, ...) or its short form
// (CurrExp, CondExp, CondAlpha, CondBeta). Built once, then cached under its
// canonical name, e.g. "PointNeuron(LIF; AMPA=CondExp, GABA_A=CondExp)"
// (receptors sorted by name, as PyNN's receptor_types); the reference stays
// valid for the life of the program. Throws Error(invalid_model) on a bad
// description. models/point_neuron.cpp.
const ModelInfo& compose_point_neuron(
    const std::string& neuron, const std::vector<std::pair<std::string, std::string>>& receptors);
const ModelInfo* find_composed_model(const std::string& name);  // nullptr if absent

// Throws Error(invalid_parameter_value) if `value` breaks the parameter's check.
void check_parameter_value(const ModelInfo& model, const ParameterInfo& p, double value);

}  // namespace pineal
