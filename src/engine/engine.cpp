#include "engine/engine.hpp"

#include <algorithm>
#include <cmath>

#include "pineal/errors.hpp"

namespace pineal {

void Engine::add_population(const Population& pop) {
    Runtime rt;
    rt.population = &pop;
    rt.kernel = pop.model().make_kernel();
    for (std::size_t k = 0; k < pop.model().state.size(); ++k)
        rt.state.push_back(pop.initial_value(static_cast<int>(k)));
    rt.ports.resize(pop.model().receptor_types.size());
    runtimes_.push_back(std::move(rt));
}

std::size_t Engine::add_projection(const ProjectionSpec& spec, const ConnectionRequest& request,
                                   int port, std::uint32_t n_pre) {
    auto store = std::make_unique<ProjectionStore>(spec.pre, spec.post, port, n_pre, request.label);
    DelayRules rules;
    rules.dt = options_.timestep;
    rules.min_delay = options_.min_delay.value_or(0.0);
    if (options_.max_delay) rules.max_delay = *options_.max_delay;
    ProjectionSink sink(*store, rules);
    generate_connections(spec.connector, request, sink);  // throws: store is dropped
    projections_.push_back(std::move(store));
    runtimes_[spec.pre].outgoing.push_back(projections_.size() - 1);
    return projections_.size() - 1;
}

void Engine::apply_initial_value(std::size_t population, int state_index) {
    Runtime& rt = runtimes_[population];
    for (std::size_t k = 0; k < rt.state.size(); ++k)
        if (state_index < 0 || std::size_t(state_index) == k)
            rt.state[k] = rt.population->initial_value(static_cast<int>(k));
}

std::int64_t Engine::min_delay_steps() const {
    if (options_.min_delay) return std::llround(*options_.min_delay / options_.timestep);
    std::int64_t d = std::numeric_limits<std::int64_t>::max();
    for (const auto& p : projections_)
        if (p->size() > 0) d = std::min<std::int64_t>(d, p->min_delay_steps());
    return d == std::numeric_limits<std::int64_t>::max() ? 1 : d;
}

std::int64_t Engine::max_delay_steps() const {
    if (options_.max_delay) return std::llround(*options_.max_delay / options_.timestep);
    std::int64_t d = min_delay_steps();
    for (const auto& p : projections_)
        if (p->size() > 0) d = std::max<std::int64_t>(d, p->max_delay_steps());
    return d;
}

KernelEnv Engine::env() const {
    return {options_.timestep, step_, options_.rng_seed, segment_};
}

void Engine::prepare_run() {
    const auto slots = static_cast<std::size_t>(max_delay_steps() + 1);
    for (auto& p : projections_) p->build_rows();
    for (auto& rt : runtimes_) {
        for (auto& port : rt.ports) port.configure(rt.population->size(), slots, step_);
        if (rt.prepared_version != rt.population->parameter_version()) {
            rt.kernel->prepare(*rt.population, env());
            rt.prepared_version = rt.population->parameter_version();
        }
    }
}

void Engine::run_until(std::int64_t target_step) {
    prepare_run();
    if (step_ == 0 && !time_zero_done_) {
        for (std::size_t p = 0; p < runtimes_.size(); ++p) {
            Runtime& rt = runtimes_[p];
            StepContext ctx{0, options_.timestep, rt.population, &rt.state, nullptr, &rt.spikes};
            rt.kernel->emit_at_time_zero(ctx);
        }
        deliver_slice();
        time_zero_done_ = true;
    }
    for (auto& rt : runtimes_) rt.recorder.sample(step_, rt.state);

    const std::int64_t slice = min_delay_steps();
    std::vector<const double*> inputs;
    while (step_ < target_step) {
        // Slices end on multiples of min_delay, whatever the run() calls.
        const std::int64_t slice_end = std::min(target_step, (step_ / slice + 1) * slice);
        for (; step_ < slice_end; ++step_) {
            for (auto& rt : runtimes_) {
                inputs.clear();
                for (auto& port : rt.ports) inputs.push_back(port.arrivals(step_ + 1));
                StepContext ctx{step_, options_.timestep, rt.population, &rt.state,
                                inputs.data(), &rt.spikes};
                rt.kernel->update(ctx);
                for (auto& port : rt.ports) port.clear(step_ + 1);
                rt.recorder.sample(step_ + 1, rt.state);
            }
        }
        deliver_slice();
    }
}

// Delivers the spikes of one slice in a canonical order (stamp, population,
// cell), so that every input buffer sums its terms in the same order however
// the run is cut into slices or the network into partitions.
void Engine::deliver_slice() {
    queue_.clear();
    for (std::size_t p = 0; p < runtimes_.size(); ++p) {
        Runtime& rt = runtimes_[p];
        rt.recorder.on_spikes(rt.spikes);
        for (const auto& e : rt.spikes)
            queue_.push_back({e.stamp, static_cast<std::uint32_t>(p), e.index});
        rt.spikes.clear();
    }
    std::stable_sort(queue_.begin(), queue_.end(), [](const QueuedSpike& a, const QueuedSpike& b) {
        return a.stamp != b.stamp ? a.stamp < b.stamp : a.population < b.population;
    });
    for (const auto& s : queue_) {
        for (std::size_t k : runtimes_[s.population].outgoing) {
            const ProjectionStore& prj = *projections_[k];
            RingBuffer& port = runtimes_[prj.post_population()].ports[prj.port()];
            for (std::size_t q = prj.row_begin(s.index); q < prj.row_begin(s.index + 1); ++q)
                port.add(s.stamp + prj.delay(q), prj.target(q), prj.weight(q));
        }
    }
}

void Engine::reset() {
    step_ = 0;
    ++segment_;
    time_zero_done_ = false;
    for (std::size_t p = 0; p < runtimes_.size(); ++p) {
        Runtime& rt = runtimes_[p];
        apply_initial_value(p);
        rt.kernel->reset(*rt.population);
        rt.prepared_version = ~std::uint64_t{0};  // re-derive with the new segment
        for (auto& port : rt.ports) port.clear_all();
        rt.spikes.clear();
        rt.recorder.clear_data(0);
    }
}

}  // namespace pineal
