// The C++ API: a Simulation context owns the network description and the
// native engine that runs it. There is no global state; the Python module
// keeps one current Simulation only because PyNN's procedural API needs it.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "pineal/connectors.hpp"
#include "pineal/current_source.hpp"
#include "pineal/population.hpp"
#include "pineal/synapse_dynamics.hpp"
#include "pineal/values.hpp"

namespace pineal {

class Engine;

struct SetupOptions {
    double timestep = 0.1;              // ms
    std::optional<double> min_delay;    // ms; nullopt means PyNN's "auto"
    std::optional<double> max_delay;    // ms; nullopt means "auto"
    int threads = 1;                    // threads of the step loop and of connection building
    int virtual_ranks = 1;              // partitions with explicit spike exchange (MPI stand-in)
    std::uint64_t rng_seed = 42;        // seed of the simulator's own streams
};

// A StaticSynapse projection between two populations, or between subsets of
// them (PyNN PopulationViews): pre_cells / post_cells, when given, are the
// selected population indices, strictly ascending. Connectors then work in
// projection index space (0 .. n - 1 over the selected cells, as PyNN's
// indices within a view); the engine stores population indices and
// connections() maps them back.
struct ProjectionSpec {
    std::size_t pre = 0;
    std::size_t post = 0;
    std::optional<std::vector<std::uint32_t>> pre_cells;   // nullopt: the whole population
    std::optional<std::vector<std::uint32_t>> post_cells;
    Connector connector = AllToAllConnector{};
    Value weight = 0.0;            // nA (current-based) or uS (conductance-based)
    std::optional<Value> delay;    // ms; nullopt means min_delay (dt when "auto")
    std::string receptor_type;     // one of the target model's receptor types
    std::string label;
    // PyNN's connector callback: fractions of targets generated (optional;
    // called from the generating threads, see ConnectionProgress).
    std::function<void(double)> progress;
    // A dynamic synapse type (plasticity, stochastic release); nullopt: StaticSynapse.
    std::optional<SynapseDynamics> dynamics;
};

struct ConnectionData {
    std::vector<std::uint32_t> pre;  // index in the projection's pre side (population or view)
    std::vector<std::uint32_t> post;
    std::vector<double> weight;
    std::vector<double> delay;  // ms, as rounded to the time step
};

// New values of one synapse attribute for every connection of a projection
// (PyNN Projection.set), in PyNN units (weight nA or uS, delay ms):
// - value: a scalar; an (n_pre * n_post) row-major array in projection
//   indices (NaN where there is no connection; every synapse of a pair gets
//   the pair's value); or a random distribution, drawn target by target in
//   the order of connections(), so the same for any threads and ranks;
// - per_connection: value is an array of one value per connection, in the
//   order of connections();
// - expression: a function of d, dx, dy, dz, i, j as at construction
//   (geometry needed when it uses distances); value is then ignored.
struct SynapseUpdate {
    Value value;
    bool per_connection = false;
    std::optional<std::string> expression;
    std::shared_ptr<const Geometry> geometry;
    bool check_only = false;  // validate only (several attributes set all-or-nothing)
    // attribute is a state variable of a dynamic synapse model: its initial
    // value per synapse (Projection.initialize), now and at each reset().
    bool initial = false;
};

// Memory of the native engine's synapse stores (all projections, all partitions).
struct SynapseMemory {
    std::size_t synapses = 0;
    std::size_t bytes = 0;                    // held after construction
    std::size_t peak_construction_bytes = 0;  // most held at once while building
    std::size_t dynamic_bytes = 0;  // per-synapse state of dynamic synapses (beyond bytes)
    std::size_t history_bytes = 0;  // postsynaptic spike histories read by STDP
    std::size_t history_entries = 0;  // post spikes held in those histories
};

// Wall time one thread of the step loop spent in each phase of the last
// run() (Simulation::set_phase_timing): updating its shards' cells, waiting
// at the slice barrier, delivering the slice's spikes.
struct PhaseTimes {
    std::uint64_t slices = 0;
    double update_s = 0.0;
    double wait_s = 0.0;
    double deliver_s = 0.0;
};

struct SpikeData {
    std::vector<std::uint32_t> index;  // cell index in the population
    std::vector<double> time;          // ms
};

struct SignalData {
    std::vector<std::uint32_t> cells;  // recorded cell indices, ascending
    double t_start = 0.0;              // ms, time of the first sample
    double sampling_interval = 0.0;    // ms
    std::size_t n_samples = 0;
    std::vector<double> values;        // row-major [sample][cell]
};

class Simulation {
public:
    explicit Simulation(const SetupOptions& options = {});
    ~Simulation();
    Simulation(const Simulation&) = delete;
    Simulation& operator=(const Simulation&) = delete;

    // Description.
    std::size_t create_population(const std::string& model, std::size_t size,
                                  const std::string& label);
    Population& population(std::size_t handle);
    // Undoes the last create_population() (when setting its parameters
    // failed), so that nothing half-built stays in the network.
    void discard_last_population();
    std::size_t population_count() const { return populations_.size(); }
    // Sets initial values (applied again at every reset()) and the current state.
    void initialize(std::size_t population, const std::string& variable, const Value& value,
                    std::optional<std::span<const std::uint32_t>> cells = std::nullopt);
    std::size_t connect(const ProjectionSpec& spec);
    // Undoes the last connect(): a PyNN projection between Assemblies is
    // several projections here, and an error in a later one drops the earlier.
    void discard_last_projection();
    std::size_t projection_size(std::size_t projection) const;
    ConnectionData connections(std::size_t projection) const;
    // The values of a per-synapse state variable of a dynamic projection (its
    // model's state list, e.g. Tsodyks-Markram "u"), in connections() order.
    std::vector<double> synapse_state(std::size_t projection, const std::string& variable) const;
    // Projection.set of a dynamic synapse model's parameter (e.g. "U",
    // "A_plus"; one value per projection), checked first; with check_only,
    // nothing changes (dynamics_update.cpp).
    void set_synapse_parameter(std::size_t projection, const std::string& name, double value,
                               bool check_only = false);
    // Projection.initialize of a dynamic synapse state variable (e.g. "u"):
    // every synapse takes `value` now and at each reset() (dynamics_update.cpp).
    void initialize_synapses(std::size_t projection, const std::string& variable, double value,
                             bool check_only = false);
    // Sets one synapse attribute of every connection (projection_update.cpp):
    // checked as at construction (shape, delay range, weight sign of the
    // receptor) before anything changes; takes effect at the next run.
    void set_synapses(std::size_t projection, const std::string& attribute,
                      const SynapseUpdate& update);
    // The attributes set_synapses() accepts ("weight", "delay", ...).
    std::vector<std::string> synapse_attributes(std::size_t projection) const;
    SynapseMemory synapse_memory() const;
    // Diagnostics: with timing on (off by default: it reads the clock three
    // times per min_delay slice), phase_times() gives per thread where the
    // last run() spent its time.
    void set_phase_timing(bool on);
    std::vector<PhaseTimes> phase_times() const;
    std::uint64_t next_stream() { return stream_counter_++; }  // a new use of the native RNG

    // Recording. sampling_interval in ms (0 means dt); a multiple of dt.
    void record(std::size_t population, const std::string& variable,
                std::span<const std::uint32_t> cells, double sampling_interval = 0.0);
    void stop_recording(std::size_t population);  // PyNN record(None)
    SpikeData spikes(std::size_t population, bool clear = false);
    SignalData signal(std::size_t population, const std::string& variable, bool clear = false);
    std::vector<std::string> recorded_variables(std::size_t population) const;

    // Current sources (handles in creation order). Parameters are validated
    // here; a change takes effect from the next run.
    std::size_t add_current_source(CurrentSourceKind kind, const CurrentSourceParameters& p,
                                   const std::string& label);
    void set_current_source(std::size_t source, const CurrentSourceParameters& p);
    const CurrentSource& current_source(std::size_t source) const;
    // Adds target cells (population indices); spike sources raise not_injectable.
    void inject(std::size_t source, std::size_t population, std::span<const std::uint32_t> cells);
    // Records the current the source injects (into its first target; noise
    // differs per cell) every dt from now; current_source_signal() returns it
    // up to and including the current time.
    void record_current_source(std::size_t source);
    SignalData current_source_signal(std::size_t source) const;

    // Time.
    void run(double duration_ms);
    void run_until(double t_ms);
    void reset();
    std::int64_t current_step() const;
    double time() const;
    double dt() const { return options_.timestep; }
    double min_delay() const;  // effective value: explicit, or derived from connections
    double max_delay() const;
    std::uint64_t segment() const;  // number of reset() calls
    const SetupOptions& options() const { return options_; }

private:
    double steps_to_ms(std::int64_t steps) const;

    SetupOptions options_;
    std::vector<std::unique_ptr<Population>> populations_;
    std::unique_ptr<Engine> engine_;
    std::uint64_t next_id_ = 1;  // cell ids start at 1, as NEST's do
    std::uint64_t stream_counter_ = 0;
    std::vector<CurrentSource> sources_;
    struct SourceTrace {
        bool active = false;
        std::int64_t first_step = 0;
        std::vector<double> values;  // the current of steps first_step, first_step + 1, ...
    };
    std::vector<SourceTrace> source_traces_;
    // The selections of each projection (empty optional: whole population).
    struct ProjectionCells {
        std::optional<std::vector<std::uint32_t>> pre, post;
        WeightSign weight_sign = WeightSign::any;  // PyNN's check_weights, kept for set
        std::uint32_t n_pre = 0, n_post = 0;       // projection sizes (selected cells)
        std::string label;
        std::optional<SynapseDynamics> dynamics;
    };
    std::vector<ProjectionCells> projection_cells_;
    void trace_sources(std::int64_t from, std::int64_t to);
};

}  // namespace pineal
