// Input buffer of one receptor port of one shard's block of a population:
// summed weights per arrival step and cell (cells numbered within the
// block). Slot (a mod L) holds input arriving at step a; the slot is read and
// cleared in step a-1 (see kernel.hpp), so L = max delay + 1 slots suffice:
// spikes are delivered at most max_delay steps ahead.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "engine/cell_array.hpp"

namespace pineal {

class RingBuffer {
public:
    void configure(std::size_t cells, std::size_t slots, std::int64_t current_step) {
        if (cells == cells_ && slots == slots_) return;
        // Keep pending input (arrivals after current_step) when resizing.
        CellArray next(cells * slots, 0.0);
        for (std::int64_t a = current_step + 1; slots_ > 0 && a <= current_step + std::int64_t(slots_); ++a)
            for (std::size_t i = 0; i < std::min(cells, cells_); ++i)
                next[slot_of(a, slots) * cells + i] = data_[slot_of(a, slots_) * cells_ + i];
        data_.swap(next);
        cells_ = cells;
        slots_ = slots;
    }
    double* arrivals(std::int64_t step) { return &data_[slot_of(step, slots_) * cells_]; }
    std::size_t slots() const { return slots_; }
    // arrivals(t + delay) given base = slot_of(t) (for delivery: one division
    // per spike stamp instead of one per delay segment); 0 <= delay < slots.
    double* arrivals_after(std::size_t base, std::int32_t delay) {
        std::size_t slot = base + static_cast<std::size_t>(delay);
        if (slot >= slots_) slot -= slots_;
        return &data_[slot * cells_];
    }
    static std::size_t slot_of(std::int64_t step, std::size_t slots) {
        return static_cast<std::size_t>(step % static_cast<std::int64_t>(slots));
    }
    void add(std::int64_t arrival, std::uint32_t cell, double w) {
        data_[slot_of(arrival, slots_) * cells_ + cell] += w;
    }
    // Clears the cells [begin, end) of the slot of `arrival` (each partition its own).
    void clear(std::int64_t arrival, std::size_t begin, std::size_t end) {
        std::fill(arrivals(arrival) + begin, arrivals(arrival) + end, 0.0);
    }
    void clear_all() { std::fill(data_.begin(), data_.end(), 0.0); }

private:
    CellArray data_;  // [slot][cell]: one shard's cells
    std::size_t cells_ = 0, slots_ = 0;
};

}  // namespace pineal
