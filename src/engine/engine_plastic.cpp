// The engine's side of dynamic synapses: building a projection's rules,
// feeding the postsynaptic histories, delivery through the rules, and
// reading their state. The rules themselves are in models/synapses/.
#include <algorithm>
#include <numeric>

#include "engine/engine.hpp"
#include "models/synapses/synapse_model.hpp"

namespace pineal {

namespace {
// The synaptic time constant of a receptor (Tsodyks-Markram's tau_psc): the
// cell model's tau_syn_E or tau_syn_I; 0 for receptors without one.
std::vector<double> receptor_tau(const Population& post, const std::string& receptor,
                                 std::size_t begin, std::size_t end) {
    const ModelInfo& m = post.model();
    const char* name = receptor == "excitatory"   ? "tau_syn_E"
                       : receptor == "inhibitory" ? "tau_syn_I"
                                                  : nullptr;
    std::vector<double> out(end - begin, 0.0);
    if (name && m.parameter_index(name) >= 0) {
        const auto& tau = post.parameter(name);
        std::copy(tau.begin() + std::ptrdiff_t(begin), tau.begin() + std::ptrdiff_t(end),
                  out.begin());
    }
    return out;
}
}  // namespace

std::unique_ptr<SynapseRule> Engine::make_rule(const ProjectionSpec& spec, int port,
                                               std::size_t projection,
                                               const ProjectionStore& rows,
                                               std::vector<double> weights) const {
    const ResolvedDynamics d = resolve_dynamics(*spec.dynamics, spec.label);
    auto rule = make_synapse_rule(d);
    const Population& post = *runtimes_[spec.post].population;
    RuleSetup setup;
    setup.dt = options_.timestep;
    setup.parameters = d.values;
    setup.weights = std::move(weights);
    setup.block_begin = rows.block_begin();
    setup.tau_psc = receptor_tau(post, post.model().receptor_types[std::size_t(port)],
                                 rows.block_begin(), rows.block_begin() + rows.block_size());
    setup.seed = options_.rng_seed;
    // A stream per projection, apart from the creation-order streams of the
    // RNG objects (top bit set), fixed by the projection's index.
    setup.stream = (std::uint64_t{1} << 63) | projection;
    rule->build(rows, std::move(setup));
    return rule;
}

void Engine::record_post_history(std::size_t first, std::size_t stride, int parity,
                                 std::int64_t now) {
    for (std::size_t s = first; s < shards_.size(); s += stride)
        for (std::size_t p = 0; p < runtimes_.size(); ++p) {
            if (!plasticity_.has_history(s, p)) continue;
            const ShardPopulation& sp = shards_[s].populations[p];
            plasticity_.record(s, p, sp.spikes[parity], now, shards_[s].projections);
        }
}

void Engine::deliver_dynamic(std::size_t k, std::size_t base, const SpikeEvent& e,
                             std::size_t first, std::size_t stride, std::int64_t end) {
    Delivery d;
    d.known_until = end;
    d.source = e.index;
    d.stamp = e.stamp;
    d.base_slot = base;
    d.segment = segment_;
    for (std::size_t s = first; s < shards_.size(); s += stride) {
        const ProjectionStore& rows = *shards_[s].projections[k];
        if (rows.segments(e.index).empty()) continue;
        d.port = shards_[s].inputs[k];
        d.history = plasticity_.history(s, projection_post_[k]);
        plasticity_.rule(k, s).deliver(rows, d);
    }
}

void Engine::set_dynamic_weights(std::size_t k, std::size_t shard,
                                 std::span<const double> by_canonical, const SynapseAddresses& a) {
    std::vector<double> by_row(by_canonical.size());
    for (std::size_t q = 0; q < by_row.size(); ++q) by_row[q] = by_canonical[a.canonical[q]];
    plasticity_.rule(k, shard).set_weights(by_row);
}

void Engine::check_dynamic_delay_change(std::size_t k) const {
    if (!plasticity_.dynamic(k) || !plasticity_.rule(k, 0).reads_post_history()) return;
    const std::string& label = shards_[0].projections[k]->label();
    fail(ErrorKind::not_supported, label, "delay", "Projection '", label,
         "': set(delay=...) on an STDPMechanism projection is not supported yet by pineal (each "
         "synapse's pairing times depend on its delay)");
}

void Engine::set_dynamics_parameters(std::size_t k, const std::vector<double>& values,
                                     std::size_t changed, bool check_only) {
    for (std::size_t s = 0; s < shards_.size(); ++s)  // first, so nothing changes on error
        plasticity_.rule(k, s).check_parameters(values, changed, shards_[s].projections[k]->label());
    if (check_only) return;
    for (std::size_t s = 0; s < shards_.size(); ++s) {
        plasticity_.rule(k, s).set_parameters(values);
        if (plasticity_.rule(k, s).per_synapse(changed))
            plasticity_.rule(k, s).set_parameter_values(changed, {});
    }
}

bool Engine::initializes_per_synapse(std::size_t k) const {
    return plasticity_.dynamic(k) && plasticity_.rule(k, 0).initializes_per_synapse();
}

bool Engine::per_synapse_parameter(std::size_t k, std::size_t index) const {
    return plasticity_.dynamic(k) && plasticity_.rule(k, 0).per_synapse(index);
}

void Engine::deliver_pending(std::size_t first, std::size_t stride, std::int64_t end) {
    for (std::size_t k = 0; k < projection_count(); ++k) {
        if (!plasticity_.dynamic(k)) continue;
        Delivery d;
        d.known_until = end;
        d.segment = segment_;
        for (std::size_t s = first; s < shards_.size(); s += stride) {
            d.port = shards_[s].inputs[k];
            d.history = plasticity_.history(s, projection_post_[k]);
            plasticity_.rule(k, s).deliver_pending(*shards_[s].projections[k], d);
        }
    }
}

void Engine::check_dynamic_rules() const {
    const std::int64_t m = min_delay_steps();
    for (std::size_t k = 0; k < projection_count(); ++k)
        if (plasticity_.dynamic(k))
            for (std::size_t s = 0; s < shards_.size(); ++s) {
                const ProjectionStore& rows = *shards_[s].projections[k];
                plasticity_.rule(k, s).check_run(rows, m, rows.label());
            }
}

void Engine::initialize_synapse_state(std::size_t k, std::size_t variable, double value,
                                      bool check_only) {
    plasticity_.rule(k, 0).check_initial(variable, value, shards_[0].projections[k]->label());
    if (check_only) return;
    for (std::size_t s = 0; s < shards_.size(); ++s) plasticity_.rule(k, s).initialize(variable, value);
}

std::vector<double> Engine::synapse_state(std::size_t k, std::size_t variable) const {
    return per_synapse_values(k, [variable](const SynapseRule& rule, std::size_t q) {
        return rule.state(variable, q);
    });
}

std::vector<double> Engine::synapse_parameter(std::size_t k, std::size_t index) const {
    return per_synapse_values(k, [index](const SynapseRule& rule, std::size_t q) {
        return rule.parameter(index, q);
    });
}

std::vector<double> Engine::per_synapse_values(
    std::size_t k, const std::function<double(const SynapseRule&, std::size_t)>& read) const {
    const std::size_t n = projection_size(k);
    std::vector<double> value;
    std::vector<std::uint32_t> post;
    value.reserve(n), post.reserve(n);
    for (std::size_t s = 0; s < shards_.size(); ++s) {
        const ProjectionStore& rows = *shards_[s].projections[k];
        const SynapseRule& rule = plasticity_.rule(k, s);
        std::size_t q = 0;
        rows.for_each([&](std::uint32_t, std::uint32_t j, double, std::int32_t) {
            post.push_back(j);
            value.push_back(read(rule, q++));
        });
    }
    // The canonical order of connections(): a stable sort by target.
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return post[a] < post[b]; });
    std::vector<double> sorted(n);
    for (std::size_t r = 0; r < n; ++r) sorted[r] = value[order[r]];
    return sorted;
}

}  // namespace pineal
