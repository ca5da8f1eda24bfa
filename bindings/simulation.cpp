// Bindings of the Simulation context.
#include <nanobind/nanobind.h>
#include <nanobind/stl/optional.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/tuple.h>
#include <nanobind/stl/variant.h>
#include <nanobind/stl/vector.h>

#include "bindings/convert.hpp"
#include "bindings/progress.hpp"
#include "pineal/simulation.hpp"

namespace pineal::bindings {

using namespace nb::literals;
using Cells = std::optional<Array1<std::uint32_t>>;
void bind_synapse_queries(nb::class_<Simulation>& sim);  // synapses.cpp

void bind_simulation(nb::module_& m) {
    auto sim = nb::class_<Simulation>(m, "Simulation");
    bind_synapse_queries(sim);
    sim
        .def("__init__",
             [](Simulation* s, double timestep, std::optional<double> min_delay,
                std::optional<double> max_delay, int threads, int virtual_ranks,
                std::uint64_t rng_seed) {
                 SetupOptions o;
                 o.timestep = timestep;
                 o.min_delay = min_delay;
                 o.max_delay = max_delay;
                 o.threads = threads;
                 o.virtual_ranks = virtual_ranks;
                 o.rng_seed = rng_seed;
                 new (s) Simulation(o);
             },
             "timestep"_a, "min_delay"_a.none(), "max_delay"_a.none(), "threads"_a = 1, "virtual_ranks"_a = 1,
             "rng_seed"_a = 42)
        .def("create_population", &Simulation::create_population, "model"_a, "size"_a, "label"_a)
        .def("discard_last_population", &Simulation::discard_last_population)
        .def("set_parameter",
             [](Simulation& s, std::size_t pop, const std::string& name, const Value& v,
                const Cells& cells) { s.population(pop).set_parameter(name, v, cell_span(cells)); },
             "population"_a, "name"_a, "value"_a, "cells"_a.none())
        .def("set_sequence",
             [](Simulation& s, std::size_t pop, const std::string& name,
                const std::vector<std::vector<double>>& seqs, const Cells& cells) {
                 s.population(pop).set_sequence(name, seqs, cell_span(cells));
             },
             "population"_a, "name"_a, "sequences"_a, "cells"_a.none())
        .def("initialize",
             [](Simulation& s, std::size_t pop, const std::string& name, const Value& v,
                const Cells& cells) { s.initialize(pop, name, v, cell_span(cells)); },
             "population"_a, "name"_a, "value"_a, "cells"_a.none())
        .def("get_parameter",
             [](Simulation& s, std::size_t pop, const std::string& name) {
                 auto v = s.population(pop).parameter(name);
                 return to_numpy(std::move(v));
             })
        .def("get_sequence",
             [](Simulation& s, std::size_t pop, const std::string& name) {
                 const Population& p = s.population(pop);
                 const int k = p.model().parameter_index(name);
                 if (k < 0) (void)p.parameter(name);  // raises NonExistentParameterError
                 return p.sequence(k);
             })
        .def("get_initial_value",
             [](Simulation& s, std::size_t pop, const std::string& name) {
                 auto v = s.population(pop).initial_value(name);
                 return to_numpy(std::move(v));
             })
        .def("population_first_id",
             [](Simulation& s, std::size_t pop) { return s.population(pop).first_id(); })
        .def("connect",
             [](Simulation& s, std::size_t pre, std::size_t post, const Connector& connector,
                const Value& weight, std::optional<Value> delay, const std::string& receptor,
                const std::string& label, std::optional<std::vector<std::uint32_t>> pre_cells,
                std::optional<std::vector<std::uint32_t>> post_cells,
                std::optional<nb::object> progress,
                std::optional<SynapseDynamics> dynamics) {
                 ProjectionSpec spec;
                 spec.pre = pre;
                 spec.post = post;
                 spec.pre_cells = std::move(pre_cells);
                 spec.post_cells = std::move(post_cells);
                 spec.connector = connector;
                 spec.weight = weight;
                 spec.delay = std::move(delay);
                 spec.receptor_type = receptor;
                 spec.label = label;
                 spec.dynamics = std::move(dynamics);
                 if (!progress) return s.connect(spec);
                 // generation runs on all threads with the GIL released; the
                 // callback takes it for each call
                 PythonProgress reporter(*progress);
                 spec.progress = reporter.hook();
                 return reporter.run([&] { return s.connect(spec); }, true);
             },
             "pre"_a, "post"_a, "connector"_a, "weight"_a, "delay"_a.none(), "receptor_type"_a,
             "label"_a, "pre_cells"_a.none() = nb::none(), "post_cells"_a.none() = nb::none(),
             "progress"_a.none() = nb::none(), "dynamics"_a.none() = nb::none())
        .def("projection_size", &Simulation::projection_size)
        .def("discard_last_projection", &Simulation::discard_last_projection)
        .def("synapse_memory",
             [](const Simulation& s) {
                 const SynapseMemory m = s.synapse_memory();
                 nb::dict d;
                 d["synapses"] = m.synapses;
                 d["bytes"] = m.bytes;
                 d["peak_construction_bytes"] = m.peak_construction_bytes;
                 d["dynamic_bytes"] = m.dynamic_bytes;
                 d["history_bytes"] = m.history_bytes;
                 d["history_entries"] = m.history_entries;
                 return d;
             })
        .def("set_phase_timing", &Simulation::set_phase_timing, "on"_a)
        .def("phase_times",
             [](const Simulation& s) {
                 nb::list threads;
                 for (const PhaseTimes& t : s.phase_times()) {
                     nb::dict d;
                     d["slices"] = t.slices;
                     d["update_s"] = t.update_s;
                     d["wait_s"] = t.wait_s;
                     d["deliver_s"] = t.deliver_s;
                     threads.append(d);
                 }
                 return threads;
             })
        .def("connections",
             [](const Simulation& s, std::size_t projection) {
                 ConnectionData c = s.connections(projection);
                 return nb::make_tuple(to_numpy(std::move(c.pre)), to_numpy(std::move(c.post)),
                                       to_numpy(std::move(c.weight)), to_numpy(std::move(c.delay)));
             })
        .def("record",
             [](Simulation& s, std::size_t pop, const std::string& variable,
                const Array1<std::uint32_t>& cells, double interval) {
                 s.record(pop, variable, {cells.data(), cells.shape(0)}, interval);
             },
             "population"_a, "variable"_a, "cells"_a, "sampling_interval"_a = 0.0)
        .def("stop_recording", &Simulation::stop_recording)
        .def("recorded_variables", &Simulation::recorded_variables)
        .def("spikes",
             [](Simulation& s, std::size_t pop, bool clear) {
                 SpikeData d = s.spikes(pop, clear);
                 return nb::make_tuple(to_numpy(std::move(d.index)), to_numpy(std::move(d.time)));
             },
             "population"_a, "clear"_a = false)
        .def("signal",
             [](Simulation& s, std::size_t pop, const std::string& variable, bool clear) {
                 SignalData d = s.signal(pop, variable, clear);
                 const std::size_t n_cells = d.cells.size();
                 return nb::make_tuple(to_numpy(std::move(d.values), {d.n_samples, n_cells}),
                                       to_numpy(std::move(d.cells)), d.t_start,
                                       d.sampling_interval);
             },
             "population"_a, "variable"_a, "clear"_a = false)
        .def("run", &Simulation::run, nb::call_guard<nb::gil_scoped_release>())
        .def("run_until", &Simulation::run_until, nb::call_guard<nb::gil_scoped_release>())
        .def("reset", &Simulation::reset)
        .def_prop_ro("time", &Simulation::time)
        .def_prop_ro("current_step", &Simulation::current_step)
        .def_prop_ro("dt", &Simulation::dt)
        .def_prop_ro("min_delay", &Simulation::min_delay)
        .def_prop_ro("max_delay", &Simulation::max_delay)
        .def_prop_ro("segment", &Simulation::segment)
        .def_prop_ro("rng_seed", [](const Simulation& s) { return s.options().rng_seed; })
        .def_prop_ro("threads", [](const Simulation& s) { return s.options().threads; })
        .def_prop_ro("virtual_ranks", [](const Simulation& s) { return s.options().virtual_ranks; })
        .def("next_stream", &Simulation::next_stream);
}

}  // namespace pineal::bindings
