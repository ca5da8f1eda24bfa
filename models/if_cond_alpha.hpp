// IF_cond_alpha: leaky integrate-and-fire neuron with alpha-function shaped
// synaptic conductances.
//
//   cm dV/dt = g_L (v_rest - V) + g_e (e_rev_E - V) + g_i (e_rev_I - V) + i_offset,
//   g_L = cm / tau_m,
//   g_x(t) = sum_spikes w (t - t_s)/tau_x e^{1 - (t - t_s)/tau_x}   (peak w uS at tau_x)
// written as dg_x/dt = y_x - g_x/tau_x, dy_x/dt = -y_x/tau_x, y_x += w e/tau_x at arrival.
//   V >= v_thresh: spike, V <- v_reset, V clamped for round(tau_refrac/dt) steps
//
// Parameters and defaults: PyNN 0.13 (shared reference §4.1).
//
// Integrator (the exponential integrator of models/if_cond_exp.hpp). Within a
// step of length h starting from (g0, y0) the conductance is known in closed form,
//   g(s) = (g0 + y0 s) e^{-s/tau},   G(s) = int_0^s g = g0 tau (1 - e^{-s/tau}) + y0 s^2 r(-s/tau),
// with r(z) = int_0^1 u e^{z u} du (models/propagators.hpp), so V obeys the
// linear equation dV/dt = a(s) - b(s) V with exact B(s) = int_0^s b:
//   V(h) = e^{-B(h)} V(0) + int_0^h a(s) e^{-(B(h) - B(s))} ds,
// the remaining smooth integral by 3-point Gauss-Legendre quadrature (error
// O(h^7)); measured error against DOP853 (rtol 1e-12) in
// tests/python/test_validation_if_cond_alpha.py and docs/models/IF_cond_alpha.md.
// Step order as NEST's iaf_cond_alpha: V and g advance together, the input
// arriving at the end of the step is added to y, then threshold is checked.
#pragma once

#include <cmath>
#include <memory>

#include "engine/kernel.hpp"
#include "models/propagators.hpp"
#include "models/stiff_linear_step.hpp"
#include "models/lif_parameters.hpp"
#include "pineal/model.hpp"

namespace pineal::models {

class IfCondAlphaKernel final : public NeuronKernel {
    static constexpr int kNodes = 3;
    static constexpr double kWeights[kNodes] = {5.0 / 9.0, 8.0 / 9.0, 5.0 / 9.0};

    // Closed-form quantities of one alpha channel at a time s within the step.
    struct Channel {
        double dec;   // e^{-s/tau}
        double sdec;  // s e^{-s/tau}
        double int0;  // int_0^s e^{-u/tau} du
        double int1;  // int_0^s u e^{-u/tau} du
        void set(double s, double tau) {
            dec = std::exp(-s / tau);
            sdec = s * dec;
            int0 = -tau * std::expm1(-s / tau);
            int1 = s * s * ramp_exp_integral(-s / tau);
        }
    };

public:
    enum Param {
        v_rest, cm, tau_m, tau_refrac, tau_syn_E, tau_syn_I, e_rev_E, e_rev_I, v_thresh,
        v_reset, i_offset
    };
    enum State { v, gsyn_exc, gsyn_inh };

    void prepare(const Population& pop, const KernelEnv& env) override {
        const std::size_t n = pop.size();
        const double h = env.dt;
        const double r = std::sqrt(0.6);
        const double s[kNodes] = {0.5 * h * (1 - r), 0.5 * h, 0.5 * h * (1 + r)};
        c_.resize(n);
        refractory_left_.resize(n, 0);
        ye_.resize(n, 0.0);
        yi_.resize(n, 0.0);
        for (std::size_t i = 0; i < n; ++i) {
            Constants& c = c_[i];
            const double C = pop.parameter(cm)[i], te = pop.parameter(tau_syn_E)[i],
                         ti = pop.parameter(tau_syn_I)[i];
            c.inv_c = 1.0 / C;
            c.g_l = C / pop.parameter(tau_m)[i];
            c.e_h.set(h, te);
            c.i_h.set(h, ti);
            for (int k = 0; k < kNodes; ++k) {
                c.node[k] = s[k];
                c.e[k].set(s[k], te);
                c.i[k].set(s[k], ti);
            }
            c.we = std::exp(1.0) / te;
            c.wi = std::exp(1.0) / ti;
            c.refractory_steps = static_cast<int>(std::lround(pop.parameter(tau_refrac)[i] / h));
        }
        h_ = h;
    }

    void reset(const Population& pop) override {
        refractory_left_.assign(pop.size(), 0);
        ye_.assign(pop.size(), 0.0);
        yi_.assign(pop.size(), 0.0);
    }

    void update(StepContext& ctx) override {
        const Population& pop = *ctx.population;
        auto& V = (*ctx.state)[v];
        auto& ge = (*ctx.state)[gsyn_exc];
        auto& gi = (*ctx.state)[gsyn_inh];
        const auto& el = pop.parameter(v_rest);
        const auto& ee = pop.parameter(e_rev_E);
        const auto& ei = pop.parameter(e_rev_I);
        const auto& iof = pop.parameter(i_offset);
        const auto& thresh = pop.parameter(v_thresh);
        const auto& vreset = pop.parameter(v_reset);
        for (std::size_t i = ctx.begin; i < ctx.end; ++i) {
            const Constants& c = c_[i];
            const double g0e = ge[i], y0e = ye_[i], g0i = gi[i], y0i = yi_[i];
            if (refractory_left_[i] == 0) {
                const double gl_el_i = c.g_l * el[i] + iof[i] + injected_current(ctx, i);
                const double b_h = (c.g_l * h_ + g0e * c.e_h.int0 + y0e * c.e_h.int1 +
                                    g0i * c.i_h.int0 + y0i * c.i_h.int1) * c.inv_c;
                if (is_stiff_step(b_h, kStiffRisingDecayBound)) {
                    V[i] = stiff_step(V[i], b_h, gl_el_i, g0e, y0e, g0i, y0i,
                                      pop.parameter(tau_syn_E)[i], pop.parameter(tau_syn_I)[i],
                                      ee[i], ei[i], c);
                } else {
                    double integral = 0.0;
                    for (int k = 0; k < kNodes; ++k) {
                        const double gek = g0e * c.e[k].dec + y0e * c.e[k].sdec;
                        const double gik = g0i * c.i[k].dec + y0i * c.i[k].sdec;
                        const double a = (gl_el_i + gek * ee[i] + gik * ei[i]) * c.inv_c;
                        const double b_s = (c.g_l * c.node[k] + g0e * c.e[k].int0 +
                                            y0e * c.e[k].int1 + g0i * c.i[k].int0 +
                                            y0i * c.i[k].int1) * c.inv_c;
                        integral += kWeights[k] * a * std::exp(b_s - b_h);
                    }
                    V[i] = std::exp(-b_h) * V[i] + 0.5 * h_ * integral;
                }
            } else {
                --refractory_left_[i];
            }
            ge[i] = g0e * c.e_h.dec + y0e * c.e_h.sdec;
            gi[i] = g0i * c.i_h.dec + y0i * c.i_h.sdec;
            ye_[i] = y0e * c.e_h.dec + c.we * ctx.input[0][i];
            yi_[i] = y0i * c.i_h.dec + c.wi * ctx.input[1][i];
            if (V[i] >= thresh[i]) {
                refractory_left_[i] = c.refractory_steps;
                V[i] = vreset[i];
                ctx.spikes->push_back({static_cast<std::uint32_t>(i), ctx.step + 1, 0.0});
            }
        }
    }

private:
    struct Constants;

    // One step in substeps (models/stiff_linear_step.hpp), from the
    // conductances' closed forms (g0 + y0 s) e^{-s/tau}.
    double stiff_step(double v0, double b_h, double gl_el_i, double g0e, double y0e, double g0i,
                      double y0i, double te, double ti, double ee, double ei,
                      const Constants& c) const {
        const double ic = c.inv_c, g_l = c.g_l;
        auto drive = [&](double s) {
            const double g_e = (g0e + y0e * s) * std::exp(-s / te);
            const double g_i = (g0i + y0i * s) * std::exp(-s / ti);
            return (gl_el_i + g_e * ee + g_i * ei) * ic;
        };
        // int_{t0}^{t1} (g0 + y0 u) e^{-u/tau} du, shifted to start at t0.
        auto span = [](double g0, double y0, double tau, double t0, double t1) {
            const double k = t1 - t0;
            return std::exp(-t0 / tau) * ((g0 + y0 * t0) * -tau * std::expm1(-k / tau) +
                                          y0 * k * k * ramp_exp_integral(-k / tau));
        };
        auto decay = [&](double t0, double t1) {
            return (g_l * (t1 - t0) + span(g0e, y0e, te, t0, t1) + span(g0i, y0i, ti, t0, t1)) * ic;
        };
        return stiff_linear_step(v0, h_, b_h, drive, decay, kStiffRisingDecayBound);
    }

    struct Constants {
        double inv_c, g_l, we, wi;
        Channel e_h, i_h;  // at s = h
        double node[kNodes];
        Channel e[kNodes], i[kNodes];
        int refractory_steps;
    };
    std::vector<Constants> c_;
    std::vector<int> refractory_left_;
    std::vector<double> ye_, yi_;  // auxiliary alpha variables (uS/ms), kernel-private
    double h_ = 0.1;
};

inline ModelInfo if_cond_alpha_info() {
    ModelInfo m;
    m.name = "IF_cond_alpha";
    m.parameters = {
        lif::v_rest(),
        lif::cm(),
        lif::tau_m(),
        lif::tau_refrac(),
        lif::tau_syn("tau_syn_E", 0.3, "rise time of the excitatory synaptic alpha function"),
        lif::tau_syn("tau_syn_I", 0.5, "rise time of the inhibitory synaptic alpha function"),
        lif::e_rev_E(),
        lif::e_rev_I(),
        lif::v_thresh(),
        lif::v_reset(),
        lif::i_offset(),
    };
    m.state = {{"v", -65.0, "mV"}, {"gsyn_exc", 0.0, "uS"}, {"gsyn_inh", 0.0, "uS"}};
    m.recordable = {"spikes", "v", "gsyn_exc", "gsyn_inh"};
    m.receptor_types = {"excitatory", "inhibitory"};
    m.conductance_based = true;
    m.doc =
        "Leaky integrate-and-fire model with fixed threshold and alpha-function shaped "
        "post-synaptic conductance.\n"
        "cm dV/dt = cm/tau_m (v_rest - V) + g_e (e_rev_E - V) + g_i (e_rev_I - V) + i_offset;  "
        "g_x(t) = w (t - t_s)/tau_syn_x exp(1 - (t - t_s)/tau_syn_x). Exponential integrator "
        "with exact conductance integrals and 3-point Gauss-Legendre quadrature.";
    m.make_kernel = [] { return std::make_unique<IfCondAlphaKernel>(); };
    return m;
}

}  // namespace pineal::models
