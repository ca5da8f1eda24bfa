// STDPMechanism: pair-based spike-timing-dependent plasticity, PyNN's
// composition of a timing dependence and a weight dependence.
//
// Timing (synapse times: a presynaptic spike at t_pre reaches the synapse at
// a = t_pre + (1 - f) d, a postsynaptic spike at t_post reaches it at
// b = t_post + f d, f = dendritic_delay_fraction, d the synapse's delay;
// PyNN's definition, shared reference 6.1):
//   SpikePairRule (all-to-all pairs):
//     at each post spike b:  w <- w + A_plus  f+(w) sum_{a < b} e^{-(b - a)/tau_plus}
//     at each pre spike a:   w <- w - A_minus f-(w) sum_{b < a} e^{-(a - b)/tau_minus}
//   Vogels2011Rule (Vogels et al. 2011, all-to-all traces, one tau):
//     at each post spike b:  w <- w + eta sum_{a < b} e^{-(b - a)/tau}
//     at each pre spike a:   w <- w + eta (sum_{b < a} e^{-(a - b)/tau} - alpha),
//     alpha = 2 rho tau (rho in Hz, tau in s: 2 * rho * tau_ms / 1000)
//   A pair with a == b changes nothing. Each update is clipped to [w_min, w_max].
// Weight dependence (f+ potentiation, f- depression):
//   Additive: w_max, w_max.  Multiplicative: w_max - w, w - w_min.
//   AdditivePotentiationMultiplicativeDepression: w_max, w - w_min.
//   GutigWeightDependence: (w_max - w)^mu_plus, (w - w_min)^mu_minus.
// Order: events in synapse time, a post spike before a pre spike at the same
// time. The engine applies the updates of post spikes b in (a_prev, a] when
// pre spike a is processed (NEST's scheme), then the depression at a, then
// transmits the new weight; updates from post spikes after the last pre spike
// are pending until the next one (Projection.get returns the weight as of the
// last presynaptic spike processed). A spike is processed when delivered if
// f >= 0.5, else at the first slice boundary at which the post spikes it
// pairs with are known (run() checks it is before its arrival). Weights are
// double (they accumulate many small changes). docs/plasticity.md.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "engine/synapse_rule.hpp"
#include "pineal/errors.hpp"
#include "models/synapses/synapse_model.hpp"

namespace pineal::models {

namespace stdp_detail {
inline constexpr double inf = std::numeric_limits<double>::infinity();
inline SynapseParameter time_constant(const char* name, double def, const char* doc) {
    return {name, def, "ms", 0.0, inf, true, false, doc};
}
inline SynapseParameter bound(const char* name, double def, const char* doc) {
    return {name, def, "weight", -inf, inf, false, false, doc};
}
}  // namespace stdp_detail

inline std::vector<SynapseModelInfo> stdp_infos() {
    using namespace stdp_detail;
    std::vector<SynapseModelInfo> out;
    SynapseModelInfo mech;
    mech.name = "STDPMechanism";
    mech.parameters = {{"dendritic_delay_fraction", 1.0, "", 0.0, 1.0, false, false,
                        "fraction of the delay on the dendrite (0 < f <= 1 supported)"}};
    mech.learns_weight = true;
    mech.doc = "Spike-timing-dependent plasticity: a timing and a weight dependence";
    out.push_back(mech);

    SynapseModelInfo pair;
    pair.name = "SpikePairRule";
    pair.kind = SynapseKind::timing_dependence;
    pair.parameters = {time_constant("tau_plus", 20.0, "potentiation time constant"),
                       time_constant("tau_minus", 20.0, "depression time constant"),
                       {"A_plus", 0.01, "", -inf, inf, false, false, "potentiation amplitude"},
                       {"A_minus", 0.01, "", -inf, inf, false, false, "depression amplitude"}};
    pair.doc = "All-to-all pair-based STDP (exponential window)";
    out.push_back(pair);

    SynapseModelInfo vogels;
    vogels.name = "Vogels2011Rule";
    vogels.kind = SynapseKind::timing_dependence;
    vogels.parameters = {time_constant("tau", 20.0, "trace time constant"),
                         {"eta", 1e-10, "", -inf, inf, false, false, "learning rate"},
                         {"rho", 3.0, "Hz", 0.0, inf, false, false, "target rate"}};
    vogels.doc = "Symmetric inhibitory STDP (Vogels, Sprekeler et al. 2011)";
    out.push_back(vogels);

    const char* simple[] = {"AdditiveWeightDependence", "MultiplicativeWeightDependence",
                            "AdditivePotentiationMultiplicativeDepression"};
    for (const char* name : simple) {
        SynapseModelInfo w;
        w.name = name;
        w.kind = SynapseKind::weight_dependence;
        w.parameters = {bound("w_min", 0.0, "lower bound"), bound("w_max", 1.0, "upper bound")};
        out.push_back(w);
    }
    SynapseModelInfo gutig;
    gutig.name = "GutigWeightDependence";
    gutig.kind = SynapseKind::weight_dependence;
    gutig.parameters = {bound("w_min", 0.0, "lower bound"), bound("w_max", 1.0, "upper bound"),
                        {"mu_plus", 0.5, "", 0.0, inf, false, false, "potentiation exponent"},
                        {"mu_minus", 0.5, "", 0.0, inf, false, false, "depression exponent"}};
    out.push_back(gutig);
    return out;
}

class StdpRule final : public SynapseRule {
public:
    enum class Dependence { additive, multiplicative, apmd, gutig };

    // `values`: dendritic_delay_fraction, the timing parameters, the weight
    // parameters (ResolvedDynamics order).
    StdpRule(bool vogels, Dependence dependence) : vogels_(vogels), dep_(dependence) {}

    void build(const ProjectionStore& rows, RuleSetup setup) override {
        dt_ = setup.dt;
        set_parameters(setup.parameters);
        w_ = std::move(setup.weights);
        m_.assign(w_.size(), 0.0);
        std::size_t segments = 0;
        for (std::uint32_t i = 0; i < rows.source_count(); ++i) segments += rows.segments(i).size();
        last_.assign(segments, none);
        p_.assign(segments, 0.0);
    }

    void set_parameters(const std::vector<double>& v) override {
        shift_ = 1.0 - 2.0 * v[0];  // a - b = t_pre - t_post + (1 - 2 f) d
        fraction_ = v[0];
        std::size_t k = 1;
        if (vogels_) {
            tau_plus_ = tau_minus_ = v[k];
            amp_.a_plus = amp_.a_minus = v[k + 1];
            rho_ = v[k + 2];
            amp_.alpha = 2.0 * rho_ * v[k] / 1000.0;
            k += 3;
        } else {
            tau_plus_ = v[k], tau_minus_ = v[k + 1], amp_.a_plus = v[k + 2], amp_.a_minus = v[k + 3];
            k += 4;
        }
        amp_.w_min = v[k], amp_.w_max = v[k + 1];
        if (dep_ == Dependence::gutig) amp_.mu_plus = v[k + 2], amp_.mu_minus = v[k + 3];
        // exp(-x) is exactly 0 in double for x > 745.2: older post spikes add nothing.
        cutoff_steps_ = static_cast<std::int64_t>(std::ceil(746.0 * tau_minus_ / dt_)) + 1;
    }
    void set_weights(std::span<const double> by_row) override {
        std::copy(by_row.begin(), by_row.end(), w_.begin());
    }
    void permute(std::span<const std::uint32_t> order) override {
        permute_by(w_, order), permute_by(m_, order);
        for (auto& v : per_) permute_by(v, order);
    }

    // Amplitudes and bounds may be given per synapse; time constants (shared
    // by a segment's pre trace and the history bound) and the dendritic
    // fraction may not.
    bool per_synapse(std::size_t index) const override { return kind(index) >= 0; }
    void set_parameter_values(std::size_t index, std::vector<double> by_row) override {
        per_[kind(index)] = std::move(by_row);
    }
    double parameter(std::size_t index, std::size_t q) const override {
        const int k = kind(index);
        if (k == kRho) return per_[kRho].empty() ? rho_ : per_[kRho][q];
        const Amplitudes a = at(q);
        const double values[] = {a.a_plus, a.a_minus, 0.0, a.w_min, a.w_max, a.mu_plus, a.mu_minus};
        return values[k];
    }
    // w_min <= w_max for every synapse, with parameter `index` given by_row
    // (check_parameter_values) or one value (check_parameters).
    void check_parameter_values(std::size_t index, std::span<const double> by_row,
                                const std::string& label) const override {
        const int k = kind(index);
        if (k != kWmin && k != kWmax) return;
        for (std::size_t q = 0; q < by_row.size(); ++q) {
            const Amplitudes a = at(q);
            check_bounds(k == kWmin ? by_row[q] : a.w_min, k == kWmax ? by_row[q] : a.w_max, label);
        }
    }
    void check_parameters(const std::vector<double>& values, std::size_t index,
                          const std::string& label) const override {
        const int k = kind(index);
        if ((k != kWmin && k != kWmax) || per_[k == kWmin ? kWmax : kWmin].empty()) return;
        for (std::size_t q = 0; q < w_.size(); ++q) {
            const Amplitudes a = at(q);
            check_bounds(k == kWmin ? values[index] : a.w_min, k == kWmax ? values[index] : a.w_max,
                         label);
        }
    }

    // A segment (delay D) processes a spike at stamp t once the post spikes
    // with stamps <= t + (1 - 2 f) D are known: at once for f >= 0.5, else at
    // the first slice boundary after that (check_run() makes sure this is
    // before the spike's arrival).
    void deliver(const ProjectionStore& rows, const Delivery& d) override {
        const Segment* base = rows.segments(0).data();
        for (const Segment& seg : rows.segments(d.source)) {
            if (due(d.stamp, seg) <= d.known_until)
                process(rows, seg, std::size_t(&seg - base), d.stamp, d);
            else
                pending_.push_back({d.stamp, std::uint32_t(&seg - base)});
        }
    }
    void deliver_pending(const ProjectionStore& rows, const Delivery& d) override {
        if (pending_.empty()) return;
        const Segment* base = rows.segments(0).data();
        std::size_t kept = 0;
        for (const Pending& e : pending_) {  // in arrival (canonical) order
            if (due(e.stamp, base[e.segment]) <= d.known_until)
                process(rows, base[e.segment], e.segment, e.stamp, d);
            else
                pending_[kept++] = e;
        }
        pending_.resize(kept);
    }
    void check_run(const ProjectionStore& rows, std::int64_t min_delay,
                   const std::string& label) const override {
        if (shift_ <= 0.0) return;
        for (std::uint32_t i = 0; i < rows.source_count(); ++i)
            for (const Segment& seg : rows.segments(i))
                if (std::ceil(2.0 * fraction_ * seg.delay - 1e-9) < double(min_delay))
                    fail(ErrorKind::not_supported, label, "dendritic_delay_fraction",
                         "Projection '", label, "': STDPMechanism with dendritic_delay_fraction = ",
                         fraction_, " and a delay of ", seg.delay,
                         " steps is not supported yet by pineal: the native engine needs "
                         "2 * fraction * delay >= min_delay (", min_delay,
                         " steps) when fraction < 0.5 (docs/plasticity.md)");
    }

    double weight(const ProjectionStore&, std::size_t q) const override { return w_[q]; }
    double state(std::size_t, std::size_t q) const override { return w_[q]; }
    void reset() override {
        std::fill(m_.begin(), m_.end(), 0.0);
        std::fill(p_.begin(), p_.end(), 0.0);
        std::fill(last_.begin(), last_.end(), none);
        pending_.clear();
    }
    std::size_t bytes() const override {
        std::size_t per = 0;
        for (const auto& v : per_) per += v.capacity();
        return (w_.capacity() + m_.capacity() + p_.capacity() + per) * sizeof(double) +
               last_.capacity() * sizeof(std::int64_t) + pending_.capacity() * sizeof(Pending);
    }
    bool reads_post_history() const override { return true; }

    void history_needed(const ProjectionStore& rows, std::int64_t now,
                        std::span<std::int64_t> earliest) const override {
        const Segment* base = rows.segments(0).data();
        for (std::uint32_t i = 0; i < rows.source_count(); ++i)
            for (const Segment& seg : rows.segments(i)) {
                const std::int64_t last = last_[std::size_t(&seg - base)];
                std::int64_t need;
                if (last != none)  // post spikes at or before x_prev are in w and m
                    need = static_cast<std::int64_t>(std::floor(double(last) + shift_ * seg.delay)) + 1;
                else  // only the trace m can use them, and not once exp underflows to 0
                    need = now - seg.delay - cutoff_steps_;
                for (std::uint32_t q = seg.first; q < (&seg + 1)->first; ++q) {
                    std::int64_t& e = earliest[rows.synapse(q).target];
                    e = std::min(e, need);
                }
            }
    }

private:
    static constexpr std::int64_t none = std::numeric_limits<std::int64_t>::min();
    struct Pending {
        std::int64_t stamp;
        std::uint32_t segment;
    };

    // The last post stamp a spike at `stamp` pairs with through segment `seg`.
    std::int64_t due(std::int64_t stamp, const Segment& seg) const {
        return static_cast<std::int64_t>(std::floor(double(stamp) + shift_ * seg.delay));
    }

    // The spike at `stamp` through segment g: potentiation by the post spikes
    // b in (a_prev, a], depression at a, then the new weights are transmitted.
    void process(const ProjectionStore& rows, const Segment& seg, std::size_t g,
                 std::int64_t stamp, const Delivery& d) {
        const bool has_prev = last_[g] != none;
        const double p_prev = p_[g];
        const double shift = shift_ * seg.delay;
        const double x_now = static_cast<double>(stamp) + shift;  // post stamps <= x_now
        const double x_prev = has_prev ? static_cast<double>(last_[g]) + shift : -stdp_detail::inf;
        const double m_decay = has_prev ? std::exp(-(x_now - x_prev) * dt_ / tau_minus_) : 0.0;
        double* slot = d.port->arrivals_after(RingBuffer::slot_of(stamp, d.port->slots()), seg.delay);
        const bool uniform = std::all_of(std::begin(per_), std::end(per_),
                                         [](const std::vector<double>& v) { return v.empty(); });
        Amplitudes a = amp_;
        for (std::uint32_t q = seg.first; q < (&seg + 1)->first; ++q) {
            const std::uint32_t c = rows.synapse(q).target;
            if (!uniform) a = at(q);
            const std::vector<std::int64_t>& post = d.history->stamps[c];
            auto it = std::upper_bound(post.begin(), post.end(), x_prev,
                                       [](double x, std::int64_t s) { return x < double(s); });
            double w = w_[q];
            double m = m_[q] * m_decay;
            double ties = 0.0;
            for (; it != post.end() && double(*it) <= x_now; ++it) {
                const double tp = double(*it);
                if (has_prev) w = potentiate(w, p_prev * std::exp(-(tp - x_prev) * dt_ / tau_plus_), a);
                if (tp < x_now)
                    m += std::exp(-(x_now - tp) * dt_ / tau_minus_);
                else
                    ties += 1.0;
            }
            w = depress(w, m, a);
            w_[q] = w;
            m_[q] = m + ties;
            slot[c] += w;
        }
        p_[g] = (has_prev ? p_prev * std::exp(-double(stamp - last_[g]) * dt_ / tau_plus_) : 0.0) + 1.0;
        last_[g] = stamp;
    }

    // The parameters that scale and bound the updates (one synapse's).
    struct Amplitudes {
        double a_plus = 0.01, a_minus = 0.01, alpha = 0.0;  // Vogels: a_plus = a_minus = eta
        double w_min = 0.0, w_max = 1.0, mu_plus = 0.5, mu_minus = 0.5;
    };
    enum { kAplus, kAminus, kRho, kWmin, kWmax, kMuPlus, kMuMinus, kinds };
    // The per-synapse slot of parameter `index` (RuleSetup order), or -1.
    int kind(std::size_t index) const {
        if (vogels_) {  // f, tau, eta, rho, w_min, w_max
            const int map[] = {-1, -1, kAplus, kRho, kWmin, kWmax};
            return index < 6 ? map[index] : -1;
        }  // f, tau_plus, tau_minus, A_plus, A_minus, w_min, w_max[, mu_plus, mu_minus]
        const int map[] = {-1, -1, -1, kAplus, kAminus, kWmin, kWmax, kMuPlus, kMuMinus};
        return index < 9 ? map[index] : -1;
    }
    Amplitudes at(std::size_t q) const {
        Amplitudes a = amp_;
        if (!per_[kAplus].empty()) a.a_plus = per_[kAplus][q];
        if (vogels_) a.a_minus = a.a_plus;
        if (!per_[kAminus].empty()) a.a_minus = per_[kAminus][q];
        if (!per_[kRho].empty()) a.alpha = 2.0 * per_[kRho][q] * tau_plus_ / 1000.0;
        if (!per_[kWmin].empty()) a.w_min = per_[kWmin][q];
        if (!per_[kWmax].empty()) a.w_max = per_[kWmax][q];
        if (!per_[kMuPlus].empty()) a.mu_plus = per_[kMuPlus][q];
        if (!per_[kMuMinus].empty()) a.mu_minus = per_[kMuMinus][q];
        return a;
    }
    static void check_bounds(double w_min, double w_max, const std::string& label) {
        if (w_min > w_max)
            fail(ErrorKind::invalid_parameter_value, label, "w_min", "Projection '", label,
                 "': w_min = ", w_min, " exceeds w_max = ", w_max, " for one of its synapses");
    }

    static double clip(double w, const Amplitudes& a) { return std::min(a.w_max, std::max(a.w_min, w)); }
    double potentiate(double w, double trace, const Amplitudes& a) const {
        if (vogels_) return clip(w + a.a_plus * trace, a);
        double f = a.w_max;
        if (dep_ == Dependence::multiplicative) f = a.w_max - w;
        if (dep_ == Dependence::gutig) f = std::pow(std::max(0.0, a.w_max - w), a.mu_plus);
        return clip(w + a.a_plus * f * trace, a);
    }
    double depress(double w, double trace, const Amplitudes& a) const {
        if (vogels_) return clip(w + a.a_minus * (trace - a.alpha), a);
        double f = a.w_max;
        if (dep_ == Dependence::multiplicative || dep_ == Dependence::apmd) f = w - a.w_min;
        if (dep_ == Dependence::gutig) f = std::pow(std::max(0.0, w - a.w_min), a.mu_minus);
        return clip(w - a.a_minus * f * trace, a);
    }

    bool vogels_;
    Dependence dep_;
    double shift_ = -1.0, dt_ = 0.1;
    double tau_plus_ = 20.0, tau_minus_ = 20.0, rho_ = 3.0;
    Amplitudes amp_;                      // one value per projection
    std::vector<double> per_[kinds];      // per synapse (row order), or empty: amp_
    std::int64_t cutoff_steps_ = 0;
    std::vector<double> w_;               // per synapse, row order
    std::vector<double> m_;              // post trace at the synapse's last pre spike
    double fraction_ = 1.0;
    // Per delay segment (a source's synapses with one delay): the pre trace
    // after the last spike it processed, and that spike's stamp.
    std::vector<double> p_;
    std::vector<std::int64_t> last_;
    std::vector<Pending> pending_;  // spikes waiting for post spikes (fraction < 0.5)
};

}  // namespace pineal::models
