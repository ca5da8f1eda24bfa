// Engine set-up: populations, projections (built on every shard), recording.
// The step loop is in engine_run.cpp.
#include "engine/engine.hpp"

#include <algorithm>
#include <cmath>
#include <exception>
#include <limits>
#include <numeric>
#include <thread>

namespace pineal {

Engine::Engine(const SetupOptions& options)
    : options_(options),
      shards_(static_cast<std::size_t>(options.threads * options.virtual_ranks)),
      plasticity_(shards_.size()) {}

void Engine::add_population(const Population& pop) {
    Runtime rt;
    rt.population = &pop;
    runtimes_.push_back(std::move(rt));
    const std::size_t n = pop.size(), S = shards_.size();
    for (std::size_t s = 0; s < S; ++s) {
        ShardPopulation sp;
        sp.begin = n * s / S;
        sp.end = n * (s + 1) / S;
        if (sp.end > sp.begin) {
            cut_block(sp, pop);
            sp.kernel = pop.model().make_kernel();
        }
        sp.state.resize(pop.model().state.size());
        sp.ports.resize(pop.model().receptor_types.size());
        shards_[s].populations.push_back(std::move(sp));
    }
    apply_initial_value(runtimes_.size() - 1);
}

void Engine::cut_block(ShardPopulation& sp, const Population& pop) {
    if (sp.begin == 0 && sp.end == pop.size()) {
        sp.block.reset();
        sp.cells = &pop;
    } else {
        sp.block = std::make_unique<Population>(pop.block(sp.begin, sp.end));
        sp.cells = sp.block.get();
    }
}

void Engine::remove_last_population() {
    runtimes_.pop_back();
    for (auto& shard : shards_) shard.populations.pop_back();
}

bool Engine::connects(std::size_t p) const {
    for (std::size_t k = 0; k < projection_count(); ++k)
        if (projection_pre_[k] == p || projection_post_[k] == p) return true;
    return false;
}

namespace {
// Accepts the targets of one shard's block. Connections arrive in projection
// indices; the store holds population indices (the request's cell
// selections map them, when a side is a view).
class ShardSink final : public ConnectionSink {
public:
    // `weights`, when given, receives every weight as a double (dynamic
    // synapses keep them; the store rounds them to float32).
    ShardSink(ProjectionStore& store, DelayRules rules, std::size_t begin, std::size_t end,
              const ConnectionRequest& request, std::vector<double>* weights = nullptr)
        : store_(store), rules_(rules), begin_(begin), end_(end),
          pre_cells_(request.pre_cells), post_cells_(request.post_cells), weights_(weights) {}
    bool owns(std::uint32_t post) const override {
        const std::uint32_t cell = post_cells_.empty() ? post : post_cells_[post];
        return cell >= begin_ && cell < end_;
    }
    void connect(std::uint32_t post, std::span<const std::uint32_t> pre,
                 std::span<const double> weight, std::span<const double> delay) override {
        if (!post_cells_.empty()) post = post_cells_[post];
        if (!pre_cells_.empty()) {
            mapped_.resize(pre.size());
            for (std::size_t k = 0; k < pre.size(); ++k) mapped_[k] = pre_cells_[pre[k]];
            pre = mapped_;
        }
        store_.append(post, pre, weight, delay, rules_);
        if (weights_) weights_->insert(weights_->end(), weight.begin(), weight.end());
    }

private:
    ProjectionStore& store_;
    DelayRules rules_;
    std::size_t begin_, end_;
    std::span<const std::uint32_t> pre_cells_, post_cells_;
    std::vector<std::uint32_t> mapped_;
    std::vector<double>* weights_;
};
}  // namespace

std::size_t Engine::add_projection(const ProjectionSpec& spec, const ConnectionRequest& request,
                                   int port) {
    DelayRules delay_rules;
    delay_rules.dt = options_.timestep;
    delay_rules.min_delay = options_.min_delay.value_or(0.0);
    if (options_.max_delay) delay_rules.max_delay = *options_.max_delay;
    const std::size_t S = shards_.size();
    std::vector<std::unique_ptr<ProjectionStore>> stores(S);
    std::vector<std::unique_ptr<SynapseRule>> rules(spec.dynamics ? S : 0);
    std::vector<std::exception_ptr> errors(threads());
    // Thread t builds the targets of its shards t, t + T, t + 2T, ...
    auto build = [&](std::size_t t) {
        try {
            for (std::size_t s = t; s < S; s += threads()) {
                const ShardPopulation& block = shards_[s].populations[spec.post];
                // Rows are indexed by the source's population index.
                const auto n_pre = static_cast<std::uint32_t>(runtimes_[spec.pre].population->size());
                stores[s] = std::make_unique<ProjectionStore>(
                    spec.pre, spec.post, port, n_pre, block.begin, block.end, request.label);
                std::vector<double> weights;
                ShardSink sink(*stores[s], delay_rules, block.begin, block.end, request,
                               spec.dynamics ? &weights : nullptr);
                generate_connections(spec.connector, request, sink);
                if (!spec.dynamics) {
                    stores[s]->finish();
                    continue;
                }
                std::vector<std::uint32_t> placement;
                stores[s]->finish(&placement);
                std::vector<double> in_rows(weights.size());
                for (std::size_t q = 0; q < weights.size(); ++q) in_rows[placement[q]] = weights[q];
                rules[s] = make_rule(spec, port, projection_count(), *stores[s], std::move(in_rows));
            }
        } catch (...) {
            errors[t] = std::current_exception();
        }
    };
    if (threads() == 1) {
        build(0);
    } else {
        std::vector<std::jthread> workers;
        for (std::size_t t = 0; t < threads(); ++t) workers.emplace_back(build, t);
    }
    for (auto& e : errors)
        if (e) std::rethrow_exception(e);  // the stores are dropped: nothing half-built
    // One sign for the whole projection (PyNN's check_weights), across shards.
    bool positive = false, negative = false;
    for (const auto& st : stores) positive |= st->has_positive(), negative |= st->has_negative();
    if (positive && negative && request.weight_sign == WeightSign::any)
        fail(ErrorKind::connection, request.label, "weight", "Projection '", request.label,
             "': weights must be all >= 0 or all <= 0 within one projection");
    for (std::size_t s = 0; s < S; ++s) shards_[s].projections.push_back(std::move(stores[s]));
    plasticity_.add_projection(std::move(rules), spec.post, runtimes_[spec.post].population->size());
    projection_pre_.push_back(spec.pre);
    projection_post_.push_back(spec.post);
    projection_port_.push_back(port);
    runtimes_[spec.pre].outgoing.push_back(projection_count() - 1);
    return projection_count() - 1;
}

void Engine::remove_last_projection() {
    if (projection_count() == 0) return;
    for (auto& shard : shards_) shard.projections.pop_back();
    plasticity_.remove_last_projection();
    runtimes_[projection_pre_.back()].outgoing.pop_back();
    projection_pre_.pop_back();
    projection_post_.pop_back();
    projection_port_.pop_back();
}

std::size_t Engine::projection_size(std::size_t k) const {
    if (k >= projection_count())
        fail(ErrorKind::out_of_range, "Simulation", "", "no projection with handle ", k,
             " (there are ", projection_count(), ")");
    std::size_t n = 0;
    for (const auto& shard : shards_) n += shard.projections[k]->size();
    return n;
}

ConnectionData Engine::connections(std::size_t k) const {
    const std::size_t n = projection_size(k);
    ConnectionData out;
    out.pre.reserve(n), out.post.reserve(n), out.weight.reserve(n), out.delay.reserve(n);
    for (std::size_t s = 0; s < shards_.size(); ++s) {
        const ProjectionStore& rows = *shards_[s].projections[k];
        const SynapseRule* rule = plasticity_.dynamic(k) ? &plasticity_.rule(k, s) : nullptr;
        std::size_t q = 0;  // for_each visits the synapses in row order
        rows.for_each([&](std::uint32_t i, std::uint32_t j, double w, std::int32_t d) {
            out.pre.push_back(i);
            out.post.push_back(j);
            out.weight.push_back(rule ? rule->weight(rows, q) : w);
            ++q;
            out.delay.push_back(static_cast<double>(d));  // steps; caller converts
        });
    }
    // Each target lives on one shard, whose store keeps (source, delay,
    // generation) order: a stable sort by target gives the canonical order.
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return out.post[a] < out.post[b]; });
    ConnectionData sorted;
    for (auto q : order) {
        sorted.pre.push_back(out.pre[q]);
        sorted.post.push_back(out.post[q]);
        sorted.weight.push_back(out.weight[q]);
        sorted.delay.push_back(out.delay[q]);
    }
    return sorted;
}

void Engine::record_spikes(std::size_t pop, std::span<const std::uint32_t> cells) {
    runtimes_[pop].spikes.record(cells, runtimes_[pop].population->size());
}

void Engine::record_signal(std::size_t pop, const std::string& variable, int state_index,
                           std::span<const std::uint32_t> cells, std::int64_t interval) {
    const std::string& label = runtimes_[pop].population->label();
    for (const auto& shard : shards_) shard.populations[pop].signals.check(variable, cells, interval, label);
    for (auto& shard : shards_) {
        const ShardPopulation& sp = shard.populations[pop];
        std::vector<std::uint32_t> mine;
        for (auto i : cells)
            if (i >= sp.begin && i < sp.end) mine.push_back(i);
        shard.populations[pop].signals.record(variable, state_index, mine, interval);
    }
}

void Engine::stop_recording(std::size_t pop) {
    runtimes_[pop].spikes.stop();
    for (auto& shard : shards_) shard.populations[pop].signals.stop();
}

std::vector<std::string> Engine::recorded_variables(std::size_t pop) const {
    std::vector<std::string> out;
    if (runtimes_[pop].spikes.active()) out.push_back("spikes");
    for (const auto& [name, s] : shards_[0].populations[pop].signals.signals()) out.push_back(name);
    return out;
}

const std::vector<SpikeEvent>& Engine::spike_events(std::size_t pop) const {
    return runtimes_[pop].spikes.events();
}

SignalData Engine::signal(std::size_t pop, const std::string& variable) const {
    SignalData out;
    std::vector<const SignalRecorder::Signal*> parts;
    for (const auto& shard : shards_) {
        const auto& all = shard.populations[pop].signals.signals();
        const auto it = all.find(variable);
        if (it == all.end())
            fail(ErrorKind::recording, runtimes_[pop].population->label(), variable, "'",
                 variable, "' is not being recorded");
        parts.push_back(&it->second);
    }
    // Every shard samples at the same steps; blocks are in ascending cell order.
    std::int64_t first = -1, samples = 0;
    for (const auto* p : parts) {
        out.cells.insert(out.cells.end(), p->cells.begin(), p->cells.end());
        if (!p->cells.empty()) {
            first = p->first_step;
            samples = static_cast<std::int64_t>(p->values.size() / p->cells.size());
        }
    }
    out.n_samples = static_cast<std::size_t>(samples);
    out.sampling_interval = static_cast<double>(parts[0]->interval);  // steps; caller converts
    out.t_start = static_cast<double>(first < 0 ? step_ : first);      // steps
    out.values.reserve(out.n_samples * out.cells.size());
    for (std::size_t row = 0; row < out.n_samples; ++row)
        for (const auto* p : parts) {
            const auto* begin = p->values.data() + row * p->cells.size();
            out.values.insert(out.values.end(), begin, begin + p->cells.size());
        }
    return out;
}

void Engine::clear_data(std::size_t pop) {
    runtimes_[pop].spikes.clear_data();
    for (auto& shard : shards_) shard.populations[pop].signals.clear_data();
}

void Engine::apply_initial_value(std::size_t population, int state_index) {
    const Population& pop = *runtimes_[population].population;
    for (auto& shard : shards_) {
        ShardPopulation& sp = shard.populations[population];
        for (std::size_t k = 0; k < sp.state.size(); ++k) {
            if (state_index >= 0 && std::size_t(state_index) != k) continue;
            const auto& all = pop.initial_value(static_cast<int>(k));
            sp.state[k].assign(all.begin() + std::ptrdiff_t(sp.begin),
                               all.begin() + std::ptrdiff_t(sp.end));
        }
    }
}

// Projections are built one after another, all shards of one at once: the
// most held during construction is the finished projections plus the
// staging and rows of the one being built.
SynapseMemory Engine::synapse_memory() const {
    SynapseMemory m;
    std::size_t finished = 0;
    for (std::size_t k = 0; k < projection_count(); ++k) {
        std::size_t building = 0, built = 0;
        for (const auto& shard : shards_) {
            const ProjectionStore& p = *shard.projections[k];
            m.synapses += p.size();
            building += p.peak_bytes();
            built += p.bytes();
        }
        m.peak_construction_bytes = std::max(m.peak_construction_bytes, finished + building);
        finished += built;
    }
    m.bytes = finished;
    m.dynamic_bytes = plasticity_.rule_bytes();
    m.history_bytes = plasticity_.history_bytes();
    m.history_entries = plasticity_.history_entries();
    return m;
}

std::int64_t Engine::min_delay_steps() const {
    if (options_.min_delay) return std::llround(*options_.min_delay / options_.timestep);
    std::int64_t d = std::numeric_limits<std::int64_t>::max();
    for (const auto& shard : shards_)
        for (const auto& p : shard.projections)
            if (p->size() > 0) d = std::min<std::int64_t>(d, p->min_delay_steps());
    return d == std::numeric_limits<std::int64_t>::max() ? 1 : d;
}

std::int64_t Engine::max_delay_steps() const {
    if (options_.max_delay) return std::llround(*options_.max_delay / options_.timestep);
    std::int64_t d = min_delay_steps();
    for (const auto& shard : shards_)
        for (const auto& p : shard.projections)
            if (p->size() > 0) d = std::max<std::int64_t>(d, p->max_delay_steps());
    return d;
}

KernelEnv Engine::env() const { return {options_.timestep, step_, options_.rng_seed, segment_}; }

}  // namespace pineal
