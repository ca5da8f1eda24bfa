// Static synapses of one projection onto one shard's block of target cells,
// grouped by source for delivery (see docs/engine.md).
//
// Layout after finish():
//   rows_[i] .. rows_[i + 1]          the delay segments of source i
//   segments_[k] = {first, delay}      synapses [first, segments_[k + 1].first)
//                                      all share `delay` (steps); a row's
//                                      segments are in increasing delay order
//   synapse q: targets16_[q] or        target index local to the shard's
//              targets32_[q]           block: 16 bits when the block has at
//                                      most 65536 cells, else 32
//              weights_[q]             float32
// So 6 bytes per synapse (8 in blocks over 65536 cells). Within a segment
// synapses keep generation order, so the order in which weights are summed
// into one input slot does not depend on the layout.
//
// Construction: connections stream in target by target; they are staged
// compactly (source, float weight, delay: 12 bytes, plus one run header per
// target) and scattered into the rows by finish(), which frees the staging.
// Peak construction memory is staging + final rows, reported by
// peak_bytes().
#pragma once

#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include "pineal/connectors.hpp"

namespace pineal {

struct DelayRules {
    double dt = 0.1;
    double min_delay = 0.0;  // ms; 0 when "auto" (then one step is the floor)
    double max_delay = std::numeric_limits<double>::infinity();  // ms
};

// One synapse as read from a store (stored as separate columns).
struct Synapse {
    std::uint32_t target;  // index in the shard's block of the post population
    float weight;          // nA or uS
};

// A delay in ms as steps, checked against the rules (the rounding of
// construction and of Projection.set); throws a connection error naming
// the projection.
std::int32_t delay_steps(double ms, const DelayRules& rules, const std::string& label);

// Where each synapse of a store sits in the store's canonical order (by
// target, then store order: source, delay, generation): the order in which
// synapse values are drawn and listed, the same for any decomposition.
// Built by ProjectionStore::addresses() (synapse_update.cpp) for updates.
struct SynapseAddresses {
    std::vector<std::uint32_t> canonical;     // store index -> canonical position
    std::vector<std::uint32_t> source;        // canonical position -> source (population index)
    std::vector<std::uint32_t> target_start;  // local target -> first canonical position (+ end)
};

class ProjectionStore {
public:
    struct Segment {
        std::uint32_t first;  // store index of the segment's first synapse
        std::int32_t delay;   // steps
    };

    // Targets are post cells [block_begin, block_end) of the post population.
    ProjectionStore(std::size_t pre_population, std::size_t post_population, int port,
                    std::uint32_t n_pre, std::size_t block_begin, std::size_t block_end,
                    std::string label);

    std::size_t pre_population() const { return pre_pop_; }
    std::size_t post_population() const { return post_pop_; }
    int port() const { return port_; }
    std::size_t block_begin() const { return block_begin_; }
    const std::string& label() const { return label_; }
    std::size_t size() const { return count_; }
    std::int32_t min_delay_steps() const { return min_delay_; }
    std::int32_t max_delay_steps() const { return max_delay_; }
    bool has_positive() const { return has_positive_; }
    bool has_negative() const { return has_negative_; }

    // Stages the connections of one target (delays in ms, checked and rounded).
    void append(std::uint32_t post, std::span<const std::uint32_t> pre,
                std::span<const double> weight, std::span<const double> delay,
                const DelayRules& rules);
    // Builds the rows from the staged connections and frees the staging.
    // With `placement`, also gives the position in the rows of each staged
    // synapse (in append order), for stores kept alongside (plastic state).
    void finish(std::vector<std::uint32_t>* placement = nullptr);

    // A segment's synapses, read as Synapse values.
    class SynapseRange {
    public:
        class iterator {
        public:
            iterator(const ProjectionStore* store, std::uint32_t q) : store_(store), q_(q) {}
            Synapse operator*() const { return store_->synapse(q_); }
            iterator& operator++() { return ++q_, *this; }
            bool operator==(const iterator& o) const { return q_ == o.q_; }
            bool operator!=(const iterator& o) const { return q_ != o.q_; }

        private:
            const ProjectionStore* store_;
            std::uint32_t q_;
        };
        SynapseRange(const ProjectionStore* store, std::uint32_t first, std::uint32_t end)
            : store_(store), first_(first), end_(end) {}
        iterator begin() const { return {store_, first_}; }
        iterator end() const { return {store_, end_}; }
        std::size_t size() const { return end_ - first_; }
        bool empty() const { return first_ == end_; }

    private:
        const ProjectionStore* store_;
        std::uint32_t first_, end_;
    };

    // Delivery: the segments of source `i`, and the synapses of a segment.
    std::span<const Segment> segments(std::uint32_t source) const {
        return {segments_.data() + rows_[source], segments_.data() + rows_[source + 1]};
    }
    SynapseRange synapses(const Segment& s) const { return {this, s.first, (&s + 1)->first}; }
    // Synapse q of the store (q: store order, as Segment::first).
    Synapse synapse(std::size_t q) const {
        return {narrow_ ? std::uint32_t{targets16_[q]} : targets32_[q], weights_[q]};
    }
    // Delivery of one segment: slot[target] += weight for each of its
    // synapses, in store order (the summation order of the input slot).
    void add_into(const Segment& s, double* slot) const {
        const std::uint32_t first = s.first, end = (&s + 1)->first;
        const float* w = weights_.data();
        if (narrow_) {
            const std::uint16_t* t = targets16_.data();
            for (std::uint32_t q = first; q < end; ++q) slot[t[q]] += w[q];
        } else {
            const std::uint32_t* t = targets32_.data();
            for (std::uint32_t q = first; q < end; ++q) slot[t[q]] += w[q];
        }
    }
    std::uint32_t source_count() const { return n_pre_; }
    std::size_t block_size() const { return block_end_ - block_begin_; }

    // Every synapse as (source, post index in the population, weight, delay
    // steps), row by row.
    template <class F>
    void for_each(F&& f) const {
        for (std::uint32_t i = 0; i < n_pre_; ++i)
            for (const Segment& seg : segments(i))
                for (const Synapse s : synapses(seg))
                    f(i, static_cast<std::uint32_t>(block_begin_ + s.target),
                      static_cast<double>(s.weight), seg.delay);
    }

    // Updates of whole columns (synapse_update.cpp). Values are given in
    // canonical order (addresses()); callers validate them first.
    SynapseAddresses addresses() const;
    void assign_weights(std::span<const float> by_canonical, const SynapseAddresses& a);
    // Rebuilds the delay segments. Returns the permutation applied to the
    // synapses (new store index -> old store index), for columns kept
    // alongside them (plastic state).
    std::vector<std::uint32_t> assign_delays(std::span<const std::int32_t> by_canonical,
                                             const SynapseAddresses& a);

    // Whether targets are stored in 16 bits (blocks of at most 65536 cells).
    bool narrow_targets() const { return narrow_; }

    // Bytes held now (rows, segments, synapses) and the most held at once
    // during construction.
    std::size_t bytes() const;
    std::size_t peak_bytes() const { return peak_bytes_; }

private:
    std::size_t staged_bytes() const;
    // Sizes the synapse columns for n synapses, and writes synapse q.
    void resize_synapses(std::size_t n);
    void set_synapse(std::size_t q, std::uint32_t target, float weight) {
        if (narrow_) targets16_[q] = static_cast<std::uint16_t>(target);
        else targets32_[q] = target;
        weights_[q] = weight;
    }

    std::size_t pre_pop_, post_pop_;
    int port_;
    std::uint32_t n_pre_;
    std::size_t block_begin_, block_end_;
    std::string label_;
    // Staging (empty after finish()): one run per target, then per synapse.
    struct Run {
        std::uint32_t target;  // local
        std::uint32_t count;
    };
    std::vector<Run> staged_runs_;
    std::vector<std::uint32_t> staged_pre_;
    std::vector<float> staged_weight_;
    std::vector<std::int32_t> staged_delay_;
    // Rows.
    std::vector<std::uint32_t> rows_;  // n_pre + 1 offsets into segments_
    std::vector<Segment> segments_;    // plus one sentinel {size, 0}
    bool narrow_;                      // block_end_ - block_begin_ <= 65536
    std::vector<std::uint16_t> targets16_;  // used when narrow_
    std::vector<std::uint32_t> targets32_;  // used otherwise
    std::vector<float> weights_;
    std::size_t count_ = 0;
    std::size_t peak_bytes_ = 0;
    std::int32_t min_delay_ = std::numeric_limits<std::int32_t>::max();
    std::int32_t max_delay_ = 0;
    bool has_positive_ = false, has_negative_ = false;
};

}  // namespace pineal
