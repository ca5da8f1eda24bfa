// Deterministic connectors: AllToAll, OneToOne, FromList (which also carries
// FromFile, Array and Clone connectors, lowered in Python to rows).
#include <algorithm>
#include <numeric>

#include "connector_detail.hpp"
#include "pineal/errors.hpp"

namespace pineal::detail {

namespace {

void from_list(const FromListConnector& c, const ConnectionRequest& r, Emitter& emit) {
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
                 " has pre index ", c.pre[k], " but the pre-synaptic side (population or view) has ", r.n_pre,
                 " cells");
        if (c.post[k] >= r.n_post)
            fail(ErrorKind::connection, r.label, "conn_list", "FromListConnector: row ", k,
                 " has post index ", c.post[k], " but the post-synaptic side (population or view) has ",
                 r.n_post, " cells");
    }
    // Group the rows of the targets this worker owns by target, keeping list
    // order within a target: a counting sort (one pass to count, one to
    // place), O(rows + n_post), instead of sorting every row in every worker.
    std::vector<std::size_t> first(std::size_t(r.n_post) + 1, 0);
    std::vector<bool> owned(r.n_post);
    for (std::uint32_t j = 0; j < r.n_post; ++j) owned[j] = emit.owns(j);
    for (std::size_t k = 0; k < rows; ++k)
        if (owned[c.post[k]]) ++first[c.post[k] + 1];
    std::partial_sum(first.begin(), first.end(), first.begin());
    std::vector<std::size_t> order(first.back());
    {
        std::vector<std::size_t> next(first.begin(), first.end() - 1);
        for (std::size_t k = 0; k < rows; ++k)
            if (owned[c.post[k]]) order[next[c.post[k]]++] = k;
    }
    std::vector<std::uint32_t> pre;
    std::vector<double> w, d;
    for (std::uint32_t post = 0; post < r.n_post; ++post) {
        if (first[post] == first[post + 1]) continue;
        pre.clear(), w.clear(), d.clear();
        for (std::size_t q = first[post]; q < first[post + 1]; ++q) {
            const std::size_t k = order[q];
            pre.push_back(c.pre[k]);
            if (wcol) w.push_back((*wcol)[k]);
            if (dcol) d.push_back((*dcol)[k]);
        }
        if (emit.take(post)) emit.emit(post, pre, wcol ? &w : nullptr, dcol ? &d : nullptr);
    }
}

}  // namespace

void generate_basic(const Connector& connector, const ConnectionRequest& r, Emitter& emit) {
    std::vector<std::uint32_t> pre;
    if (const auto* c = std::get_if<AllToAllConnector>(&connector.rule)) {
        pre.reserve(r.n_pre);
        for (std::uint32_t j = 0; j < r.n_post; ++j) {
            if (!emit.take(j)) continue;
            pre.clear();
            for (std::uint32_t i = 0; i < r.n_pre; ++i)
                if (c->allow_self_connections || !emit.is_self(i, j)) pre.push_back(i);
            emit.emit(j, pre);
        }
    } else if (std::holds_alternative<OneToOneConnector>(connector.rule)) {
        for (std::uint32_t j = 0; j < std::min(r.n_pre, r.n_post); ++j) {
            if (!emit.take(j)) continue;
            pre.assign(1, j);
            emit.emit(j, pre);
        }
    } else if (const auto* c = std::get_if<FromListConnector>(&connector.rule)) {
        from_list(*c, r, emit);
    }
}

}  // namespace pineal::detail
