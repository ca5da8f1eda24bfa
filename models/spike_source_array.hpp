// SpikeSourceArray: emits exactly the given spike times.
//
// Timing rule (written down in docs/timing.md): a time t on the grid
// (|t/dt - round(t/dt)| <= 1e-9 relative) is emitted at exactly that step; an
// off-grid time is stamped at the end of the step that contains it,
// n = ceil(t/dt), as NEST's spike_generator does with off-grid times allowed,
// and the event keeps the offset n dt - t. A spike at t = 0 is emitted before
// the first step. Times already past when the parameter changes are not
// re-emitted.
#pragma once

#include <algorithm>
#include <cmath>
#include <memory>

#include "engine/kernel.hpp"
#include "pineal/model.hpp"

namespace pineal::models {

class SpikeSourceArrayKernel final : public NeuronKernel {
public:
    enum Param { spike_times };

    void prepare(const Population& pop, const KernelEnv& env) override {
        const auto& times = pop.sequence(spike_times);
        stamps_.assign(pop.size(), {});
        offsets_.assign(pop.size(), {});
        next_.assign(pop.size(), 0);
        for (std::size_t i = 0; i < pop.size(); ++i) {
            for (double t : times[i]) {
                const double q = t / env.dt;
                const double nearest = std::round(q);
                const bool on_grid = std::abs(q - nearest) <= 1e-9 * std::max(1.0, std::abs(q));
                const auto n = static_cast<std::int64_t>(on_grid ? nearest : std::ceil(q));
                stamps_[i].push_back(n);
                offsets_[i].push_back(on_grid ? 0.0 : static_cast<double>(n) * env.dt - t);
            }
            // Stamps up to the current step were due in steps already taken
            // (stamp 0 is due before the first step, so it stays at t = 0).
            const std::int64_t first_due = env.current_step == 0 ? 0 : env.current_step + 1;
            next_[i] = static_cast<std::size_t>(
                std::lower_bound(stamps_[i].begin(), stamps_[i].end(), first_due) -
                stamps_[i].begin());
        }
    }

    void reset(const Population& pop) override { next_.assign(pop.size(), 0); }

    void emit_at_time_zero(StepContext& ctx) override { emit_up_to(ctx, 0); }

    void update(StepContext& ctx) override { emit_up_to(ctx, ctx.step + 1); }

private:
    void emit_up_to(StepContext& ctx, std::int64_t stamp) {
        for (std::size_t i = ctx.begin; i < ctx.end; ++i) {
            auto& k = next_[i];
            while (k < stamps_[i].size() && stamps_[i][k] <= stamp) {
                ctx.spikes->push_back({static_cast<std::uint32_t>(i), stamp, offsets_[i][k]});
                ++k;
            }
        }
    }

    std::vector<std::vector<std::int64_t>> stamps_;
    std::vector<std::vector<double>> offsets_;
    std::vector<std::size_t> next_;  // index of the next spike to emit, per cell
};

inline ModelInfo spike_source_array_info() {
    ModelInfo m;
    m.name = "SpikeSourceArray";
    m.parameters = {
        {"spike_times", 0.0, "ms", Check::non_negative, ParameterShape::sequence,
         "spike times (non-decreasing)"},
    };
    m.recordable = {"spikes"};
    m.injectable = false;
    m.spike_source = true;
    m.doc = "Spike source emitting the given times.";
    m.make_kernel = [] { return std::make_unique<SpikeSourceArrayKernel>(); };
    return m;
}

}  // namespace pineal::models
