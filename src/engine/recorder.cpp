#include "engine/recorder.hpp"

#include <algorithm>

#include "pineal/errors.hpp"

namespace pineal {

void SpikeRecorder::record(std::span<const std::uint32_t> cells, std::size_t population_size) {
    if (mask_.empty()) mask_.assign(population_size, 0);
    for (auto i : cells) mask_[i] = 1;
}

namespace {
std::vector<std::uint32_t> merged(const std::vector<std::uint32_t>& a,
                                  std::span<const std::uint32_t> b) {
    std::vector<std::uint32_t> out(a);
    out.insert(out.end(), b.begin(), b.end());
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}
}  // namespace

void SignalRecorder::check(const std::string& variable, std::span<const std::uint32_t> cells,
                           std::int64_t interval, const std::string& label) const {
    for (const auto& [name, s] : signals_)
        if (s.interval != interval)
            fail(ErrorKind::recording, label, "sampling_interval", "Population '", label,
                 "': all recorded variables must share one sampling interval; '", name,
                 "' is already recorded every ", s.interval, " steps");
    const auto it = signals_.find(variable);
    if (it != signals_.end() && !it->second.values.empty() &&
        merged(it->second.cells, cells) != it->second.cells)
        fail(ErrorKind::not_supported, label, variable, "Population '", label,
             "': cannot add cells to the recording of '", variable,
             "' once data exist; record all cells before the first run, or after "
             "get_data(clear=True)");
}

void SignalRecorder::record(const std::string& variable, int state_index,
                            std::span<const std::uint32_t> cells, std::int64_t interval) {
    Signal& s = signals_[variable];
    s.state_index = state_index;
    s.interval = interval;
    s.cells = merged(s.cells, cells);
}

void SignalRecorder::sample(std::int64_t step, const StateArrays& state, std::size_t first_cell) {
    for (auto& [name, s] : signals_) {
        if (step % s.interval != 0 || step <= s.last_step) continue;
        const auto& column = state[s.state_index];
        for (auto i : s.cells) s.values.push_back(column[i - first_cell]);
        if (s.first_step < 0) s.first_step = step;
        s.last_step = step;
    }
}

void SignalRecorder::clear_data() {
    for (auto& [name, s] : signals_) {
        s.values.clear();
        s.first_step = s.last_step = -1;
    }
}

}  // namespace pineal
