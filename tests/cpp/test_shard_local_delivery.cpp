// A population whose synapses all lie on the shard of their source (a
// one-to-one drive between equal populations) is delivered by each thread
// from its own shards' spikes only (Engine::for_each_spike_run); other threads
// skip them unless they record them. Results must stay bit-identical to one
// thread (which skips nothing), with the drive recorded or not, and when the
// same drive also has a non-local projection.
#include <gtest/gtest.h>

#include "test_support.hpp"

namespace pineal {
namespace {

struct Result {
    SpikeData drive, cells;
};

// drive_extra: a second, all-to-all projection from the drive (not local).
Result simulate(int threads, int ranks, bool record_drive, bool drive_extra, std::uint32_t n_drive) {
    SetupOptions o;
    o.threads = threads;
    o.virtual_ranks = ranks;
    o.rng_seed = 77;
    Simulation sim(o);
    const auto drive = sim.create_population("SpikeSourcePoisson", n_drive, "drive");
    sim.population(drive).set_parameter("rate", 3000.0);
    const auto cells = sim.create_population("IF_curr_exp", 61, "cells");  // uneven blocks
    sim.connect(test::projection(drive, cells, OneToOneConnector{}, 0.4, Value(0.5)));
    sim.connect(test::projection(cells, cells, FixedProbabilityConnector{0.2, false, {5, 1, 0, 0}},
                                 -0.3, Value(1.0), "inhibitory"));
    if (drive_extra)
        sim.connect(test::projection(drive, cells, AllToAllConnector{}, 0.001, Value(0.7)));
    if (record_drive) sim.record(drive, "spikes", test::all_cells(n_drive));
    sim.record(cells, "spikes", test::all_cells(61));
    sim.run(200.0);
    return {record_drive ? sim.spikes(drive) : SpikeData{}, sim.spikes(cells)};
}

void expect_same(const Result& a, const Result& b) {
    EXPECT_EQ(a.drive.index, b.drive.index);
    EXPECT_EQ(a.drive.time, b.drive.time);
    EXPECT_EQ(a.cells.index, b.cells.index);
    EXPECT_EQ(a.cells.time, b.cells.time);
}

TEST(ShardLocalDelivery, ThreadsGiveBitIdenticalResults) {
    for (bool record_drive : {false, true})
        for (bool extra : {false, true})
            for (std::uint32_t n_drive : {61u, 50u}) {  // 50: blocks differ, not local
                SCOPED_TRACE(testing::Message() << "record " << record_drive << ", extra "
                                                << extra << ", drive " << n_drive);
                const Result serial = simulate(1, 1, record_drive, extra, n_drive);
                ASSERT_GT(serial.cells.time.size(), 100u);  // the drive makes the cells fire
                if (record_drive) ASSERT_GT(serial.drive.time.size(), 1000u);
                for (auto [threads, ranks] : {std::pair{2, 1}, {3, 1}, {2, 2}})
                    expect_same(serial, simulate(threads, ranks, record_drive, extra, n_drive));
            }
}

}  // namespace
}  // namespace pineal
