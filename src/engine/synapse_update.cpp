// Changing the synapses of a built projection (PyNN Projection.set): one
// named column at a time, on every shard, all-or-nothing.
//
// Values are asked for target by target, each target's connections in
// canonical order (source, delay, store order), so random values drawn per
// target do not depend on how targets are split over threads and ranks.
// Everything is computed and checked before anything is changed.
#include <algorithm>
#include <cmath>
#include <exception>
#include <limits>
#include <numeric>
#include <thread>

#include "engine/engine.hpp"

namespace pineal {

SynapseAddresses ProjectionStore::addresses() const {
    SynapseAddresses a;
    const std::size_t n = weights_.size();
    const std::size_t targets = block_end_ - block_begin_;
    a.target_start.assign(targets + 1, 0);
    for (std::size_t q = 0; q < n; ++q) ++a.target_start[synapse(q).target + 1];
    std::partial_sum(a.target_start.begin(), a.target_start.end(), a.target_start.begin());
    std::vector<std::uint32_t> cursor(a.target_start.begin(), a.target_start.end() - 1);
    a.canonical.resize(n);
    a.source.resize(n);
    // Store order is row by row (ascending source), so each target's
    // positions fill in source order, then delay, then store order.
    for (std::uint32_t i = 0; i < n_pre_; ++i)
        for (const Segment& seg : segments(i))
            for (std::uint32_t q = seg.first; q < (&seg + 1)->first; ++q) {
                const std::uint32_t c = cursor[synapse(q).target]++;
                a.canonical[q] = c;
                a.source[c] = i;
            }
    return a;
}

void ProjectionStore::assign_weights(std::span<const float> by_canonical,
                                     const SynapseAddresses& a) {
    has_positive_ = has_negative_ = false;
    for (std::size_t q = 0; q < weights_.size(); ++q) {
        const float w = by_canonical[a.canonical[q]];
        weights_[q] = w;
        has_positive_ = has_positive_ || w > 0;
        has_negative_ = has_negative_ || w < 0;
    }
}

std::vector<std::uint32_t> ProjectionStore::assign_delays(std::span<const std::int32_t> by_canonical,
                                                          const SynapseAddresses& a) {
    const std::size_t n = weights_.size();
    std::vector<std::int32_t> delay(n);
    for (std::size_t q = 0; q < n; ++q) delay[q] = by_canonical[a.canonical[q]];
    // Each row sorted by the new delay, stably: equal delays keep their
    // store order, so the order within a target stays decomposition-free.
    std::vector<std::uint32_t> order(n);
    std::iota(order.begin(), order.end(), 0u);
    std::vector<std::uint32_t> row_first(std::size_t(n_pre_) + 1);
    for (std::uint32_t i = 0; i <= n_pre_; ++i)
        row_first[i] = segments_[rows_[i]].first;  // rows_[n_pre_] is the sentinel
    for (std::uint32_t i = 0; i < n_pre_; ++i)
        std::stable_sort(order.begin() + row_first[i], order.begin() + row_first[i + 1],
                         [&](std::uint32_t x, std::uint32_t y) { return delay[x] < delay[y]; });
    std::vector<Synapse> synapses(n);  // in the new order, written back below
    std::vector<Segment> segments;
    std::vector<std::uint32_t> rows(std::size_t(n_pre_) + 1, 0);
    min_delay_ = std::numeric_limits<std::int32_t>::max();
    max_delay_ = 0;
    for (std::uint32_t i = 0; i < n_pre_; ++i) {
        rows[i] = static_cast<std::uint32_t>(segments.size());
        for (std::uint32_t k = row_first[i]; k < row_first[i + 1]; ++k) {
            const std::int32_t d = delay[order[k]];
            if (k == row_first[i] || d != segments.back().delay) segments.push_back({k, d});
            synapses[k] = synapse(order[k]);
            min_delay_ = std::min(min_delay_, d);
            max_delay_ = std::max(max_delay_, d);
        }
    }
    rows[n_pre_] = static_cast<std::uint32_t>(segments.size());
    segments.push_back({static_cast<std::uint32_t>(n), 0});
    segments.shrink_to_fit();  // bytes() counts capacity: keep the layout's size
    for (std::size_t q = 0; q < n; ++q) set_synapse(q, synapses[q].target, synapses[q].weight);
    segments_.swap(segments);
    rows_.swap(rows);
    return order;
}

DelayRules Engine::delay_rules() const {
    DelayRules rules;
    rules.dt = options_.timestep;
    rules.min_delay = options_.min_delay.value_or(0.0);
    if (options_.max_delay) rules.max_delay = *options_.max_delay;
    return rules;
}

std::vector<std::string> Engine::synapse_columns(std::size_t /*k*/) const {
    return {"weight", "delay"};
}

namespace {
std::uint32_t projection_index(std::span<const std::uint32_t> cells, std::size_t i) {
    if (cells.empty()) return static_cast<std::uint32_t>(i);
    return static_cast<std::uint32_t>(std::lower_bound(cells.begin(), cells.end(), i) -
                                      cells.begin());
}
}  // namespace

void Engine::set_synapse_values(std::size_t k, const SynapseColumnUpdate& u) {
    (void)projection_size(k);  // checks k
    const auto columns = synapse_columns(k);
    // A model parameter or initial state per synapse (checked by the caller:
    // projection_update.cpp) rather than the weight or delay column.
    const bool parameter = u.parameter >= 0 || u.state_variable >= 0;
    if (!parameter && std::find(columns.begin(), columns.end(), u.column) == columns.end()) {
        std::string known;
        for (const auto& c : columns) known += (known.empty() ? "" : ", ") + c;
        fail(ErrorKind::non_existent_parameter, "StaticSynapse", u.column, "Projection '",
             shards_[0].projections[k]->label(), "': no synapse attribute '", u.column,
             "'; it has: ", known);
    }
    const bool weight = !parameter && u.column == "weight";
    if (!weight && !parameter) check_dynamic_delay_change(k);
    const DelayRules rules = delay_rules();
    const std::size_t S = shards_.size();
    // Canonical position of each shard's first synapse: shards own ascending
    // blocks of targets, so the projection's order is shard by shard.
    std::vector<std::size_t> shard_first(S + 1, 0);
    for (std::size_t s = 0; s < S; ++s)
        shard_first[s + 1] = shard_first[s] + shards_[s].projections[k]->size();
    std::vector<SynapseAddresses> addresses(S);
    std::vector<std::vector<float>> weights(weight ? S : 0);
    std::vector<std::vector<std::int32_t>> delays(weight || parameter ? 0 : S);
    // Dynamic synapses that learn keep double weights (engine_plastic.cpp);
    // model parameters per synapse are double too.
    std::vector<std::vector<double>> exact((weight && plasticity_.dynamic(k)) || parameter ? S : 0);
    std::vector<char> positive(S, 0), negative(S, 0);
    std::vector<std::exception_ptr> errors(threads());
    auto compute = [&](std::size_t t) {
        try {
            SynapseFiller fill = u.make_filler();
            std::vector<std::uint32_t> pre;
            std::vector<double> values;
            for (std::size_t s = t; s < S; s += threads()) {
                const ProjectionStore& store = *shards_[s].projections[k];
                const std::string& label = store.label();
                SynapseAddresses& a = addresses[s];
                a = store.addresses();
                if (weight) weights[s].resize(store.size());
                else if (!parameter) delays[s].resize(store.size());
                if (!exact.empty()) exact[s].resize(store.size());
                for (std::size_t j = 0; j + 1 < a.target_start.size(); ++j) {
                    const std::uint32_t first = a.target_start[j], end = a.target_start[j + 1];
                    if (first == end) continue;
                    pre.resize(end - first);
                    for (std::uint32_t c = first; c < end; ++c)
                        pre[c - first] = projection_index(u.pre_cells, a.source[c]);
                    values.resize(end - first);
                    const std::uint32_t post = projection_index(u.post_cells, store.block_begin() + j);
                    fill(post, pre, shard_first[s] + first, values);
                    for (std::size_t c = 0; c < values.size(); ++c) {
                        const double v = values[c];
                        if (parameter) {
                            if (u.check_parameter) u.check_parameter(v);
                            exact[s][first + c] = v;
                        } else if (weight) {
                            check_weight(v, u.sign, label);
                            weights[s][first + c] = static_cast<float>(v);
                            if (!exact.empty()) exact[s][first + c] = v;
                            positive[s] |= v > 0;
                            negative[s] |= v < 0;
                        } else {
                            delays[s][first + c] = delay_steps(v, rules, label);
                        }
                    }
                }
                if (parameter) {  // into row order, the rules' order
                    std::vector<double> by_row(exact[s].size());
                    for (std::size_t q = 0; q < by_row.size(); ++q) by_row[q] = exact[s][a.canonical[q]];
                    exact[s].swap(by_row);
                    if (u.state_variable >= 0)
                        plasticity_.rule(k, s).check_initial_values(std::size_t(u.state_variable),
                                                                    exact[s], label);
                    else
                        plasticity_.rule(k, s).check_parameter_values(std::size_t(u.parameter),
                                                                      exact[s], label);
                }
            }
        } catch (...) {
            errors[t] = std::current_exception();
        }
    };
    if (threads() == 1) {
        compute(0);
    } else {
        std::vector<std::jthread> workers;
        for (std::size_t t = 0; t < threads(); ++t) workers.emplace_back(compute, t);
    }
    for (auto& e : errors)
        if (e) std::rethrow_exception(e);  // nothing changed yet
    if (weight && std::count(positive.begin(), positive.end(), 1) &&
        std::count(negative.begin(), negative.end(), 1)) {
        const std::string& label = shards_[0].projections[k]->label();
        fail(ErrorKind::connection, label, "weight", "Projection '", label,
             "': weights must be all >= 0 or all <= 0 within one projection");
    }
    if (u.check_only) return;
    for (std::size_t s = 0; s < S; ++s) {
        ProjectionStore& store = *shards_[s].projections[k];
        if (u.state_variable >= 0) {
            plasticity_.rule(k, s).initialize_values(std::size_t(u.state_variable),
                                                     std::move(exact[s]));
        } else if (parameter) {
            plasticity_.rule(k, s).set_parameter_values(std::size_t(u.parameter),
                                                        std::move(exact[s]));
        } else if (weight) {
            store.assign_weights(weights[s], addresses[s]);
            if (!exact.empty()) set_dynamic_weights(k, s, exact[s], addresses[s]);
        } else {
            const auto order = store.assign_delays(delays[s], addresses[s]);
            if (plasticity_.dynamic(k)) plasticity_.rule(k, s).permute(order);
        }
    }
}

// PyNN's check_weights, as construction applies it (connectors.cpp), and
// the float32 range of the store.
void Engine::check_weight(double w, WeightSign sign, const std::string& label) {
    if (!std::isfinite(w))
        fail(ErrorKind::connection, label, "weight", "Projection '", label,
             "': weight must be finite, got ", w);
    if (std::abs(w) > double(std::numeric_limits<float>::max()))
        fail(ErrorKind::connection, label, "weight", "Projection '", label, "': weight ", w,
             " does not fit the synapse store (float32)");
    if (sign == WeightSign::non_negative && w < 0)
        fail(ErrorKind::connection, label, "weight", "Projection '", label,
             "': weights must be >= 0 for this receptor type (excitatory, or any receptor of a "
             "conductance-based cell), got ", w);
    if (sign == WeightSign::non_positive && w > 0)
        fail(ErrorKind::connection, label, "weight", "Projection '", label,
             "': weights must be <= 0 for an inhibitory receptor of a current-based cell, got ",
             w);
}

}  // namespace pineal
