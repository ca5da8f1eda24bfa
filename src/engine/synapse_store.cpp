#include "engine/synapse_store.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "pineal/errors.hpp"

namespace pineal {

ProjectionStore::ProjectionStore(std::size_t pre_population, std::size_t post_population,
                                 int port, std::uint32_t n_pre, std::size_t block_begin,
                                 std::size_t block_end, std::string label)
    : pre_pop_(pre_population), post_pop_(post_population), port_(port), n_pre_(n_pre),
      block_begin_(block_begin), block_end_(block_end), label_(std::move(label)),
      narrow_(block_end - block_begin <= std::size_t{1} << 16) {}

void ProjectionStore::resize_synapses(std::size_t n) {
    if (narrow_) targets16_.resize(n);
    else targets32_.resize(n);
    weights_.resize(n);
}

void ProjectionStore::append(std::uint32_t post, std::span<const std::uint32_t> pre,
                             std::span<const double> weight, std::span<const double> delay,
                             const DelayRules& rules) {
    if (pre.empty()) return;
    if (count_ + pre.size() > std::numeric_limits<std::uint32_t>::max())
        fail(ErrorKind::connection, label_, "", "Projection '", label_,
             "': more than 2^32 - 1 synapses onto one partition; use more threads or "
             "virtual ranks");
    for (std::size_t k = 0; k < pre.size(); ++k) {
        const std::int32_t s = delay_steps(delay[k], rules, label_);
        // Weights are stored as float32 (relative rounding <= 2^-24).
        if (std::abs(weight[k]) > double(std::numeric_limits<float>::max()))
            fail(ErrorKind::connection, label_, "weight", "Projection '", label_, "': weight ",
                 weight[k], " does not fit the synapse store (float32)");
        staged_pre_.push_back(pre[k]);
        staged_weight_.push_back(static_cast<float>(weight[k]));
        staged_delay_.push_back(s);
        has_positive_ = has_positive_ || weight[k] > 0;
        has_negative_ = has_negative_ || weight[k] < 0;
        min_delay_ = std::min(min_delay_, s);
        max_delay_ = std::max(max_delay_, s);
    }
    staged_runs_.push_back({static_cast<std::uint32_t>(post - block_begin_),
                            static_cast<std::uint32_t>(pre.size())});
    count_ += pre.size();
    peak_bytes_ = std::max(peak_bytes_, staged_bytes());
}

std::int32_t delay_steps(double d, const DelayRules& rules, const std::string& label) {
    const double floor_ms = rules.min_delay > 0 ? rules.min_delay : rules.dt;
    // Delays round to the nearest multiple of dt, ties up, exactly as NEST's
    // Time::delay_ms_to_steps (ld_round(ms * steps_per_ms)). Not round(d / dt):
    // 0.15 / 0.1 = 1.4999999999999998 but 0.45 / 0.1 = 4.5, so decimal ties
    // went down or up with their binary representation, unlike NEST.
    const double steps = std::floor(d * (1.0 / rules.dt) + 0.5);
    if (!std::isfinite(d) || steps * rules.dt < floor_ms - 1e-9 * rules.dt)
        fail(ErrorKind::connection, label, "delay", "Projection '", label, "': delay ", d,
             " ms (", steps * rules.dt, " ms after rounding to the time step ", rules.dt,
             " ms) is below the minimum delay ", floor_ms, " ms");
    if (steps * rules.dt > rules.max_delay + 1e-9 * rules.dt)
        fail(ErrorKind::connection, label, "delay", "Projection '", label, "': delay ", d,
             " ms exceeds max_delay ", rules.max_delay, " ms");
    if (steps > double(std::numeric_limits<std::int32_t>::max() / 2))
        fail(ErrorKind::connection, label, "delay", "Projection '", label, "': delay ", d,
             " ms is too long");
    return static_cast<std::int32_t>(steps);
}

std::size_t ProjectionStore::staged_bytes() const {
    return staged_runs_.capacity() * sizeof(Run) +
           staged_pre_.capacity() * sizeof(std::uint32_t) +
           staged_weight_.capacity() * sizeof(float) +
           staged_delay_.capacity() * sizeof(std::int32_t);
}

std::size_t ProjectionStore::bytes() const {
    return rows_.capacity() * sizeof(std::uint32_t) + segments_.capacity() * sizeof(Segment) +
           targets16_.capacity() * sizeof(std::uint16_t) +
           targets32_.capacity() * sizeof(std::uint32_t) + weights_.capacity() * sizeof(float);
}

// A counting sort of the staged synapses by (source, delay), stable, so each
// row holds its delay segments in increasing order and generation order
// within a segment.
void ProjectionStore::finish(std::vector<std::uint32_t>* placement) {
    const std::size_t n = count_;
    // Target of each staged synapse, and the visiting order: generation
    // order when all delays are equal (the common case), else sorted by delay.
    std::vector<std::uint32_t> target(n), order;
    for (std::size_t q = 0; const Run& r : staged_runs_)
        for (std::uint32_t c = 0; c < r.count; ++c) target[q++] = r.target;
    // `v = {}` would keep the capacity (vector's initializer_list assignment):
    // move-assign empty vectors so the staging is really freed.
    staged_runs_ = decltype(staged_runs_)();
    const bool one_delay = n == 0 || min_delay_ == max_delay_;
    if (!one_delay) {
        std::vector<std::uint32_t> start(std::size_t(max_delay_ - min_delay_) + 2, 0);
        for (auto d : staged_delay_) ++start[std::size_t(d - min_delay_) + 1];
        std::partial_sum(start.begin(), start.end(), start.begin());
        order.resize(n);
        for (std::uint32_t q = 0; q < n; ++q)
            order[start[std::size_t(staged_delay_[q] - min_delay_)]++] = q;
    }
    auto visit = [&](auto&& f) {
        for (std::uint32_t k = 0; k < n; ++k) f(one_delay ? k : order[k]);
    };
    // Synapses and distinct delays per source.
    std::vector<std::uint32_t> next(std::size_t(n_pre_) + 1, 0);
    std::vector<std::int32_t> last(n_pre_, -1);
    rows_.assign(std::size_t(n_pre_) + 1, 0);
    visit([&](std::uint32_t q) {
        const std::uint32_t i = staged_pre_[q];
        ++next[i + 1];
        if (last[i] != staged_delay_[q]) last[i] = staged_delay_[q], ++rows_[i + 1];
    });
    std::partial_sum(next.begin(), next.end(), next.begin());
    std::partial_sum(rows_.begin(), rows_.end(), rows_.begin());
    resize_synapses(n);
    segments_.resize(rows_[n_pre_] + 1);
    segments_.back() = {static_cast<std::uint32_t>(n), 0};
    std::vector<std::uint32_t> seg(rows_.begin(), rows_.end() - 1);  // next segment per row
    std::fill(last.begin(), last.end(), -1);
    if (placement) placement->assign(n, 0);
    peak_bytes_ = std::max(peak_bytes_, staged_bytes() + bytes() +
                                            (target.capacity() + order.capacity() +
                                             next.capacity() + last.capacity() + seg.capacity()) *
                                                sizeof(std::uint32_t));
    visit([&](std::uint32_t q) {
        const std::uint32_t i = staged_pre_[q];
        if (last[i] != staged_delay_[q]) {
            last[i] = staged_delay_[q];
            segments_[seg[i]++] = {next[i], staged_delay_[q]};
        }
        if (placement) (*placement)[q] = next[i];
        set_synapse(next[i]++, target[q], staged_weight_[q]);
    });
    staged_pre_ = decltype(staged_pre_)();
    staged_weight_ = decltype(staged_weight_)();
    staged_delay_ = decltype(staged_delay_)();
}

}  // namespace pineal
