// Storage for the per-cell arrays of one shard (state variables, input
// buffers): each array is kept a page away from any other heap data, so that
// no two shards' arrays share a 4 KB page.
//
// Why: the hardware prefetchers stream within a 4 KB page, so a thread
// sweeping its block of an array also pulls in the lines just past either
// end. When those lines belong to another thread's block (or to the next
// heap block, written by another thread), they bounce between the cores every
// step: measured on a 2-core Xeon, two threads each updating half of shared
// arrays took 1.3x the single-thread time, and Vogels-Abbott's per-thread
// update 1.5-2x (docs/engine.md, "Shards"). A guard of 4 KB on both sides
// removes it; 512 bytes do not.
//
// The arrays are not all page aligned: arrays at equal offsets within a page
// make the loads of one alias the stores of another (4K aliasing; measured
// twice as slow), so each allocation starts at a different cache line of its
// page (successive arrays 11 lines apart: 11 is coprime to the 64 lines of
// a page, so 64 successive arrays all start on different lines).
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <new>
#include <vector>

namespace pineal {

namespace cell_array_detail {
inline constexpr std::size_t kPage = 4096, kLine = 64;

// Arrays below this size get no guards, only whole cache lines of their own:
// a block of a few cells gives the prefetchers nothing to stream, while
// guards would multiply its memory (2000 populations of 5 IF_cond_exp cells:
// 18.3 MB peak and 3.97 s per simulated second without, 20.6 MB and 4.45 s
// with).
inline constexpr std::size_t kUnguardedBelow = 512;

inline std::size_t round_to_line(std::size_t bytes) { return (bytes + kLine - 1) / kLine * kLine; }

// Guard bytes on each side of an array of `bytes`: a page, but no more than
// the array itself rounded up to a line, and none for small arrays.
inline std::size_t guard_for(std::size_t bytes) {
    return bytes < kUnguardedBelow ? 0 : std::min(round_to_line(bytes), kPage);
}

inline std::size_t next_stagger() {
    static std::atomic<std::size_t> count{0};
    return (count.fetch_add(1, std::memory_order_relaxed) * 11 % (kPage / kLine)) * kLine;
}
}  // namespace cell_array_detail

template <class T>
struct GuardedAllocator {
    using value_type = T;
    GuardedAllocator() = default;
    template <class U>
    GuardedAllocator(const GuardedAllocator<U>&) {}

    // Layout: [guard][a line: the block's address][to the stagger][array][guard].
    // Arrays smaller than a page keep their (smaller) guards and no stagger;
    // small arrays are whole lines of their own, with no guard or header.
    T* allocate(std::size_t n) {
        using namespace cell_array_detail;
        const std::size_t bytes = n * sizeof(T), guard = guard_for(bytes);
        if (guard == 0)
            return static_cast<T*>(::operator new(std::max(round_to_line(bytes), kLine),
                                                  std::align_val_t{kLine}));
        const std::size_t slack = guard == kPage ? kPage : 0;
        auto* block = static_cast<std::byte*>(
            ::operator new(guard + kLine + slack + bytes + guard, std::align_val_t{kLine}));
        std::byte* array = block + guard + kLine;
        if (slack) {  // to the next address at the stagger's line of a page
            const auto at = reinterpret_cast<std::uintptr_t>(array);
            array += (next_stagger() - at) % kPage;
        }
        reinterpret_cast<std::byte**>(array)[-1] = block;
        return reinterpret_cast<T*>(array);
    }
    // n is allocate()'s: it tells whether the array has a header.
    void deallocate(T* p, std::size_t n) {
        void* block = p;
        if (cell_array_detail::guard_for(n * sizeof(T)) != 0) block = reinterpret_cast<std::byte**>(p)[-1];
        ::operator delete(block, std::align_val_t{cell_array_detail::kLine});
    }
    template <class U>
    bool operator==(const GuardedAllocator<U>&) const {
        return true;
    }
};

// One per-cell array of a shard.
using CellArray = std::vector<double, GuardedAllocator<double>>;

}  // namespace pineal
