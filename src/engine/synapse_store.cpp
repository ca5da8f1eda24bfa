#include "engine/synapse_store.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "pineal/errors.hpp"

namespace pineal {

ProjectionStore::ProjectionStore(std::size_t pre_population, std::size_t post_population,
                                 int port, std::uint32_t n_pre, std::string label)
    : pre_pop_(pre_population), post_pop_(post_population), port_(port), n_pre_(n_pre),
      label_(std::move(label)) {}

void ProjectionStore::append(std::uint32_t post, std::span<const std::uint32_t> pre,
                             std::span<const double> weight, std::span<const double> delay,
                             const DelayRules& rules) {
    for (std::size_t k = 0; k < pre.size(); ++k) {
        const double d = delay[k];
        // Delays round to the nearest multiple of dt, ties up, exactly as NEST's
        // Time::delay_ms_to_steps (ld_round(ms * steps_per_ms)). Not round(d / dt):
        // 0.15 / 0.1 = 1.4999999999999998 but 0.45 / 0.1 = 4.5, so decimal ties
        // went down or up with their binary representation, unlike NEST.
        const double steps = std::floor(d * (1.0 / rules.dt) + 0.5);
        const double floor_ms = rules.min_delay > 0 ? rules.min_delay : rules.dt;
        if (!std::isfinite(d) || steps * rules.dt < floor_ms - 1e-9 * rules.dt)
            fail(ErrorKind::connection, label_, "delay", "Projection '", label_, "': delay ", d,
                 " ms (", steps * rules.dt, " ms after rounding to the time step ", rules.dt,
                 " ms) is below the minimum delay ", floor_ms, " ms");
        if (steps * rules.dt > rules.max_delay + 1e-9 * rules.dt)
            fail(ErrorKind::connection, label_, "delay", "Projection '", label_, "': delay ", d,
                 " ms exceeds max_delay ", rules.max_delay, " ms");
        if (steps > double(std::numeric_limits<std::int32_t>::max() / 2))
            fail(ErrorKind::connection, label_, "delay", "Projection '", label_, "': delay ", d,
                 " ms is too long");
        const auto s = static_cast<std::int32_t>(steps);
        pre_.push_back(pre[k]);
        post_.push_back(post);
        weight_.push_back(weight[k]);
        has_positive_ = has_positive_ || weight[k] > 0;
        has_negative_ = has_negative_ || weight[k] < 0;
        delay_.push_back(s);
        min_delay_ = std::min(min_delay_, s);
        max_delay_ = std::max(max_delay_, s);
    }
    rows_built_ = false;
}

void ProjectionStore::build_rows() {
    if (rows_built_) return;
    std::vector<std::size_t> order(pre_.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return pre_[a] < pre_[b]; });
    auto permute = [&](auto& v) {
        auto copy = v;
        for (std::size_t k = 0; k < order.size(); ++k) v[k] = copy[order[k]];
    };
    permute(pre_), permute(post_), permute(weight_), permute(delay_);
    rows_.assign(n_pre_ + 1, 0);
    for (auto i : pre_) ++rows_[i + 1];
    std::partial_sum(rows_.begin(), rows_.end(), rows_.begin());
    rows_built_ = true;
}

}  // namespace pineal
