// IF_curr_exp: leaky integrate-and-fire neuron with exponentially decaying
// current-based synapses, integrated exactly (Rotter & Diesmann 1999).
//
//   cm dV/dt = cm (v_rest - V)/tau_m + I_exc + I_inh + i_offset
//   dI_x/dt  = -I_x / tau_syn_x,  I_x += w at spike arrival (w in nA, <= 0 for inhibitory)
//   V >= v_thresh: spike, V <- v_reset, V clamped for round(tau_refrac/dt) steps
//
// Parameters, defaults and units: PyNN 0.13 standardmodels (shared reference §4.1).
// Per step, following NEST's iaf_psc_exp: V is propagated with the currents of
// the start of the step (unless refractory), the currents decay, the input
// arriving at the end of the step is added, then threshold is checked.
#pragma once

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>

#include "engine/kernel.hpp"
#include "models/propagators.hpp"
#include "models/simd_clones.hpp"
#include "models/lif_parameters.hpp"
#include "pineal/model.hpp"

namespace pineal::models {

namespace detail {

// Pass 1 of IfCurrExpKernel::update: state, input and per-cell constants.
struct CurrExpArrays {
    double *V, *Ie, *Ii;
    int* left;  // refractory steps left
    const double *in_e, *in_i, *injected;
    const double *rest, *offset, *p22, *p21e, *p21i, *p20, *p11e, *p11i;
    double thresh;  // for the spike flag only (cells keep their own in pass 2)
    double *clear_e, *clear_i;  // in_e, in_i writable, or null: zeroed once read
};

// Advances cells [begin, end) by one step, branch free so that it
// vectorises; returns whether any of them reached `thresh` (an OR
// reduction, so that pass 2 skips the blocks without a spike). With Uniform
// (every cell has the same parameters: the usual case) the constants are
// read once from element 0 and stay in registers instead of being streamed
// from 8 arrays; the operations and their order are the same, so are the
// bits.
template <bool Uniform, bool Injected, bool Clear>
inline bool curr_exp_advance_impl(const CurrExpArrays& a, std::size_t begin, std::size_t end) {
    double *V = a.V, *Ie = a.Ie, *Ii = a.Ii, *clear_e = a.clear_e, *clear_i = a.clear_i;
    int* left = a.left;
    const double *in_e = a.in_e, *in_i = a.in_i, *injected = a.injected;
    const double *rest = a.rest, *offset = a.offset, *p22 = a.p22, *p21e = a.p21e,
                 *p21i = a.p21i, *p20 = a.p20, *p11e = a.p11e, *p11i = a.p11i;
    const double r0 = rest[0], o0 = offset[0], a0 = p22[0], e0 = p21e[0], i0 = p21i[0],
                 d0 = p20[0], ke0 = p11e[0], ki0 = p11i[0], thresh = a.thresh;
    int any = 0;
    // Every array used is distinct (in_x and clear_x, the same array, are
    // never both read); ivdep spares GCC the run-time alias checks.
#pragma GCC ivdep
    for (std::size_t i = begin; i < end; ++i) {
        auto c = [i](const double* p, double k) { return Uniform ? k : p[i]; };
        const double r = c(rest, r0);
        const double drive = c(offset, o0) + (Injected ? injected[i] : 0.0);
        const double vold = V[i];
        const double next = r + c(p22, a0) * (vold - r) + c(p21e, e0) * Ie[i] +
                            c(p21i, i0) * Ii[i] + c(p20, d0) * drive;
        // V keeps its value while refractory: a select written as a bit
        // blend, because GCC will not if-convert `l == 0 ? next : V[i]` (it
        // would have to compute `next` for every cell, which -ftrapping-math
        // forbids) and so would not vectorise the loop.
        const int l = left[i];
        const std::uint64_t keep = -static_cast<std::uint64_t>(l != 0);
        const double v = std::bit_cast<double>((std::bit_cast<std::uint64_t>(next) & ~keep) |
                                               (std::bit_cast<std::uint64_t>(vold) & keep));
        V[i] = v;
        any |= static_cast<int>(v >= thresh);
        left[i] = l - static_cast<int>(l != 0);
        // With Clear the input is read through the writable pointer, so the
        // load and the store that zeroes it are of one address, in order.
        Ie[i] = c(p11e, ke0) * Ie[i] + (Clear ? clear_e[i] : in_e[i]);
        Ii[i] = c(p11i, ki0) * Ii[i] + (Clear ? clear_i[i] : in_i[i]);
        if constexpr (Clear) clear_e[i] = 0.0, clear_i[i] = 0.0;
    }
    return any != 0;
}

inline bool curr_exp_advance_any(const CurrExpArrays& a, std::size_t begin, std::size_t end,
                                 bool uniform) {
    if (!a.clear_e) {  // the caller keeps its input (kernel tests): the general path
        return a.injected ? curr_exp_advance_impl<false, true, false>(a, begin, end)
                          : curr_exp_advance_impl<false, false, false>(a, begin, end);
    }
    if (uniform) {
        return a.injected ? curr_exp_advance_impl<true, true, true>(a, begin, end)
                          : curr_exp_advance_impl<true, false, true>(a, begin, end);
    }
    return a.injected ? curr_exp_advance_impl<false, true, true>(a, begin, end)
                      : curr_exp_advance_impl<false, false, true>(a, begin, end);
}

// One clone per instruction set (models/simd_clones.hpp), chosen when the
// library loads; all give the same bits. Short ranges take the clones
// without AVX-512 (simd_clones.hpp says why).
PINEAL_SIMD_DISPATCH(bool, curr_exp_advance, CurrExpArrays, curr_exp_advance_any)

}  // namespace detail

class IfCurrExpKernel final : public NeuronKernel {
public:
    enum Param { v_rest, cm, tau_m, tau_refrac, tau_syn_E, tau_syn_I, i_offset, v_reset, v_thresh };
    enum State { v, isyn_exc, isyn_inh };

    void prepare(const Population& pop, const KernelEnv& env) override {
        const std::size_t n = pop.size();
        const double dt = env.dt;
        p22_.resize(n), p11e_.resize(n), p11i_.resize(n), p21e_.resize(n), p21i_.resize(n);
        p20_.resize(n), refractory_steps_.resize(n), refractory_left_.resize(n, 0);
        for (std::size_t i = 0; i < n; ++i) {
            const double c = pop.parameter(cm)[i], tm = pop.parameter(tau_m)[i];
            p22_[i] = std::exp(-dt / tm);
            p11e_[i] = std::exp(-dt / pop.parameter(tau_syn_E)[i]);
            p11i_[i] = std::exp(-dt / pop.parameter(tau_syn_I)[i]);
            p21e_[i] = exp_current_to_voltage(dt, tm, pop.parameter(tau_syn_E)[i], c);
            p21i_[i] = exp_current_to_voltage(dt, tm, pop.parameter(tau_syn_I)[i], c);
            p20_[i] = -std::expm1(-dt / tm) * tm / c;
            refractory_steps_[i] = static_cast<int>(std::lround(pop.parameter(tau_refrac)[i] / dt));
        }
        uniform_ = true;
        for (std::size_t k = 0; k < pop.model().parameters.size(); ++k) {
            const auto& values = pop.parameter(static_cast<int>(k));
            uniform_ = uniform_ && std::all_of(values.begin(), values.end(),
                                               [&](double x) { return x == values[0]; });
        }
        // Pass 1 flags a block against the lowest threshold (NaN, which never
        // fires, left out), so a block it passes over has no spike.
        lowest_thresh_ = std::numeric_limits<double>::infinity();
        for (double x : pop.parameter(v_thresh)) lowest_thresh_ = x < lowest_thresh_ ? x : lowest_thresh_;
    }

    void reset(const Population& pop) override { refractory_left_.assign(pop.size(), 0); }

    // Two passes per block of cells: the vectorised advance (which also says
    // whether a cell of the block crossed threshold), then, only for blocks
    // with a crossing, threshold and reset cell by cell. Blocks cover
    // [begin, end) in order, so spikes stay in cell order.
    void update(StepContext& ctx) override {
        const Population& pop = *ctx.population;
        if (ctx.begin == ctx.end) return;
        const auto& thresh = pop.parameter(v_thresh);
        const auto& reset_v = pop.parameter(v_reset);
        double* V = (*ctx.state)[v].data();
        int* left = refractory_left_.data();
        detail::CurrExpArrays a{V,
                                (*ctx.state)[isyn_exc].data(),
                                (*ctx.state)[isyn_inh].data(),
                                left,
                                ctx.input[0],
                                ctx.input[1],
                                ctx.injected,
                                pop.parameter(v_rest).data(),
                                pop.parameter(i_offset).data(),
                                p22_.data(),
                                p21e_.data(),
                                p21i_.data(),
                                p20_.data(),
                                p11e_.data(),
                                p11i_.data(),
                                lowest_thresh_,
                                ctx.clearable_input ? ctx.clearable_input[0] : nullptr,
                                ctx.clearable_input ? ctx.clearable_input[1] : nullptr};
        constexpr std::size_t kBlock = 128;
        for (std::size_t b = ctx.begin; b < ctx.end; b += kBlock) {
            const std::size_t e = std::min(ctx.end, b + kBlock);
            if (!detail::curr_exp_advance(a, b, e, uniform_)) continue;
            for (std::size_t i = b; i < e; ++i) {
                if (V[i] >= thresh[i]) {
                    left[i] = refractory_steps_[i];
                    V[i] = reset_v[i];
                    ctx.spikes->push_back({static_cast<std::uint32_t>(i), ctx.step + 1, 0.0});
                }
            }
        }
        ctx.input_cleared = a.clear_e != nullptr;
    }

private:
    std::vector<double> p22_, p11e_, p11i_, p21e_, p21i_, p20_;
    std::vector<int> refractory_steps_, refractory_left_;
    double lowest_thresh_ = 0.0;
    bool uniform_ = false;  // every cell has the same parameters
};

inline ModelInfo if_curr_exp_info() {
    ModelInfo m;
    m.name = "IF_curr_exp";
    m.parameters = {
        lif::v_rest(),
        lif::cm(),
        lif::tau_m(),
        lif::tau_refrac(),
        lif::tau_syn("tau_syn_E", 5.0, "decay time of excitatory synaptic current"),
        lif::tau_syn("tau_syn_I", 5.0, "decay time of inhibitory synaptic current"),
        lif::i_offset(),
        lif::v_reset(),
        lif::v_thresh(),
    };
    m.state = {{"v", -65.0, "mV"}, {"isyn_exc", 0.0, "nA"}, {"isyn_inh", 0.0, "nA"}};
    m.recordable = {"spikes", "v"};
    m.receptor_types = {"excitatory", "inhibitory"};
    m.conductance_based = false;
    m.doc =
        "Leaky integrate-and-fire model with fixed threshold and decaying-exponential "
        "post-synaptic current. Exact integration (Rotter & Diesmann 1999).\n"
        "cm dV/dt = cm (v_rest - V)/tau_m + I_exc + I_inh + i_offset;  "
        "dI_x/dt = -I_x/tau_syn_x";
    m.make_kernel = [] { return std::make_unique<IfCurrExpKernel>(); };
    return m;
}

}  // namespace pineal::models
