// The contract between the engine (engine_plastic.cpp, plasticity.cpp) and
// a dynamic synapse model (short-term plasticity, stochastic release, STDP),
// implemented in models/synapses/. One SynapseRule object holds the dynamic
// state of one projection's synapses onto one shard, indexed like the
// ProjectionStore's synapses (position q in the rows), so static synapses
// carry nothing for it.
//
// Updates are event driven: deliver() runs when a presynaptic spike is
// delivered (at the slice boundary after the spike), updates the source's
// synapses and adds their effective weights into the input slots. A rule may
// hold a spike until later post spikes are known (deliver_pending()).
#pragma once

#include <algorithm>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "engine/ring_buffer.hpp"
#include "engine/synapse_store.hpp"
#include "pineal/random.hpp"

namespace pineal {

using Segment = ProjectionStore::Segment;

// Spike stamps of each cell of one shard's block of a population, ascending;
// an entry is dropped once no plastic synapse onto the cell can read it.
struct PostHistory {
    std::vector<std::vector<std::int64_t>> stamps;  // [cell - block begin]
    std::size_t entries = 0;                          // total over cells
    std::size_t trim_at = 1024;                       // trim when entries reach this
};

struct RuleSetup {
    double dt = 0.1;                     // ms
    std::vector<double> parameters;      // the model's parameter values, resolved order
    std::vector<double> weights;         // initial weight of each synapse, row order
    std::vector<double> tau_psc;         // per cell of the block (Tsodyks-Markram), ms
    std::size_t block_begin = 0;         // first cell of the shard's block
    std::uint64_t seed = 0, stream = 0;  // random stream of the projection (stochastic)
};

// One presynaptic spike being delivered onto one shard.
struct Delivery {
    std::uint32_t source = 0;
    std::int64_t stamp = 0;          // steps
    RingBuffer* port = nullptr;      // input buffer of the receptor on the shard
    std::size_t base_slot = 0;       // ring-buffer slot of the stamp
    const PostHistory* history = nullptr;  // post spikes of the block (rules that read them)
    std::uint64_t segment = 0;       // reset() count (random streams)
    std::int64_t known_until = 0;    // the history holds every post spike stamped <= this

    // The input row of the shard's block that the synapses of a delay
    // segment add into (indexed by their targets: cell - block begin).
    double* slot(const ProjectionStore&, std::int32_t delay) const {
        return port->arrivals_after(base_slot, delay);
    }
};

// new[k] = old[order[k]] (a synapse's state follows it when rows are re-sorted).
template <class T>
void permute_by(std::vector<T>& v, std::span<const std::uint32_t> order) {
    if (v.empty()) return;
    std::vector<T> out(v.size());
    for (std::size_t k = 0; k < order.size(); ++k) out[k] = v[order[k]];
    v.swap(out);
}

class SynapseRule {
public:
    virtual ~SynapseRule() = default;
    // Called once, after the rows are built.
    virtual void build(const ProjectionStore& rows, RuleSetup setup) = 0;
    virtual void deliver(const ProjectionStore& rows, const Delivery& d) = 0;
    // Spikes whose processing waits for later post spikes (STDP with
    // dendritic_delay_fraction < 0.5), at each slice boundary, before the
    // slice's own spikes; d carries no source or stamp.
    virtual void deliver_pending(const ProjectionStore& /*rows*/, const Delivery& /*d*/) {}
    // Before each run: throws Error(not_supported) if the rule cannot run
    // with this min_delay (steps).
    virtual void check_run(const ProjectionStore& /*rows*/, std::int64_t /*min_delay*/,
                           const std::string& /*label*/) const {}
    // The weight synapse q transmits (before short-term or stochastic
    // scaling): learned weights for STDP, the stored weight otherwise.
    virtual double weight(const ProjectionStore& rows, std::size_t q) const = 0;
    // Per-synapse state variable `variable` (the model's state list) of synapse q.
    virtual double state(std::size_t variable, std::size_t q) const = 0;
    // Time back to 0 (PyNN reset()): traces, last spike times and short-term
    // state restart; learned weights are kept (as in NEST).
    virtual void reset() = 0;
    virtual std::size_t bytes() const = 0;
    virtual bool reads_post_history() const { return false; }

    // Projection.set between runs. New model parameters (RuleSetup order,
    // already checked); learned state is kept.
    virtual void set_parameters(const std::vector<double>& values) = 0;
    // Model parameter `index` (RuleSetup order) given per synapse, in row
    // order (Projection.set or construction with an array, distribution or
    // function of distance; values already checked); empty: the projection's
    // one value (set_parameters) again. Only rules that answer
    // per_synapse(index) keep such values; uniform parameters cost nothing.
    virtual bool per_synapse(std::size_t /*index*/) const { return false; }
    virtual void set_parameter_values(std::size_t /*index*/, std::vector<double> /*by_row*/) {}
    // Checks that go beyond each value's range (e.g. w_min <= w_max per
    // synapse): new per-synapse values of parameter `index`, or new values of
    // all parameters where `index` changed to one value.
    virtual void check_parameter_values(std::size_t /*index*/, std::span<const double> /*by_row*/,
                                        const std::string& /*label*/) const {}
    virtual void check_parameters(const std::vector<double>& /*values*/, std::size_t /*index*/,
                                  const std::string& /*label*/) const {}
    // The value of parameter `index` for synapse q (rules with per_synapse).
    virtual double parameter(std::size_t /*index*/, std::size_t /*q*/) const { return 0.0; }
    // New weights in row order (rules that keep their own weights; the others
    // read the rows' float32 weights, which set() rewrites).
    virtual void set_weights(std::span<const double> /*by_row*/) {}
    // Projection.initialize: every synapse's state variable `variable` takes
    // `value` now and at each reset(). check_initial throws Error naming
    // `label` and the variable if the value is not allowed.
    virtual void check_initial(std::size_t /*variable*/, double /*value*/,
                               const std::string& /*label*/) const {}
    virtual void initialize(std::size_t /*variable*/, double /*value*/) {}
    // The same with a value per synapse (row order), kept for reset() (8 B
    // per synapse while given so; a later initialize() with one value drops
    // it). check_initial_values throws Error naming `label`, the variable and
    // the first synapse whose value is not allowed.
    virtual bool initializes_per_synapse() const { return false; }
    virtual void check_initial_values(std::size_t /*variable*/, std::span<const double> /*by_row*/,
                                      const std::string& /*label*/) const {}
    virtual void initialize_values(std::size_t /*variable*/, std::vector<double> /*by_row*/) {}
    // The rows were re-sorted after a delay change: new position k holds the
    // synapse that was at order[k]. Per-synapse state must follow.
    virtual void permute(std::span<const std::uint32_t> order) = 0;
    // Lowers earliest[c] to the smallest post spike stamp that a synapse onto
    // cell c of the block can still need (history entries before it may go).
    // `now` is the current step.
    virtual void history_needed(const ProjectionStore& /*rows*/, std::int64_t /*now*/,
                                std::span<std::int64_t> /*earliest*/) const {}
};

}  // namespace pineal
