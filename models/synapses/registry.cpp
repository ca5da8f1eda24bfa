// The dynamic synapse catalogue and the checks of a description against it.
#include <cmath>
#include <sstream>

#include "models/synapses/stdp.hpp"
#include "models/synapses/stochastic.hpp"
#include "models/synapses/tsodyks_markram.hpp"
#include "pineal/errors.hpp"

namespace pineal {

const std::vector<SynapseModelInfo>& synapse_models() {
    static const std::vector<SynapseModelInfo> all = [] {
        std::vector<SynapseModelInfo> v{models::tsodyks_markram_info()};
        for (auto& m : models::stochastic_infos()) v.push_back(std::move(m));
        for (auto& m : models::stdp_infos()) v.push_back(std::move(m));
        return v;
    }();
    return all;
}

namespace {
const char* kind_name(SynapseKind k) {
    switch (k) {
        case SynapseKind::synapse: return "synapse type";
        case SynapseKind::timing_dependence: return "timing dependence";
        case SynapseKind::weight_dependence: return "weight dependence";
    }
    return "";
}

void check_value(const std::string& projection, const std::string& owner,
                 const SynapseParameter& p, double v) {
    const bool below = p.min_open ? !(v > p.min) : !(v >= p.min);
    if (!std::isfinite(v) || below || !(v <= p.max) || (p.integer && v != std::floor(v))) {
        std::ostringstream allowed;
        allowed << (p.integer ? "an integer " : "a number ");
        if (std::isfinite(p.min)) allowed << (p.min_open ? "> " : ">= ") << p.min;
        if (std::isfinite(p.min) && std::isfinite(p.max)) allowed << " and ";
        if (std::isfinite(p.max)) allowed << "<= " << p.max;
        fail(ErrorKind::invalid_parameter_value, owner, p.name, "Projection '", projection, "': ",
             owner, ".", p.name, " = ", v, " is not allowed; expected ", allowed.str());
    }
}
}  // namespace

const SynapseModelInfo& find_synapse_model(const std::string& name, SynapseKind kind) {
    std::string known;
    for (const auto& m : synapse_models()) {
        if (m.kind != kind) continue;
        if (m.name == name) return m;
        known += (known.empty() ? "" : ", ") + m.name;
    }
    fail(ErrorKind::invalid_model, name, "", "unknown ", kind_name(kind), " '", name,
         "'; the native engine has: ", known);
}

double ResolvedDynamics::value(const std::string& name) const {
    for (std::size_t k = 0; k < names.size(); ++k)
        if (names[k] == name) return values[k];
    fail(ErrorKind::non_existent_parameter, model->name, name, model->name, " has no parameter '",
         name, "'");
}

ResolvedDynamics resolve_dynamics(const SynapseDynamics& d, const std::string& projection) {
    ResolvedDynamics r;
    r.model = &find_synapse_model(d.model, SynapseKind::synapse);
    std::vector<const SynapseModelInfo*> parts{r.model};
    if (r.model->learns_weight) {
        if (d.timing_dependence.empty() || d.weight_dependence.empty())
            fail(ErrorKind::invalid_model, d.model, "", "Projection '", projection,
                 "': STDPMechanism needs a timing_dependence and a weight_dependence");
        r.timing = &find_synapse_model(d.timing_dependence, SynapseKind::timing_dependence);
        r.weight = &find_synapse_model(d.weight_dependence, SynapseKind::weight_dependence);
        parts.push_back(r.timing);
        parts.push_back(r.weight);
    }
    for (const auto* m : parts)
        for (const auto& p : m->parameters) {
            r.names.push_back(p.name);
            r.values.push_back(p.default_value);
        }
    for (const auto& [name, value] : d.parameters) {
        std::size_t k = 0;
        while (k < r.names.size() && r.names[k] != name) ++k;
        if (k == r.names.size()) {
            std::string known;
            for (const auto& n : r.names) known += (known.empty() ? "" : ", ") + n;
            fail(ErrorKind::non_existent_parameter, d.model, name, "Projection '", projection,
                 "': ", d.model, " has no parameter '", name, "'; it has: ", known);
        }
        r.values[k] = value;
    }
    std::size_t k = 0;
    for (const auto* m : parts)
        for (const auto& p : m->parameters) check_value(projection, m->name, p, r.values[k++]);
    if (r.model->learns_weight) {
        if (r.value("w_min") > r.value("w_max"))
            fail(ErrorKind::invalid_parameter_value, r.weight->name, "w_min", "Projection '",
                 projection, "': ", r.weight->name, ".w_min = ", r.value("w_min"),
                 " exceeds w_max = ", r.value("w_max"));
        // All delay axonal: the weight a spike transmits would depend on post
        // spikes in the very step it arrives in (fractions in (0, 0.5) need
        // 2 fraction delay >= min_delay, checked at run(): StdpRule::check_run).
        if (r.value("dendritic_delay_fraction") == 0.0)
            fail(ErrorKind::not_supported, "STDPMechanism", "dendritic_delay_fraction",
                 "Projection '", projection,
                 "': STDPMechanism with dendritic_delay_fraction = 0 is not supported yet by "
                 "pineal's native engine (0 < fraction <= 1 is, with 2 fraction delay >= "
                 "min_delay below 0.5; see docs/plasticity.md)");
        if (r.timing->name == "Vogels2011Rule" && r.weight->name != "AdditiveWeightDependence")
            fail(ErrorKind::not_supported, "Vogels2011Rule", "weight_dependence", "Projection '",
                 projection, "': Vogels2011Rule with weight_dependence ", r.weight->name,
                 " is not supported yet by pineal (Vogels2011Rule takes its bounds from "
                 "AdditiveWeightDependence)");
    }
    return r;
}

std::size_t parameter_index(const ResolvedDynamics& d, const std::string& name,
                            const std::string& projection) {
    std::string known;
    for (std::size_t k = 0; k < d.names.size(); ++k) {
        if (d.names[k] == name) return k;
        known += (known.empty() ? "" : ", ") + d.names[k];
    }
    fail(ErrorKind::non_existent_parameter, d.model->name, name, "Projection '", projection,
         "': ", d.model->name, " has no parameter '", name, "'; it has: ", known);
}

void check_parameter_value(const ResolvedDynamics& d, std::size_t index, double value,
                           const std::string& projection) {
    std::size_t k = index;
    for (const SynapseModelInfo* m : {d.model, d.timing, d.weight}) {
        if (!m) continue;
        if (k < m->parameters.size()) return check_value(projection, m->name, m->parameters[k], value);
        k -= m->parameters.size();
    }
}

std::unique_ptr<SynapseRule> make_synapse_rule(const ResolvedDynamics& d) {
    const std::string& name = d.model->name;
    if (name == "TsodyksMarkramSynapse") return std::make_unique<models::TsodyksMarkramRule>();
    if (name == "SimpleStochasticSynapse") return std::make_unique<models::StochasticRule>(true);
    if (name == "StochasticTsodyksMarkramSynapse" || name == "MultiQuantalSynapse")
        return std::make_unique<models::StochasticRule>(false);
    using Dep = models::StdpRule::Dependence;
    const std::string& w = d.weight->name;
    const Dep dep = w == "AdditiveWeightDependence"         ? Dep::additive
                    : w == "MultiplicativeWeightDependence" ? Dep::multiplicative
                    : w == "GutigWeightDependence"          ? Dep::gutig
                                                            : Dep::apmd;
    return std::make_unique<models::StdpRule>(d.timing->name == "Vogels2011Rule", dep);
}

}  // namespace pineal
