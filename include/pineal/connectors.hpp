// PyNN connectors as plain descriptions, and the generator that streams
// their connections, target by target, into a sink the backend supplies.
// The core keeps no copy of the connections.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "pineal/random.hpp"
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

struct FromListConnector {
    std::vector<std::uint32_t> pre;
    std::vector<std::uint32_t> post;
    // Extra columns, one value per row: "weight", "delay" (others later).
    std::vector<std::pair<std::string, std::vector<double>>> columns;
};

using Connector =
    std::variant<AllToAllConnector, OneToOneConnector, FixedProbabilityConnector, FromListConnector>;

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

// Weight-sign rule of PyNN's check_weights for the chosen receptor.
enum class WeightSign { any, non_negative, non_positive };

struct ConnectionRequest {
    std::string label;  // projection label, for messages
    std::uint32_t n_pre = 0;
    std::uint32_t n_post = 0;
    // Cell ids decide what a self-connection is (PyNN compares ids).
    std::uint64_t pre_first_id = 0;
    std::uint64_t post_first_id = 0;
    // Synapse values: scalar, (n_pre x n_post) row-major array, or random
    // (one stream per target, drawn in connection order).
    Value weight;
    Value delay;
    WeightSign weight_sign = WeightSign::any;
};

// Generates every connection of `connector` for the targets the sink owns.
// Throws pineal::Error for invalid input; the sink must then discard what
// it received (the caller does so).
void generate_connections(const Connector& connector, const ConnectionRequest& request,
                          ConnectionSink& sink);

}  // namespace pineal
