// The native engine: state, input buffers and recorders of every
// population, the synapse stores, and the step loop.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "engine/kernel.hpp"
#include "engine/recorder.hpp"
#include "engine/ring_buffer.hpp"
#include "engine/synapse_store.hpp"
#include "pineal/errors.hpp"
#include "pineal/simulation.hpp"

namespace pineal {

class Engine {
public:
    explicit Engine(const SetupOptions& options) : options_(options) {}

    void add_population(const Population& pop);
    void remove_last_population() { runtimes_.pop_back(); }
    // Whether a projection starts or ends in population `p`.
    bool connects(std::size_t p) const {
        for (const auto& prj : projections_)
            if (prj->pre_population() == p || prj->post_population() == p) return true;
        return false;
    }
    // Builds the projection's synapses; on error nothing is kept.
    std::size_t add_projection(const ProjectionSpec& spec, const ConnectionRequest& request,
                               int port, std::uint32_t n_pre);
    // Checked: the handle comes from the API user (Simulation::connections).
    const ProjectionStore& projection(std::size_t k) const {
        if (k >= projections_.size())
            fail(ErrorKind::out_of_range, "Simulation", "", "no projection with handle ", k,
                 " (there are ", projections_.size(), ")");
        return *projections_[k];
    }

    Recorder& recorder(std::size_t population) { return runtimes_[population].recorder; }
    const Recorder& recorder(std::size_t population) const { return runtimes_[population].recorder; }
    // Copies initial values into the current state (one variable, or all with -1).
    void apply_initial_value(std::size_t population, int state_index = -1);

    void run_until(std::int64_t target_step);
    void reset();
    std::int64_t step() const { return step_; }
    std::uint64_t segment() const { return segment_; }
    // Effective delays in steps: explicit ones, else derived from connections.
    std::int64_t min_delay_steps() const;
    std::int64_t max_delay_steps() const;

private:
    struct Runtime {
        const Population* population = nullptr;
        std::unique_ptr<NeuronKernel> kernel;
        StateArrays state;
        std::vector<RingBuffer> ports;
        Recorder recorder;
        std::uint64_t prepared_version = ~std::uint64_t{0};
        std::vector<SpikeEvent> spikes;  // produced in the current slice
        std::vector<std::size_t> outgoing;  // projections whose source is this population
    };
    struct QueuedSpike {
        std::int64_t stamp;
        std::uint32_t population;
        std::uint32_t index;
    };

    void prepare_run();
    void deliver_slice();
    KernelEnv env() const;

    SetupOptions options_;
    std::vector<Runtime> runtimes_;
    std::vector<std::unique_ptr<ProjectionStore>> projections_;
    std::vector<QueuedSpike> queue_;
    std::int64_t step_ = 0;
    std::uint64_t segment_ = 0;
    bool time_zero_done_ = false;
};

}  // namespace pineal
