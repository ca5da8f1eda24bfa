#include "engine/recorder.hpp"

#include <algorithm>

#include "pineal/errors.hpp"

namespace pineal {

void Recorder::record_spikes(std::span<const std::uint32_t> cells, std::size_t population_size) {
    if (spike_mask_.empty()) spike_mask_.assign(population_size, 0);
    for (auto i : cells) spike_mask_[i] = 1;
}

void Recorder::record_signal(const std::string& variable, int state_index,
                             std::span<const std::uint32_t> cells, std::int64_t interval,
                             const std::string& population_label) {
    for (const auto& [name, s] : signals_)
        if (s.interval != interval)
            fail(ErrorKind::recording, population_label, "sampling_interval", "Population '",
                 population_label, "': all recorded variables must share one sampling interval; '",
                 name, "' is already recorded every ", s.interval, " steps");
    Signal& s = signals_[variable];
    s.state_index = state_index;
    s.interval = interval;
    std::vector<std::uint32_t> merged(s.cells);
    merged.insert(merged.end(), cells.begin(), cells.end());
    std::sort(merged.begin(), merged.end());
    merged.erase(std::unique(merged.begin(), merged.end()), merged.end());
    if (merged != s.cells && !s.values.empty())
        fail(ErrorKind::not_supported, population_label, variable, "Population '",
             population_label, "': cannot add cells to the recording of '", variable,
             "' once data exist; record all cells before the first run, or after get_data(clear=True)");
    s.cells = std::move(merged);
}

void Recorder::clear_requests() {
    spike_mask_.clear();
    signals_.clear();
    spikes_.clear();
}

void Recorder::on_spikes(std::span<const SpikeEvent> events) {
    if (spike_mask_.empty()) return;
    for (const auto& e : events)
        if (spike_mask_[e.index]) spikes_.push_back(e);
}

void Recorder::sample(std::int64_t step, const StateArrays& state) {
    for (auto& [name, s] : signals_) {
        if (step % s.interval != 0 || step <= s.last_step || step < start_step_) continue;
        const auto& column = state[s.state_index];
        for (auto i : s.cells) s.values.push_back(column[i]);
        if (s.first_step < 0) s.first_step = step;
        s.last_step = step;
    }
}

void Recorder::clear_data(std::int64_t step) {
    spikes_.clear();
    for (auto& [name, s] : signals_) {
        s.values.clear();
        s.first_step = s.last_step = -1;
    }
    start_step_ = step;
}

}  // namespace pineal
