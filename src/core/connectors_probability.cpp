// Connectors that draw one uniform number per candidate pair from the
// target's stream: FixedProbability, DistanceDependentProbability, the
// probability-matrix path of the callable connectors, and SmallWorld.
#include <algorithm>
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
        if (!emit.owns(j)) continue;
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

struct OfExpression {
    Expression expr;
    TargetGeometry geometry;
    bool geo;
    void set_target(std::uint32_t j) {
        if (geo) geometry.set_target(j);
    }
    double operator()(std::uint32_t i, std::uint32_t j) const {
        double vars[var_count] = {0, 0, 0, 0, double(i), double(j)};
        if (geo) geometry.fill(i, vars);
        const double p = expr.evaluate(vars);
        if (!(p >= 0.0 && p <= 1.0))
            fail(ErrorKind::invalid_parameter_value, "DistanceDependentProbabilityConnector",
                 "d_expression", "DistanceDependentProbabilityConnector: d_expression '",
                 expr.text(), "' gives ", p, " for the pair (", i, ", ", j, ") at distance ",
                 vars[var_d], "; a probability must lie in [0, 1]");
        return p;
    }
};

struct OfMatrix {
    const ProbabilityMatrixConnector& c;
    std::uint32_t n_post;
    void set_target(std::uint32_t) {}
    double operator()(std::uint32_t i, std::uint32_t j) const {
        return c.p[std::size_t(i) * n_post + j];
    }
};

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
        if (!emit.owns(j)) continue;
        key.entity = j;
        RandomStream rng(key);
        geometry.set_target(j);
        const auto self = c.allow_self_connections ? std::nullopt : emit.self_source(j);
        const std::uint64_t m = r.n_pre - (self ? 1 : 0);
        pre.clear();
        for (std::uint32_t i = 0; i < r.n_pre; ++i) {
            if (self && *self == i) continue;
            if (!(geometry.distance(i) < c.degree)) continue;
            // One draw decides rewiring, a second (only then) the new source.
            if (rng.uniform() < c.rewiring) {
                auto k = static_cast<std::uint32_t>(uniform_below(rng, m));
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

}  // namespace

void generate_probability(const Connector& connector, const ConnectionRequest& r, Emitter& emit) {
    const auto& rule = connector.rule;
    if (const auto* c = std::get_if<FixedProbabilityConnector>(&rule)) {
        check_probability(c->p_connect, "FixedProbabilityConnector", "p_connect");
        bernoulli_per_target(r, emit, c->allow_self_connections, c->rng, Constant{c->p_connect});
    } else if (const auto* c = std::get_if<DistanceDependentProbabilityConnector>(&rule)) {
        OfExpression prob{Expression(c->d_expression, expression_variables(), "d_expression"),
                          TargetGeometry(connector.geometry.get()), false};
        const Expression& e = prob.expr;
        prob.geo = e.uses(var_d) || e.uses(var_dx) || e.uses(var_dy) || e.uses(var_dz);
        if (prob.geo) require_geometry(connector, r, "DistanceDependentProbabilityConnector");
        bernoulli_per_target(r, emit, c->allow_self_connections, c->rng, prob);
    } else if (const auto* c = std::get_if<ProbabilityMatrixConnector>(&rule)) {
        if (c->p.size() != std::size_t(r.n_pre) * r.n_post)
            fail(ErrorKind::invalid_dimensions, c->name, "p", c->name, ": ", c->p.size(),
                 " probabilities for ", r.n_pre, " x ", r.n_post, " pairs");
        for (double p : c->p) check_probability(p, c->name.c_str(), "connection probability");
        bernoulli_per_target(r, emit, c->allow_self_connections, c->rng, OfMatrix{*c, r.n_post});
    } else if (const auto* c = std::get_if<SmallWorldConnector>(&rule)) {
        small_world(connector, *c, r, emit);
    }
}

}  // namespace pineal::detail
