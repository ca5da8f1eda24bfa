// The barrier the threads of a run meet at once per min_delay slice.
//
// With min_delay = one step that is 10000 times a simulated second, so its
// latency is part of the step cost. std::barrier puts a waiting thread to
// sleep at once; waking it (futex, an inter-processor interrupt) took ~40 us
// per slice on this project's VMs, more than the slice's work for a
// 4000-cell network (VA CUBA: 0.05 s per simulated second on one thread,
// 0.44 s on two). Here a waiting thread spins first, for a bounded time
// (as OpenMP runtimes do before they sleep), and only then sleeps on the
// generation counter (C++20 atomic wait), so that an oversubscribed machine
// does not lose a core to spinning for long.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

namespace pineal {

class SliceBarrier {
public:
    explicit SliceBarrier(std::size_t threads) : threads_(static_cast<std::uint32_t>(threads)) {}

    // Returns once every thread has arrived. Everything a thread wrote before
    // arriving is visible to every thread after it returns.
    void arrive_and_wait() {
        const std::uint32_t generation = generation_.load(std::memory_order_acquire);
        if (arrived_.fetch_add(1, std::memory_order_acq_rel) + 1 == threads_) {
            // Reset before the release store: a thread that sees the new
            // generation and arrives at the next barrier counts from zero.
            arrived_.store(0, std::memory_order_relaxed);
            generation_.store(generation + 1, std::memory_order_release);
            generation_.notify_all();
            return;
        }
        const auto give_up = std::chrono::steady_clock::now() + kSpin;
        for (unsigned i = 1;; ++i) {
            if (generation_.load(std::memory_order_acquire) != generation) return;
            pause();
            if (i % 64 == 0 && std::chrono::steady_clock::now() > give_up) break;
        }
        while (generation_.load(std::memory_order_acquire) == generation)
            generation_.wait(generation, std::memory_order_acquire);
    }

private:
    // Long enough to cover a slice's imbalance between threads on an idle
    // machine, short against a scheduler time slice.
    static constexpr std::chrono::microseconds kSpin{200};

    static void pause() {
#if defined(__x86_64__) || defined(__i386__)
        _mm_pause();
#endif
    }

    const std::uint32_t threads_;
    std::atomic<std::uint32_t> arrived_{0};
    std::atomic<std::uint32_t> generation_{0};
};

}  // namespace pineal
