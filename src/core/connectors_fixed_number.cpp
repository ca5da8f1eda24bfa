// FixedNumberPre (decided per target), FixedNumberPost (decided per source)
// and FixedTotalNumber (decided globally, then per target). The schemes that
// keep per-source and global decisions independent of the partitioning are
// described in docs/connectivity.md.
#include <algorithm>
#include <cmath>
#include <limits>

#include "connector_detail.hpp"
#include "pineal/errors.hpp"

namespace pineal::detail {

namespace {

// n of one target (or source) `entity`: the scalar, or a draw from the
// value's own stream for that entity.
std::uint64_t count_of(const Value& n, std::uint64_t entity, const char* who) {
    double x = 0;
    if (n.is_scalar()) {
        x = n.scalar();
    } else if (n.is_random()) {
        StreamKey key = n.random().key;
        key.entity = entity;
        RandomStream rng(key);
        x = n.random().distribution.draw(rng);
    } else {
        fail(ErrorKind::invalid_parameter_value, who, "n", who,
             ": n must be an integer or a RandomDistribution");
    }
    if (!(x >= 0) || x != std::floor(x) || x > 4294967295.0)
        fail(ErrorKind::invalid_parameter_value, who, "n", who,
             ": n must be a non-negative integer, got ", x,
             n.is_random() ? " (drawn from its RandomDistribution)" : "");
    return static_cast<std::uint64_t>(x);
}

// Candidate k (0..m-1) -> cell index lo + k, skipping `self` (self >= lo).
std::uint32_t candidate(std::uint64_t k, const std::optional<std::uint32_t>& self,
                        std::uint32_t lo) {
    k += lo;
    return static_cast<std::uint32_t>(self && k >= *self ? k + 1 : k);
}

// `count` candidates out of the cells lo..n-1 (minus `self`), appended to out.
// lo > 0 is NoMutual (sources above the target), where self is never a candidate.
void choose(RandomStream& rng, std::uint32_t n, std::uint64_t count,
            const std::optional<std::uint32_t>& self, bool with_replacement,
            std::vector<std::uint32_t>& scratch, std::vector<std::uint32_t>& out,
            const char* who, std::uint32_t lo = 0) {
    const std::uint64_t m = n - lo - (self ? 1 : 0);
    if (count > 0 && m == 0)
        fail(ErrorKind::connection, who, "n", who, ": cannot make ", count,
             " connections: there is no candidate cell");
    const std::size_t first = out.size();
    if (with_replacement) {
        for (std::uint64_t k = 0; k < count; ++k) out.push_back(candidate(uniform_below(rng, m), self, lo));
        return;
    }
    choose_without_replacement(rng, m, count, scratch, out);
    for (std::size_t k = first; k < out.size(); ++k) out[k] = candidate(out[k], self, lo);
}

void fixed_number_pre(const FixedNumberPreConnector& c, const ConnectionRequest& r,
                      Emitter& emit) {
    constexpr const char* who = "FixedNumberPreConnector";
    auto scratch = identity_permutation(r.n_pre);
    std::vector<std::uint32_t> pre;
    StreamKey key = c.rng;
    for (std::uint32_t j = 0; j < r.n_post; ++j) {
        if (!emit.take(j)) continue;
        key.entity = j;
        RandomStream rng(key);
        const auto self = c.allow_self_connections ? std::nullopt : emit.self_source(j);
        pre.clear();
        choose(rng, r.n_pre, count_of(c.n, j, who), self, c.with_replacement, scratch, pre, who);
        std::sort(pre.begin(), pre.end());
        emit.emit(j, pre);
    }
}

// Every partition replays the choices of every source from the source's own
// stream and keeps the targets it owns: no communication, same result for
// any partitioning, at the cost of redrawing (not storing) foreign choices.
void fixed_number_post(const FixedNumberPostConnector& c, const ConnectionRequest& r,
                       Emitter& emit) {
    constexpr const char* who = "FixedNumberPostConnector";
    auto scratch = identity_permutation(r.n_post);
    std::vector<std::vector<std::uint32_t>> incoming(r.n_post);
    std::vector<std::uint32_t> targets;
    StreamKey key = c.rng;
    for (std::uint32_t i = 0; i < r.n_pre; ++i) {
        key.entity = i;
        RandomStream rng(key);
        // The target that is the same cell as source i.
        const std::optional<std::uint32_t> self =
            c.allow_self_connections ? std::nullopt : r.post_index_of(r.pre_id(i));
        targets.clear();
        choose(rng, r.n_post, count_of(c.n, i, who), self, c.with_replacement, scratch, targets,
               who);
        for (std::uint32_t t : targets)
            if (emit.owns(t)) incoming[t].push_back(i);
    }
    emit.emit_collected(incoming);
}

// Draws k from a discrete distribution given its log-probability at the mode
// and the ratio p(k+1)/p(k), searching outward from the mode: each k gets an
// interval of [0, 1) of length p(k), so the draw is exact, and the expected
// work is O(standard deviation).
template <class Ratio>
std::uint64_t draw_from_mode(RandomStream& rng, std::uint64_t lo, std::uint64_t hi,
                             std::uint64_t mode, double log_p_mode, Ratio&& ratio) {
    double u = rng.uniform();
    const double p_mode = std::exp(log_p_mode);
    if (u < p_mode) return mode;
    u -= p_mode;
    std::uint64_t up = mode, down = mode;
    double p_up = p_mode, p_down = p_mode;
    while (up < hi || down > lo) {
        if (up < hi) {
            p_up *= ratio(up);
            ++up;
            if (u < p_up) return up;
            u -= p_up;
        }
        if (down > lo) {
            --down;
            p_down /= ratio(down);
            if (u < p_down) return down;
            u -= p_down;
        }
        if (p_up < 1e-300 && p_down < 1e-300) break;
    }
    return mode;  // only reached through rounding of the last ~1e-16 of mass
}

double log_choose(double n, double k) {
    return std::lgamma(n + 1) - std::lgamma(k + 1) - std::lgamma(n - k + 1);
}

// Successes in `draws` draws with replacement, success probability K/N.
std::uint64_t binomial(RandomStream& rng, std::uint64_t draws, double p) {
    if (p <= 0 || draws == 0) return 0;
    if (p >= 1) return draws;
    const double n = double(draws);
    const auto mode = static_cast<std::uint64_t>(std::min(n, std::floor((n + 1) * p)));
    const double lp = log_choose(n, double(mode)) + double(mode) * std::log(p) +
                      (n - double(mode)) * std::log1p(-p);
    const double odds = p / (1 - p);
    return draw_from_mode(rng, 0, draws, mode, lp, [&](std::uint64_t k) {
        return (n - double(k)) / (double(k) + 1) * odds;
    });
}

// Successes in `draws` draws without replacement from N items, K successes.
std::uint64_t hypergeometric(RandomStream& rng, std::uint64_t N, std::uint64_t K,
                             std::uint64_t draws) {
    if (K == 0 || draws == 0) return 0;
    if (K == N) return draws;
    const std::uint64_t lo = draws + K > N ? draws + K - N : 0;
    const std::uint64_t hi = std::min(draws, K);
    const double n = double(draws), k_ = double(K), N_ = double(N);
    auto mode = static_cast<std::uint64_t>(std::floor((n + 1) * (k_ + 1) / (N_ + 2)));
    mode = std::clamp(mode, lo, hi);
    const double m = double(mode);
    const double lp = log_choose(k_, m) + log_choose(N_ - k_, n - m) - log_choose(N_, n);
    return draw_from_mode(rng, lo, hi, mode, lp, [&](std::uint64_t k) {
        const double x = double(k);
        return (k_ - x) * (n - x) / ((x + 1) * (N_ - k_ - n + x + 1));
    });
}

// Global stage (identical in every partition): how many of the n
// connections end on each target, drawn target after target from one
// global stream (entity ~0) as conditional binomials (with replacement) or
// hypergeometrics (without). Local stage: target j picks its sources from
// its own stream, as FixedNumberPre does.
void fixed_total_number(const FixedTotalNumberConnector& c, const ConnectionRequest& r,
                        Emitter& emit) {
    constexpr const char* who = "FixedTotalNumberConnector";
    std::vector<std::uint64_t> allowed(r.n_post);
    std::uint64_t total = 0;
    for (std::uint32_t j = 0; j < r.n_post; ++j) {
        if (c.no_mutual)  // sources j+1 .. n_pre-1
            allowed[j] = r.n_pre > j + 1 ? r.n_pre - j - 1 : 0;
        else
            allowed[j] = r.n_pre - (!c.allow_self_connections && emit.self_source(j) ? 1 : 0);
        total += allowed[j];
    }
    if (!c.with_replacement && c.n > total)
        fail(ErrorKind::connection, who, "n", who, ": cannot make ", c.n,
             " distinct connections without replacement: only ", total,
             " pairs are allowed");
    if (c.n > 0 && total == 0)
        fail(ErrorKind::connection, who, "n", who, ": cannot make ", c.n,
             " connections: no pair of cells is allowed");
    StreamKey key = c.rng;
    key.entity = std::numeric_limits<std::uint64_t>::max();
    RandomStream global(key);
    std::vector<std::uint64_t> count(r.n_post);
    std::uint64_t remaining = c.n, pairs_left = total;
    for (std::uint32_t j = 0; j < r.n_post && remaining > 0; ++j) {
        count[j] = c.with_replacement
                       ? binomial(global, remaining, double(allowed[j]) / double(pairs_left))
                       : hypergeometric(global, pairs_left, allowed[j], remaining);
        remaining -= count[j];
        pairs_left -= allowed[j];
    }
    auto scratch = identity_permutation(r.n_pre);
    std::vector<std::uint32_t> pre;
    for (std::uint32_t j = 0; j < r.n_post; ++j) {
        if (!emit.take(j)) continue;
        key.entity = j;
        RandomStream rng(key);
        pre.clear();
        if (count[j] == 0) {  // (NoMutual: target j may have no candidate)
            emit.emit(j, pre);
            continue;
        }
        const auto self = c.allow_self_connections || c.no_mutual ? std::nullopt
                                                                  : emit.self_source(j);
        choose(rng, r.n_pre, count[j], self, c.with_replacement, scratch, pre, who,
               c.no_mutual ? j + 1 : 0);
        std::sort(pre.begin(), pre.end());
        emit.emit(j, pre);
    }
}

}  // namespace

void generate_fixed_number(const Connector& connector, const ConnectionRequest& r,
                           Emitter& emit) {
    if (const auto* c = std::get_if<FixedNumberPreConnector>(&connector.rule))
        fixed_number_pre(*c, r, emit);
    else if (const auto* c = std::get_if<FixedNumberPostConnector>(&connector.rule))
        fixed_number_post(*c, r, emit);
    else if (const auto* c = std::get_if<FixedTotalNumberConnector>(&connector.rule))
        fixed_total_number(*c, r, emit);
}

}  // namespace pineal::detail
