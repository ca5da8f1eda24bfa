// The native engine: state, input buffers and recorders of every
// population, the synapse stores, and the step loop.
//
// Work is split into shards: virtual rank r (a partition that MPI will make a
// process) and thread t give shard r * threads + t. Shard s owns the block
// [n s / S, n (s + 1) / S) of every population of n cells: it holds their
// kernel, state and input buffers (its own, so that threads never share a
// page of per-cell data), updates those cells, samples their signals, and
// stores and delivers the synapses onto them. The spikes of a min_delay
// slice are left in per-shard buffers (the send buffers an MPI allgather
// will transport between ranks); every thread
// reads all of them, merged in one canonical order, and delivers those onto
// its own shards, so results are bit-identical for any number of threads and
// partitions. See docs/engine.md.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "engine/current_injection.hpp"
#include "engine/direct_drive.hpp"
#include "engine/kernel.hpp"
#include "engine/plasticity.hpp"
#include "engine/recorder.hpp"
#include "engine/ring_buffer.hpp"
#include "engine/synapse_store.hpp"
#include "pineal/errors.hpp"
#include "pineal/simulation.hpp"

namespace pineal {

// Gives the new values of one target's connections (Projection.set): `post`
// and `pre` in projection indices, the connections in canonical order
// (Engine::connections), `first` the canonical position of the first in the
// whole projection; writes one value per connection into `out`.
using SynapseFiller = std::function<void(std::uint32_t post, std::span<const std::uint32_t> pre,
                                         std::size_t first, std::span<double> out)>;

// One named column of a projection's synapses to set ("weight" in nA or uS,
// "delay" in ms); the plastic store adds its own names.
struct SynapseColumnUpdate {
    std::string column;
    std::function<SynapseFiller()> make_filler;  // called once per thread
    WeightSign sign = WeightSign::any;           // PyNN's check_weights for the receptor
    std::span<const std::uint32_t> pre_cells, post_cells;  // view selections; empty: all cells
    bool check_only = false;  // compute and check the values, change nothing
    // A dynamic synapse model parameter given per synapse: its index in the
    // rule's parameter order (-1: column is weight or delay) and the check
    // of each value (throws naming the projection and the parameter).
    int parameter = -1;
    std::function<void(double)> check_parameter;
    // Or the initial value of a per-synapse state variable (Projection.initialize
    // with a value per synapse): its index in the model's state list; the
    // rule checks the values (check_initial_values).
    int state_variable = -1;
};

class Engine {
public:
    explicit Engine(const SetupOptions& options);

    void add_population(const Population& pop);
    void remove_last_population();
    // Whether a projection starts or ends in population `p`.
    bool connects(std::size_t p) const;
    // Builds the projection's synapses on every shard; on error nothing is kept.
    std::size_t add_projection(const ProjectionSpec& spec, const ConnectionRequest& request,
                               int port);
    // Undoes the last add_projection() (a PyNN projection realised as several
    // engine projections failed part-way).
    void remove_last_projection();
    std::size_t projection_count() const { return projection_pre_.size(); }
    std::size_t projection_size(std::size_t k) const;
    // All connections of a projection in a canonical order: by target, then
    // source, then generation order (independent of threads and partitions),
    // in population indices (Simulation maps them to a view's indices).
    ConnectionData connections(std::size_t k) const;
    // Per-synapse state variable `variable` (index in the model's state list)
    // of a dynamic projection, in the order of connections() (engine_plastic.cpp).
    std::vector<double> synapse_state(std::size_t k, std::size_t variable) const;
    // Sets one column of every synapse of projection k, on every shard
    // (synapse_update.cpp). All values are computed and checked first: on
    // error nothing changes. Takes effect at the next run; spikes already
    // delivered into input buffers keep the weight and delay they had.
    void set_synapse_values(std::size_t k, const SynapseColumnUpdate& update);
    // The column names set_synapse_values() accepts for projection k.
    std::vector<std::string> synapse_columns(std::size_t k) const;
    // New model parameters of dynamic projection k (resolved order, checked).
    // One value per projection; `changed` (an index into values) is no longer
    // given per synapse.
    void set_dynamics_parameters(std::size_t k, const std::vector<double>& values,
                                 std::size_t changed, bool check_only = false);
    // Whether projection k's rule keeps model parameter `index` per synapse.
    bool per_synapse_parameter(std::size_t k, std::size_t index) const;
    // Whether projection k's rule takes initial state values per synapse.
    bool initializes_per_synapse(std::size_t k) const;
    // Model parameter `index` of every synapse, in the order of connections().
    std::vector<double> synapse_parameter(std::size_t k, std::size_t index) const;
    // Projection.initialize of state variable `variable` (model's state list).
    void initialize_synapse_state(std::size_t k, std::size_t variable, double value,
                                  bool check_only);

    // Recording (cells are population indices, checked by the caller).
    void record_spikes(std::size_t pop, std::span<const std::uint32_t> cells);
    void record_signal(std::size_t pop, const std::string& variable, int state_index,
                       std::span<const std::uint32_t> cells, std::int64_t interval);
    void stop_recording(std::size_t pop);
    std::vector<std::string> recorded_variables(std::size_t pop) const;
    const std::vector<SpikeEvent>& spike_events(std::size_t pop) const;
    // Merges the shards; throws if `variable` is not recorded.
    SignalData signal(std::size_t pop, const std::string& variable) const;
    void clear_data(std::size_t pop);

    // Copies initial values into the current state (one variable, or all with -1).
    void apply_initial_value(std::size_t population, int state_index = -1);

    void run_until(std::int64_t target_step);
    void reset();
    std::int64_t step() const { return step_; }
    std::uint64_t segment() const { return segment_; }
    // Effective delays in steps: explicit ones, else derived from connections.
    std::int64_t min_delay_steps() const;
    std::int64_t max_delay_steps() const;
    std::size_t shard_count() const { return shards_.size(); }
    SynapseMemory synapse_memory() const;
    void set_phase_timing(bool on) { phase_timing_ = on; }
    const std::vector<PhaseTimes>& phase_times() const { return phase_times_; }
    // The current sources (owned by the Simulation) injected at every run.
    void set_current_sources(const std::vector<CurrentSource>* sources) { sources_ = sources; }

private:
    struct Runtime {  // one population
        const Population* population = nullptr;
        SpikeRecorder spikes;
        std::vector<std::size_t> outgoing;  // projections whose source is this population
        // Every synapse from a cell of this population lies on the shard that
        // owns that cell (e.g. a one-to-one drive): a thread then needs only
        // its own shards' spikes of it (prepare_run, for_each_spike_run).
        bool shard_local = false;
    };
    // One population's cells on one shard: the block [begin, end), which
    // the shard owns outright (its own kernel, state and input buffers,
    // indexed by cell - begin), so that no two threads write near each
    // other's data (docs/engine.md, "Shards").
    struct ShardPopulation {
        std::size_t begin = 0, end = 0;
        // The block as a population (parameters, first_id) for its kernel:
        // the population itself when the block is all of it (one shard: no
        // copy of its parameters and sequences), else `block`, re-cut when
        // the population's parameters change; null for an empty block.
        const Population* cells = nullptr;
        std::unique_ptr<Population> block;
        std::unique_ptr<NeuronKernel> kernel;
        StateArrays state;               // [variable][cell - begin]
        std::vector<RingBuffer> ports;   // per receptor, cells - begin
        std::uint64_t prepared_version = ~std::uint64_t{0};
        // Spikes produced in a slice, (stamp, cell) order, in block indices
        // (for_each_spike_run passes begin). Two buffers: slice n writes buffer
        // n % 2 while other threads may still read n - 1's.
        std::vector<SpikeEvent> spikes[2];
        SignalRecorder signals;
    };
    struct Shard {
        std::vector<ShardPopulation> populations;
        std::vector<std::unique_ptr<ProjectionStore>> projections;  // synapses onto this shard
        // Per projection, the input buffer its synapses add into (set by
        // prepare_run: one lookup per delivery instead of four).
        std::vector<RingBuffer*> inputs;
    };
    void prepare_run();
    static void cut_block(ShardPopulation& sp, const Population& pop);
    void prepare_direct_drive();
    void emit_time_zero();
    void update_slice(std::size_t shard, std::int64_t from, std::int64_t to, int parity);
    template <class F>
    void for_each_spike_run(int parity, std::size_t first, std::size_t stride, bool record,
                            F&& f) const;
    // `now` and `end`: the first step of the slice and its end (the last
    // stamp its spikes can have).
    void deliver(std::size_t first_shard, std::size_t stride, bool record, int parity,
                 std::int64_t now, std::int64_t end);
    void sample(std::size_t shard, std::int64_t step);
    // Runs the kernel of one shard's block (update, or spikes at time zero):
    // call(ctx) with the block's cells, state and spike list.
    template <class F>
    void run_kernel(ShardPopulation& sp, std::vector<SpikeEvent>& spikes, F&& call);
    void run_slices(std::size_t thread, std::int64_t target_step, class SliceSync& sync);
    KernelEnv env() const;
    // Dynamic synapses (engine_plastic.cpp): the rule of projection k on one
    // shard, built from the finished rows and the initial weights.
    std::unique_ptr<SynapseRule> make_rule(const ProjectionSpec& spec, int port,
                                           std::size_t projection, const ProjectionStore& rows,
                                           std::vector<double> weights) const;
    // Appends the slice's spikes of the shards first, first + stride, ... to
    // the postsynaptic histories that STDP projections read.
    void record_post_history(std::size_t first, std::size_t stride, int parity, std::int64_t now);
    void deliver_dynamic(std::size_t k, std::size_t base, const SpikeEvent& e,
                         std::size_t first, std::size_t stride, std::int64_t end);
    // STDP spikes waiting for later post spikes, now known up to `end`.
    void deliver_pending(std::size_t first, std::size_t stride, std::int64_t end);
    void check_dynamic_rules() const;  // before a run (SynapseRule::check_run)
    // Projection.set on a dynamic projection: new weights (canonical order
    // of the shard's synapses) reach the rule; delay changes are refused
    // where a rule's state depends on the delay (STDP).
    void set_dynamic_weights(std::size_t k, std::size_t shard, std::span<const double> by_canonical,
                             const SynapseAddresses& a);
    void check_dynamic_delay_change(std::size_t k) const;
    // read(rule, q) of every synapse of projection k, in the order of connections().
    std::vector<double> per_synapse_values(
        std::size_t k, const std::function<double(const SynapseRule&, std::size_t)>& read) const;
    DelayRules delay_rules() const;
    static void check_weight(double w, WeightSign sign, const std::string& label);
    std::size_t threads() const { return static_cast<std::size_t>(options_.threads); }

    SetupOptions options_;
    std::vector<Runtime> runtimes_;
    std::vector<Shard> shards_;
    std::vector<std::size_t> projection_pre_;   // pre population of each projection
    std::vector<std::size_t> projection_post_;  // post population of each projection
    std::vector<int> projection_port_;
    std::int64_t step_ = 0;
    // Slots of every input ring buffer: max delay + 1, never fewer than
    // before within a segment (delays may shrink between runs while spikes
    // with the old, longer delays are still pending).
    std::size_t ring_slots_ = 0;
    std::uint64_t segment_ = 0;
    bool time_zero_done_ = false;
    const std::vector<CurrentSource>* sources_ = nullptr;
    CurrentInjection injection_;
    Plasticity plasticity_;
    bool phase_timing_ = false;
    std::vector<PhaseTimes> phase_times_;  // per thread, of the last run (run_slices)
    DirectDrive direct_;  // one-to-one drives (direct_drive.hpp), derived by prepare_run
};

}  // namespace pineal
