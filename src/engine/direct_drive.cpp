#include "engine/direct_drive.hpp"

#include <algorithm>
#include <utility>

namespace pineal {

void DirectDrive::clear(std::size_t populations, std::size_t shards) {
    shards_ = shards;
    populations_.assign(populations, {});
}

namespace {
// [lo, hi): the sources with a synapse in the store (hi <= lo: none).
std::pair<std::uint32_t, std::uint32_t> source_range(const ProjectionStore& store) {
    std::uint32_t lo = store.source_count(), hi = 0;
    for (std::uint32_t i = 0; i < store.source_count(); ++i)
        if (!store.segments(i).empty()) lo = std::min(lo, i), hi = i + 1;
    return {lo, hi};
}
}  // namespace

bool DirectDrive::fits(const ProjectionStore& store) {
    for (std::uint32_t i = 0; i < store.source_count(); ++i) {
        const auto segments = store.segments(i);
        if (segments.size() > 1 || (segments.size() == 1 && store.synapses(segments[0]).size() > 1))
            return false;
    }
    const auto [lo, hi] = source_range(store);
    // 12 bytes per source in range against ~6 per synapse in the store.
    return hi <= lo || std::size_t(hi - lo) <= 2 * store.size() + 64;
}

void DirectDrive::add(std::size_t p, std::span<const ProjectionStore* const> stores,
                      std::span<RingBuffer* const> ports) {
    std::vector<Table> tables(stores.size());
    for (std::size_t q = 0; q < stores.size(); ++q) {
        const ProjectionStore& store = *stores[q];
        Table& t = tables[q];
        t.port = ports[q];
        const auto [lo, hi] = source_range(store);
        if (hi <= lo) continue;
        t.lo = lo;
        t.entries.assign(hi - lo, Entry{kNone, 0.0f, 0});
        for (std::uint32_t i = lo; i < hi; ++i)
            for (const auto& seg : store.segments(i))
                for (const Synapse syn : store.synapses(seg)) {
                    t.entries[i - lo] = {static_cast<std::uint32_t>(syn.target), syn.weight, seg.delay};
                    t.delay = t.delay == -1 || t.delay == seg.delay ? seg.delay : -2;
                }
        if (t.delay < 0) t.delay = -1;
    }
    populations_[p] = std::move(tables);
}

// Per spike, its projections in outgoing order and the shards in ascending
// order, as the general path adds them. Usually a run's sources meet one
// table only (a shard-local drive: the run's own shard, one projection);
// that table is then walked alone, with the input slot computed once when
// all its delays are equal.
void DirectDrive::deliver(std::size_t p, std::span<const SpikeEvent> run, std::uint32_t begin,
                          std::size_t first, std::size_t stride, std::size_t base) const {
    const std::vector<Table>& tables = populations_[p];
    const std::uint32_t run_lo = begin + run.front().index, run_hi = begin + run.back().index + 1;
    const Table* only = nullptr;
    std::size_t met = 0;
    for (std::size_t q = 0; q < tables.size(); ++q) {
        const Table& t = tables[q];
        if ((q % shards_) % stride != first % stride || t.entries.empty()) continue;
        if (run_hi <= t.lo || run_lo >= t.lo + t.entries.size()) continue;
        only = &t, ++met;
    }
    if (met == 0) return;
    if (met == 1) {
        const Entry* entries = only->entries.data();
        const std::uint32_t lo = only->lo, n = static_cast<std::uint32_t>(only->entries.size());
        if (only->delay >= 0) {
            double* slot = only->port->arrivals_after(base, only->delay);
            for (const SpikeEvent& e : run) {
                const std::uint32_t off = begin + e.index - lo;
                if (off >= n) continue;
                const Entry x = entries[off];
                if (x.target != kNone) slot[x.target] += x.weight;
            }
        } else {
            for (const SpikeEvent& e : run) {
                const std::uint32_t off = begin + e.index - lo;
                if (off >= n) continue;
                const Entry x = entries[off];
                if (x.target != kNone) only->port->arrivals_after(base, x.delay)[x.target] += x.weight;
            }
        }
        return;
    }
    const std::size_t outgoing = tables.size() / shards_;
    for (const SpikeEvent& e : run)
        for (std::size_t j = 0; j < outgoing; ++j)
            for (std::size_t s = first; s < shards_; s += stride) {
                const Table& t = tables[j * shards_ + s];
                const std::uint32_t off = begin + e.index - t.lo;
                if (off >= t.entries.size()) continue;
                const Entry x = t.entries[off];
                if (x.target != kNone) t.port->arrivals_after(base, x.delay)[x.target] += x.weight;
            }
}

}  // namespace pineal
