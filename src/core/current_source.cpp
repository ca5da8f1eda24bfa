// Validation of current sources and their waveforms on the time grid.
#include "pineal/current_source.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

#include "pineal/errors.hpp"
#include "pineal/random.hpp"

namespace pineal {

namespace {
// Nearest grid step of a time (ms); huge times (stop = 1e12) saturate.
std::int64_t nearest_step(double t, double dt) {
    const double s = std::round(t / dt);
    constexpr double big = 4e18;
    return static_cast<std::int64_t>(std::min(s, big));
}

void finite(const CurrentSource& s, const char* name, double v) {
    if (!std::isfinite(v))
        fail(ErrorKind::invalid_parameter_value, s.label, name, s.label, ": ", name,
             " must be a finite number, got ", v);
}
}  // namespace

void validate_current_source(const CurrentSource& s, double dt) {
    const auto& p = s.p;
    if (s.kind == CurrentSourceKind::step) {
        if (p.times.size() != p.amplitudes.size())
            fail(ErrorKind::invalid_parameter_value, s.label, "amplitudes", s.label,
                 ": times and amplitudes must have the same length, got ", p.times.size(),
                 " times and ", p.amplitudes.size(), " amplitudes");
        for (std::size_t k = 0; k < p.times.size(); ++k) {
            finite(s, "times", p.times[k]);
            finite(s, "amplitudes", p.amplitudes[k]);
            if (p.times[k] < 0)
                fail(ErrorKind::invalid_parameter_value, s.label, "times", s.label,
                     ": step times must be >= 0 ms, got ", p.times[k]);
            if (k > 0 && !(p.times[k] > p.times[k - 1]))
                fail(ErrorKind::invalid_parameter_value, s.label, "times", s.label,
                     ": step times must be strictly increasing, got ", p.times[k - 1],
                     " then ", p.times[k]);
        }
        return;
    }
    finite(s, "start", p.start);
    if (p.start < 0)
        fail(ErrorKind::invalid_parameter_value, s.label, "start", s.label,
             ": start must be >= 0 ms, got ", p.start);
    if (std::isnan(p.stop) || p.stop < p.start)
        fail(ErrorKind::invalid_parameter_value, s.label, "stop", s.label, ": stop (", p.stop,
             " ms) must be >= start (", p.start, " ms)");
    if (s.kind == CurrentSourceKind::dc) finite(s, "amplitude", p.amplitude);
    if (s.kind == CurrentSourceKind::ac) {
        finite(s, "amplitude", p.amplitude);
        finite(s, "offset", p.offset);
        finite(s, "phase", p.phase);
        finite(s, "frequency", p.frequency);
        if (p.frequency < 0)
            fail(ErrorKind::invalid_parameter_value, s.label, "frequency", s.label,
                 ": frequency must be >= 0 Hz, got ", p.frequency);
    }
    if (s.kind == CurrentSourceKind::noisy) {
        finite(s, "mean", p.mean);
        finite(s, "stdev", p.stdev);
        if (p.stdev < 0)
            fail(ErrorKind::invalid_parameter_value, s.label, "stdev", s.label,
                 ": stdev must be >= 0 nA, got ", p.stdev);
        finite(s, "dt", p.dt);
        if (!(p.dt > 0))
            fail(ErrorKind::invalid_parameter_value, s.label, "dt", s.label,
                 ": dt must be > 0 ms, got ", p.dt);
        // NEST requires a multiple of the resolution; NEURON uses max(dt, h).
        const double d = std::max(p.dt, dt);
        const double k = std::round(d / dt);
        if (std::abs(k * dt - d) > 1e-9 * d)
            fail(ErrorKind::invalid_parameter_value, s.label, "dt", s.label, ": dt (", p.dt,
                 " ms) must be a multiple of the simulation time step (", dt, " ms)");
    }
}

CurrentWaveform::CurrentWaveform(const CurrentSource& s, double dt, std::uint64_t seed)
    : kind_(s.kind), p_(s.p), dt_(dt), seed_(seed), stream_(s.stream) {
    start_step_ = nearest_step(p_.start, dt);
    stop_step_ = nearest_step(p_.stop, dt);
    if (kind_ == CurrentSourceKind::noisy)
        noise_steps_ = std::max<std::int64_t>(1, std::llround(std::max(p_.dt, dt) / dt));
    if (kind_ == CurrentSourceKind::step) {
        // Times round to the nearest step; of several on one step the last wins.
        for (std::size_t k = 0; k < p_.times.size(); ++k) {
            const std::int64_t st = nearest_step(p_.times[k], dt);
            if (!step_at_.empty() && step_at_.back() == st) {
                amplitude_at_.back() = p_.amplitudes[k];
            } else {
                step_at_.push_back(st);
                amplitude_at_.push_back(p_.amplitudes[k]);
            }
        }
    }
}

double CurrentWaveform::value(std::int64_t step, std::uint64_t id, std::uint64_t segment) const {
    if (kind_ == CurrentSourceKind::step) {
        const auto it = std::upper_bound(step_at_.begin(), step_at_.end(), step);
        if (it == step_at_.begin()) return 0.0;
        return amplitude_at_[static_cast<std::size_t>(it - step_at_.begin()) - 1];
    }
    if (step < start_step_ || step >= stop_step_) return 0.0;
    switch (kind_) {
        case CurrentSourceKind::dc:
            return p_.amplitude;
        case CurrentSourceKind::ac: {
            const double t = static_cast<double>(step) * dt_;
            const double angle = 2.0 * std::numbers::pi * p_.frequency * (t - p_.start) / 1000.0 +
                                 2.0 * std::numbers::pi * p_.phase / 360.0;
            return p_.offset + p_.amplitude * std::sin(angle);
        }
        case CurrentSourceKind::noisy: {
            const auto j = static_cast<std::uint64_t>(noise_index(step));
            double block[4];
            noise_block(j / 4, id, segment, block);
            return noise_value(block[j % 4]);
        }
        default:
            return 0.0;
    }
}

void CurrentWaveform::noise_block(std::uint64_t block, std::uint64_t id, std::uint64_t segment,
                                  double out[4]) const {
    // The cell's own stream; one Philox block (four words) per four values.
    RandomStream rng(StreamKey{seed_, stream_, id, segment}, 4 * block);
    for (int k = 0; k < 4; ++k) out[k] = rng.normal();
}

}  // namespace pineal
