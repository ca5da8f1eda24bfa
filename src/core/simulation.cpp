#include "pineal/simulation.hpp"

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
    if (o.threads < 1)
        fail(ErrorKind::invalid_parameter_value, "setup", "threads",
             "setup: threads must be >= 1, got ", o.threads);
}
}  // namespace

Simulation::Simulation(const SetupOptions& options) : options_(options) {
    validate(options_);
    engine_ = std::make_unique<Engine>(options_);
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
    ConnectionRequest request;
    request.label = spec.label;
    request.n_pre = static_cast<std::uint32_t>(pre.size());
    request.n_post = static_cast<std::uint32_t>(post.size());
    request.pre_first_id = pre.first_id();
    request.post_first_id = post.first_id();
    request.weight = spec.weight;
    // PyNN: delay=None means min_delay, or dt when min_delay is "auto".
    request.delay = spec.delay.value_or(Value(options_.min_delay.value_or(options_.timestep)));
    // PyNN's check_weights: conductances and excitatory currents are >= 0,
    // inhibitory currents <= 0.
    const std::string& r = spec.receptor_type;
    if (target.conductance_based || r == "excitatory" || r == "AMPA" || r == "NMDA")
        request.weight_sign = WeightSign::non_negative;
    else if (r == "inhibitory" || r == "GABA" || r == "GABAA" || r == "GABAB")
        request.weight_sign = WeightSign::non_positive;
    return engine_->add_projection(spec, request, port, request.n_pre);
}

std::size_t Simulation::projection_size(std::size_t projection) const {
    return engine_->projection(projection).size();
}

ConnectionData Simulation::connections(std::size_t projection) const {
    const ProjectionStore& p = engine_->projection(projection);
    ConnectionData out;
    out.pre.resize(p.size()), out.post.resize(p.size());
    out.weight.resize(p.size()), out.delay.resize(p.size());
    for (std::size_t k = 0; k < p.size(); ++k) {
        out.pre[k] = p.source(k);
        out.post[k] = p.target(k);
        out.weight[k] = p.weight(k);
        out.delay[k] = p.delay(k) * options_.timestep;
    }
    return out;
}

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
    Recorder& rec = engine_->recorder(population_handle);
    if (variable == "spikes") {
        rec.record_spikes(cells, pop.size());
        return;
    }
    const double interval = sampling_interval > 0 ? sampling_interval : options_.timestep;
    const double steps = std::round(interval / options_.timestep);
    if (steps < 1 || std::abs(steps * options_.timestep - interval) > 1e-9 * interval)
        fail(ErrorKind::invalid_parameter_value, pop.label(), "sampling_interval",
             "sampling_interval must be a multiple of the time step ", options_.timestep,
             " ms, got ", interval);
    rec.record_signal(variable, m.state_index(variable), cells, static_cast<std::int64_t>(steps),
                      pop.label());
}

void Simulation::stop_recording(std::size_t population_handle) {
    population(population_handle);
    engine_->recorder(population_handle).clear_requests();
}

std::vector<std::string> Simulation::recorded_variables(std::size_t population_handle) const {
    // Checked here: population() is not const, and the engine does not check.
    if (population_handle >= populations_.size())
        fail(ErrorKind::out_of_range, "Simulation", "", "no population with handle ",
             population_handle);
    const Recorder& rec = engine_->recorder(population_handle);
    std::vector<std::string> out;
    if (rec.records_spikes()) out.push_back("spikes");
    for (const auto& [name, s] : rec.signals()) out.push_back(name);
    return out;
}

SpikeData Simulation::spikes(std::size_t population_handle, bool clear) {
    population(population_handle);
    Recorder& rec = engine_->recorder(population_handle);
    SpikeData out;
    for (const auto& e : rec.spike_events()) {
        out.index.push_back(e.index);
        out.time.push_back(static_cast<double>(e.stamp) * options_.timestep);
    }
    if (clear) rec.clear_data(engine_->step());
    return out;
}

SignalData Simulation::signal(std::size_t population_handle, const std::string& variable,
                              bool clear) {
    population(population_handle);
    Recorder& rec = engine_->recorder(population_handle);
    SignalData out;
    const auto it = rec.signals().find(variable);
    if (it == rec.signals().end())
        fail(ErrorKind::recording, population(population_handle).label(), variable, "'",
             variable, "' is not being recorded");
    const auto& s = it->second;
    out.cells = s.cells;
    out.sampling_interval = static_cast<double>(s.interval) * options_.timestep;
    out.t_start = static_cast<double>(s.first_step < 0 ? rec.start_step() : s.first_step) *
                  options_.timestep;
    out.values = s.values;
    out.n_samples = s.cells.empty() ? 0 : s.values.size() / s.cells.size();
    if (clear) rec.clear_data(engine_->step());
    return out;
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
    engine_->run_until(std::max(target, engine_->step()));
}

void Simulation::reset() { engine_->reset(); }

std::int64_t Simulation::current_step() const { return engine_->step(); }
double Simulation::time() const {
    return static_cast<double>(engine_->step()) * options_.timestep;
}
double Simulation::min_delay() const {
    return static_cast<double>(engine_->min_delay_steps()) * options_.timestep;
}
double Simulation::max_delay() const {
    return static_cast<double>(engine_->max_delay_steps()) * options_.timestep;
}
std::uint64_t Simulation::segment() const { return engine_->segment(); }

}  // namespace pineal
