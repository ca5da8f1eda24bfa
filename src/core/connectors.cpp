// Connection generation, one target at a time. Every random decision about
// target j comes from its own stream (entity j), so the result does not
// depend on which partition builds which targets.
#include "pineal/connectors.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "pineal/errors.hpp"

namespace pineal {

std::string connector_name(const Connector& c) {
    struct Name {
        std::string operator()(const AllToAllConnector&) const { return "AllToAllConnector"; }
        std::string operator()(const OneToOneConnector&) const { return "OneToOneConnector"; }
        std::string operator()(const FixedProbabilityConnector&) const {
            return "FixedProbabilityConnector";
        }
        std::string operator()(const FromListConnector&) const { return "FromListConnector"; }
    };
    return std::visit(Name{}, c);
}

namespace {

// Evaluates one synapse parameter for the connections of one target.
class SynapseValues {
public:
    SynapseValues(const Value& value, const char* name, const ConnectionRequest& r)
        : value_(value), name_(name), request_(r) {
        if (value.is_array() &&
            value.array().size() != std::size_t(r.n_pre) * std::size_t(r.n_post))
            fail(ErrorKind::invalid_dimensions, r.label, name, "Projection '", r.label, "': ",
                 name, " array must have shape (n_pre, n_post) = (", r.n_pre, ", ", r.n_post,
                 "), got ", value.array().size(), " values");
    }

    void fill(std::uint32_t post, const std::vector<std::uint32_t>& pre, std::vector<double>& out) {
        out.resize(pre.size());
        if (value_.is_scalar()) {
            std::fill(out.begin(), out.end(), value_.scalar());
        } else if (value_.is_array()) {
            for (std::size_t k = 0; k < pre.size(); ++k) {
                out[k] = value_.array()[std::size_t(pre[k]) * request_.n_post + post];
                if (std::isnan(out[k]))
                    fail(ErrorKind::connection, request_.label, name_, "Projection '",
                         request_.label, "': ", name_, " array is NaN at (", pre[k], ", ", post,
                         ") but the connector connects that pair");
            }
        } else {
            StreamKey key = value_.random().key;
            key.entity = post;
            RandomStream rng(key);
            for (auto& x : out) x = value_.random().distribution.draw(rng);
        }
    }

private:
    const Value& value_;
    const char* name_;
    const ConnectionRequest& request_;
};

// Applies PyNN's check_weights to every generated weight.
class WeightCheck {
public:
    explicit WeightCheck(const ConnectionRequest& r) : r_(r) {}
    void operator()(std::span<const double> w) {
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

private:
    const ConnectionRequest& r_;
    bool positive_ = false, negative_ = false;
};

class Emitter {
public:
    Emitter(const ConnectionRequest& r, ConnectionSink& sink)
        : r_(r), sink_(sink), weights_(r.weight, "weight", r), delays_(r.delay, "delay", r),
          check_(r) {}

    bool is_self(std::uint32_t pre, std::uint32_t post) const {
        return r_.pre_first_id + pre == r_.post_first_id + post;
    }

    void emit(std::uint32_t post, const std::vector<std::uint32_t>& pre) {
        emit(post, pre, nullptr, nullptr);
    }

    // w, d: values given with each connection (FromList), else from the synapse type.
    void emit(std::uint32_t post, const std::vector<std::uint32_t>& pre,
              const std::vector<double>* w, const std::vector<double>* d) {
        if (pre.empty()) return;
        if (w) w_ = *w; else weights_.fill(post, pre, w_);
        if (d) d_ = *d; else delays_.fill(post, pre, d_);
        check_(w_);
        sink_.connect(post, pre, w_, d_);
    }

private:
    const ConnectionRequest& r_;
    ConnectionSink& sink_;
    SynapseValues weights_, delays_;
    WeightCheck check_;
    std::vector<double> w_, d_;
};

void from_list(const FromListConnector& c, const ConnectionRequest& r, ConnectionSink& sink,
               Emitter& emit) {
    const std::size_t rows = c.pre.size();
    if (c.post.size() != rows)
        fail(ErrorKind::invalid_dimensions, r.label, "conn_list", "FromListConnector: ",
             c.pre.size(), " pre indices but ", c.post.size(), " post indices");
    const std::vector<double>* wcol = nullptr;
    const std::vector<double>* dcol = nullptr;
    for (const auto& [name, col] : c.columns) {
        if (col.size() != rows)
            fail(ErrorKind::invalid_dimensions, r.label, name, "FromListConnector: column '",
                 name, "' has ", col.size(), " values for ", rows, " rows");
        if (name == "weight") wcol = &col;
        else if (name == "delay") dcol = &col;
        else
            fail(ErrorKind::non_existent_parameter, r.label, name, "FromListConnector: '", name,
                 "' is not a parameter of StaticSynapse (weight, delay)");
    }
    for (std::size_t k = 0; k < rows; ++k) {
        if (c.pre[k] >= r.n_pre)
            fail(ErrorKind::connection, r.label, "conn_list", "FromListConnector: row ", k,
                 " has pre index ", c.pre[k], " but the pre-synaptic population has ", r.n_pre,
                 " cells");
        if (c.post[k] >= r.n_post)
            fail(ErrorKind::connection, r.label, "conn_list", "FromListConnector: row ", k,
                 " has post index ", c.post[k], " but the post-synaptic population has ",
                 r.n_post, " cells");
    }
    // Group rows by target, keeping list order within a target.
    std::vector<std::size_t> order(rows);
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return c.post[a] < c.post[b]; });
    std::vector<std::uint32_t> pre;
    std::vector<double> w, d;
    for (std::size_t k = 0; k < rows;) {
        const std::uint32_t post = c.post[order[k]];
        pre.clear(), w.clear(), d.clear();
        for (; k < rows && c.post[order[k]] == post; ++k) {
            pre.push_back(c.pre[order[k]]);
            if (wcol) w.push_back((*wcol)[order[k]]);
            if (dcol) d.push_back((*dcol)[order[k]]);
        }
        if (sink.owns(post)) emit.emit(post, pre, wcol ? &w : nullptr, dcol ? &d : nullptr);
    }
}

}  // namespace

void generate_connections(const Connector& connector, const ConnectionRequest& r,
                          ConnectionSink& sink) {
    Emitter emit(r, sink);
    std::vector<std::uint32_t> pre;
    pre.reserve(r.n_pre);
    if (const auto* c = std::get_if<AllToAllConnector>(&connector)) {
        for (std::uint32_t j = 0; j < r.n_post; ++j) {
            if (!sink.owns(j)) continue;
            pre.clear();
            for (std::uint32_t i = 0; i < r.n_pre; ++i)
                if (c->allow_self_connections || !emit.is_self(i, j)) pre.push_back(i);
            emit.emit(j, pre);
        }
    } else if (std::holds_alternative<OneToOneConnector>(connector)) {
        for (std::uint32_t j = 0; j < std::min(r.n_pre, r.n_post); ++j) {
            if (!sink.owns(j)) continue;
            pre.assign(1, j);
            emit.emit(j, pre);
        }
    } else if (const auto* c = std::get_if<FixedProbabilityConnector>(&connector)) {
        if (!(c->p_connect >= 0.0 && c->p_connect <= 1.0))
            fail(ErrorKind::invalid_parameter_value, "FixedProbabilityConnector", "p_connect",
                 "FixedProbabilityConnector: p_connect must lie in [0, 1], got ", c->p_connect);
        for (std::uint32_t j = 0; j < r.n_post; ++j) {
            if (!sink.owns(j)) continue;
            StreamKey key = c->rng;
            key.entity = j;
            RandomStream rng(key);
            pre.clear();
            // One draw per candidate, self included, so that excluding
            // self-connections does not shift the other draws.
            for (std::uint32_t i = 0; i < r.n_pre; ++i) {
                const bool hit = rng.uniform() < c->p_connect;
                if (hit && (c->allow_self_connections || !emit.is_self(i, j))) pre.push_back(i);
            }
            emit.emit(j, pre);
        }
    } else if (const auto* c = std::get_if<FromListConnector>(&connector)) {
        from_list(*c, r, sink, emit);
    }
}

}  // namespace pineal
