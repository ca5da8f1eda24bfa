#include "pineal/simulation.hpp"

#include "models/synapses/synapse_model.hpp"

#include <algorithm>
#include <cmath>

#include "engine/engine.hpp"
#include "pineal/errors.hpp"

namespace pineal {

namespace {
void validate(const SetupOptions& o) {
    if (!(o.timestep > 0) || !std::isfinite(o.timestep))
        fail(ErrorKind::invalid_parameter_value, "setup", "timestep",
             "setup: timestep must be > 0 ms, got ", o.timestep);
    if (o.min_delay && !(*o.min_delay >= o.timestep * (1 - 1e-9)))
        fail(ErrorKind::invalid_parameter_value, "setup", "min_delay", "setup: min_delay (",
             *o.min_delay, " ms) must be >= timestep (", o.timestep, " ms)");
    if (o.min_delay && o.max_delay && *o.min_delay > *o.max_delay)
        fail(ErrorKind::invalid_parameter_value, "setup", "max_delay", "setup: min_delay (",
             *o.min_delay, " ms) must not exceed max_delay (", *o.max_delay, " ms)");
    if (o.max_delay && !(*o.max_delay >= o.timestep * (1 - 1e-9)))
        fail(ErrorKind::invalid_parameter_value, "setup", "max_delay", "setup: max_delay (",
             *o.max_delay, " ms) must be >= timestep (", o.timestep, " ms)");
    if (o.threads < 1 || o.threads > 1024)
        fail(ErrorKind::invalid_parameter_value, "setup", "threads",
             "setup: threads must be between 1 and 1024, got ", o.threads);
    if (o.virtual_ranks < 1 || o.virtual_ranks > 1024)
        fail(ErrorKind::invalid_parameter_value, "setup", "virtual_ranks",
             "setup: virtual_ranks must be between 1 and 1024, got ", o.virtual_ranks);
}

// A selection must be strictly ascending population indices (so that
// projection order is population order, and lookups can bisect).
void check_cells(const std::optional<std::vector<std::uint32_t>>& cells, const Population& pop,
                 const std::string& label, const char* name) {
    if (!cells) return;
    for (std::size_t k = 0; k < cells->size(); ++k) {
        const std::uint32_t i = (*cells)[k];
        if (i >= pop.size())
            fail(ErrorKind::out_of_range, label, name, "Projection '", label, "': ", name,
                 " has cell index ", i, " but population '", pop.label(), "' has ", pop.size(),
                 " cells");
        if (k > 0 && i <= (*cells)[k - 1])
            fail(ErrorKind::invalid_parameter_value, label, name, "Projection '", label, "': ",
                 name, " must be strictly ascending, got ", (*cells)[k - 1], " then ", i);
    }
}

void to_projection_indices(const std::optional<std::vector<std::uint32_t>>& cells,
                           std::vector<std::uint32_t>& indices) {
    if (!cells) return;
    for (auto& i : indices)
        i = static_cast<std::uint32_t>(std::lower_bound(cells->begin(), cells->end(), i) -
                                       cells->begin());
}
}  // namespace

Simulation::Simulation(const SetupOptions& options) : options_(options) {
    validate(options_);
    engine_ = std::make_unique<Engine>(options_);
    engine_->set_current_sources(&sources_);
}

Simulation::~Simulation() = default;

std::size_t Simulation::create_population(const std::string& model, std::size_t size,
                                          const std::string& label) {
    const ModelInfo& info = find_model(model);
    auto pop = std::make_unique<Population>(info, size, label, next_id_);
    engine_->add_population(*pop);
    populations_.push_back(std::move(pop));
    next_id_ += size;
    return populations_.size() - 1;
}

void Simulation::discard_last_population() {
    if (populations_.empty()) return;
    // A projection would keep the index of a population that no longer exists.
    if (engine_->connects(populations_.size() - 1))
        fail(ErrorKind::state, populations_.back()->label(), "", "Population '",
             populations_.back()->label(), "' cannot be discarded: a projection uses it");
    engine_->remove_last_population();
    next_id_ -= populations_.back()->size();
    populations_.pop_back();
}

Population& Simulation::population(std::size_t handle) {
    if (handle >= populations_.size())
        fail(ErrorKind::out_of_range, "Simulation", "", "no population with handle ", handle);
    return *populations_[handle];
}

void Simulation::initialize(std::size_t handle, const std::string& variable, const Value& value,
                            std::optional<std::span<const std::uint32_t>> cells) {
    Population& pop = population(handle);
    pop.set_initial_value(variable, value, cells);
    engine_->apply_initial_value(handle, pop.model().state_index(variable));
}

std::size_t Simulation::connect(const ProjectionSpec& spec) {
    const Population& pre = population(spec.pre);
    const Population& post = population(spec.post);
    const ModelInfo& target = post.model();
    const int port = target.receptor_index(spec.receptor_type);
    if (port < 0) {
        std::string known;
        for (const auto& r : target.receptor_types) known += (known.empty() ? "" : ", ") + r;
        fail(ErrorKind::connection, spec.label, "receptor_type", "Projection '", spec.label,
             "': receptor type '", spec.receptor_type, "' does not exist for ", target.name,
             known.empty() ? " (it takes no input)" : "; it has: ", known);
    }
    // Checked here, before anything is built.
    if (spec.dynamics) (void)resolve_dynamics(*spec.dynamics, spec.label);
    check_cells(spec.pre_cells, pre, spec.label, "pre_cells");
    check_cells(spec.post_cells, post, spec.label, "post_cells");
    ConnectionRequest request;
    request.label = spec.label;
    request.n_pre = static_cast<std::uint32_t>(spec.pre_cells ? spec.pre_cells->size() : pre.size());
    request.n_post =
        static_cast<std::uint32_t>(spec.post_cells ? spec.post_cells->size() : post.size());
    if (spec.pre_cells) request.pre_cells = *spec.pre_cells;
    if (spec.post_cells) request.post_cells = *spec.post_cells;
    request.pre_first_id = pre.first_id();
    request.post_first_id = post.first_id();
    request.weight = spec.weight;
    // PyNN: delay=None means min_delay, or dt when min_delay is "auto".
    request.delay = spec.delay.value_or(Value(options_.min_delay.value_or(options_.timestep)));
    // PyNN's check_weights: conductances and excitatory currents are >= 0,
    // inhibitory currents <= 0.
    // connector safe=False skips the check (PyNN).
    const std::string& r = spec.receptor_type;
    if (!spec.connector.check_weights)
        request.weight_sign = WeightSign::any;
    else if (target.conductance_based || r == "excitatory" || r == "AMPA" || r == "NMDA")
        request.weight_sign = WeightSign::non_negative;
    else if (r == "inhibitory" || r == "GABA" || r == "GABAA" || r == "GABAB")
        request.weight_sign = WeightSign::non_positive;
    std::optional<ConnectionProgress> progress;
    if (spec.progress) request.progress = &progress.emplace(request.n_post, spec.progress);
    const std::size_t handle = engine_->add_projection(spec, request, port);
    projection_cells_.push_back({spec.pre_cells, spec.post_cells, request.weight_sign,
                                 request.n_pre, request.n_post, spec.label, spec.dynamics});
    return handle;
}

void Simulation::discard_last_projection() {
    if (projection_cells_.empty()) return;
    engine_->remove_last_projection();
    projection_cells_.pop_back();
}

std::size_t Simulation::projection_size(std::size_t projection) const {
    return engine_->projection_size(projection);
}

ConnectionData Simulation::connections(std::size_t projection) const {
    ConnectionData out = engine_->connections(projection);
    for (auto& d : out.delay) d = steps_to_ms(static_cast<std::int64_t>(d));
    // The engine stores population indices; a view side reads in view indices.
    const ProjectionCells& cells = projection_cells_[projection];
    to_projection_indices(cells.pre, out.pre);
    to_projection_indices(cells.post, out.post);
    return out;
}

std::vector<double> Simulation::synapse_state(std::size_t projection,
                                              const std::string& variable) const {
    (void)engine_->projection_size(projection);  // checks the handle
    const auto& dynamics = projection_cells_[projection].dynamics;
    std::string known;
    if (dynamics) {
        const SynapseModelInfo& m = find_synapse_model(dynamics->model, SynapseKind::synapse);
        for (std::size_t v = 0; v < m.state.size(); ++v) {
            if (m.state[v].name == variable) return engine_->synapse_state(projection, v);
            known += (known.empty() ? "" : ", ") + m.state[v].name;
        }
        // Model parameters that the rule can hold per synapse read the same way.
        const ResolvedDynamics r = resolve_dynamics(*dynamics, projection_cells_[projection].label);
        for (std::size_t k = 0; k < r.names.size(); ++k)
            if (r.names[k] == variable && engine_->per_synapse_parameter(projection, k))
                return engine_->synapse_parameter(projection, k);
    }
    fail(ErrorKind::non_existent_parameter, dynamics ? dynamics->model : "StaticSynapse", variable,
         "synapses of projection ", projection, " have no state variable '", variable, "'",
         known.empty() ? std::string(" (they have none)") : "; they have: " + known);
}

SynapseMemory Simulation::synapse_memory() const { return engine_->synapse_memory(); }
void Simulation::set_phase_timing(bool on) { engine_->set_phase_timing(on); }
std::vector<PhaseTimes> Simulation::phase_times() const { return engine_->phase_times(); }

void Simulation::record(std::size_t population_handle, const std::string& variable,
                        std::span<const std::uint32_t> cells, double sampling_interval) {
    Population& pop = population(population_handle);
    const ModelInfo& m = pop.model();
    if (!m.can_record(variable)) {
        std::string known;
        for (const auto& v : m.recordable) known += (known.empty() ? "" : ", ") + v;
        fail(ErrorKind::recording, m.name, variable, "cannot record '", variable, "' from ",
             m.name, " (population '", pop.label(), "'); recordable: ", known);
    }
    for (auto i : cells)
        if (i >= pop.size())
            fail(ErrorKind::out_of_range, pop.label(), "", "Population '", pop.label(),
                 "': cell index ", i, " out of range for size ", pop.size());
    if (variable == "spikes") {
        engine_->record_spikes(population_handle, cells);
        return;
    }
    const double interval = sampling_interval > 0 ? sampling_interval : options_.timestep;
    const double steps = std::round(interval / options_.timestep);
    if (steps < 1 || std::abs(steps * options_.timestep - interval) > 1e-9 * interval)
        fail(ErrorKind::invalid_parameter_value, pop.label(), "sampling_interval",
             "sampling_interval must be a multiple of the time step ", options_.timestep,
             " ms, got ", interval);
    engine_->record_signal(population_handle, variable, m.state_index(variable), cells,
                           static_cast<std::int64_t>(steps));
}

void Simulation::stop_recording(std::size_t population_handle) {
    population(population_handle);
    engine_->stop_recording(population_handle);
}

std::vector<std::string> Simulation::recorded_variables(std::size_t population_handle) const {
    // Checked here: population() is not const, and the engine does not check.
    if (population_handle >= populations_.size())
        fail(ErrorKind::out_of_range, "Simulation", "", "no population with handle ",
             population_handle);
    return engine_->recorded_variables(population_handle);
}

SpikeData Simulation::spikes(std::size_t population_handle, bool clear) {
    population(population_handle);
    SpikeData out;
    for (const auto& e : engine_->spike_events(population_handle)) {
        out.index.push_back(e.index);
        out.time.push_back(steps_to_ms(e.stamp));
    }
    if (clear) engine_->clear_data(population_handle);
    return out;
}

SignalData Simulation::signal(std::size_t population_handle, const std::string& variable,
                              bool clear) {
    population(population_handle);
    SignalData out = engine_->signal(population_handle, variable);
    out.sampling_interval = steps_to_ms(static_cast<std::int64_t>(out.sampling_interval));
    out.t_start = steps_to_ms(static_cast<std::int64_t>(out.t_start));
    if (clear) engine_->clear_data(population_handle);
    return out;
}

double Simulation::steps_to_ms(std::int64_t steps) const {
    // With dt = 1/k ms (0.1, 0.05, 0.025, ...) divide by k, so that 7 steps
    // of 0.1 ms read 0.7 and not 0.7000000000000001.
    const double per_ms = 1.0 / options_.timestep;
    const double k = std::round(per_ms);
    if (k >= 1 && std::abs(per_ms - k) <= 1e-9 * k) return static_cast<double>(steps) / k;
    return static_cast<double>(steps) * options_.timestep;
}

void Simulation::run(double duration_ms) {
    if (!(duration_ms >= 0) || !std::isfinite(duration_ms))
        fail(ErrorKind::invalid_parameter_value, "run", "simtime",
             "run: simtime must be a finite number >= 0 ms, got ", duration_ms);
    run_until(time() + duration_ms);
}

void Simulation::run_until(double t_ms) {
    if (!std::isfinite(t_ms) || t_ms < time() - 0.5 * options_.timestep)
        fail(ErrorKind::invalid_parameter_value, "run_until", "time_point", "run_until: ", t_ms,
             " ms lies before the current time ", time(), " ms");
    const auto target = static_cast<std::int64_t>(std::llround(t_ms / options_.timestep));
    const std::int64_t from = engine_->step();
    engine_->run_until(std::max(target, from));
    trace_sources(from, engine_->step());
}

void Simulation::reset() {
    engine_->reset();
    for (auto& t : source_traces_) t.first_step = 0, t.values.clear();
}

std::size_t Simulation::add_current_source(CurrentSourceKind kind,
                                          const CurrentSourceParameters& p,
                                          const std::string& label) {
    CurrentSource s;
    s.kind = kind;
    s.p = p;
    s.label = label;
    validate_current_source(s, options_.timestep);
    s.stream = next_stream();
    sources_.push_back(std::move(s));
    source_traces_.emplace_back();
    return sources_.size() - 1;
}

const CurrentSource& Simulation::current_source(std::size_t source) const {
    if (source >= sources_.size())
        fail(ErrorKind::out_of_range, "Simulation", "", "no current source with handle ", source);
    return sources_[source];
}

void Simulation::set_current_source(std::size_t source, const CurrentSourceParameters& p) {
    CurrentSource s = current_source(source);
    s.p = p;
    validate_current_source(s, options_.timestep);  // nothing changes on error
    sources_[source].p = s.p;
}

void Simulation::inject(std::size_t source, std::size_t population_handle,
                        std::span<const std::uint32_t> cells) {
    const CurrentSource& src = current_source(source);
    const Population& pop = population(population_handle);
    if (!pop.model().injectable)
        fail(ErrorKind::wrong_type, pop.label(), "", src.label, ": cannot inject current into ",
             pop.model().name, " (population '", pop.label(), "'): it is a spike source");
    for (auto i : cells)
        if (i >= pop.size())
            fail(ErrorKind::out_of_range, pop.label(), "", "Population '", pop.label(),
                 "': cell index ", i, " out of range for size ", pop.size());
    auto& targets = sources_[source].targets;
    for (auto i : cells)
        targets.push_back({static_cast<std::uint32_t>(population_handle), i, pop.first_id() + i});
}

void Simulation::record_current_source(std::size_t source) {
    current_source(source);
    SourceTrace& t = source_traces_[source];
    if (t.active) return;
    t.active = true;
    t.first_step = engine_->step();
    t.values.clear();
}

// Appends the current of steps [from, to) of every recorded source, with the
// parameters of the run that just took those steps.
void Simulation::trace_sources(std::int64_t from, std::int64_t to) {
    for (std::size_t k = 0; k < sources_.size(); ++k) {
        SourceTrace& t = source_traces_[k];
        if (!t.active) continue;
        const CurrentWaveform w(sources_[k], options_.timestep, options_.rng_seed);
        const std::uint64_t id = sources_[k].targets.empty() ? 0 : sources_[k].targets[0].id;
        for (std::int64_t s = std::max(from, t.first_step); s < to; ++s)
            t.values.push_back(w.value(s, id, engine_->segment()));
    }
}

SignalData Simulation::current_source_signal(std::size_t source) const {
    const CurrentSource& src = current_source(source);
    const SourceTrace& t = source_traces_[source];
    if (!t.active)
        fail(ErrorKind::recording, src.label, "i", src.label, ": the current is not being recorded");
    SignalData out;
    out.t_start = steps_to_ms(t.first_step);
    out.sampling_interval = options_.timestep;
    out.values = t.values;
    // The last sample is the current that acts from now on (current parameters).
    const CurrentWaveform w(src, options_.timestep, options_.rng_seed);
    out.values.push_back(w.value(engine_->step(), src.targets.empty() ? 0 : src.targets[0].id,
                                 engine_->segment()));
    out.n_samples = out.values.size();
    out.cells = {0};
    return out;
}

std::int64_t Simulation::current_step() const { return engine_->step(); }
double Simulation::time() const { return steps_to_ms(engine_->step()); }
double Simulation::min_delay() const { return steps_to_ms(engine_->min_delay_steps()); }
double Simulation::max_delay() const { return steps_to_ms(engine_->max_delay_steps()); }
std::uint64_t Simulation::segment() const { return engine_->segment(); }

}  // namespace pineal
