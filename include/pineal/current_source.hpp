// Current sources (PyNN's electrodes): DCSource, ACSource, StepCurrentSource
// and NoisyCurrentSource, with PyNN's parameters, defaults and units (nA, ms,
// Hz, degrees), and the cells they inject into.
//
// Timing (docs/timing.md): the current that acts during step s (from s*dt to
// (s+1)*dt) is the waveform sampled at t = s*dt and is held constant over the
// step. start/stop are taken on the grid: a source is on during the steps
// s with start_step <= s < stop_step, where start_step is the first step whose
// start time is >= start (within 1e-9 of a step).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace pineal {

enum class CurrentSourceKind { dc, ac, step, noisy };

struct CurrentTarget {
    std::uint32_t population = 0;
    std::uint32_t cell = 0;  // index in the population
    std::uint64_t id = 0;    // global cell id: the entity of the noise streams
};

struct CurrentSourceParameters {
    double amplitude = 1.0;  // nA (DC, AC)
    double start = 0.0;      // ms
    double stop = 1e12;      // ms
    double frequency = 10.0; // Hz (AC)
    double offset = 0.0;     // nA (AC)
    double phase = 0.0;      // degrees, referred to `start` (AC)
    double mean = 0.0;       // nA (noise)
    double stdev = 1.0;      // nA (noise)
    double dt = 0.1;         // ms, interval of new noise values
    std::vector<double> times;       // ms (step)
    std::vector<double> amplitudes;  // nA (step)
};

struct CurrentSource {
    CurrentSourceKind kind = CurrentSourceKind::dc;
    CurrentSourceParameters p;
    std::string label;           // the PyNN class name, for error messages
    std::uint64_t stream = 0;    // random stream of a NoisyCurrentSource
    std::vector<CurrentTarget> targets;
};

// Throws invalid_parameter_value naming the source and the parameter.
void validate_current_source(const CurrentSource& source, double dt);

// A source's waveform put on the time grid of `dt`, ready to be sampled.
class CurrentWaveform {
public:
    CurrentWaveform(const CurrentSource& source, double dt, std::uint64_t seed);
    // The current (nA) acting during step `step` on the cell with global id
    // `id` (the id matters only for noise), in reset segment `segment`.
    double value(std::int64_t step, std::uint64_t id, std::uint64_t segment) const;

    // NoisyCurrentSource: value j of a cell is normal j % 4 of block j / 4, the
    // four standard normals of one Philox block (two Box-Muller pairs), so
    // that a caller may draw a block once and use it for four values.
    bool noisy() const { return kind_ == CurrentSourceKind::noisy; }
    bool on(std::int64_t step) const { return step >= start_step_ && step < stop_step_; }
    std::int64_t noise_index(std::int64_t step) const { return (step - start_step_) / noise_steps_; }
    void noise_block(std::uint64_t block, std::uint64_t id, std::uint64_t segment,
                     double out[4]) const;
    double noise_value(double standard_normal) const { return p_.mean + p_.stdev * standard_normal; }

private:
    CurrentSourceKind kind_;
    CurrentSourceParameters p_;
    double dt_;
    std::uint64_t seed_, stream_;
    std::int64_t start_step_ = 0, stop_step_ = 0;
    std::int64_t noise_steps_ = 1;         // steps per noise value
    std::vector<std::int64_t> step_at_;    // StepCurrentSource: rounded times, in steps
    std::vector<double> amplitude_at_;     // and the amplitudes kept
};

}  // namespace pineal
