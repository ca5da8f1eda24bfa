// TsodyksMarkramSynapse: short-term depression and facilitation (Tsodyks,
// Uziel & Markram 2000; NEST tsodyks_synapse; PyNN TsodyksMarkramSynapse).
//
// Resources of a synapse are recovered (x), active (y) or inactive
// (z = 1 - x - y); u is the utilisation. Between presynaptic spikes
// (interval dt since the last one, or since t = 0 for the first):
//   z <- z e^{-dt/tau_rec} + y (e^{-dt/tau_psc} - e^{-dt/tau_rec}) / (tau_psc/tau_rec - 1)
//   y <- y e^{-dt/tau_psc},   x = 1 - y - z
//   u <- u e^{-dt/tau_facil} + U (1 - u e^{-dt/tau_facil})   (u <- U when tau_facil = 0)
// then the spike transmits weight * u * x and moves u x from x to y.
// tau_psc is the time constant of the receiving receptor (tau_syn_E for
// "excitatory", tau_syn_I for "inhibitory"; 0, i.e. y -> z at once, for
// receptors without one), as PyNN's NEST and NEURON backends take it.
// Initial state u = 0, x = 1, y = 0. The weight is kept as float32 like a
// static synapse's (it does not change). U, tau_rec and tau_facil are one
// value per projection unless given per synapse (then 8 B per synapse each).
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "engine/synapse_rule.hpp"
#include "models/synapses/synapse_model.hpp"
#include "pineal/errors.hpp"

namespace pineal::models {

inline SynapseModelInfo tsodyks_markram_info() {
    SynapseModelInfo m;
    m.name = "TsodyksMarkramSynapse";
    m.kind = SynapseKind::synapse;
    m.parameters = {
        {"U", 0.5, "", 0.0, 1.0, false, false, "utilisation increment"},
        {"tau_rec", 100.0, "ms", 0.0, std::numeric_limits<double>::infinity(), true, false,
         "recovery time constant"},
        {"tau_facil", 0.0, "ms", 0.0, std::numeric_limits<double>::infinity(), false, false,
         "facilitation time constant (0: no facilitation)"},
    };
    m.state = {{"u", 0.0, ""}, {"x", 1.0, ""}, {"y", 0.0, ""}};
    m.doc = "Tsodyks-Markram short-term plasticity (Tsodyks, Uziel & Markram 2000)";
    return m;
}

// The step of the three-state model over an interval h (ms) followed by a
// spike; returns the fraction u x of the weight transmitted.
struct TsodyksMarkramStep {
    double U, tau_rec, tau_facil;
    double operator()(double h, double tau_psc, double& u, double& x, double& y) const {
        const double z0 = 1.0 - x - y;
        const double pzz = std::exp(-h / tau_rec);
        const double pyy = tau_psc > 0.0 ? std::exp(-h / tau_psc) : 0.0;
        double pyz;  // (pyy - pzz) / (tau_psc / tau_rec - 1), continuous at tau_psc = tau_rec
        if (std::abs(tau_psc - tau_rec) > 1e-9 * tau_rec)
            pyz = (pyy - pzz) / (tau_psc / tau_rec - 1.0);
        else
            pyz = h / tau_rec * pzz;
        const double z = z0 * pzz + y * pyz;
        y *= pyy;
        x = 1.0 - y - z;
        const double decayed = tau_facil > 0.0 ? u * std::exp(-h / tau_facil) : 0.0;
        u = decayed + U * (1.0 - decayed);
        const double released = u * x;
        x -= released;
        y += released;
        return released;
    }
};

class TsodyksMarkramRule final : public SynapseRule {
public:
    void build(const ProjectionStore& rows, RuleSetup setup) override {
        set_parameters(setup.parameters);
        dt_ = setup.dt;
        tau_psc_ = std::move(setup.tau_psc);
        n_ = rows.size();
        last_.assign(rows.source_count(), 0);
        reset();
    }
    void deliver(const ProjectionStore& rows, const Delivery& d) override {
        const double h = static_cast<double>(d.stamp - last_[d.source]) * dt_;
        last_[d.source] = d.stamp;
        const bool uniform = per_[0].empty() && per_[1].empty() && per_[2].empty();
        for (const Segment& seg : rows.segments(d.source)) {
            double* slot = d.slot(rows, seg.delay);
            for (std::uint32_t q = seg.first; q < (&seg + 1)->first; ++q) {
                const Synapse& s = rows.synapse(q);
                const double f = uniform ? step_(h, tau_psc_[s.target], u_[q], x_[q], y_[q])
                                         : step_at(q)(h, tau_psc_[s.target], u_[q], x_[q], y_[q]);
                slot[s.target] += static_cast<double>(s.weight) * f;
            }
        }
    }
    bool per_synapse(std::size_t) const override { return true; }
    void set_parameter_values(std::size_t index, std::vector<double> by_row) override {
        per_[index] = std::move(by_row);
    }
    double parameter(std::size_t index, std::size_t q) const override {
        if (!per_[index].empty()) return per_[index][q];
        return index == 0 ? step_.U : index == 1 ? step_.tau_rec : step_.tau_facil;
    }
    double weight(const ProjectionStore& rows, std::size_t q) const override {
        return rows.synapse(q).weight;
    }
    double state(std::size_t v, std::size_t q) const override {
        return v == 0 ? u_[q] : v == 1 ? x_[q] : y_[q];
    }
    void reset() override {
        std::vector<double>* state[3] = {&u_, &x_, &y_};
        for (std::size_t v = 0; v < 3; ++v) {
            if (initial_per_[v].empty()) state[v]->assign(n_, initial_[v]);
            else *state[v] = initial_per_[v];
        }
        std::fill(last_.begin(), last_.end(), 0);
    }
    void check_initial(std::size_t v, double value, const std::string& label) const override {
        if (!other_per_synapse(v)) return check_one(v, value, uniform, label);
        for (std::size_t q = 0; q < n_; ++q) check_one(v, value, q, label);
    }
    bool initializes_per_synapse() const override { return true; }
    void check_initial_values(std::size_t v, std::span<const double> by_row,
                              const std::string& label) const override {
        for (std::size_t q = 0; q < by_row.size(); ++q) check_one(v, by_row[q], q, label);
    }
    void initialize(std::size_t v, double value) override {
        initial_[v] = value;
        std::vector<double>().swap(initial_per_[v]);  // frees the memory
        std::fill_n((v == 0 ? u_ : v == 1 ? x_ : y_).begin(), n_, value);
    }
    void initialize_values(std::size_t v, std::vector<double> by_row) override {
        std::copy(by_row.begin(), by_row.end(), (v == 0 ? u_ : v == 1 ? x_ : y_).begin());
        initial_per_[v] = std::move(by_row);
    }
    void set_parameters(const std::vector<double>& v) override { step_ = {v[0], v[1], v[2]}; }
    void permute(std::span<const std::uint32_t> order) override {
        permute_by(u_, order), permute_by(x_, order), permute_by(y_, order);
        for (auto& v : per_) permute_by(v, order);
        for (auto& v : initial_per_) permute_by(v, order);
    }
    std::size_t bytes() const override {
        std::size_t per = 0;
        for (std::size_t v = 0; v < 3; ++v) per += per_[v].capacity() + initial_per_[v].capacity();
        return (u_.capacity() + x_.capacity() + y_.capacity() + per) * sizeof(double) +
               last_.capacity() * sizeof(std::int64_t) + tau_psc_.capacity() * sizeof(double);
    }

private:
    // The step with synapse q's parameters (those given per synapse).
    TsodyksMarkramStep step_at(std::size_t q) const {
        return {parameter(0, q), parameter(1, q), parameter(2, q)};
    }

    TsodyksMarkramStep step_{};
    // U, tau_rec, tau_facil per synapse (row order); empty: step_'s one value.
    std::vector<double> per_[3];
    double dt_ = 0.1;
    std::size_t n_ = 0;
    std::vector<double> tau_psc_;  // per cell of the block
    static constexpr const char* names[3] = {"u", "x", "y"};
    double initial_[3] = {0.0, 1.0, 0.0};  // u, x, y (Projection.initialize)
    std::vector<double> initial_per_[3];    // the same per synapse (row order), or empty

    static constexpr std::size_t uniform = std::size_t(-1);  // check_one: no particular synapse
    double initial(std::size_t v, std::size_t q) const {
        return initial_per_[v].empty() ? initial_[v] : initial_per_[v][q];
    }
    bool other_per_synapse(std::size_t v) const {
        return (v == 1 && !initial_per_[2].empty()) || (v == 2 && !initial_per_[1].empty());
    }
    // Initial `value` of variable v for synapse q, with the other of x, y as now.
    void check_one(std::size_t v, double value, std::size_t q, const std::string& label) const {
        const double other = v == 0 ? 0.0 : q == uniform ? initial_[3 - v] : initial(3 - v, q);
        if (!(value >= 0.0 && value <= 1.0) || value + other > 1.0)
            fail(ErrorKind::invalid_parameter_value, label, names[v], "Projection '", label,
                 "': initial ", names[v], " = ", value,
                 " is not allowed; u, x and y lie in [0, 1] and x + y <= 1 (x + y now ",
                 value + other, ")");
    }
    std::vector<double> u_, x_, y_;
    std::vector<std::int64_t> last_;  // last spike stamp per source (0 before any)
};

}  // namespace pineal::models
