// The engine's dynamic-synapse side: one SynapseRule per (dynamic
// projection, shard), and the postsynaptic spike history of each shard's
// block of every population that a history-reading (STDP) projection
// targets. Static projections have no entry here beyond one flag, and their
// delivery loop is unchanged. See docs/plasticity.md.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "engine/kernel.hpp"
#include "engine/synapse_rule.hpp"

namespace pineal {

class Plasticity {
public:
    explicit Plasticity(std::size_t shards) : histories_(shards) {}

    // Registers projection k (= the number registered so far): `rules` has
    // one entry per shard, or is empty for a static projection.
    void add_projection(std::vector<std::unique_ptr<SynapseRule>> rules, std::size_t post,
                        std::size_t post_size);
    void remove_last_projection();
    bool dynamic(std::size_t k) const { return !rules_[k].empty(); }
    const SynapseRule& rule(std::size_t k, std::size_t shard) const { return *rules_[k][shard]; }
    SynapseRule& rule(std::size_t k, std::size_t shard) { return *rules_[k][shard]; }
    bool has_history(std::size_t shard, std::size_t population) const {
        return population < histories_[shard].size() && histories_[shard][population];
    }
    const PostHistory* history(std::size_t shard, std::size_t population) const {
        return has_history(shard, population) ? histories_[shard][population].get() : nullptr;
    }

    // Appends a slice's spikes of the shard's block of `population` (cells in
    // block indices, as the kernels emit them), then drops the entries
    // no synapse can read any more once the history has grown enough.
    // `stores` are the shard's projection stores; `now` the slice's first step.
    void record(std::size_t shard, std::size_t population, std::span<const SpikeEvent> spikes,
                std::int64_t now, const std::vector<std::unique_ptr<ProjectionStore>>& stores);

    void reset();
    std::size_t rule_bytes() const;
    std::size_t history_bytes() const;
    std::size_t history_entries() const;

private:
    void trim(std::size_t shard, std::size_t population, std::int64_t now,
              const std::vector<std::unique_ptr<ProjectionStore>>& stores);

    std::vector<std::vector<std::unique_ptr<SynapseRule>>> rules_;  // [projection][shard]
    std::vector<std::size_t> post_;                                  // [projection]
    // [shard][population]; null where no history-reading projection ends.
    std::vector<std::vector<std::unique_ptr<PostHistory>>> histories_;
};

}  // namespace pineal
