// Stochastic synapses: SimpleStochasticSynapse, StochasticTsodyksMarkramSynapse
// (Fuhrmann et al. 2002, one release site) and MultiQuantalSynapse (n sites;
// NEST quantal_stp_synapse), with PyNN's names and defaults.
//
//   SimpleStochastic: each spike is transmitted (full weight) with probability p.
//   StochasticTsodyksMarkram, at a spike h ms after the previous one (after
//   t = 0 for the first): u <- U + u (1 - U) e^{-h/tau_facil} (u <- U when
//   tau_facil = 0); a depleted site recovers with probability 1 - e^{-h/tau_rec};
//   an available site releases with probability u (the weight is transmitted
//   and the site is depleted).
//   MultiQuantal: the same per site for n sites; the transmitted weight is
//   weight * released / n.
// Initial state: u = 0, every site available. p, U, tau_rec and tau_facil
// are one value per projection unless given per synapse (8 B per synapse
// each); n is one value per projection.
//
// Random numbers: a Philox stream per synapse, keyed by (seed, the
// projection's stream, entity = (target cell << 32) + rank of the synapse
// among the target's synapses of this projection in canonical order,
// segment); the spike's stamp selects the block. So draws depend neither on
// threads or partitions nor on the order of delivery.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "engine/synapse_rule.hpp"
#include "models/synapses/synapse_model.hpp"
#include "pineal/errors.hpp"

namespace pineal::models {

inline std::vector<SynapseModelInfo> stochastic_infos() {
    constexpr double inf = std::numeric_limits<double>::infinity();
    const SynapseParameter U{"U", 0.5, "", 0.0, 1.0, false, false, "release probability increment"};
    const SynapseParameter tau_facil{"tau_facil", 0.0, "ms", 0.0, inf, false, false,
                                     "facilitation time constant (0: none)"};
    SynapseModelInfo simple;
    simple.name = "SimpleStochasticSynapse";
    simple.parameters = {{"p", 0.5, "", 0.0, 1.0, false, false, "transmission probability"}};
    simple.doc = "Each spike is transmitted with probability p";
    SynapseModelInfo stm;
    stm.name = "StochasticTsodyksMarkramSynapse";
    stm.parameters = {U, {"tau_rec", 100.0, "ms", 0.0, inf, true, false, "recovery time constant"},
                      tau_facil};
    stm.state = {{"u", 0.0, ""}, {"available", 1.0, ""}};
    stm.doc = "Stochastic release from one site (Fuhrmann et al. 2002)";
    SynapseModelInfo mq;
    mq.name = "MultiQuantalSynapse";
    mq.parameters = {U, {"n", 1.0, "", 1.0, 1e6, false, true, "number of release sites"},
                     {"tau_rec", 800.0, "ms", 0.0, inf, true, false, "recovery time constant"},
                     tau_facil};
    mq.state = {{"u", 0.0, ""}, {"available", 1.0, ""}};
    mq.doc = "Stochastic release from n sites (NEST quantal_stp_synapse)";
    return {simple, stm, mq};
}

// n = 0: SimpleStochasticSynapse; otherwise the number of sites (1 for
// StochasticTsodyksMarkramSynapse).
class StochasticRule final : public SynapseRule {
public:
    explicit StochasticRule(bool simple) : simple_(simple) {}

    void build(const ProjectionStore& rows, RuleSetup setup) override {
        set_parameters(setup.parameters);
        dt_ = setup.dt;
        seed_ = setup.seed, stream_ = setup.stream;
        block_begin_ = setup.block_begin;
        // Rank of each synapse among its target's: the rows are in (source,
        // delay, generation) order, the canonical order within a target.
        rank_.resize(rows.size());
        std::vector<std::uint32_t> count(rows.block_size(), 0);
        for (std::uint32_t q = 0; q < rows.size(); ++q) rank_[q] = count[rows.synapse(q).target]++;
        last_.assign(rows.source_count(), 0);
        reset_state(rows.size());
    }

    void deliver(const ProjectionStore& rows, const Delivery& d) override {
        const double h = double(d.stamp - last_[d.source]) * dt_;
        last_[d.source] = d.stamp;
        const bool uniform = per_[0].empty() && per_[1].empty() && per_[2].empty() &&
                             per_[3].empty();
        double recover = simple_ ? 0.0 : -std::expm1(-h / tau_rec_);
        double facil = (!simple_ && tau_facil_ > 0.0) ? std::exp(-h / tau_facil_) : 0.0;
        double p = p_, U = U_;
        const std::uint64_t words = simple_ ? 1 : 2 * std::uint64_t(sites_);
        const std::uint64_t per_spike = (words + 3) / 4 * 4;
        for (const Segment& seg : rows.segments(d.source)) {
            double* slot = d.slot(rows, seg.delay);
            for (std::uint32_t q = seg.first; q < (&seg + 1)->first; ++q) {
                const Synapse& s = rows.synapse(q);
                const StreamKey key{seed_, stream_,
                                    (std::uint64_t(block_begin_ + s.target) << 32) | rank_[q],
                                    d.segment};
                RandomStream rng(key, std::uint64_t(d.stamp) * per_spike);
                if (!uniform) {  // this synapse's own parameters (the draws are the same)
                    p = value(kP, q), U = value(kU, q);
                    if (!simple_) {
                        recover = -std::expm1(-h / value(kTauRec, q));
                        const double tau_facil = value(kTauFacil, q);
                        facil = tau_facil > 0.0 ? std::exp(-h / tau_facil) : 0.0;
                    }
                }
                if (simple_) {
                    if (rng.uniform() < p) slot[s.target] += s.weight;
                    continue;
                }
                u_[q] = U + u_[q] * (1.0 - U) * facil;
                std::uint32_t available = available_[q];
                for (std::uint32_t k = available; k < sites_; ++k)
                    if (rng.uniform() < recover) ++available;
                std::uint32_t released = 0;
                for (std::uint32_t k = 0; k < available; ++k)
                    if (rng.uniform() < u_[q]) ++released;
                available_[q] = available - released;
                if (released > 0)
                    slot[s.target] += double(s.weight) * double(released) / double(sites_);
            }
        }
    }

    // Per synapse: p, U, tau_rec, tau_facil (not n: it sizes the state and
    // the draws of every spike).
    bool per_synapse(std::size_t index) const override { return kind(index) >= 0; }
    void set_parameter_values(std::size_t index, std::vector<double> by_row) override {
        per_[kind(index)] = std::move(by_row);
    }
    double parameter(std::size_t index, std::size_t q) const override {
        const int k = kind(index);
        return k >= 0 ? value(k, q) : double(sites_);
    }

    void set_parameters(const std::vector<double>& v) override {
        const std::uint32_t before = sites_;
        multi_ = v.size() == 4;
        if (simple_) {
            p_ = v[0];
        } else if (v.size() == 3) {  // StochasticTsodyksMarkram: U, tau_rec, tau_facil
            U_ = v[0], tau_rec_ = v[1], tau_facil_ = v[2], sites_ = 1;
        } else {  // MultiQuantal: U, n, tau_rec, tau_facil
            U_ = v[0], sites_ = static_cast<std::uint32_t>(v[1]), tau_rec_ = v[2], tau_facil_ = v[3];
        }
        if (initial_available_ > int(sites_)) initial_available_ = int(sites_);
        for (auto& a : initial_per_[1]) a = std::min(a, double(sites_));
        // A change of n keeps each synapse's count of depleted sites (at most n).
        for (auto& a : available_) {
            const std::uint32_t depleted = std::min(before - a, sites_);
            a = sites_ - depleted;
        }
    }
    void permute(std::span<const std::uint32_t> order) override {
        permute_by(rank_, order), permute_by(u_, order), permute_by(available_, order);
        for (auto& v : per_) permute_by(v, order);
        for (auto& v : initial_per_) permute_by(v, order);
    }
    double weight(const ProjectionStore& rows, std::size_t q) const override {
        return rows.synapse(q).weight;
    }
    double state(std::size_t v, std::size_t q) const override {
        return v == 0 ? u_[q] : double(available_[q]);
    }
    void check_initial(std::size_t v, double value, const std::string& label) const override {
        const bool ok = v == 0 ? value >= 0.0 && value <= 1.0
                               : value >= 0.0 && value <= sites_ && value == std::floor(value);
        if (!ok)
            fail(ErrorKind::invalid_parameter_value, label, v == 0 ? "u" : "available",
                 "Projection '", label, "': initial ", v == 0 ? "u" : "available", " = ", value,
                 " is not allowed; u lies in [0, 1], available is an integer in [0, n = ", sites_,
                 "]");
    }
    bool initializes_per_synapse() const override { return !simple_; }
    void check_initial_values(std::size_t v, std::span<const double> by_row,
                              const std::string& label) const override {
        for (const double value : by_row) check_initial(v, value, label);
    }
    void initialize_values(std::size_t v, std::vector<double> by_row) override {
        if (v == 0) std::copy(by_row.begin(), by_row.end(), u_.begin());
        else
            for (std::size_t q = 0; q < by_row.size(); ++q) available_[q] = std::uint32_t(by_row[q]);
        initial_per_[v] = std::move(by_row);
    }
    void initialize(std::size_t v, double value) override {
        std::vector<double>().swap(initial_per_[v]);  // frees the memory
        if (v == 0) {
            initial_u_ = value;
            std::fill(u_.begin(), u_.end(), value);
        } else {
            initial_available_ = static_cast<int>(value);
            std::fill(available_.begin(), available_.end(), std::uint32_t(value));
        }
    }
    void reset() override {
        reset_state(rank_.size());
        std::fill(last_.begin(), last_.end(), 0);
    }
    std::size_t bytes() const override {
        std::size_t per = 0;
        for (const auto& v : per_) per += v.capacity();
        for (const auto& v : initial_per_) per += v.capacity();
        return rank_.capacity() * 4 + available_.capacity() * 4 +
               (u_.capacity() + per) * sizeof(double) + last_.capacity() * sizeof(std::int64_t);
    }

private:
    enum { kP, kU, kTauRec, kTauFacil };
    // The per-synapse slot of parameter `index` (RuleSetup order); -1 for n.
    int kind(std::size_t index) const {
        if (simple_) return index == 0 ? kP : -1;
        if (!multi_) return index == 0 ? kU : index == 1 ? kTauRec : kTauFacil;
        return index == 0 ? kU : index == 1 ? -1 : index == 2 ? kTauRec : kTauFacil;
    }
    double value(int k, std::size_t q) const {
        if (!per_[k].empty()) return per_[k][q];
        return k == kP ? p_ : k == kU ? U_ : k == kTauRec ? tau_rec_ : tau_facil_;
    }

    void reset_state(std::size_t n) {
        if (simple_) return;
        u_.assign(n, initial_u_);
        available_.assign(n, initial_available_ < 0 ? sites_ : std::uint32_t(initial_available_));
        if (!initial_per_[0].empty()) u_ = initial_per_[0];
        for (std::size_t q = 0; q < initial_per_[1].size(); ++q)
            available_[q] = std::uint32_t(initial_per_[1][q]);
    }

    bool simple_;
    double initial_u_ = 0.0;      // Projection.initialize
    int initial_available_ = -1;  // -1: every site
    double p_ = 0.5, U_ = 0.5, tau_rec_ = 100.0, tau_facil_ = 0.0, dt_ = 0.1;
    std::uint32_t sites_ = 1;
    bool multi_ = false;                    // MultiQuantalSynapse (parameters U, n, tau_rec, tau_facil)
    std::vector<double> initial_per_[2];    // initial u, available per synapse (row order) or empty
    std::vector<double> per_[4];            // p, U, tau_rec, tau_facil per synapse (row order) or empty
    std::uint64_t seed_ = 0, stream_ = 0;
    std::size_t block_begin_ = 0;
    std::vector<std::uint32_t> rank_;       // per synapse: rank among its target's
    std::vector<double> u_;                 // per synapse
    std::vector<std::uint32_t> available_;  // per synapse: available sites
    std::vector<std::int64_t> last_;        // last spike stamp per source
};

}  // namespace pineal::models
