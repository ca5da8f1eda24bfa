#include "engine/plasticity.hpp"

#include <algorithm>
#include <limits>

namespace pineal {

void Plasticity::add_projection(std::vector<std::unique_ptr<SynapseRule>> rules, std::size_t post,
                                std::size_t post_size) {
    const bool reads = !rules.empty() && rules.front()->reads_post_history();
    rules_.push_back(std::move(rules));
    post_.push_back(post);
    if (!reads) return;
    const std::size_t S = histories_.size();
    for (std::size_t s = 0; s < S; ++s) {
        auto& h = histories_[s];
        if (h.size() <= post) h.resize(post + 1);
        if (!h[post]) {
            h[post] = std::make_unique<PostHistory>();
            h[post]->stamps.resize(post_size * (s + 1) / S - post_size * s / S);
        }
    }
}

void Plasticity::remove_last_projection() {
    rules_.pop_back();
    const std::size_t post = post_.back();
    post_.pop_back();
    // Drop the history if no remaining projection reads it.
    for (std::size_t k = 0; k < rules_.size(); ++k)
        if (post_[k] == post && dynamic(k) && rules_[k].front()->reads_post_history()) return;
    for (auto& h : histories_)
        if (post < h.size()) h[post].reset();
}

void Plasticity::record(std::size_t shard, std::size_t population,
                        std::span<const SpikeEvent> spikes, std::int64_t now,
                        const std::vector<std::unique_ptr<ProjectionStore>>& stores) {
    PostHistory& h = *histories_[shard][population];
    for (const SpikeEvent& e : spikes) h.stamps[e.index].push_back(e.stamp);
    h.entries += spikes.size();
    if (h.entries >= h.trim_at) trim(shard, population, now, stores);
}

// The bound for each cell is the lowest stamp any history-reading synapse
// onto it can still need (SynapseRule::history_needed). Computing it visits
// every such synapse, so it is done only when the history has doubled since
// the last trim (and at least a quarter of the synapses' count of entries
// were added): amortised O(1) per post spike.
void Plasticity::trim(std::size_t shard, std::size_t population, std::int64_t now,
                      const std::vector<std::unique_ptr<ProjectionStore>>& stores) {
    PostHistory& h = *histories_[shard][population];
    std::vector<std::int64_t> earliest(h.stamps.size(), std::numeric_limits<std::int64_t>::max());
    std::size_t synapses = 0;
    for (std::size_t k = 0; k < rules_.size(); ++k) {
        if (post_[k] != population || !dynamic(k)) continue;
        const SynapseRule& r = *rules_[k][shard];
        if (!r.reads_post_history()) continue;
        r.history_needed(*stores[k], now, earliest);
        synapses += stores[k]->size();
    }
    std::size_t kept = 0;
    for (std::size_t c = 0; c < h.stamps.size(); ++c) {
        auto& v = h.stamps[c];
        v.erase(v.begin(), std::lower_bound(v.begin(), v.end(), earliest[c]));
        kept += v.size();
    }
    h.entries = kept;
    h.trim_at = std::max<std::size_t>({1024, 2 * kept, kept + synapses / 4});
}

void Plasticity::reset() {
    for (auto& per_shard : rules_)
        for (auto& r : per_shard) r->reset();
    for (auto& shard : histories_)
        for (auto& h : shard)
            if (h) {
                for (auto& v : h->stamps) v.clear();
                h->entries = 0;
            }
}

std::size_t Plasticity::rule_bytes() const {
    std::size_t n = 0;
    for (const auto& per_shard : rules_)
        for (const auto& r : per_shard) n += r->bytes();
    return n;
}

std::size_t Plasticity::history_bytes() const {
    std::size_t n = 0;
    for (const auto& shard : histories_)
        for (const auto& h : shard)
            if (h)
                for (const auto& v : h->stamps)
                    n += sizeof(v) + v.capacity() * sizeof(std::int64_t);
    return n;
}

std::size_t Plasticity::history_entries() const {
    std::size_t n = 0;
    for (const auto& shard : histories_)
        for (const auto& h : shard)
            if (h) n += h->entries;
    return n;
}

}  // namespace pineal
