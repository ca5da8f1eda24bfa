// A leaky integrate-and-fire membrane driven by exponentially decaying
// conductances (synaptic ones fed by input ports, spike-triggered ones
// incremented by the cell's own spikes), shared by IF_facets_hardware1 and
// IF_cond_exp_gsfa_grr.
//
//   cm dV/dt = g_L (e_L - V) + sum_k g_k (E_k - V) + i_offset,   dg_k/dt = -g_k / tau_k
//   V >= v_thresh: spike, V <- v_reset, g_k += q_k, V clamped for round(tau_refrac/dt) steps
//
// Integrator: the exponential integrator of models/if_cond_exp.hpp. The g_k
// decay exactly within a step, so V obeys dV/dt = a(s) - b(s) V with
// B(s) = int_0^s b known in closed form; V(h) = e^{-B(h)} V(0) +
// int_0^h a(s) e^{-(B(h)-B(s))} ds with 5-point Gauss-Legendre quadrature.
// Step order (NEST's iaf_cond_exp / iaf_cond_exp_sfa_rr): V and g advance
// together, input arriving at the end of the step is added, threshold is
// checked, and on a spike the spike-triggered conductances are incremented.
#pragma once

#include <array>
#include <cmath>
#include <memory>

#include "engine/kernel.hpp"
#include "models/stiff_linear_step.hpp"
#include "pineal/model.hpp"

namespace pineal::models {

inline constexpr int kMaxChannels = 4;

// What a model tells the kernel about one cell.
struct CondCellParams {
    double cm, g_l, e_l, i_offset, v_thresh, v_reset, tau_refrac;
    std::array<double, kMaxChannels> tau{}, e_rev{}, q{};  // q in state units
};

// What a model tells the kernel about its channels (the same for all cells).
struct CondChannelLayout {
    int count = 0;
    int v_state = 0;
    std::array<int, kMaxChannels> state{};       // state-array index of g_k
    std::array<int, kMaxChannels> port{};        // input port feeding g_k, or -1
    std::array<double, kMaxChannels> scale{};    // g_k state units -> uS (0.001 for nS)
};

using CondParamsFn = void (*)(const Population&, std::size_t, CondCellParams&);

class CondExpChannelsKernel final : public NeuronKernel {
    // 5-point Gauss-Legendre on [-1, 1]: the relative-refractory conductance of
    // IF_cond_exp_gsfa_grr (q_rr = 3 uS against g_L = 0.01 uS) makes
    // b h ~ 1.5 right after a spike, where 3 points left 3e-6 mV.
    static constexpr int kNodes = 5;
    static constexpr double kX[kNodes] = {-0.9061798459386640, -0.5384693101056831, 0.0,
                                          0.5384693101056831, 0.9061798459386640};
    static constexpr double kWeights[kNodes] = {0.2369268850561891, 0.4786286704993665,
                                                0.5688888888888889, 0.4786286704993665,
                                                0.2369268850561891};

public:
    CondExpChannelsKernel(CondChannelLayout layout, CondParamsFn params)
        : layout_(layout), params_(params) {}

    void prepare(const Population& pop, const KernelEnv& env) override {
        const std::size_t n = pop.size();
        const double h = env.dt;
        double s[kNodes];
        for (int j = 0; j < kNodes; ++j) s[j] = 0.5 * h * (1.0 + kX[j]);
        c_.resize(n);
        refractory_left_.resize(n, 0);
        for (std::size_t i = 0; i < n; ++i) {
            CondCellParams p;
            params_(pop, i, p);
            Constants& c = c_[i];
            c.p = p;
            c.inv_c = 1.0 / p.cm;
            for (int k = 0; k < layout_.count; ++k) {
                const double tau = p.tau[k];
                c.decay_h[k] = std::exp(-h / tau);
                c.int_h[k] = -tau * std::expm1(-h / tau);
                for (int j = 0; j < kNodes; ++j) {
                    c.dec[j][k] = std::exp(-s[j] / tau);
                    c.intg[j][k] = -tau * std::expm1(-s[j] / tau);
                }
            }
            for (int j = 0; j < kNodes; ++j) c.node[j] = s[j];
            c.refractory_steps = static_cast<int>(std::lround(p.tau_refrac / h));
        }
        h_ = h;
    }

    void reset(const Population& pop) override { refractory_left_.assign(pop.size(), 0); }

    void update(StepContext& ctx) override {
        auto& V = (*ctx.state)[layout_.v_state];
        const int K = layout_.count;
        std::array<CellArray*, kMaxChannels> g{};
        for (int k = 0; k < K; ++k) g[k] = &(*ctx.state)[layout_.state[k]];
        for (std::size_t i = ctx.begin; i < ctx.end; ++i) {
            const Constants& c = c_[i];
            double g0[kMaxChannels];  // uS
            for (int k = 0; k < K; ++k) g0[k] = (*g[k])[i] * layout_.scale[k];
            if (refractory_left_[i] == 0) {
                const double i_const = c.p.i_offset + injected_current(ctx, i);  // nA
                double b_h = c.p.g_l * h_;
                for (int k = 0; k < K; ++k) b_h += g0[k] * c.int_h[k];
                b_h *= c.inv_c;
                if (is_stiff_step(b_h)) {
                    V[i] = stiff_step(V[i], b_h, i_const, g0, K, c);
                } else {
                    double integral = 0.0;
                    for (int j = 0; j < kNodes; ++j) {
                        double a = c.p.g_l * c.p.e_l + i_const;
                        double b_s = c.p.g_l * c.node[j];
                        for (int k = 0; k < K; ++k) {
                            a += g0[k] * c.dec[j][k] * c.p.e_rev[k];
                            b_s += g0[k] * c.intg[j][k];
                        }
                        integral += kWeights[j] * a * c.inv_c * std::exp(b_s * c.inv_c - b_h);
                    }
                    V[i] = std::exp(-b_h) * V[i] + 0.5 * h_ * integral;
                }
            } else {
                --refractory_left_[i];
            }
            for (int k = 0; k < K; ++k) {
                double& gk = (*g[k])[i];
                gk *= c.decay_h[k];
                if (layout_.port[k] >= 0) gk += ctx.input[layout_.port[k]][i];
            }
            if (V[i] >= c.p.v_thresh) {
                refractory_left_[i] = c.refractory_steps;
                V[i] = c.p.v_reset;
                for (int k = 0; k < K; ++k) (*g[k])[i] += c.p.q[k];
                ctx.spikes->push_back({static_cast<std::uint32_t>(i), ctx.step + 1, 0.0});
            }
        }
    }

private:
    struct Constants;

    // One step in substeps (models/stiff_linear_step.hpp), from the
    // conductances' closed forms g0_k e^{-s/tau_k} (uS).
    double stiff_step(double v0, double b_h, double i_const, const double* g0, int K,
                      const Constants& c) const {
        const CondCellParams& p = c.p;
        auto drive = [&](double s) {
            double a = p.g_l * p.e_l + i_const;
            for (int k = 0; k < K; ++k) a += g0[k] * std::exp(-s / p.tau[k]) * p.e_rev[k];
            return a * c.inv_c;
        };
        auto decay = [&](double t0, double t1) {
            double b = p.g_l * (t1 - t0);
            for (int k = 0; k < K; ++k)
                b -= g0[k] * p.tau[k] * std::exp(-t0 / p.tau[k]) * std::expm1(-(t1 - t0) / p.tau[k]);
            return b * c.inv_c;
        };
        return stiff_linear_step(v0, h_, b_h, drive, decay);
    }

    struct Constants {
        CondCellParams p;
        double inv_c;
        double decay_h[kMaxChannels], int_h[kMaxChannels];
        double node[kNodes], dec[kNodes][kMaxChannels], intg[kNodes][kMaxChannels];
        int refractory_steps;
    };
    CondChannelLayout layout_;
    CondParamsFn params_;
    std::vector<Constants> c_;
    std::vector<int> refractory_left_;
    double h_ = 0.1;
};

}  // namespace pineal::models
