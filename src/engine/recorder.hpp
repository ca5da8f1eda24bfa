// Recorded data of one population.
//
// SpikeRecorder keeps the spike events of the recorded cells; the engine
// feeds it every spike in the canonical order of delivery, so its data do not
// depend on threads or partitions. SignalRecorder keeps sampled state
// variables of the cells of one partition (shard); the engine merges the
// shards when data are read. Samples are the state at t = k * interval (the
// first one is the value when recording starts, t = 0 after setup or reset),
// so a run of T ms at interval h gives T/h + 1 samples.
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "engine/kernel.hpp"

namespace pineal {

class SpikeRecorder {
public:
    void record(std::span<const std::uint32_t> cells, std::size_t population_size);
    void stop() { mask_.clear(), events_.clear(); }
    bool active() const { return !mask_.empty(); }
    void on_spike(const SpikeEvent& e) {
        if (!mask_.empty() && mask_[e.index]) events_.push_back(e);
    }
    const std::vector<SpikeEvent>& events() const { return events_; }
    void clear_data() { events_.clear(); }

private:
    std::vector<std::uint8_t> mask_;  // per cell; empty when spikes are not recorded
    std::vector<SpikeEvent> events_;
};

class SignalRecorder {
public:
    struct Signal {
        int state_index = 0;
        std::vector<std::uint32_t> cells;  // ascending
        std::int64_t interval = 1;         // steps
        std::int64_t first_step = -1;      // step of the first stored sample
        std::int64_t last_step = -1;       // step of the last stored sample
        std::vector<double> values;        // [sample][cell]
    };

    // Checks a request against what is recorded (one interval per
    // population; no new cells once data exist) without changing anything.
    void check(const std::string& variable, std::span<const std::uint32_t> cells,
               std::int64_t interval, const std::string& population_label) const;
    void record(const std::string& variable, int state_index,
                std::span<const std::uint32_t> cells, std::int64_t interval);
    void stop() { signals_.clear(); }

    // Stores a sample of `state` (the cells from `first_cell` on: a shard's
    // block) at `step` where one is due.
    void sample(std::int64_t step, const StateArrays& state, std::size_t first_cell);
    const std::map<std::string, Signal>& signals() const { return signals_; }
    void clear_data();

private:
    std::map<std::string, Signal> signals_;
};

}  // namespace pineal
