// Delivery of the spikes of populations whose every outgoing projection is
// static and holds at most one synapse per source on each shard: a
// one-to-one drive (one SpikeSourcePoisson per neuron) is the case that
// matters, where such spikes outnumber the network's by orders of magnitude.
//
// The general path (Engine::deliver) looks up, per spike and projection, the
// target port, whether the projection is dynamic, and the source's row and
// delay segments in every shard's store: a dozen dependent loads for one
// addition. Here each (projection, shard) store is flattened before the run
// into a table indexed by source (target cell, weight, delay), and a run of
// spikes of one stamp is delivered by one loop with everything else hoisted.
//
// The order of the additions is the canonical one of the general path (per
// spike, its projections in creation order): the engine hands over the same
// runs of spikes in the same order, so results are bit-identical to the
// general path for any threads and virtual ranks.
#pragma once

#include <cstdint>
#include <limits>
#include <span>
#include <vector>

#include "engine/kernel.hpp"
#include "engine/ring_buffer.hpp"
#include "engine/synapse_store.hpp"

namespace pineal {

class DirectDrive {
public:
    // Forgets every table (prepare_run re-derives them before each run, so
    // Projection.set between runs needs no bookkeeping here).
    void clear(std::size_t populations, std::size_t shards);
    // Whether a finished static store qualifies: at most one synapse per
    // source, and sources spread densely enough that a table indexed by
    // source is not much bigger than the store.
    static bool fits(const ProjectionStore& store);
    // Makes population p direct: `stores[j * shards + s]` is the store of its
    // j-th outgoing projection on shard s (all of which fit()), `ports[j *
    // shards + s]` the input buffer (of shard s's block) those synapses write into.
    void add(std::size_t p, std::span<const ProjectionStore* const> stores,
             std::span<RingBuffer* const> ports);
    bool covers(std::size_t p) const { return !populations_[p].empty(); }

    // Delivers `run` (spikes of population p, one stamp, ascending cells;
    // their indices are relative to `begin`, the first cell of the block
    // that emitted them) onto the shards first, first + stride, ...; `base`
    // is the ring slot of the stamp (RingBuffer::slot_of).
    void deliver(std::size_t p, std::span<const SpikeEvent> run, std::uint32_t begin,
                 std::size_t first, std::size_t stride, std::size_t base) const;

private:
    static constexpr std::uint32_t kNone = std::numeric_limits<std::uint32_t>::max();
    struct Entry {
        std::uint32_t target;  // index of the target in its shard's block, kNone: no synapse
        float weight;
        std::int32_t delay;    // steps
    };
    // One (projection, shard) store, for sources [lo, lo + entries.size()).
    struct Table {
        std::uint32_t lo = 0;
        std::vector<Entry> entries;
        std::int32_t delay = -1;  // the delay of every entry, or -1 when they differ
        RingBuffer* port = nullptr;
    };
    std::size_t shards_ = 0;
    // Per population: its tables, [outgoing projection j * shards + shard];
    // empty when the population is delivered by the general path.
    std::vector<std::vector<Table>> populations_;
};

}  // namespace pineal
