#include "engine/current_injection.hpp"

#include <algorithm>

namespace pineal {

void CurrentInjection::prepare(const std::vector<CurrentSource>& sources,
                               const std::vector<std::size_t>& sizes, std::size_t shards,
                               double dt, std::uint64_t seed) {
    waveforms_.clear();
    entries_.assign(sizes.size(), {});
    current_.assign(sizes.size(), {});
    for (std::size_t k = 0; k < sources.size(); ++k) {
        waveforms_.emplace_back(sources[k], dt, seed);
        for (const auto& t : sources[k].targets)
            entries_[t.population].push_back({t.cell, static_cast<std::uint32_t>(k), t.id});
    }
    for (std::size_t p = 0; p < sizes.size(); ++p) {
        auto& e = entries_[p];
        std::stable_sort(e.begin(), e.end(), [](const Entry& a, const Entry& b) {
            return a.cell != b.cell ? a.cell < b.cell : a.source < b.source;
        });
        if (!e.empty()) current_[p].resize(shards);  // sized by each shard's first fill()
    }
}

const double* CurrentInjection::fill(std::size_t pop, std::size_t shard, std::size_t begin,
                                     std::size_t end, std::int64_t step, std::uint64_t segment) {
    if (pop >= entries_.size() || entries_[pop].empty()) return nullptr;
    auto& out = current_[pop][shard];
    out.assign(end - begin, 0.0);
    auto& e = entries_[pop];
    auto it = std::lower_bound(e.begin(), e.end(), begin,
                               [](const Entry& a, std::size_t c) { return a.cell < c; });
    // Deterministic waveforms are the same for every cell: evaluate each once
    // per run of equal sources (usually once per step).
    std::uint32_t last_source = ~0u;
    double last_value = 0.0;
    for (; it != e.end() && it->cell < end; ++it) {
        const CurrentWaveform& w = waveforms_[it->source];
        double x;
        if (!w.noisy()) {
            if (it->source != last_source)
                last_source = it->source, last_value = w.value(step, it->id, segment);
            x = last_value;
        } else if (!w.on(step)) {
            x = 0.0;
        } else {
            const std::int64_t j = w.noise_index(step);
            if (it->block != j / 4) {
                it->block = j / 4;
                w.noise_block(static_cast<std::uint64_t>(it->block), it->id, segment, it->normals);
            }
            x = w.noise_value(it->normals[j % 4]);
        }
        out[it->cell - begin] += x;
    }
    return out.data();
}

}  // namespace pineal
