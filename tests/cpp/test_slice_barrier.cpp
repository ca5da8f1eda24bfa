// SliceBarrier: no thread leaves a generation before every thread arrived,
// and what each wrote before arriving is seen by all after it — over many
// generations, with and without the sleeping fallback (a thread that is
// late by more than the spin time makes the others sleep).
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "engine/slice_barrier.hpp"

namespace pineal {
namespace {

void run_generations(std::size_t threads, int generations, bool late_thread) {
    SliceBarrier barrier(threads);
    std::vector<int> written(threads, -1);
    std::atomic<int> errors{0};
    std::vector<std::jthread> workers;
    for (std::size_t t = 0; t < threads; ++t)
        workers.emplace_back([&, t] {
            for (int g = 0; g < generations; ++g) {
                if (late_thread && t == 0 && g % 50 == 0)
                    std::this_thread::sleep_for(std::chrono::milliseconds(1));
                written[t] = g;  // plain write, published by the barrier
                barrier.arrive_and_wait();
                for (std::size_t u = 0; u < threads; ++u)
                    if (written[u] != g) errors.fetch_add(1);
                barrier.arrive_and_wait();  // nobody writes g + 1 before all read g
            }
        });
    workers.clear();  // join
    EXPECT_EQ(errors.load(), 0);
}

TEST(SliceBarrier, EveryThreadSeesEveryWriteOfItsGeneration) {
    run_generations(2, 20000, false);
    run_generations(3, 5000, false);
}

TEST(SliceBarrier, ThreadsThatStopSpinningSleepAndWakeCorrectly) {
    run_generations(2, 500, true);
    run_generations(4, 300, true);
}

TEST(SliceBarrier, OneThreadNeverWaits) {
    SliceBarrier barrier(1);
    for (int g = 0; g < 1000; ++g) barrier.arrive_and_wait();
}

}  // namespace
}  // namespace pineal
