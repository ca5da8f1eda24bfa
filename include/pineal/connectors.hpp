// PyNN connectors as plain descriptions, and the generator that streams
// their connections, target by target, into a sink the backend supplies.
// The core keeps no copy of the connections.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <type_traits>
#include <span>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "pineal/random.hpp"
#include "pineal/space.hpp"
#include "pineal/values.hpp"

namespace pineal {

struct AllToAllConnector {
    bool allow_self_connections = true;
};

struct OneToOneConnector {};

struct FixedProbabilityConnector {
    double p_connect = 0.0;
    bool allow_self_connections = true;
    StreamKey rng;  // seed and stream of this use; entity = target index
};

// Probability per pair = d_expression of (d, dx, dy, dz, i, j); needs the
// connector's geometry when it uses a distance.
struct DistanceDependentProbabilityConnector {
    std::string d_expression;
    bool allow_self_connections = true;
    StreamKey rng;
};

// Probabilities given per pair, (n_pre x n_post) row-major: the slow path of
// DisplacementDependent- and IndexBasedProbabilityConnector, whose Python
// callables are evaluated (vectorised) before generation.
struct ProbabilityMatrixConnector {
    std::string name;  // the PyNN connector, for messages
    std::vector<double> p;
    bool allow_self_connections = true;
    StreamKey rng;
};

// Each target receives n connections (n: a scalar, or a random value drawn
// per target). Without replacement the sources are distinct, and when n
// exceeds the candidates every candidate is used floor(n / m) times plus a
// random remainder (PyNN's documented rule).
struct FixedNumberPreConnector {
    Value n;
    bool allow_self_connections = true;
    bool with_replacement = false;
    StreamKey rng;  // entity = target index
};

// Each source makes n connections (same rules); entity = source index.
struct FixedNumberPostConnector {
    Value n;
    bool allow_self_connections = true;
    bool with_replacement = false;
    StreamKey rng;
};

// Exactly n connections in the whole projection, pairs uniform over the
// allowed pairs (distinct pairs without replacement).
struct FixedTotalNumberConnector {
    std::uint64_t n = 0;
    bool allow_self_connections = true;
    bool with_replacement = true;
    StreamKey rng;
    // PyNN's allow_self_connections='NoMutual' within one population: only
    // pairs with source index > target index are candidates.
    bool no_mutual = false;
};

// Watts-Strogatz style: every pair closer than `degree` is a connection,
// whose source is replaced, with probability `rewiring`, by a random cell.
struct SmallWorldConnector {
    double degree = 0.0;
    double rewiring = 0.0;
    bool allow_self_connections = true;
    StreamKey rng;
    // PyNN's allow_self_connections='NoMutual' within one population: only
    // pairs with source index > target index are candidates.
    bool no_mutual = false;
    // PyNN's n_connections ("the number of efferent connections per neuron"):
    // each source makes exactly this many, its targets drawn among the cells
    // closer than `degree`, each then rewired with probability `rewiring`.
    std::optional<std::uint64_t> n_connections;
};

struct FromListConnector {
    std::vector<std::uint32_t> pre;
    std::vector<std::uint32_t> post;
    // Extra columns, one value per row: "weight", "delay" (others later).
    std::vector<std::pair<std::string, std::vector<double>>> columns;
};

using ConnectorRule =
    std::variant<AllToAllConnector, OneToOneConnector, FixedProbabilityConnector,
                 DistanceDependentProbabilityConnector, ProbabilityMatrixConnector,
                 FixedNumberPreConnector, FixedNumberPostConnector, FixedTotalNumberConnector,
                 SmallWorldConnector, FromListConnector>;

// A connection rule, with the positions it (or a synapse value) needs, and
// weights/delays given as expressions of distance ("0.1 + d/1000"), which
// then replace the request's values.
struct Connector {
    ConnectorRule rule;
    std::shared_ptr<const Geometry> geometry;  // null: positions not needed
    std::optional<std::string> weight_expression;
    std::optional<std::string> delay_expression;
    // PyNN's `safe`: check the weight signs of the receptor (check_weights);
    // false skips the check (safe=False).
    bool check_weights = true;

    Connector() = default;
    template <class Rule>
        requires std::is_constructible_v<ConnectorRule, Rule&&> &&
                 (!std::is_same_v<std::remove_cvref_t<Rule>, Connector>)
    Connector(Rule&& r) : rule(std::forward<Rule>(r)) {}  // NOLINT: a rule is a connector
};

// The variables of connector and synapse-value expressions, in this order.
const std::vector<std::string>& expression_variables();

std::string connector_name(const Connector& c);

// Receives the connections of one target at a time. Values are in PyNN
// units (weights nA or uS, delays ms), in generation order.
class ConnectionSink {
public:
    virtual ~ConnectionSink() = default;
    // Whether this partition builds the connections of target `post`.
    virtual bool owns(std::uint32_t /*post*/) const { return true; }
    virtual void connect(std::uint32_t post, std::span<const std::uint32_t> pre,
                         std::span<const double> weight, std::span<const double> delay) = 0;
};

// PyNN's connector `callback`: the fraction of post-synaptic cells generated
// so far, over all partitions, about every 1 % (and at the end). Shared by
// the partitions, so it may be called from any generating thread (one call
// at a time, fractions increasing).
class ConnectionProgress {
public:
    ConnectionProgress(std::uint64_t targets, std::function<void(double)> report)
        : targets_(targets), step_(std::max<std::uint64_t>(1, targets / 100)),
          report_(std::move(report)) {}
    // One more target generated (by any partition).
    void target_done() {
        const std::uint64_t done = done_.fetch_add(1, std::memory_order_relaxed) + 1;
        if (done % step_ != 0 && done != targets_) return;
        std::lock_guard lock(mutex_);
        if (done <= reported_) return;
        reported_ = done;
        report_(static_cast<double>(done) / static_cast<double>(targets_));
    }

private:
    std::uint64_t targets_, step_;
    std::function<void(double)> report_;
    std::atomic<std::uint64_t> done_{0};
    std::mutex mutex_;
    std::uint64_t reported_ = 0;
};

// Weight-sign rule of PyNN's check_weights for the chosen receptor.
enum class WeightSign { any, non_negative, non_positive };

struct ConnectionRequest {
    std::string label;  // projection label, for messages
    std::uint32_t n_pre = 0;
    std::uint32_t n_post = 0;
    // Cell ids decide what a self-connection is (PyNN compares ids).
    std::uint64_t pre_first_id = 0;
    std::uint64_t post_first_id = 0;
    // Population indices of the projection's cells (ascending) when a side is
    // a subset (PyNN PopulationView); empty: index i is population cell i.
    // Connectors work in projection indices; only cell ids look through.
    std::span<const std::uint32_t> pre_cells;
    std::span<const std::uint32_t> post_cells;
    // Whether pre_cells/post_cells ascend (the engine's views always do; an
    // Assembly side listed out of creation order does not): the cell of an id
    // is then found by a linear search instead of a binary one.
    bool pre_cells_sorted = true;
    bool post_cells_sorted = true;
    // Synapse values: scalar, (n_pre x n_post) row-major array, or random
    // (one stream per target, drawn in connection order).
    Value weight;
    Value delay;
    WeightSign weight_sign = WeightSign::any;
    // Reports progress when set (the connector's callback).
    ConnectionProgress* progress = nullptr;

    std::uint64_t pre_id(std::uint32_t i) const {
        return pre_first_id + (pre_cells.empty() ? i : pre_cells[i]);
    }
    std::uint64_t post_id(std::uint32_t j) const {
        return post_first_id + (post_cells.empty() ? j : post_cells[j]);
    }
    // The projection index of the cell with this id on each side, if any.
    std::optional<std::uint32_t> pre_index_of(std::uint64_t id) const {
        return index_of(id, pre_first_id, n_pre, pre_cells, pre_cells_sorted);
    }
    std::optional<std::uint32_t> post_index_of(std::uint64_t id) const {
        return index_of(id, post_first_id, n_post, post_cells, post_cells_sorted);
    }

private:
    static std::optional<std::uint32_t> index_of(std::uint64_t id, std::uint64_t first,
                                                 std::uint32_t n,
                                                 std::span<const std::uint32_t> cells,
                                                 bool sorted);
};

// Generates every connection of `connector` for the targets the sink owns.
// Throws pineal::Error for invalid input; the sink must then discard what
// it received (the caller does so).
void generate_connections(const Connector& connector, const ConnectionRequest& request,
                          ConnectionSink& sink);

}  // namespace pineal
