// What a dynamic synapse model is, as data: PyNN name, kind, parameters
// (default, unit, allowed range), per-synapse state, equations. Every file in
// models/synapses/ provides its infos and rule; models/synapses/registry.cpp
// lists them. The Python classes are generated from this catalogue.
#pragma once

#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "pineal/model.hpp"
#include "pineal/synapse_dynamics.hpp"

namespace pineal {

class SynapseRule;  // src/engine/synapse_rule.hpp

enum class SynapseKind { synapse, timing_dependence, weight_dependence };

struct SynapseParameter {
    std::string name;
    double default_value = 0.0;
    std::string unit;  // PyNN unit: "ms", "" (dimensionless), "Hz", "weight" (nA or uS)
    double min = -std::numeric_limits<double>::infinity();
    double max = std::numeric_limits<double>::infinity();
    bool min_open = false;  // min excluded (tau > 0)
    bool integer = false;
    std::string doc;
};

struct SynapseModelInfo {
    std::string name;  // PyNN class name
    SynapseKind kind = SynapseKind::synapse;
    std::vector<SynapseParameter> parameters;
    std::vector<StateInfo> state;  // per-synapse state that Projection.get reads
    bool learns_weight = false;    // STDP: weights change
    std::string doc;               // equations and sources
};

// Every dynamic synapse model and STDP component, in a fixed order.
const std::vector<SynapseModelInfo>& synapse_models();
// Throws Error(invalid_model) naming the known ones if absent.
const SynapseModelInfo& find_synapse_model(const std::string& name, SynapseKind kind);

// A description checked against the catalogue: the components, and every
// parameter value (defaults filled in) in the order model, timing dependence,
// weight dependence (for STDPMechanism: dendritic_delay_fraction first).
struct ResolvedDynamics {
    const SynapseModelInfo* model = nullptr;
    const SynapseModelInfo* timing = nullptr;  // STDPMechanism only
    const SynapseModelInfo* weight = nullptr;  // STDPMechanism only
    std::vector<std::string> names;
    std::vector<double> values;
    double value(const std::string& name) const;
};
// Throws Error naming the projection, the parameter and what is allowed.
ResolvedDynamics resolve_dynamics(const SynapseDynamics& d, const std::string& projection);
std::unique_ptr<SynapseRule> make_synapse_rule(const ResolvedDynamics& d);
// The index of parameter `name` in d.names; throws Error(non_existent_parameter).
std::size_t parameter_index(const ResolvedDynamics& d, const std::string& name,
                            const std::string& projection);
// Checks one value of parameter `index` of d as resolve_dynamics() checks it
// (range, integer); throws Error naming the projection and the parameter.
void check_parameter_value(const ResolvedDynamics& d, std::size_t index, double value,
                           const std::string& projection);

}  // namespace pineal
