// Recorded data of one population: spike events of the recorded cells and
// sampled state variables. Samples are the state at t = k * interval (the
// first one is the value at the time recording starts, t = 0 after setup or
// reset), so a run of T ms at interval h gives T/h + 1 samples.
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "engine/kernel.hpp"

namespace pineal {

class Recorder {
public:
    struct Signal {
        int state_index = 0;
        std::vector<std::uint32_t> cells;  // ascending
        std::int64_t interval = 1;         // steps
        std::int64_t first_step = -1;      // step of the first stored sample
        std::int64_t last_step = -1;       // step of the last stored sample
        std::vector<double> values;        // [sample][cell]
    };

    void record_spikes(std::span<const std::uint32_t> cells, std::size_t population_size);
    void record_signal(const std::string& variable, int state_index,
                       std::span<const std::uint32_t> cells, std::int64_t interval,
                       const std::string& population_label);
    void clear_requests();  // record(None)

    // Called with every spike of the population (filters recorded cells).
    void on_spikes(std::span<const SpikeEvent> events);
    // Called with the state at `step` (after the step that ends there, or at
    // the start of a run); stores a sample where one is due.
    void sample(std::int64_t step, const StateArrays& state);

    bool records_spikes() const { return !spike_mask_.empty(); }
    const std::vector<SpikeEvent>& spike_events() const { return spikes_; }
    const std::map<std::string, Signal>& signals() const { return signals_; }
    std::int64_t start_step() const { return start_step_; }

    // Drops stored data; recording continues from `step` (get_data(clear=True), reset()).
    void clear_data(std::int64_t step);

private:
    std::vector<std::uint8_t> spike_mask_;  // per cell; empty when spikes are not recorded
    std::vector<SpikeEvent> spikes_;
    std::map<std::string, Signal> signals_;
    std::int64_t start_step_ = 0;
};

}  // namespace pineal
