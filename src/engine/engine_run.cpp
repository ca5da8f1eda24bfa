// The step loop. Per min_delay slice: every shard advances its cells through
// the slice (threads in parallel); after one barrier every thread reads the
// spikes of all shards in canonical order and delivers them onto its own
// shards' cells, then goes on with the next slice (double-buffered spike
// lists make the second barrier unnecessary).
#include <algorithm>
#include <atomic>
#include <chrono>
#include <exception>
#include <limits>
#include <mutex>
#include <thread>

#include "engine/engine.hpp"
#include "engine/slice_barrier.hpp"

namespace pineal {

// Keeps the threads of a run in step, and stops them all when one fails.
class SliceSync {
public:
    explicit SliceSync(std::size_t threads) : barrier_(threads) {}
    void wait() { barrier_.arrive_and_wait(); }
    void fail(std::exception_ptr e) {
        std::lock_guard lock(mutex_);
        if (!error_) error_ = e;
        failed_ = true;
    }
    // Read after a barrier, which orders it after every fail() before it.
    bool failed() const { return failed_.load(std::memory_order_relaxed); }
    std::exception_ptr error() { return error_; }

private:
    SliceBarrier barrier_;
    std::mutex mutex_;
    std::exception_ptr error_;
    std::atomic<bool> failed_{false};
};

void Engine::prepare_run() {
    check_dynamic_rules();  // first: an unsupported set-up changes nothing
    ring_slots_ = std::max(ring_slots_, static_cast<std::size_t>(max_delay_steps() + 1));
    const std::size_t slots = ring_slots_;
    if (sources_) {
        std::vector<std::size_t> sizes;
        for (const auto& rt : runtimes_) sizes.push_back(rt.population->size());
        injection_.prepare(*sources_, sizes, shards_.size(), options_.timestep, options_.rng_seed);
    }
    for (std::size_t p = 0; p < runtimes_.size(); ++p) {
        Runtime& rt = runtimes_[p];
        rt.shard_local = true;
        for (std::size_t k : rt.outgoing)
            for (const Shard& shard : shards_) {
                const ShardPopulation& sp = shard.populations[p];
                for (std::uint32_t i = 0; i < rt.population->size() && rt.shard_local; ++i)
                    if ((i < sp.begin || i >= sp.end) && !shard.projections[k]->segments(i).empty())
                        rt.shard_local = false;
            }
    }
    for (auto& shard : shards_) {
        shard.inputs.clear();
        for (std::size_t k = 0; k < projection_count(); ++k) {
            ShardPopulation& target = shard.populations[projection_post_[k]];
            shard.inputs.push_back(&target.ports[std::size_t(projection_port_[k])]);
        }
    }
    for (std::size_t p = 0; p < runtimes_.size(); ++p) {
        const Population& pop = *runtimes_[p].population;
        for (auto& shard : shards_) {
            ShardPopulation& sp = shard.populations[p];
            if (!sp.kernel) continue;  // an empty block
            for (auto& port : sp.ports) port.configure(sp.end - sp.begin, slots, step_);
            if (sp.prepared_version != pop.parameter_version()) {
                cut_block(sp, pop);
                sp.kernel->prepare(*sp.cells, env());
                sp.prepared_version = pop.parameter_version();
            }
        }
    }
    prepare_direct_drive();
}

// The populations whose spikes go through DirectDrive: every outgoing
// projection static, at most one synapse per source on every shard.
void Engine::prepare_direct_drive() {
    direct_.clear(runtimes_.size(), shards_.size());
    for (std::size_t p = 0; p < runtimes_.size(); ++p) {
        const auto& outgoing = runtimes_[p].outgoing;
        std::vector<const ProjectionStore*> stores;
        std::vector<RingBuffer*> ports;
        bool direct = !outgoing.empty();
        for (std::size_t k : outgoing) {
            direct = direct && !plasticity_.dynamic(k);
            for (std::size_t s = 0; s < shards_.size() && direct; ++s) {
                direct = DirectDrive::fits(*shards_[s].projections[k]);
                stores.push_back(shards_[s].projections[k].get());
                ports.push_back(shards_[s].inputs[k]);
            }
        }
        if (direct) direct_.add(p, stores, ports);
    }
}

template <class F>
void Engine::run_kernel(ShardPopulation& sp, std::vector<SpikeEvent>& spikes, F&& call) {
    StepContext ctx{0, options_.timestep, sp.cells, &sp.state, nullptr, &spikes, 0,
                    sp.end - sp.begin};
    call(ctx);
}

void Engine::emit_time_zero() {
    for (auto& shard : shards_)
        for (auto& sp : shard.populations) {
            sp.spikes[0].clear();
            if (sp.kernel)
                run_kernel(sp, sp.spikes[0],
                           [&](StepContext& ctx) { sp.kernel->emit_at_time_zero(ctx); });
        }
    deliver(0, 1, true, 0, 0, 0);
    for (auto& shard : shards_)
        for (auto& sp : shard.populations) sp.spikes[0].clear();
}

void Engine::sample(std::size_t shard, std::int64_t step) {
    for (auto& sp : shards_[shard].populations) sp.signals.sample(step, sp.state, sp.begin);
}

// Each population's block: its kernel reads and clears this step's slot of
// the block's input buffers (cell indices within the block throughout).
void Engine::update_slice(std::size_t shard, std::int64_t from, std::int64_t to, int parity) {
    std::vector<double*> inputs;  // one per receptor port
    for (auto& sp : shards_[shard].populations) sp.spikes[parity].clear();
    for (std::int64_t step = from; step < to; ++step) {
        for (std::size_t p = 0; p < runtimes_.size(); ++p) {
            ShardPopulation& sp = shards_[shard].populations[p];
            if (!sp.kernel) continue;
            inputs.clear();
            for (auto& port : sp.ports) inputs.push_back(port.arrivals(step + 1));
            run_kernel(sp, sp.spikes[parity], [&](StepContext& ctx) {
                ctx.step = step;
                ctx.input = ctx.clearable_input = inputs.data();
                ctx.injected = injection_.fill(p, shard, sp.begin, sp.end, step, segment_);
                sp.kernel->update(ctx);
                if (!ctx.input_cleared)
                    for (auto& port : sp.ports) port.clear(step + 1, 0, sp.end - sp.begin);
            });
        }
        sample(shard, step + 1);
    }
}

// Calls f(population, run, begin) for every spike of the slice in the
// canonical order (stamp, population, cell), a run (the spikes of one stamp,
// population and shard, ascending cells) at a time; the lists hold the
// kernels' block indices, so a spike's population index is its index plus
// `begin`, the block's first cell. Each shard's buffer is in (stamp, cell)
// order and shards own ascending blocks of cells, so this is a merge, not a
// sort. Every thread runs it over all shards: the "receive" of the exchange;
// of a shard_local population it skips the other threads' shards, whose
// spikes have no synapse on its own (unless it records them).
template <class F>
void Engine::for_each_spike_run(int parity, std::size_t first, std::size_t stride, bool record,
                                F&& f) const {
    std::int64_t lo = std::numeric_limits<std::int64_t>::max(), hi = -1;
    for (const auto& shard : shards_)
        for (const auto& sp : shard.populations)
            if (!sp.spikes[parity].empty()) {
                lo = std::min(lo, sp.spikes[parity].front().stamp);
                hi = std::max(hi, sp.spikes[parity].back().stamp);
            }
    if (hi < 0) return;
    const std::size_t P = runtimes_.size();
    std::vector<std::size_t> cursor(shards_.size() * P, 0);
    for (std::int64_t stamp = lo; stamp <= hi; ++stamp)
        for (std::size_t p = 0; p < P; ++p)
            for (std::size_t s = 0; s < shards_.size(); ++s) {
                if (s % stride != first % stride && runtimes_[p].shard_local &&
                    !(record && runtimes_[p].spikes.active()))
                    continue;
                const ShardPopulation& sp = shards_[s].populations[p];
                const auto& list = sp.spikes[parity];
                const auto begin = static_cast<std::uint32_t>(sp.begin);
                std::size_t& c = cursor[s * P + p];
                if (c == list.size() || list[c].stamp != stamp) continue;
                // The run's end by bisection: a drive's runs are thousands long.
                const auto end = std::partition_point(
                    list.begin() + static_cast<std::ptrdiff_t>(c), list.end(),
                    [stamp](const SpikeEvent& e) { return e.stamp == stamp; });
                const std::size_t n = static_cast<std::size_t>(end - list.begin()) - c;
                f(p, std::span<const SpikeEvent>(list.data() + c, n), begin);
                c += n;
            }
}

// Delivers the slice's spikes onto shards first, first + stride, ...: per
// spike and outgoing projection, the source's row, one delay segment (one
// input slot) at a time.
// Populations that DirectDrive covers skip all that (direct_drive.hpp), in
// the same order of additions.
// Every port has the same number of slots (prepare_run), so the slot of the
// spike's stamp is computed once per stamp, and each segment's slot from it
// by one addition.
// Dynamic (plastic, stochastic) projections go through their rules
// (engine_plastic.cpp), after the slice's postsynaptic spikes have joined the
// histories that STDP reads; `now` is the first step of the slice.
void Engine::deliver(std::size_t first, std::size_t stride, bool record, int parity,
                     std::int64_t now, std::int64_t end) {
    const std::size_t slots = ring_slots_;
    record_post_history(first, stride, parity, now);
    deliver_pending(first, stride, end);
    std::int64_t stamp = -1;
    std::size_t base = 0;
    for_each_spike_run(parity, first, stride, record,
                       [&](std::size_t p, std::span<const SpikeEvent> run, std::uint32_t begin) {
        if (record && runtimes_[p].spikes.active())
            for (SpikeEvent e : run) e.index += begin, runtimes_[p].spikes.on_spike(e);
        if (run.front().stamp != stamp)
            stamp = run.front().stamp, base = RingBuffer::slot_of(stamp, slots);
        if (direct_.covers(p)) return direct_.deliver(p, run, begin, first, stride, base);
        for (SpikeEvent e : run) {
            e.index += begin;  // block index -> population index
            for (std::size_t k : runtimes_[p].outgoing) {
                if (plasticity_.dynamic(k)) {
                    deliver_dynamic(k, base, e, first, stride, end);
                    continue;
                }
                for (std::size_t s = first; s < shards_.size(); s += stride) {
                    const ProjectionStore& prj = *shards_[s].projections[k];
                    RingBuffer& input = *shards_[s].inputs[k];
                    for (const auto& seg : prj.segments(e.index))
                        prj.add_into(seg, input.arrivals_after(base, seg.delay));
                }
            }
        }
    });
}

// Adds the time since its last lap to a phase of one thread's PhaseTimes;
// does nothing when phase timing is off.
class PhaseClock {
public:
    explicit PhaseClock(PhaseTimes* times) : times_(times) {
        if (times_) last_ = std::chrono::steady_clock::now();
    }
    // `slices`: how many slices this lap ends.
    void lap(double PhaseTimes::*phase, std::uint64_t slices = 0) {
        if (!times_) return;
        const auto now = std::chrono::steady_clock::now();
        times_->*phase += std::chrono::duration<double>(now - last_).count();
        times_->slices += slices;
        last_ = now;
    }

private:
    PhaseTimes* times_;
    std::chrono::steady_clock::time_point last_;
};

// The step loop of one thread: one barrier per min_delay slice.
void Engine::run_slices(std::size_t thread, std::int64_t target_step, SliceSync& sync) {
    const std::int64_t slice = min_delay_steps();
    const std::size_t T = threads();
    PhaseClock clock(phase_timing_ ? &phase_times_[thread] : nullptr);
    int parity = 0;
    for (std::int64_t step = step_; step < target_step; parity ^= 1) {
        // Slices end on multiples of min_delay, whatever the run() calls.
        const std::int64_t end = std::min(target_step, (step / slice + 1) * slice);
        try {
            for (std::size_t s = thread; s < shards_.size(); s += T) update_slice(s, step, end, parity);
        } catch (...) {
            sync.fail(std::current_exception());
        }
        clock.lap(&PhaseTimes::update_s);
        sync.wait();  // every shard's spikes of this slice are written
        clock.lap(&PhaseTimes::wait_s);
        if (sync.failed()) return;
        deliver(thread, T, thread == 0, parity, step, end);
        clock.lap(&PhaseTimes::deliver_s, 1);
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
    phase_times_.assign(phase_timing_ ? threads() : 0, PhaseTimes{});
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
    ring_slots_ = 0;  // the buffers are cleared below
    time_zero_done_ = false;
    plasticity_.reset();
    for (std::size_t p = 0; p < runtimes_.size(); ++p) {
        apply_initial_value(p);
        runtimes_[p].spikes.clear_data();
        for (auto& shard : shards_) {
            ShardPopulation& sp = shard.populations[p];
            if (sp.kernel) sp.kernel->reset(*sp.cells);
            sp.prepared_version = ~std::uint64_t{0};  // re-derive with the new segment
            for (auto& port : sp.ports) port.clear_all();
            sp.spikes[0].clear();
            sp.spikes[1].clear();
            sp.signals.clear_data();
        }
    }
}

}  // namespace pineal
