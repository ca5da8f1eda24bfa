// Connectors that draw one uniform number per candidate pair from the
// target's stream: FixedProbability, DistanceDependentProbability, the
// probability-matrix path of the callable connectors, and SmallWorld.
#include <algorithm>
#include <array>
#include <cmath>

#include "connector_detail.hpp"
#include "pineal/errors.hpp"

namespace pineal::detail {

namespace {

void check_probability(double p, const char* who, const char* what) {
    if (!(p >= 0.0 && p <= 1.0))
        fail(ErrorKind::invalid_parameter_value, who, what, who, ": ", what,
             " must lie in [0, 1], got ", p);
}

// Calls prob(i) for every candidate source of each owned target and keeps
// i where a uniform draw falls below it. One draw per candidate, self
// included, so excluding self-connections does not shift the other draws.
template <class Prob>
void bernoulli_per_target(const ConnectionRequest& r, Emitter& emit, bool allow_self,
                          StreamKey key, Prob&& prob) {
    std::vector<std::uint32_t> pre;
    pre.reserve(r.n_pre);
    for (std::uint32_t j = 0; j < r.n_post; ++j) {
        if (!emit.take(j)) continue;
        key.entity = j;
        RandomStream rng(key);
        pre.clear();
        prob.set_target(j);
        for (std::uint32_t i = 0; i < r.n_pre; ++i) {
            const bool hit = rng.uniform() < prob(i, j);
            if (hit && (allow_self || !emit.is_self(i, j))) pre.push_back(i);
        }
        emit.emit(j, pre);
    }
}

struct Constant {
    double p;
    void set_target(std::uint32_t) {}
    double operator()(std::uint32_t, std::uint32_t) const { return p; }
};

struct OfMatrix {
    const ProbabilityMatrixConnector& c;
    std::uint32_t n_post;
    void set_target(std::uint32_t) {}
    double operator()(std::uint32_t i, std::uint32_t j) const {
        return c.p[std::size_t(i) * n_post + j];
    }
};

// As bernoulli_per_target, with the probabilities of a block of sources
// evaluated at once (Expression::evaluate_batch) to amortise the
// interpreter; the draws are the same, in the same order.
void distance_dependent(const Connector& connector, const DistanceDependentProbabilityConnector& c,
                        const ConnectionRequest& r, Emitter& emit) {
    constexpr const char* who = "DistanceDependentProbabilityConnector";
    const Expression expr(c.d_expression, expression_variables(), "d_expression");
    const bool geo = expr.uses(var_d) || expr.uses(var_dx) || expr.uses(var_dy) || expr.uses(var_dz);
    const bool indices = expr.uses(var_i) || expr.uses(var_j);
    TargetGeometry geometry(geo ? &require_geometry(connector, r, who) : nullptr);
    constexpr std::uint32_t kBlock = 512;
    VariableColumns columns;
    std::vector<double> p(kBlock), scratch;
    std::vector<std::uint32_t> pre;
    StreamKey key = c.rng;
    for (std::uint32_t j = 0; j < r.n_post; ++j) {
        if (!emit.take(j)) continue;
        key.entity = j;
        RandomStream rng(key);
        if (geo) geometry.set_target(j);
        pre.clear();
        for (std::uint32_t i0 = 0; i0 < r.n_pre; i0 += kBlock) {
            const std::uint32_t n = std::min(kBlock, r.n_pre - i0);
            columns.fill_range(geo ? &geometry : nullptr, j, i0, n, indices);
            expr.evaluate_batch(n, columns.pointers(), p.data(), scratch);
            for (std::uint32_t k = 0; k < n; ++k) {
                const std::uint32_t i = i0 + k;
                if (!(p[k] >= 0.0 && p[k] <= 1.0))
                    fail(ErrorKind::invalid_parameter_value, who, "d_expression", who,
                         ": d_expression '", expr.text(), "' gives ", p[k], " for the pair (", i,
                         ", ", j, ") at distance ", columns.at(var_d, k),
                         "; a probability must lie in [0, 1]");
                const bool hit = rng.uniform() < p[k];
                if (hit && (c.allow_self_connections || !emit.is_self(i, j))) pre.push_back(i);
            }
        }
        emit.emit(j, pre);
    }
}

void small_world(const Connector& connector, const SmallWorldConnector& c,
                 const ConnectionRequest& r, Emitter& emit) {
    check_probability(c.rewiring, "SmallWorldConnector", "rewiring");
    if (!(c.degree >= 0.0))
        fail(ErrorKind::invalid_parameter_value, "SmallWorldConnector", "degree",
             "SmallWorldConnector: degree must be >= 0, got ", c.degree);
    TargetGeometry geometry(&require_geometry(connector, r, "SmallWorldConnector"));
    std::vector<std::uint32_t> pre;
    StreamKey key = c.rng;
    for (std::uint32_t j = 0; j < r.n_post; ++j) {
        if (!emit.take(j)) continue;
        key.entity = j;
        RandomStream rng(key);
        geometry.set_target(j);
        // NoMutual: the candidates are the sources lo = j+1 .. n_pre-1 (never self).
        const std::uint32_t lo = c.no_mutual ? j + 1 : 0;
        const auto self =
            c.allow_self_connections || c.no_mutual ? std::nullopt : emit.self_source(j);
        const std::uint64_t m = r.n_pre - std::min(lo, r.n_pre) - (self ? 1 : 0);
        pre.clear();
        for (std::uint32_t i = lo; i < r.n_pre; ++i) {
            if (self && *self == i) continue;
            if (!(geometry.distance(i) < c.degree)) continue;
            // One draw decides rewiring, a second (only then) the new source.
            if (rng.uniform() < c.rewiring) {
                auto k = lo + static_cast<std::uint32_t>(uniform_below(rng, m));
                if (self && k >= *self) ++k;
                pre.push_back(k);
            } else {
                pre.push_back(i);
            }
        }
        std::sort(pre.begin(), pre.end());
        emit.emit(j, pre);
    }
}

// n_connections given: each source i makes exactly n connections, its
// targets drawn without replacement among the cells closer than `degree`
// (self excluded unless allowed), each then rewired, with probability
// `rewiring`, to a target uniform over all allowed cells. Decided per source
// (entity i) and replayed by every partition, as FixedNumberPost.
void small_world_efferent(const Connector& connector, const SmallWorldConnector& c,
                          const ConnectionRequest& r, Emitter& emit) {
    constexpr const char* who = "SmallWorldConnector";
    const Geometry& g = require_geometry(connector, r, who);
    const std::uint64_t n = *c.n_connections;
    std::vector<std::array<double, 3>> post(r.n_post);
    for (std::uint32_t j = 0; j < r.n_post; ++j)
        post[j] = g.space.transform_post(Geometry::at(g.post, j).data());
    std::vector<std::uint32_t> scratch = identity_permutation(r.n_post), local, chosen;
    std::vector<std::vector<std::uint32_t>> incoming(r.n_post);
    StreamKey key = c.rng;
    for (std::uint32_t i = 0; i < r.n_pre; ++i) {
        key.entity = i;
        RandomStream rng(key);
        const std::optional<std::uint32_t> self =
            c.allow_self_connections ? std::nullopt : r.post_index_of(r.pre_id(i));
        const auto a = Geometry::at(g.pre, i);
        local.clear();
        for (std::uint32_t j = 0; j < r.n_post; ++j)
            if (!(self && *self == j) &&
                Space::norm(g.space.displacement(a.data(), post[j])) < c.degree)
                local.push_back(j);
        if (local.size() < n)
            fail(ErrorKind::connection, who, "n_connections", who, ": source ", i, " has ",
                 local.size(), " cells closer than degree = ", c.degree,
                 ", fewer than n_connections = ", n);
        chosen.clear();
        choose_without_replacement(rng, local.size(), n, scratch, chosen);
        const std::uint64_t m = r.n_post - (self ? 1 : 0);
        for (std::uint32_t k : chosen) {
            std::uint32_t t = local[k];
            if (rng.uniform() < c.rewiring) {
                const auto u = static_cast<std::uint32_t>(uniform_below(rng, m));
                t = self && u >= *self ? u + 1 : u;
            }
            if (emit.owns(t)) incoming[t].push_back(i);  // ascending i
        }
    }
    emit.emit_collected(incoming);
}

}  // namespace

void generate_probability(const Connector& connector, const ConnectionRequest& r, Emitter& emit) {
    const auto& rule = connector.rule;
    if (const auto* c = std::get_if<FixedProbabilityConnector>(&rule)) {
        check_probability(c->p_connect, "FixedProbabilityConnector", "p_connect");
        bernoulli_per_target(r, emit, c->allow_self_connections, c->rng, Constant{c->p_connect});
    } else if (const auto* c = std::get_if<DistanceDependentProbabilityConnector>(&rule)) {
        distance_dependent(connector, *c, r, emit);
    } else if (const auto* c = std::get_if<ProbabilityMatrixConnector>(&rule)) {
        if (c->p.size() != std::size_t(r.n_pre) * r.n_post)
            fail(ErrorKind::invalid_dimensions, c->name, "p", c->name, ": ", c->p.size(),
                 " probabilities for ", r.n_pre, " x ", r.n_post, " pairs");
        for (double p : c->p) check_probability(p, c->name.c_str(), "connection probability");
        bernoulli_per_target(r, emit, c->allow_self_connections, c->rng, OfMatrix{*c, r.n_post});
    } else if (const auto* c = std::get_if<SmallWorldConnector>(&rule)) {
        if (c->n_connections) {
            check_probability(c->rewiring, "SmallWorldConnector", "rewiring");
            if (c->no_mutual)
                fail(ErrorKind::not_supported, "SmallWorldConnector", "n_connections",
                     "SmallWorldConnector: n_connections with allow_self_connections='NoMutual'"
                     " is not supported (the last cell would have no candidate)");
            small_world_efferent(connector, *c, r, emit);
        } else {
            small_world(connector, *c, r, emit);
        }
    }
}

}  // namespace pineal::detail
