// Simulation::set_synapse_parameter: Projection.set of a dynamic synapse
// model's parameter (one value per projection), checked against the
// catalogue as at construction before anything changes.
#include "engine/engine.hpp"
#include "models/synapses/synapse_model.hpp"
#include "pineal/errors.hpp"
#include "pineal/simulation.hpp"

namespace pineal {

void Simulation::set_synapse_parameter(std::size_t projection, const std::string& name,
                                       double value, bool check_only) {
    (void)engine_->projection_size(projection);  // checks the handle
    ProjectionCells& cells = projection_cells_[projection];
    if (!cells.dynamics)
        fail(ErrorKind::non_existent_parameter, "StaticSynapse", name, "Projection '",
             cells.label, "': StaticSynapse has no parameter '", name, "'");
    if (name == "dendritic_delay_fraction")
        fail(ErrorKind::not_supported, cells.label, name, "Projection '", cells.label,
             "': set(dendritic_delay_fraction=...) is not supported yet by pineal (each "
             "synapse's pairing times depend on it)");
    SynapseDynamics changed = *cells.dynamics;
    bool found = false;
    for (auto& [n, v] : changed.parameters)
        if (n == name) v = value, found = true;
    if (!found) changed.parameters.emplace_back(name, value);
    const ResolvedDynamics resolved = resolve_dynamics(changed, cells.label);
    engine_->set_dynamics_parameters(projection, resolved.values,
                                     parameter_index(resolved, name, cells.label), check_only);
    if (check_only) return;
    cells.dynamics = std::move(changed);
}

void Simulation::initialize_synapses(std::size_t projection, const std::string& variable,
                                     double value, bool check_only) {
    (void)engine_->projection_size(projection);  // checks the handle
    const ProjectionCells& cells = projection_cells_[projection];
    std::string known;
    if (cells.dynamics) {
        const SynapseModelInfo& m = find_synapse_model(cells.dynamics->model, SynapseKind::synapse);
        for (std::size_t v = 0; v < m.state.size(); ++v) {
            if (m.state[v].name == variable) {
                engine_->initialize_synapse_state(projection, v, value, check_only);
                return;
            }
            known += (known.empty() ? "" : ", ") + m.state[v].name;
        }
    }
    fail(ErrorKind::non_existent_parameter, cells.dynamics ? cells.dynamics->model : "StaticSynapse",
         variable, "Projection '", cells.label, "': its synapses have no state variable '",
         variable, "'", known.empty() ? std::string(" (they have none)") : "; they have: " + known);
}

}  // namespace pineal
