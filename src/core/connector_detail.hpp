// Shared machinery of the connection generators (private to src/core):
// synapse values per target, PyNN's weight checks, and the per-family
// generators that generate_connections() dispatches to.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <vector>

#include "pineal/connectors.hpp"
#include "pineal/expression.hpp"

namespace pineal::detail {

// Indices of the expression variables (expression_variables()).
enum Var { var_d, var_dx, var_dy, var_dz, var_i, var_j, var_count };

// Distances from every source to one target.
class TargetGeometry {
public:
    explicit TargetGeometry(const Geometry* g) : g_(g) {}
    void set_target(std::uint32_t post);
    // Fills vars[var_d .. var_dz] for source i (the target must be set).
    void fill(std::uint32_t pre, double* vars) const;
    double distance(std::uint32_t pre) const;
    // d, dx, dy, dz of the sources i0 .. i0 + n - 1 (contiguous), as fill()
    // computes them, in one pass over the 3 x N columns (no call per pair).
    void fill_range(std::uint32_t i0, std::size_t n, double* d, double* dx, double* dy,
                    double* dz) const;

private:
    const Geometry* g_;
    std::array<double, 3> post_{};
};

// The expression variables of n (source, target) pairs as columns, for
// Expression::evaluate_batch. Distances only if `geometry` is given (its
// target already set).
class VariableColumns {
public:
    // source(k) gives the source index of pair k.
    template <class Source>
    void fill(const TargetGeometry* geometry, std::uint32_t post, std::size_t n, Source&& source) {
        for (auto& c : columns_) c.resize(n);
        double vars[var_count];
        for (std::size_t k = 0; k < n; ++k) {
            const std::uint32_t i = source(k);
            if (geometry) geometry->fill(i, vars);
            else vars[var_d] = vars[var_dx] = vars[var_dy] = vars[var_dz] = 0.0;
            for (int v = var_d; v <= var_dz; ++v) columns_[v][k] = vars[v];
            columns_[var_i][k] = i;
            columns_[var_j][k] = post;
        }
        for (int v = 0; v < var_count; ++v) pointers_[v] = columns_[v].data();
    }
    // The same for the contiguous sources i0 .. i0 + n - 1 (the fast path).
    // (`indices`: whether the expression reads i and j at all.)
    void fill_range(const TargetGeometry* geometry, std::uint32_t post, std::uint32_t i0,
                    std::size_t n, bool indices = true) {
        for (auto& c : columns_) c.resize(n);
        if (geometry) {
            geometry->fill_range(i0, n, columns_[var_d].data(), columns_[var_dx].data(),
                                 columns_[var_dy].data(), columns_[var_dz].data());
        } else {
            for (int v = var_d; v <= var_dz; ++v)
                std::fill(columns_[v].begin(), columns_[v].end(), 0.0);
        }
        if (indices) {
            for (std::size_t k = 0; k < n; ++k) columns_[var_i][k] = double(i0 + k);
            std::fill(columns_[var_j].begin(), columns_[var_j].end(), double(post));
        }
        for (int v = 0; v < var_count; ++v) pointers_[v] = columns_[v].data();
    }
    const double* const* pointers() const { return pointers_.data(); }
    double at(int var, std::size_t k) const { return columns_[var][k]; }

private:
    std::array<std::vector<double>, var_count> columns_;
    std::array<const double*, var_count> pointers_{};
};

// Evaluates one synapse parameter for the connections of one target.
class SynapseValues {
public:
    SynapseValues(const Value& value, const std::optional<std::string>& expression,
                  const char* name, const Connector& c, const ConnectionRequest& r);
    void fill(std::uint32_t post, const std::vector<std::uint32_t>& pre, std::vector<double>& out);

private:
    const Value& value_;
    std::optional<Expression> expression_;
    TargetGeometry geometry_;
    VariableColumns columns_;
    std::vector<double> scratch_;
    const char* name_;
    const ConnectionRequest& request_;
};

// Applies PyNN's check_weights to every generated weight.
class WeightCheck {
public:
    explicit WeightCheck(const ConnectionRequest& r) : r_(r) {}
    void operator()(std::span<const double> w);

private:
    const ConnectionRequest& r_;
    bool positive_ = false, negative_ = false;
};

class Emitter {
public:
    Emitter(const Connector& c, const ConnectionRequest& r, ConnectionSink& sink);

    bool is_self(std::uint32_t pre, std::uint32_t post) const {
        return r_.pre_id(pre) == r_.post_id(post);
    }
    // The pre index that is the same cell as target `post`, if any.
    std::optional<std::uint32_t> self_source(std::uint32_t post) const;
    bool owns(std::uint32_t post) const { return sink_.owns(post); }
    // owns(), for the loop that visits each target once: an owned target
    // counts as generated for the progress report.
    bool take(std::uint32_t post) const {
        if (!sink_.owns(post)) return false;
        if (r_.progress) r_.progress->target_done();
        return true;
    }

    // w, d: values given with each connection (FromList), else from the synapse type.
    void emit(std::uint32_t post, const std::vector<std::uint32_t>& pre,
              const std::vector<double>* w = nullptr, const std::vector<double>* d = nullptr);
    // For connectors that draw source by source: emits each owned target's
    // collected sources (incoming[target], ascending), target by target,
    // freeing each list once emitted.
    void emit_collected(std::vector<std::vector<std::uint32_t>>& incoming);

private:
    const ConnectionRequest& r_;
    ConnectionSink& sink_;
    SynapseValues weights_, delays_;
    WeightCheck check_;
    std::vector<double> w_, d_;
};

// Unbiased integer in [0, m) (Lemire's multiply-and-reject).
std::uint64_t uniform_below(RandomStream& rng, std::uint64_t m);

// 0, 1, ..., n - 1: the scratch that choose_without_replacement needs.
std::vector<std::uint32_t> identity_permutation(std::uint32_t n);

// Random choice of `count` candidates among m (indices 0..m-1), distinct
// while count <= m; beyond, every candidate floor(count/m) times plus a
// distinct remainder. `scratch` is an identity permutation of size >= m
// and is restored on return. Appends to `out` (unsorted).
void choose_without_replacement(RandomStream& rng, std::uint64_t m, std::uint64_t count,
                                std::vector<std::uint32_t>& scratch,
                                std::vector<std::uint32_t>& out);

// The connector's geometry, checked against the projection's sizes.
const Geometry& require_geometry(const Connector& c, const ConnectionRequest& r, const char* who);

void generate_basic(const Connector& c, const ConnectionRequest& r, Emitter& emit);
void generate_probability(const Connector& c, const ConnectionRequest& r, Emitter& emit);
void generate_fixed_number(const Connector& c, const ConnectionRequest& r, Emitter& emit);

}  // namespace pineal::detail
