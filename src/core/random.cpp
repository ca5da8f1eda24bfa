// Philox streams and the PyNN distributions. All samplers are written here
// (rather than taken from <random>) so that a key gives the same numbers on
// every standard library, and so that no sampler touches global state (glibc's
// lgamma writes `signgam`), which matters when threads draw concurrently.
#include "pineal/random.hpp"

#include <Random123/philox.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>
#include <utility>

#include "pineal/errors.hpp"

namespace pineal {

// ---------------------------------------------------------------- streams --

RandomStream::RandomStream(const StreamKey& key, std::uint64_t position)
    : key_(key), position_(position) {
    // next_u64() only refills at block boundaries, so a resume in the middle
    // of a block must load that block now.
    if (position_ % 4 != 0) refill();
}

void RandomStream::block(const StreamKey& key, std::uint64_t index, std::uint64_t out[4]) {
    const r123::Philox4x64 philox;
    const r123::Philox4x64::ctr_type ctr = {{key.entity, key.segment, index, 0}};
    const r123::Philox4x64::key_type k = {{key.seed, key.stream}};
    const auto words = philox(ctr, k);
    for (int i = 0; i < 4; ++i) out[i] = words.v[i];
}

void RandomStream::refill() { block(key_, position_ / 4, block_); }

double RandomStream::normal() {
    if (has_spare_normal_) {
        has_spare_normal_ = false;
        return spare_normal_;
    }
    const double radius = std::sqrt(-2.0 * std::log(uniform_open0()));
    const double angle = 2.0 * std::numbers::pi * uniform();
    spare_normal_ = radius * std::sin(angle);
    has_spare_normal_ = true;
    return radius * std::cos(angle);
}

double RandomStream::exponential(double mean) {
    // 0.0 - log(u) avoids returning -0.0 when u == 1.
    return mean * (0.0 - std::log(uniform_open0()));
}

// ---------------------------------------------------------------- helpers --

namespace {

// log(k!) minus its Stirling approximation (k + 1/2) log(k + 1) - (k + 1) +
// log(sqrt(2 pi)); exact table for small k where the series is inaccurate.
double stirling_correction(double k) {
    static constexpr std::array<double, 10> table = {
        0.08106146679532726, 0.04134069595540929, 0.02767792568499834, 0.02079067210376509,
        0.01664469118982119, 0.01387612882307075, 0.01189670994589177, 0.01041126526197209,
        0.00925546218271273, 0.00833056343336287};
    if (k < 10) return table[static_cast<std::size_t>(k)];
    const double x = k + 1.0;
    const double x2 = x * x;
    return (1.0 / 12.0 - (1.0 / 360.0 - 1.0 / 1260.0 / x2) / x2) / x;
}

double log_factorial(double k) {
    const double x = k + 1.0;
    return (k + 0.5) * std::log(x) - x + 0.5 * std::log(2.0 * std::numbers::pi) +
           stirling_correction(k);
}

// Marsaglia & Tsang (2000); for shape < 1 uses Gamma(k) = Gamma(k+1) U^(1/k).
double sample_gamma(RandomStream& rng, double shape) {
    if (shape < 1.0) {
        const double boosted = sample_gamma(rng, shape + 1.0);
        return boosted * std::pow(rng.uniform_open0(), 1.0 / shape);
    }
    const double d = shape - 1.0 / 3.0;
    const double c = 1.0 / std::sqrt(9.0 * d);
    for (;;) {
        const double x = rng.normal();
        double v = 1.0 + c * x;
        if (v <= 0.0) continue;
        v = v * v * v;
        const double u = rng.uniform_open0();
        const double x2 = x * x;
        if (u < 1.0 - 0.0331 * x2 * x2) return d * v;  // cheap squeeze
        if (std::log(u) < 0.5 * x2 + d * (1.0 - v + std::log(v))) return d * v;
    }
}

// Inversion by sequential search; O(lambda) so only used for small lambda.
double sample_poisson_inversion(RandomStream& rng, double lambda) {
    // Beyond this the tail mass is far below double resolution; a search that
    // gets there was defeated by rounding of the cdf, so it starts again.
    const double limit = 10.0 * lambda + 100.0;
    for (;;) {
        const double u = rng.uniform();
        double p = std::exp(-lambda);
        double cdf = p;
        double x = 0;
        while (u >= cdf && x < limit) {
            x += 1;
            p *= lambda / x;
            cdf += p;
        }
        if (x < limit) return x;
    }
}

// PTRS, transformed rejection with squeeze (Hoermann 1993); needs lambda >= 10.
double sample_poisson_ptrs(RandomStream& rng, double lambda) {
    const double slam = std::sqrt(lambda);
    const double loglam = std::log(lambda);
    const double b = 0.931 + 2.53 * slam;
    const double a = -0.059 + 0.02483 * b;
    const double inv_alpha = 1.1239 + 1.1328 / (b - 3.4);
    const double v_r = 0.9277 - 3.6224 / (b - 2.0);
    for (;;) {
        const double u = rng.uniform() - 0.5;
        const double v = rng.uniform_open0();
        const double us = 0.5 - std::fabs(u);
        const double k = std::floor((2.0 * a / us + b) * u + lambda + 0.43);
        if (us >= 0.07 && v <= v_r) return k;
        if (k < 0.0 || (us < 0.013 && v > us)) continue;
        if (std::log(v) + std::log(inv_alpha) - std::log(a / (us * us) + b) <=
            -lambda + k * loglam - log_factorial(k))
            return k;
    }
}

double sample_poisson(RandomStream& rng, double lambda) {
    if (lambda == 0.0) return 0.0;
    return lambda < 30.0 ? sample_poisson_inversion(rng, lambda) : sample_poisson_ptrs(rng, lambda);
}

// Inversion for n p < 10 (p <= 1/2), with the pmf built by its recurrence.
double sample_binomial_inversion(RandomStream& rng, double n, double p) {
    const double q = 1.0 - p;
    const double s = p / q;
    const double a = (n + 1.0) * s;
    const double p0 = std::exp(n * std::log1p(-p));  // q^n, >= e^-14 here
    // Mass beyond this bound is negligible; reaching it means rounding ate
    // the remaining probability, so redraw instead of looping forever.
    const double limit = std::min(n, n * p + 10.0 * std::sqrt(n * p * q + 1.0) + 10.0);
    for (;;) {
        double u = rng.uniform();
        double r = p0;
        double x = 0;
        while (u >= r && x < limit) {
            u -= r;
            x += 1;
            r *= a / x - s;
        }
        if (u < r) return x;
    }
}

// BTRD, transformed rejection with decomposition (Hoermann 1993); needs
// n p >= 10 and p <= 1/2.
double sample_binomial_btrd(RandomStream& rng, double n, double p) {
    const double q = 1.0 - p;
    const double m = std::floor((n + 1.0) * p);
    const double r = p / q;
    const double nr = (n + 1.0) * r;
    const double npq = n * p * q;
    const double spq = std::sqrt(npq);
    const double b = 1.15 + 2.53 * spq;
    const double a = -0.0873 + 0.0248 * b + 0.01 * p;
    const double c = n * p + 0.5;
    const double alpha = (2.83 + 5.1 / b) * spq;
    const double v_r = 0.92 - 4.2 / b;
    const double urvr = 0.86 * v_r;
    const double nm = n - m + 1.0;
    const double h = (m + 0.5) * std::log((m + 1.0) / (r * nm)) + stirling_correction(m) +
                     stirling_correction(n - m);
    for (;;) {
        double v = rng.uniform();
        double u;
        if (v <= urvr) {  // the central region: accept without further tests
            u = v / v_r - 0.43;
            return std::floor((2.0 * a / (0.5 - std::fabs(u)) + b) * u + c);
        }
        if (v >= v_r) {
            u = rng.uniform() - 0.5;
        } else {
            u = v / v_r - 0.93;
            u = std::copysign(0.5, u) - u;
            v = rng.uniform() * v_r;
        }
        const double us = 0.5 - std::fabs(u);
        const double k = std::floor((2.0 * a / us + b) * u + c);
        if (k < 0.0 || k > n) continue;
        v = v * alpha / (a / (us * us) + b);
        const double km = std::fabs(k - m);
        if (km <= 15.0) {  // close to the mode: evaluate f(k)/f(m) directly
            double f = 1.0;
            if (m < k) {
                for (double i = m + 1.0; i <= k; i += 1.0) f *= nr / i - r;
            } else {
                for (double i = k + 1.0; i <= m; i += 1.0) v *= nr / i - r;
            }
            if (v <= f) return k;
            continue;
        }
        v = std::log(v);
        const double rho = (km / npq) * (((km / 3.0 + 0.625) * km + 1.0 / 6.0) / npq + 0.5);
        const double t = -km * km / (2.0 * npq);
        if (v < t - rho) return k;
        if (v > t + rho) continue;
        const double nk = n - k + 1.0;
        if (v <= h + (n + 1.0) * std::log(nm / nk) + (k + 0.5) * std::log(nk * r / (k + 1.0)) -
                      stirling_correction(k) - stirling_correction(n - k))
            return k;
    }
}

double sample_binomial(RandomStream& rng, double n, double p) {
    // Sample the count of the rarer outcome; both samplers assume p <= 1/2.
    const bool flip = p > 0.5;
    const double pp = flip ? 1.0 - p : p;
    const double x = (n == 0.0 || pp == 0.0) ? 0.0
                     : n * pp < 10.0           ? sample_binomial_inversion(rng, n, pp)
                                               : sample_binomial_btrd(rng, n, pp);
    return flip ? n - x : x;
}

// Best & Fisher (1979), on (-pi, pi] around mu.
double sample_vonmises(RandomStream& rng, double mu, double kappa) {
    constexpr double pi = std::numbers::pi;
    // pi (1 - 2U) with U in [0, 1) lies in (-pi, pi]; the circle's uniform
    // law is the kappa -> 0 limit and does not depend on mu.
    if (kappa < 1e-8) return pi * (1.0 - 2.0 * rng.uniform());
    double theta;
    if (kappa > 1e6) {
        // The wrapped normal is then exact to O(1/kappa), while the rejection
        // below would lose precision in acos() near 1.
        theta = rng.normal() / std::sqrt(kappa);
    } else {
        const double tau = 1.0 + std::sqrt(1.0 + 4.0 * kappa * kappa);
        const double rho = (tau - std::sqrt(2.0 * tau)) / (2.0 * kappa);
        const double r = (1.0 + rho * rho) / (2.0 * rho);
        double f;
        for (;;) {
            const double z = std::cos(pi * rng.uniform());
            f = (1.0 + r * z) / (r + z);
            const double c = kappa * (r - f);
            const double u2 = rng.uniform_open0();
            if (c * (2.0 - c) - u2 > 0.0) break;
            if (std::log(c / u2) + 1.0 - c >= 0.0) break;
        }
        theta = std::acos(std::clamp(f, -1.0, 1.0));
        if (rng.uniform() < 0.5) theta = -theta;
    }
    // Wrap mu + theta into [-pi, pi), then move -pi to pi.
    double x = std::fmod(mu + theta + pi, 2.0 * pi);
    if (x < 0.0) x += 2.0 * pi;
    x -= pi;
    return x <= -pi ? pi : x;
}

// ------------------------------------------------------------- validation --

// What each parameter must satisfy. Infinite clip bounds are allowed: they
// express one-sided clipping.
enum class Rule { finite, nonnegative, positive, probability, count, integer, bound };

struct Spec {
    const char* name;
    std::vector<std::string> parameters;
    std::vector<Rule> rules;
    int ordered_low = -1;  // index of a parameter that must be <= (or <) the next one
    bool strict = false;
};

// Indexed by DistributionKind, in the enumeration's order.
const std::vector<Spec>& specs() {
    using R = Rule;
    static const std::vector<Spec> table = {
        {"binomial", {"n", "p"}, {R::count, R::probability}},
        {"gamma", {"k", "theta"}, {R::positive, R::positive}},
        {"exponential", {"beta"}, {R::positive}},
        {"lognormal", {"mu", "sigma"}, {R::finite, R::nonnegative}},
        {"normal", {"mu", "sigma"}, {R::finite, R::nonnegative}},
        {"normal_clipped", {"mu", "sigma", "low", "high"},
         {R::finite, R::nonnegative, R::bound, R::bound}, 2},
        {"normal_clipped_to_boundary", {"mu", "sigma", "low", "high"},
         {R::finite, R::nonnegative, R::bound, R::bound}, 2},
        {"poisson", {"lambda_"}, {R::nonnegative}},
        {"uniform", {"low", "high"}, {R::finite, R::finite}, 0},
        {"uniform_int", {"low", "high"}, {R::integer, R::integer}, 0, true},
        {"vonmises", {"mu", "kappa"}, {R::finite, R::nonnegative}},
    };
    return table;
}

const Spec& spec_of(DistributionKind kind) { return specs().at(static_cast<std::size_t>(kind)); }

// The reason `x` breaks `rule`, or nullptr if it does not.
const char* violation(Rule rule, double x) {
    if (rule == Rule::bound) return std::isnan(x) ? "must not be NaN" : nullptr;
    if (!std::isfinite(x)) return "must be finite";
    switch (rule) {
        case Rule::nonnegative: return x < 0.0 ? "must be >= 0" : nullptr;
        case Rule::positive: return x <= 0.0 ? "must be > 0" : nullptr;
        case Rule::probability: return (x < 0.0 || x > 1.0) ? "must be in [0, 1]" : nullptr;
        case Rule::count:
            if (x < 0.0) return "must be >= 0";
            [[fallthrough]];
        case Rule::integer:
            if (x != std::floor(x)) return "must be an integer";
            // Beyond 2^53 doubles no longer hold every integer exactly.
            return std::fabs(x) > 0x1p53 ? "must not exceed 2^53 in magnitude" : nullptr;
        default: return nullptr;
    }
}

std::string joined(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
    return out;
}

}  // namespace

// ----------------------------------------------------------- Distribution --

const std::vector<std::string>& Distribution::parameter_names(DistributionKind kind) {
    return spec_of(kind).parameters;
}

std::string Distribution::name_of(DistributionKind kind) { return spec_of(kind).name; }

Distribution Distribution::make(const std::string& name, std::vector<double> parameters) {
    const auto& table = specs();
    std::size_t index = 0;
    while (index < table.size() && name != table[index].name) ++index;
    if (index == table.size()) {
        std::vector<std::string> names;
        for (const auto& s : table) names.emplace_back(s.name);
        fail(ErrorKind::invalid_parameter_value, "RandomDistribution", name,
             "unknown random distribution '", name, "'; available: ", joined(names));
    }
    const Spec& spec = table[index];
    const auto& names = spec.parameters;
    if (parameters.size() != names.size())
        fail(ErrorKind::invalid_parameter_value, name, "", name, ": expected ", names.size(),
             " parameter(s) (", joined(names), "), got ", parameters.size());
    for (std::size_t i = 0; i < names.size(); ++i)
        if (const char* why = violation(spec.rules[i], parameters[i]))
            fail(ErrorKind::invalid_parameter_value, name, names[i], name, ": ", names[i], " ",
                 why, ", got ", parameters[i]);
    if (spec.ordered_low >= 0) {
        const auto lo = static_cast<std::size_t>(spec.ordered_low), hi = lo + 1;
        if (spec.strict ? !(parameters[lo] < parameters[hi]) : !(parameters[lo] <= parameters[hi]))
            fail(ErrorKind::invalid_parameter_value, name, names[hi], name, ": ", names[hi],
                 spec.strict ? " must be > " : " must be >= ", names[lo], " (", parameters[lo],
                 "), got ", parameters[hi]);
    }
    Distribution d;
    d.kind = static_cast<DistributionKind>(index);
    d.parameters = std::move(parameters);
    return d;
}

double Distribution::draw(RandomStream& rng) const {
    const auto& v = parameters;
    // The members are public; a hand-built Distribution must not index past v.
    if (v.size() != parameter_names(kind).size())
        fail(ErrorKind::invalid_parameter_value, name_of(kind), "", name_of(kind), ": expected ",
             parameter_names(kind).size(), " parameter(s), got ", v.size());
    switch (kind) {
        case DistributionKind::binomial: return sample_binomial(rng, v[0], v[1]);
        case DistributionKind::gamma: return v[1] * sample_gamma(rng, v[0]);
        case DistributionKind::exponential: return rng.exponential(v[0]);
        case DistributionKind::lognormal: return std::exp(v[0] + v[1] * rng.normal());
        case DistributionKind::normal: return v[0] + v[1] * rng.normal();
        case DistributionKind::normal_clipped: {
            // Redraw like PyNN; a bound on the rounds turns an (almost)
            // impossible interval into an error instead of a hang.
            for (int round = 0; round < 1000; ++round) {
                const double x = v[0] + v[1] * rng.normal();
                if (x >= v[2] && x <= v[3]) return x;
            }
            fail(ErrorKind::invalid_parameter_value, "normal_clipped", "low",
                 "normal_clipped: no value in [", v[2], ", ", v[3], "] after 1000 draws from normal(",
                 v[0], ", ", v[1], "); the interval is too unlikely");
        }
        case DistributionKind::normal_clipped_to_boundary:
            return std::clamp(v[0] + v[1] * rng.normal(), v[2], v[3]);
        case DistributionKind::poisson: return sample_poisson(rng, v[0]);
        case DistributionKind::uniform: {
            const double x = v[0] + (v[1] - v[0]) * rng.uniform();
            // Rounding can land on high; keep the interval half-open.
            return (x >= v[1] && v[1] > v[0]) ? std::nextafter(v[1], v[0]) : x;
        }
        case DistributionKind::uniform_int: {
            // Rejecting the 2^64 mod range lowest words leaves a multiple of
            // range values, so every residue is equally likely.
            const auto range = static_cast<std::uint64_t>(v[1] - v[0]);
            const std::uint64_t threshold = (0 - range) % range;
            for (;;) {
                const std::uint64_t w = rng.next_u64();
                if (w >= threshold) return v[0] + static_cast<double>(w % range);
            }
        }
        case DistributionKind::vonmises: return sample_vonmises(rng, v[0], v[1]);
    }
    return 0.0;  // unreachable for valid enumerators
}

void draw_per_entity(const Distribution& d, StreamKey key, std::uint64_t first_entity,
                     std::size_t n, double* out) {
    for (std::size_t i = 0; i < n; ++i) {
        key.entity = first_entity + i;
        RandomStream rng(key);
        out[i] = d.draw(rng);
    }
}

}  // namespace pineal
