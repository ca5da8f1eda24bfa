// Static synapses of one projection, stored with their targets' partition
// and grouped by source (compressed rows) for delivery. Connections stream in
// target by target (the engine's shard sink); rows are built once before a run.
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

class ProjectionStore {
public:
    ProjectionStore(std::size_t pre_population, std::size_t post_population, int port,
                    std::uint32_t n_pre, std::string label);

    std::size_t pre_population() const { return pre_pop_; }
    std::size_t post_population() const { return post_pop_; }
    int port() const { return port_; }
    const std::string& label() const { return label_; }
    std::size_t size() const { return post_.size(); }
    std::int32_t min_delay_steps() const { return min_delay_; }
    std::int32_t max_delay_steps() const { return max_delay_; }
    bool has_positive() const { return has_positive_; }
    bool has_negative() const { return has_negative_; }

    // Appends the connections of one target (delays in ms, checked and rounded).
    void append(std::uint32_t post, std::span<const std::uint32_t> pre,
                std::span<const double> weight, std::span<const double> delay,
                const DelayRules& rules);
    // Groups synapses by source (stable: generation order within a row).
    void build_rows();

    // Row of `source`: synapses [row_begin(source), row_begin(source + 1)).
    std::size_t row_begin(std::uint32_t source) const { return rows_[source]; }
    std::uint32_t target(std::size_t k) const { return post_[k]; }
    double weight(std::size_t k) const { return weight_[k]; }
    std::int32_t delay(std::size_t k) const { return delay_[k]; }
    std::uint32_t source(std::size_t k) const { return pre_[k]; }

private:
    std::size_t pre_pop_, post_pop_;
    int port_;
    std::uint32_t n_pre_;
    std::string label_;
    std::vector<std::uint32_t> pre_, post_;
    std::vector<double> weight_;
    std::vector<std::int32_t> delay_;  // steps
    std::vector<std::size_t> rows_;    // n_pre + 1 offsets once built
    bool rows_built_ = false;
    std::int32_t min_delay_ = std::numeric_limits<std::int32_t>::max();
    std::int32_t max_delay_ = 0;
    bool has_positive_ = false, has_negative_ = false;
};



}  // namespace pineal
