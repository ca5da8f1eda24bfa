// The Vogels-Abbott CUBA benchmark (Brette et al. 2007, benchmark 2) written
// with pineal's C++ API: the same concepts as the PyNN script
// examples/va_benchmark.py (a Simulation context, populations, projections
// built by connectors, recording).
//
//   va_benchmark [tstop_ms] [n_neurons]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include <pineal/simulation.hpp>

int main(int argc, char** argv) {
    const double tstop = argc > 1 ? std::atof(argv[1]) : 1000.0;
    const std::size_t n = argc > 2 ? std::strtoul(argv[2], nullptr, 10) : 4000;
    const std::size_t n_exc = n * 4 / 5;
    const std::uint64_t seed = 98765;

    const auto start = std::chrono::steady_clock::now();
    pineal::SetupOptions options;
    options.timestep = 0.1;
    options.min_delay = 0.1;
    options.max_delay = 0.1;
    options.rng_seed = seed;
    pineal::Simulation sim(options);

    const std::size_t exc = sim.create_population("IF_curr_exp", n_exc, "Excitatory_Cells");
    const std::size_t inh = sim.create_population("IF_curr_exp", n - n_exc, "Inhibitory_Cells");
    std::uint64_t stream = 0;  // one stream per use of the seed, as NumpyRNG does
    for (std::size_t pop : {exc, inh}) {
        pineal::Population& p = sim.population(pop);
        p.set_parameter("tau_m", 20.0);
        p.set_parameter("cm", 0.2);
        p.set_parameter("v_rest", -49.0);
        p.set_parameter("v_thresh", -50.0);
        p.set_parameter("v_reset", -60.0);
        p.set_parameter("tau_refrac", 5.0);
        p.set_parameter("tau_syn_E", 5.0);
        p.set_parameter("tau_syn_I", 10.0);
        const auto uniform = pineal::Distribution::make("uniform", {-60.0, -50.0});
        sim.initialize(pop, "v", pineal::Value(pineal::RandomValue{uniform, {seed, stream++}}));
    }
    const double w_exc = 0.27e-3 * 60.0, w_inh = 4.5e-3 * -20.0;  // nA
    std::size_t synapses = 0;
    for (auto [pre, post, w, receptor] :
         {std::tuple{exc, exc, w_exc, "excitatory"}, std::tuple{exc, inh, w_exc, "excitatory"},
          std::tuple{inh, exc, w_inh, "inhibitory"}, std::tuple{inh, inh, w_inh, "inhibitory"}}) {
        pineal::ProjectionSpec spec;
        spec.pre = pre;
        spec.post = post;
        spec.connector = pineal::FixedProbabilityConnector{0.02, true, {seed, stream++}};
        spec.weight = w;
        spec.delay = pineal::Value(0.1);
        spec.receptor_type = receptor;
        spec.label = std::to_string(pre) + "->" + std::to_string(post);
        synapses += sim.projection_size(sim.connect(spec));
    }
    std::vector<std::uint32_t> all(n_exc);
    for (std::uint32_t i = 0; i < n_exc; ++i) all[i] = i;
    sim.record(exc, "spikes", all);
    const auto built = std::chrono::steady_clock::now();

    sim.run(tstop);
    const auto done = std::chrono::steady_clock::now();
    const auto spikes = sim.spikes(exc);
    const double rate = double(spikes.time.size()) / double(n_exc) / (tstop / 1000.0);
    const auto secs = [](auto a, auto b) { return std::chrono::duration<double>(b - a).count(); };
    std::printf("Vogels-Abbott CUBA (C++ API): %zu neurons, %zu synapses\n", n, synapses);
    std::printf("build time      : %.3f s\n", secs(start, built));
    std::printf("simulation time : %.3f s (%.0f ms simulated)\n", secs(built, done), tstop);
    std::printf("excitatory spikes: %zu, mean rate %.2f Hz\n", spikes.time.size(), rate);
    return rate > 0.0 ? 0 : 1;
}
