// The step loop. Per min_delay slice: every shard advances its cells through
// the slice (threads in parallel), then the spikes of all shards are
// exchanged between virtual ranks and put in canonical order, then every
// shard delivers them onto its own cells.
#include <algorithm>
#include <barrier>
#include <exception>
#include <mutex>
#include <thread>

#include "engine/engine.hpp"

namespace pineal {

// Keeps the threads of a run in step, and stops them all when one fails.
class SliceSync {
public:
    explicit SliceSync(std::size_t threads) : barrier_(static_cast<std::ptrdiff_t>(threads)) {}
    void wait() { barrier_.arrive_and_wait(); }
    void fail(std::exception_ptr e) {
        std::lock_guard lock(mutex_);
        if (!error_) error_ = e;
    }
    bool failed() {
        std::lock_guard lock(mutex_);
        return error_ != nullptr;
    }
    std::exception_ptr error() { return error_; }

private:
    std::barrier<> barrier_;
    std::mutex mutex_;
    std::exception_ptr error_;
};

void Engine::prepare_run() {
    const auto slots = static_cast<std::size_t>(max_delay_steps() + 1);
    for (auto& shard : shards_)
        for (auto& p : shard.projections) p->build_rows();
    if (sources_) {
        std::vector<std::size_t> sizes;
        for (const auto& rt : runtimes_) sizes.push_back(rt.population->size());
        injection_.prepare(*sources_, sizes, options_.timestep, options_.rng_seed);
    }
    for (auto& rt : runtimes_) {
        for (auto& port : rt.ports) port.configure(rt.population->size(), slots, step_);
        if (rt.prepared_version != rt.population->parameter_version()) {
            rt.kernel->prepare(*rt.population, env());
            rt.prepared_version = rt.population->parameter_version();
        }
    }
}

void Engine::emit_time_zero() {
    for (std::size_t s = 0; s < shards_.size(); ++s)
        for (std::size_t p = 0; p < runtimes_.size(); ++p) {
            Runtime& rt = runtimes_[p];
            ShardPopulation& sp = shards_[s].populations[p];
            StepContext ctx{0,        options_.timestep, rt.population, &rt.state, nullptr,
                            &sp.spikes, sp.begin,        sp.end};
            rt.kernel->emit_at_time_zero(ctx);
        }
    exchange();
    for (std::size_t s = 0; s < shards_.size(); ++s) deliver(s);
}

void Engine::sample(std::size_t shard, std::int64_t step) {
    for (std::size_t p = 0; p < runtimes_.size(); ++p)
        shards_[shard].populations[p].signals.sample(step, runtimes_[p].state);
}

void Engine::update_slice(std::size_t shard, std::int64_t from, std::int64_t to) {
    std::vector<const double*> inputs;
    for (std::int64_t step = from; step < to; ++step) {
        for (std::size_t p = 0; p < runtimes_.size(); ++p) {
            Runtime& rt = runtimes_[p];
            ShardPopulation& sp = shards_[shard].populations[p];
            inputs.clear();
            for (auto& port : rt.ports) inputs.push_back(port.arrivals(step + 1));
            StepContext ctx{step,       options_.timestep, rt.population, &rt.state, inputs.data(),
                            &sp.spikes, sp.begin,          sp.end};
            ctx.injected = injection_.fill(p, sp.begin, sp.end, step, segment_);
            rt.kernel->update(ctx);
            for (auto& port : rt.ports) port.clear(step + 1, sp.begin, sp.end);
        }
        sample(shard, step + 1);
    }
}

// Each virtual rank sends the spikes of its shards; every rank receives all
// of them (here: concatenation; with MPI: an allgather) and sorts them into
// the canonical order (stamp, population, cell), the order of delivery.
void Engine::exchange() {
    const std::size_t T = threads();
    for (std::size_t r = 0; r < outboxes_.size(); ++r) {
        auto& out = outboxes_[r];
        out.clear();
        for (std::size_t s = r * T; s < (r + 1) * T; ++s)
            for (std::size_t p = 0; p < runtimes_.size(); ++p) {
                auto& spikes = shards_[s].populations[p].spikes;
                for (const auto& e : spikes)
                    out.push_back({e.stamp, static_cast<std::uint32_t>(p), e.index, e.offset});
                spikes.clear();
            }
    }
    inbox_.clear();
    for (const auto& out : outboxes_) inbox_.insert(inbox_.end(), out.begin(), out.end());
    std::sort(inbox_.begin(), inbox_.end(), [](const QueuedSpike& a, const QueuedSpike& b) {
        if (a.stamp != b.stamp) return a.stamp < b.stamp;
        if (a.population != b.population) return a.population < b.population;
        return a.index < b.index;
    });
    for (const auto& q : inbox_) runtimes_[q.population].spikes.on_spike({q.index, q.stamp, q.offset});
}

void Engine::deliver(std::size_t shard) {
    auto& stores = shards_[shard].projections;
    for (const auto& q : inbox_) {
        for (std::size_t k : runtimes_[q.population].outgoing) {
            const ProjectionStore& prj = *stores[k];
            RingBuffer& port = runtimes_[prj.post_population()].ports[prj.port()];
            for (std::size_t i = prj.row_begin(q.index); i < prj.row_begin(q.index + 1); ++i)
                port.add(q.stamp + prj.delay(i), prj.target(i), prj.weight(i));
        }
    }
}

void Engine::run_slices(std::size_t thread, std::int64_t target_step, SliceSync& sync) {
    const std::int64_t slice = min_delay_steps();
    const std::size_t T = threads();
    for (std::int64_t step = step_; step < target_step;) {
        // Slices end on multiples of min_delay, whatever the run() calls.
        const std::int64_t end = std::min(target_step, (step / slice + 1) * slice);
        try {
            for (std::size_t s = thread; s < shards_.size(); s += T) update_slice(s, step, end);
        } catch (...) {
            sync.fail(std::current_exception());
        }
        sync.wait();
        if (sync.failed()) return;
        if (thread == 0) exchange();
        sync.wait();
        for (std::size_t s = thread; s < shards_.size(); s += T) deliver(s);
        step = end;
    }
}

void Engine::run_until(std::int64_t target_step) {
    prepare_run();
    if (step_ == 0 && !time_zero_done_) {
        emit_time_zero();
        time_zero_done_ = true;
    }
    for (std::size_t s = 0; s < shards_.size(); ++s) sample(s, step_);
    SliceSync sync(threads());
    if (threads() == 1) {
        run_slices(0, target_step, sync);
    } else {
        std::vector<std::jthread> workers;
        for (std::size_t t = 0; t < threads(); ++t)
            workers.emplace_back([this, t, target_step, &sync] { run_slices(t, target_step, sync); });
    }
    if (sync.error()) std::rethrow_exception(sync.error());
    step_ = std::max(step_, target_step);
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
        rt.spikes.clear_data();
        for (auto& shard : shards_) {
            shard.populations[p].spikes.clear();
            shard.populations[p].signals.clear_data();
        }
    }
}

}  // namespace pineal
