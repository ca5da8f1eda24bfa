// SpikeSourceInhGamma: inhomogeneous gamma process with piecewise-constant
// shape a[k] (dimensionless) and scale b[k] (SECONDS) on the bins starting at
// tbins[k] (ms), active on [start, start + duration) (PyNN 0.13, shared
// reference §4.6). The instantaneous rate is 1/(a b) Hz. No spikes before
// tbins[0].
//
// Generation by thinning the gamma hazard (as NEST's inh_gamma_generator and
// Muller et al. 2007): with the age tau = t - t_last since the cell's last
// spike, the hazard of a gamma law of shape a and scale b is
//   h(tau) = f(tau) / (1 - F(tau)),   which for a >= 1 rises to 1/b (1/s).
// Candidates come from a Poisson process of the piecewise-constant rate
// 1/(1000 b[k]) per ms (by time rescaling across the bins) and are accepted
// with probability b h(tau) <= 1, evaluated with the a, b of the candidate's
// bin. Hence a < 1 (unbounded hazard) is rejected in prepare(). The cell starts
// with an infinite age (hazard at its asymptote), so the first interval is
// exponential. Continuous-time draws from per-cell streams (cell id, reset()
// segment), stamped as SpikeSourcePoisson's (docs/timing.md).
//
// Parameter defaults: PyNN's, a = [1.0], b = [1.0], tbins = [0.0]; a and b
// may rise or fall from bin to bin, tbins must be non-decreasing. An empty
// sequence (set explicitly) also means the default.
#pragma once

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>

#include "engine/kernel.hpp"
#include "models/spike_source_poisson.hpp"
#include "pineal/errors.hpp"
#include "pineal/model.hpp"
#include "pineal/random.hpp"

namespace pineal::models {

// b * hazard of Gamma(shape a, scale 1) at x = tau / b: f(x) / Q(a, x) with Q
// the regularized upper incomplete gamma function. log_gamma_a = lgamma(a),
// computed outside (glibc's lgamma writes global state). Series for P(a, x)
// when x < a + 1, otherwise the continued fraction of Q (modified Lentz),
// for which f/Q = 1 / (x * cf) needs no Gamma function.
inline double gamma_hazard_scaled(double a, double log_gamma_a, double x) {
    if (x <= 0.0) return a == 1.0 ? 1.0 : 0.0;  // a > 1: zero hazard at age 0
    if (x < a + 1.0) {
        double term = 1.0 / a, sum = term;
        for (int n = 1; n < 500; ++n) {
            term *= x / (a + n);
            sum += term;
            if (term < sum * 1e-16) break;
        }
        const double log_pre = a * std::log(x) - x - log_gamma_a;  // x^a e^-x / Gamma(a)
        const double p = std::exp(log_pre) * sum;                    // P(a, x)
        const double q = 1.0 - p;
        const double f = std::exp(log_pre) / x;                      // x^{a-1} e^-x / Gamma(a)
        return q > 0.0 ? std::min(1.0, f / q) : 1.0;
    }
    // Q(a, x) = x^a e^-x / Gamma(a) * cf,  cf = 1/(x+1-a- 1(1-a)/(x+3-a- 2(2-a)/(x+5-a- ...)))
    const double tiny = 1e-300;
    double bb = x + 1.0 - a, c = 1.0 / tiny, d = 1.0 / bb, cf = d;
    for (int n = 1; n < 500; ++n) {
        const double an = -n * (n - a);
        bb += 2.0;
        d = an * d + bb;
        if (std::abs(d) < tiny) d = tiny;
        c = bb + an / c;
        if (std::abs(c) < tiny) c = tiny;
        d = 1.0 / d;
        const double delta = d * c;
        cf *= delta;
        if (std::abs(delta - 1.0) < 1e-15) break;
    }
    return std::min(1.0, 1.0 / (x * cf));
}

class SpikeSourceInhGammaKernel final : public NeuronKernel {
public:
    enum Param { a, b, tbins, start, duration };

    void prepare(const Population& pop, const KernelEnv& env) override {
        const std::size_t n = pop.size();
        bins_.assign(n, {});
        for (std::size_t i = 0; i < n; ++i) {
            auto sa = pop.sequence(a)[i], sb = pop.sequence(b)[i], st = pop.sequence(tbins)[i];
            if (sa.empty()) sa = {1.0};
            if (sb.empty()) sb = {1.0};
            if (st.empty()) st = {0.0};
            if (sa.size() != st.size() || sb.size() != st.size())
                fail(ErrorKind::invalid_parameter_value, "SpikeSourceInhGamma", "tbins",
                     "SpikeSourceInhGamma: a, b and tbins must have the same length; cell ", i,
                     " has ", sa.size(), ", ", sb.size(), " and ", st.size());
            for (std::size_t k = 0; k < st.size(); ++k) {
                if (!(sa[k] >= 1.0))
                    fail(ErrorKind::invalid_parameter_value, "SpikeSourceInhGamma", "a",
                         "SpikeSourceInhGamma.a must be >= 1 on the native engine (thinning "
                         "needs a bounded hazard); cell ", i, " has ", sa[k]);
                if (!(sb[k] > 0.0))
                    fail(ErrorKind::invalid_parameter_value, "SpikeSourceInhGamma", "b",
                         "SpikeSourceInhGamma.b must be > 0 s; cell ", i, " has ", sb[k]);
                bins_[i].push_back({st[k], sa[k], 1000.0 * sb[k], std::lgamma(sa[k])});
            }
        }
        seed_ = env.rng_seed;
        segment_ = env.segment;
        const double now = static_cast<double>(env.current_step) * env.dt;
        positions_.resize(n, 0);
        last_.resize(n, -std::numeric_limits<double>::infinity());
        next_.resize(n);
        for (std::size_t i = 0; i < n; ++i) {
            next_[i] = std::max(now, pop.parameter(start)[i]);
            draw_next(pop, i);
        }
    }

    void reset(const Population& pop) override {
        positions_.assign(pop.size(), 0);
        last_.assign(pop.size(), -std::numeric_limits<double>::infinity());
    }

    void update(StepContext& ctx) override {
        const Population& pop = *ctx.population;
        const std::int64_t stamp = ctx.step + 1;
        const double t_end = static_cast<double>(stamp) * ctx.dt;
        for (std::size_t i = ctx.begin; i < ctx.end; ++i) {
            while (next_[i] <= t_end) {
                ctx.spikes->push_back({static_cast<std::uint32_t>(i), stamp, t_end - next_[i]});
                last_[i] = next_[i];
                draw_next(pop, i);
            }
        }
    }

private:
    struct Bin {
        double t0;          // ms
        double shape;       // a
        double scale_ms;    // 1000 b
        double log_gamma;   // lgamma(a)
    };

    // Moves next_[i] from the current time to the next accepted spike, or to
    // infinity past start + duration.
    void draw_next(const Population& pop, std::size_t i) {
        const double stop = pop.parameter(start)[i] + pop.parameter(duration)[i];
        const auto& bins = bins_[i];
        RandomStream rng({seed_, kSpikeSourceStream, pop.first_id() + i, segment_}, positions_[i]);
        double t = next_[i];
        for (;;) {
            // Next candidate of the Poisson process of rate 1/scale_ms[k] in bin k.
            double e = rng.exponential(1.0);
            std::size_t k = bin_of(bins, t);
            if (k == bins.size()) {  // before the first bin
                t = bins[0].t0;
                k = 0;
            }
            for (;;) {
                const double end = k + 1 < bins.size() ? bins[k + 1].t0 : stop;
                const double room = (end - t) / bins[k].scale_ms;
                if (e < room || k + 1 >= bins.size()) {
                    t += e * bins[k].scale_ms;
                    break;
                }
                e -= room;
                t = end;
                ++k;
            }
            if (t >= stop) {
                t = std::numeric_limits<double>::infinity();
                break;
            }
            const Bin& bin = bins[k];
            const double x = (t - last_[i]) / bin.scale_ms;
            const double accept = std::isinf(x) ? 1.0
                                                : gamma_hazard_scaled(bin.shape, bin.log_gamma, x);
            if (rng.uniform() < accept) break;
        }
        positions_[i] = rng.position();
        next_[i] = t;
    }

    // Index of the bin containing t, or bins.size() when t is before the first bin.
    static std::size_t bin_of(const std::vector<Bin>& bins, double t) {
        const auto it = std::upper_bound(bins.begin(), bins.end(), t,
                                         [](double x, const Bin& bin) { return x < bin.t0; });
        if (it == bins.begin()) return bins.size();
        return static_cast<std::size_t>(it - bins.begin()) - 1;
    }

    std::uint64_t seed_ = 0, segment_ = 0;
    std::vector<std::vector<Bin>> bins_;
    std::vector<std::uint64_t> positions_;
    std::vector<double> last_;  // time of the last spike, -inf before the first
    std::vector<double> next_;
};

inline ModelInfo spike_source_inh_gamma_info() {
    ModelInfo m;
    m.name = "SpikeSourceInhGamma";
    using P = ParameterShape;
    m.parameters = {
        {"a", 1.0, "dimensionless", Check::positive, P::array, "shape parameter per bin",
         {1.0}},
        {"b", 1.0, "s", Check::positive, P::array, "scale parameter per bin, in seconds", {1.0}},
        {"tbins", 0.0, "ms", Check::non_negative, P::sequence, "start times of the bins",
         {0.0}},
        {"start", 0.0, "ms", Check::non_negative, P::scalar, "start time"},
        {"duration", 1e10, "ms", Check::non_negative, P::scalar,
         "duration of the spike sequence"},
    };
    m.recordable = {"spikes"};
    m.injectable = false;
    m.spike_source = true;
    m.doc = "Inhomogeneous gamma spike source: shape a and scale b (seconds) constant on the "
            "bins starting at tbins (rate 1/(a b) Hz), generated by thinning the gamma hazard; "
            "active on [start, start + duration).";
    m.make_kernel = [] { return std::make_unique<SpikeSourceInhGammaKernel>(); };
    return m;
}

}  // namespace pineal::models
