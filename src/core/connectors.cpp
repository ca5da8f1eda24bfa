// Connection generation, one target at a time. Every random decision about
// target j comes from its own stream (entity j), so the result does not
// depend on which partition builds which targets. Connectors that decide per
// source or globally (FixedNumberPost, FixedTotalNumber) are described in
// docs/connectivity.md.
#include "pineal/connectors.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "connector_detail.hpp"
#include "pineal/errors.hpp"

namespace pineal {

std::string connector_name(const Connector& c) {
    struct Name {
        std::string operator()(const AllToAllConnector&) const { return "AllToAllConnector"; }
        std::string operator()(const OneToOneConnector&) const { return "OneToOneConnector"; }
        std::string operator()(const FixedProbabilityConnector&) const {
            return "FixedProbabilityConnector";
        }
        std::string operator()(const DistanceDependentProbabilityConnector&) const {
            return "DistanceDependentProbabilityConnector";
        }
        std::string operator()(const ProbabilityMatrixConnector& m) const { return m.name; }
        std::string operator()(const FixedNumberPreConnector&) const {
            return "FixedNumberPreConnector";
        }
        std::string operator()(const FixedNumberPostConnector&) const {
            return "FixedNumberPostConnector";
        }
        std::string operator()(const FixedTotalNumberConnector&) const {
            return "FixedTotalNumberConnector";
        }
        std::string operator()(const SmallWorldConnector&) const { return "SmallWorldConnector"; }
        std::string operator()(const FromListConnector&) const { return "FromListConnector"; }
    };
    return std::visit(Name{}, c.rule);
}

const std::vector<std::string>& expression_variables() {
    static const std::vector<std::string> names{"d", "dx", "dy", "dz", "i", "j"};
    return names;
}

std::optional<std::uint32_t> ConnectionRequest::index_of(std::uint64_t id, std::uint64_t first,
                                                         std::uint32_t n,
                                                         std::span<const std::uint32_t> cells,
                                                         bool sorted) {
    if (id < first) return std::nullopt;
    const std::uint64_t k = id - first;  // population index
    if (cells.empty()) {
        if (k >= n) return std::nullopt;
        return static_cast<std::uint32_t>(k);
    }
    if (!sorted) {
        const auto it = std::find(cells.begin(), cells.end(), k);
        if (it == cells.end()) return std::nullopt;
        return static_cast<std::uint32_t>(it - cells.begin());
    }
    const auto it = std::lower_bound(cells.begin(), cells.end(), k);
    if (it == cells.end() || *it != k) return std::nullopt;
    return static_cast<std::uint32_t>(it - cells.begin());
}

namespace detail {

void TargetGeometry::set_target(std::uint32_t post) {
    if (!g_) return;
    const auto p = Geometry::at(g_->post, post);
    post_ = g_->space.transform_post(p.data());
}

void TargetGeometry::fill(std::uint32_t pre, double* vars) const {
    const auto a = Geometry::at(g_->pre, pre);
    const auto d = g_->space.displacement(a.data(), post_);
    vars[var_dx] = d[0], vars[var_dy] = d[1], vars[var_dz] = d[2];
    vars[var_d] = Space::norm(d);
}

void TargetGeometry::fill_range(std::uint32_t i0, std::size_t n, double* d, double* dx,
                                double* dy, double* dz) const {
    const Space& space = g_->space;
    const std::size_t N = g_->n_pre();
    double* out[3] = {dx, dy, dz};
    for (int k = 0; k < 3; ++k) {
        double* x = out[k];
        if (!space.axes[k]) {
            std::fill(x, x + n, 0.0);
            continue;
        }
        const double* pre = g_->pre.data() + std::size_t(k) * N + i0;
        const double post = post_[k];
        for (std::size_t m = 0; m < n; ++m) x[m] = post - pre[m];
        if (space.periodic[k]) {
            // Nearest image, as Space::displacement.
            const double L = space.periodic[k]->second - space.periodic[k]->first;
            for (std::size_t m = 0; m < n; ++m) {
                const double a = std::fabs(x[m]);
                if (L - a < a) x[m] = x[m] > 0 ? -(L - a) : (L - a);
            }
        }
    }
    for (std::size_t m = 0; m < n; ++m)
        d[m] = std::sqrt(dx[m] * dx[m] + dy[m] * dy[m] + dz[m] * dz[m]);
}

double TargetGeometry::distance(std::uint32_t pre) const {
    const auto a = Geometry::at(g_->pre, pre);
    return Space::norm(g_->space.displacement(a.data(), post_));
}

const Geometry& require_geometry(const Connector& c, const ConnectionRequest& r,
                                 const char* who) {
    if (!c.geometry)
        fail(ErrorKind::connection, who, "positions", who,
             " needs the positions of the pre- and post-synaptic cells, but none were given");
    const Geometry& g = *c.geometry;
    if (g.pre.size() != 3 * std::size_t(r.n_pre) || g.post.size() != 3 * std::size_t(r.n_post))
        fail(ErrorKind::invalid_dimensions, r.label, "positions", "Projection '", r.label,
             "': positions must be 3 x ", r.n_pre, " (pre) and 3 x ", r.n_post,
             " (post), got ", g.pre.size(), " and ", g.post.size(), " values");
    return g;
}

namespace {
bool uses_distance(const Expression& e) {
    return e.uses(var_d) || e.uses(var_dx) || e.uses(var_dy) || e.uses(var_dz);
}
}  // namespace

SynapseValues::SynapseValues(const Value& value, const std::optional<std::string>& expression,
                             const char* name, const Connector& c, const ConnectionRequest& r)
    : value_(value), geometry_(c.geometry.get()), name_(name), request_(r) {
    if (expression) {
        expression_.emplace(*expression, expression_variables(), name);
        if (uses_distance(*expression_)) require_geometry(c, r, name);
        return;
    }
    if (value.is_array() && value.array().size() != std::size_t(r.n_pre) * std::size_t(r.n_post))
        fail(ErrorKind::invalid_dimensions, r.label, name, "Projection '", r.label, "': ", name,
             " array must have shape (n_pre, n_post) = (", r.n_pre, ", ", r.n_post, "), got ",
             value.array().size(), " values");
}

void SynapseValues::fill(std::uint32_t post, const std::vector<std::uint32_t>& pre,
                         std::vector<double>& out) {
    out.resize(pre.size());
    if (expression_) {
        const bool geo = uses_distance(*expression_);
        if (geo) geometry_.set_target(post);
        columns_.fill(geo ? &geometry_ : nullptr, post, pre.size(),
                      [&](std::size_t k) { return pre[k]; });
        expression_->evaluate_batch(pre.size(), columns_.pointers(), out.data(), scratch_);
        for (std::size_t k = 0; k < pre.size(); ++k)
            if (std::isnan(out[k]))
                fail(ErrorKind::invalid_parameter_value, request_.label, name_, "Projection '",
                     request_.label, "': ", name_, " expression '", expression_->text(),
                     "' is NaN for the connection (", pre[k], ", ", post, ")");
    } else if (value_.is_scalar()) {
        std::fill(out.begin(), out.end(), value_.scalar());
    } else if (value_.is_array()) {
        for (std::size_t k = 0; k < pre.size(); ++k) {
            out[k] = value_.array()[std::size_t(pre[k]) * request_.n_post + post];
            if (std::isnan(out[k]))
                fail(ErrorKind::connection, request_.label, name_, "Projection '", request_.label,
                     "': ", name_, " array is NaN at (", pre[k], ", ", post,
                     ") but the connector connects that pair");
        }
    } else {
        StreamKey key = value_.random().key;
        key.entity = post;
        RandomStream rng(key);
        for (auto& x : out) x = value_.random().distribution.draw(rng);
    }
}

void WeightCheck::operator()(std::span<const double> w) {
    for (double x : w) {
        if (!std::isfinite(x))
            fail(ErrorKind::connection, r_.label, "weight", "Projection '", r_.label,
                 "': weight must be finite, got ", x);
        if (r_.weight_sign == WeightSign::non_negative && x < 0)
            fail(ErrorKind::connection, r_.label, "weight", "Projection '", r_.label,
                 "': weights must be >= 0 for this receptor type (excitatory, or any "
                 "receptor of a conductance-based cell), got ", x);
        if (r_.weight_sign == WeightSign::non_positive && x > 0)
            fail(ErrorKind::connection, r_.label, "weight", "Projection '", r_.label,
                 "': weights must be <= 0 for an inhibitory receptor of a current-based "
                 "cell, got ", x);
        positive_ = positive_ || x > 0;
        negative_ = negative_ || x < 0;
        if (positive_ && negative_)
            fail(ErrorKind::connection, r_.label, "weight", "Projection '", r_.label,
                 "': weights must be all >= 0 or all <= 0 within one projection");
    }
}

Emitter::Emitter(const Connector& c, const ConnectionRequest& r, ConnectionSink& sink)
    : r_(r),
      sink_(sink),
      weights_(r.weight, c.weight_expression, "weight", c, r),
      delays_(r.delay, c.delay_expression, "delay", c, r),
      check_(r) {}

std::optional<std::uint32_t> Emitter::self_source(std::uint32_t post) const {
    return r_.pre_index_of(r_.post_id(post));
}

void Emitter::emit(std::uint32_t post, const std::vector<std::uint32_t>& pre,
                   const std::vector<double>* w, const std::vector<double>* d) {
    if (pre.empty()) return;
    if (w) w_ = *w; else weights_.fill(post, pre, w_);
    if (d) d_ = *d; else delays_.fill(post, pre, d_);
    check_(w_);
    sink_.connect(post, pre, w_, d_);
}

// GCC/Clang extension; __extension__ keeps -Wpedantic quiet about it.
__extension__ using uint128 = unsigned __int128;

void Emitter::emit_collected(std::vector<std::vector<std::uint32_t>>& incoming) {
    for (std::uint32_t j = 0; j < incoming.size(); ++j) {
        if (!take(j)) continue;
        emit(j, incoming[j]);
        std::vector<std::uint32_t>().swap(incoming[j]);
    }
}

std::vector<std::uint32_t> identity_permutation(std::uint32_t n) {
    std::vector<std::uint32_t> v(n);
    for (std::uint32_t k = 0; k < n; ++k) v[k] = k;
    return v;
}

std::uint64_t uniform_below(RandomStream& rng, std::uint64_t m) {
    // Lemire (2019), "Fast random integer generation in an interval".
    uint128 x = static_cast<uint128>(rng.next_u64()) * m;
    auto low = static_cast<std::uint64_t>(x);
    if (low < m) {
        const std::uint64_t threshold = (0 - m) % m;
        while (low < threshold) {
            x = static_cast<uint128>(rng.next_u64()) * m;
            low = static_cast<std::uint64_t>(x);
        }
    }
    return static_cast<std::uint64_t>(x >> 64);
}

void choose_without_replacement(RandomStream& rng, std::uint64_t m, std::uint64_t count,
                                std::vector<std::uint32_t>& scratch,
                                std::vector<std::uint32_t>& out) {
    if (m == 0) return;
    for (std::uint64_t r = 0; r < count / m; ++r)
        for (std::uint64_t c = 0; c < m; ++c) out.push_back(static_cast<std::uint32_t>(c));
    const std::uint64_t rest = count % m;
    // Partial Fisher-Yates on the first m entries, undone afterwards so the
    // cost is O(rest), not O(m), per call.
    std::vector<std::uint32_t> swaps;
    swaps.reserve(rest);
    for (std::uint64_t k = 0; k < rest; ++k) {
        const auto r = static_cast<std::uint32_t>(k + uniform_below(rng, m - k));
        std::swap(scratch[k], scratch[r]);
        swaps.push_back(r);
        out.push_back(scratch[k]);
    }
    for (std::uint64_t k = rest; k-- > 0;) std::swap(scratch[k], scratch[swaps[k]]);
}

}  // namespace detail

void generate_connections(const Connector& connector, const ConnectionRequest& r,
                          ConnectionSink& sink) {
    detail::Emitter emit(connector, r, sink);
    const auto& rule = connector.rule;
    if (std::holds_alternative<AllToAllConnector>(rule) ||
        std::holds_alternative<OneToOneConnector>(rule) ||
        std::holds_alternative<FromListConnector>(rule))
        detail::generate_basic(connector, r, emit);
    else if (std::holds_alternative<FixedNumberPreConnector>(rule) ||
             std::holds_alternative<FixedNumberPostConnector>(rule) ||
             std::holds_alternative<FixedTotalNumberConnector>(rule))
        detail::generate_fixed_number(connector, r, emit);
    else
        detail::generate_probability(connector, r, emit);
}

}  // namespace pineal
