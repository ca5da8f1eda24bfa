// Per-step injected currents of the current sources, per target cell.
//
// Rebuilt before every run (sources may change between runs). For each
// population the (cell, source) pairs are sorted by cell, then by source
// creation order, so every cell adds its sources' currents in one order,
// whatever the shards: results do not depend on threads or partitions.
#pragma once

#include <cstdint>
#include <vector>

#include "engine/cell_array.hpp"
#include "pineal/current_source.hpp"

namespace pineal {

class CurrentInjection {
public:
    void prepare(const std::vector<CurrentSource>& sources, const std::vector<std::size_t>& sizes,
                 std::size_t shards, double dt, std::uint64_t seed);
    // The per-cell current (nA) of population `pop` acting during `step` on
    // the cells [begin, end) of `shard`'s block, indexed by cell - begin;
    // null if no source targets the population.
    const double* fill(std::size_t pop, std::size_t shard, std::size_t begin, std::size_t end,
                       std::int64_t step, std::uint64_t segment);

private:
    struct Entry {
        std::uint32_t cell;
        std::uint32_t source;
        std::uint64_t id;
        // Noise: the cell's last drawn block of four values (only the shard
        // owning the cell touches its entries).
        std::int64_t block = -1;
        double normals[4] = {};
    };
    std::vector<CurrentWaveform> waveforms_;
    std::vector<std::vector<Entry>> entries_;  // [population], sorted by (cell, source)
    std::vector<std::vector<CellArray>> current_;  // [population][shard][cell - block begin]
};

}  // namespace pineal
