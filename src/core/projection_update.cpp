// Simulation::set_synapses: PyNN's Projection.set, lowered onto the engine's
// column updates. Values are evaluated per target by the same code that
// builds connections (detail::SynapseValues), so a value means the same in
// set() as in the synapse type given at construction.
#include <algorithm>
#include <memory>

#include "connector_detail.hpp"
#include "engine/engine.hpp"
#include "models/synapses/synapse_model.hpp"
#include "pineal/errors.hpp"
#include "pineal/simulation.hpp"

namespace pineal {

std::vector<std::string> Simulation::synapse_attributes(std::size_t projection) const {
    return engine_->synapse_columns(projection);
}

void Simulation::set_synapses(std::size_t projection, const std::string& attribute,
                              const SynapseUpdate& update) {
    const std::size_t n = engine_->projection_size(projection);  // checks the handle
    const ProjectionCells& cells = projection_cells_[projection];
    ConnectionRequest request;
    request.label = cells.label;
    request.n_pre = cells.n_pre;
    request.n_post = cells.n_post;
    Connector connector;
    connector.geometry = update.geometry;
    const char* what = attribute == "weight" ? "weight" : attribute == "delay" ? "delay" : "value";
    if (update.per_connection) {
        if (!update.value.is_array() || update.value.array().size() != n)
            fail(ErrorKind::invalid_dimensions, request.label, attribute, "Projection '",
                 request.label, "': ", attribute, " given as a list needs one value per "
                 "connection (", n, "), got ",
                 update.value.is_array() ? update.value.array().size() : 1, " values");
    } else if (!update.expression && update.value.is_array() &&
               update.value.array().size() != std::size_t(request.n_pre) * request.n_post) {
        fail(ErrorKind::invalid_dimensions, request.label, attribute, "Projection '",
             request.label, "': ", attribute, " array must have shape (n_pre, n_post) = (",
             request.n_pre, ", ", request.n_post, "), got ", update.value.array().size(),
             " values");
    }
    SynapseColumnUpdate column;
    if (update.initial) {
        // Initial synapse state per synapse (Projection.initialize).
        const std::string model = cells.dynamics ? cells.dynamics->model : "StaticSynapse";
        std::string known;
        if (cells.dynamics) {
            const SynapseModelInfo& m = find_synapse_model(model, SynapseKind::synapse);
            for (std::size_t v = 0; v < m.state.size(); ++v) {
                if (m.state[v].name == attribute) column.state_variable = static_cast<int>(v);
                known += (known.empty() ? "" : ", ") + m.state[v].name;
            }
        }
        if (column.state_variable < 0)
            fail(ErrorKind::non_existent_parameter, model, attribute, "Projection '", cells.label,
                 "': its synapses have no state variable '", attribute, "'",
                 known.empty() ? std::string(" (they have none)") : "; they have: " + known);
        if (!engine_->initializes_per_synapse(projection))
            fail(ErrorKind::not_supported, model, attribute, "Projection '", cells.label,
                 "': Projection.initialize(", attribute, "=...) with a value per synapse is not "
                 "supported yet by pineal for ", model, " (one value per projection is)");
    } else if (attribute != "weight" && attribute != "delay") {
        // A dynamic synapse model parameter given per synapse.
        if (!cells.dynamics)
            fail(ErrorKind::non_existent_parameter, "StaticSynapse", attribute, "Projection '",
                 cells.label, "': StaticSynapse has no parameter '", attribute, "'");
        auto resolved = std::make_shared<ResolvedDynamics>(
            resolve_dynamics(*cells.dynamics, cells.label));
        const std::size_t index = parameter_index(*resolved, attribute, cells.label);
        if (!engine_->per_synapse_parameter(projection, index))
            fail(ErrorKind::not_supported, cells.dynamics->model, attribute, "Projection '",
                 cells.label, "': ", cells.dynamics->model, ".", attribute,
                 " given per synapse is not supported yet by pineal (it takes one value per "
                 "projection; see docs/plasticity.md)");
        column.parameter = static_cast<int>(index);
        column.check_parameter = [resolved, index, label = cells.label](double v) {
            check_parameter_value(*resolved, index, v, label);
        };
    }
    if (update.expression) {
        // Parsed and checked once here, so a bad expression fails before the threads start.
        detail::SynapseValues check(update.value, update.expression, what, connector, request);
    }
    column.column = attribute;
    column.sign = cells.weight_sign;
    column.check_only = update.check_only;
    if (cells.pre) column.pre_cells = *cells.pre;
    if (cells.post) column.post_cells = *cells.post;
    column.make_filler = [&]() -> SynapseFiller {
        if (update.per_connection) {
            const std::vector<double>& values = update.value.array();
            return [&values](std::uint32_t, std::span<const std::uint32_t>, std::size_t first,
                             std::span<double> out) {
                std::copy_n(values.begin() + static_cast<std::ptrdiff_t>(first), out.size(),
                            out.begin());
            };
        }
        auto values = std::make_shared<detail::SynapseValues>(update.value, update.expression,
                                                              what, connector, request);
        auto pre = std::make_shared<std::vector<std::uint32_t>>();
        auto buffer = std::make_shared<std::vector<double>>();
        return [values, pre, buffer](std::uint32_t post, std::span<const std::uint32_t> sources,
                                     std::size_t, std::span<double> out) {
            pre->assign(sources.begin(), sources.end());
            values->fill(post, *pre, *buffer);
            std::copy(buffer->begin(), buffer->end(), out.begin());
        };
    };
    engine_->set_synapse_values(projection, column);
}

}  // namespace pineal
