// The contract between the engine and a model's native update kernel.
//
// Step s advances every cell from t = s*dt to (s+1)*dt. Input that arrives
// at (s+1)*dt (input[port][cell], summed weights) is added at the end of the
// step, so it acts on the membrane from step s+1 on. A spike produced in step
// s is stamped (s+1)*dt: the end of the step in which threshold was crossed.
#pragma once

#include <cstdint>
#include <vector>

#include "engine/cell_array.hpp"
#include "pineal/population.hpp"
#include "pineal/random.hpp"

namespace pineal {

struct SpikeEvent {
    std::uint32_t index;  // cell index in its population
    std::int64_t stamp;   // grid step of the spike time (time = stamp * dt)
    double offset;        // ms before the stamp time at which the spike occurred (0 on grid)
};

using StateArrays = std::vector<CellArray>;  // [state variable][cell]

// One step of the cells [begin, end) of a population. The engine gives each
// shard its own kernel, prepared on the shard's block of the population (a
// Population of its own: cells 0 .. block size - 1, first_id() that of the
// block's first cell), with its own state and input arrays; spikes carry
// indices in that block. A kernel writes only to entries of its per-cell
// arrays inside [begin, end).
struct StepContext {
    std::int64_t step = 0;                 // the step being taken
    double dt = 0.0;                       // ms
    const Population* population = nullptr;
    StateArrays* state = nullptr;
    const double* const* input = nullptr;  // [receptor port] -> per-cell summed weights
    std::vector<SpikeEvent>* spikes = nullptr;
    std::size_t begin = 0;
    std::size_t end = 0;
    // Per-cell current (nA) of current sources, constant over the step; it
    // enters the membrane equation where i_offset does. Null when none.
    const double* injected = nullptr;
    // The same arrays as `input`, writable (null where the caller keeps its
    // input): a kernel may zero input[port][begin, end) as it reads it and
    // set input_cleared, which spares the engine a separate pass over them.
    double* const* clearable_input = nullptr;
    bool input_cleared = false;
};

// The injected current of cell i during the step (0 without current sources).
inline double injected_current(const StepContext& ctx, std::size_t i) {
    return ctx.injected ? ctx.injected[i] : 0.0;
}

// What a kernel may need besides its parameters when it (re)derives constants.
struct KernelEnv {
    double dt = 0.1;                  // ms
    std::int64_t current_step = 0;    // the next step to be taken
    std::uint64_t rng_seed = 0;       // seed of the simulator's own streams
    std::uint64_t segment = 0;        // number of reset() calls so far
};

class NeuronKernel {
public:
    virtual ~NeuronKernel() = default;
    // Re-derives per-cell constants after a parameter change or at the first run.
    // The engine calls it before the first run, after reset() and before a
    // run that follows a parameter change.
    virtual void prepare(const Population& pop, const KernelEnv& env) = 0;
    // Resets the kernel's private state (refractory counters, source
    // positions) as at t = 0; the engine resets the state arrays.
    virtual void reset(const Population& pop) = 0;
    virtual void update(StepContext& ctx) = 0;
    // Spikes stamped at t = 0, emitted before the first step (only spike
    // sources have them).
    virtual void emit_at_time_zero(StepContext& /*ctx*/) {}
};

}  // namespace pineal
