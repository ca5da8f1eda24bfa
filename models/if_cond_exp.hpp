// IF_cond_exp: leaky integrate-and-fire neuron with exponentially decaying
// synaptic conductances.
//
//   cm dV/dt = g_L (v_rest - V) + g_e (e_rev_E - V) + g_i (e_rev_I - V) + i_offset,
//   g_L = cm / tau_m,  dg_x/dt = -g_x / tau_syn_x,  g_x += w at spike arrival (w in uS, >= 0)
//   V >= v_thresh: spike, V <- v_reset, V clamped for round(tau_refrac/dt) steps
//
// Parameters and defaults: PyNN 0.13 (shared reference §4.1).
//
// Integrator. Within a step the conductances decay exactly, so V obeys the
// linear equation dV/dt = a(s) - b(s) V whose coefficients are known in
// closed form. Its solution over a step of length h is
//   V(h) = e^{-B(h)} V(0) + integral_0^h a(s) e^{-(B(h) - B(s))} ds,  B(s) = int_0^s b,
// where B is exact (integrals of exponentials) and the remaining smooth
// integral uses 4-point Gauss-Lobatto quadrature (nodes 0, h/2 (1 -+ 1/sqrt 5),
// h; weights h/2 (1/6, 5/6, 5/6, 1/6); exact for polynomials of degree 5, so
// the error is O(h^7) like 3-point Gauss-Legendre's, with a constant 4/3 as
// large). Its end nodes cost no exponential: at s = h the factor is 1 and at
// s = 0 it is e^{-B(h)}, which the V(0) term needs anyway, so a step takes 3
// exp per cell instead of Gauss-Legendre's 4. Measured against a
// high-precision ODE solve (DOP853, rtol 1e-12) over 200-300 ms of random
// excitatory and inhibitory input at dt = 0.1 ms: max error below 1e-9 mV
// (2-point Gauss-Legendre, O(h^5), gave 1.5e-5 mV); see
// tests/python/test_validation_if_cond_exp.py. The step order follows NEST's
// iaf_cond_exp: V and g advance together, then the input arriving at the end
// of the step is added to g, then threshold is checked. The exponentials use
// vector_exp (relative error < 1e-13), so that the loop vectorises: the exp
// were 80 % of the VA COBA benchmark's time (docs/engine.md).
#pragma once

#include <algorithm>
#include <cmath>
#include <memory>

#include "engine/kernel.hpp"
#include "models/vector_exp.hpp"
#include "models/lif_parameters.hpp"
#include "pineal/model.hpp"

namespace pineal::models {

namespace detail {

// Pass 1 of IfCondExpKernel::update: arrays of the cells, per-cell constants
// (IfCondExpKernel::prepare says what each is).
struct CondExpArrays {
    const double *V, *ge, *gi, *drive;
    const double *a_e[4], *a_i[4];           // a(s) at the four nodes, per unit conductance
    const double *q_l, *q_e, *q_i;           // Q = int_{s1}^{h} b
    const double *m_l, *m_e, *m_i;           // M = int_{s0}^{s1} b
    const double *x_e, *x_i;                 // x = P - Q, P = int_0^{s0} b
    double *vn, *qm, *px;  // out: membrane candidate, Q + M and x (the slow path's guard)
    double w_end, w_in;    // Gauss-Lobatto weights times h/2
};

// e^{-x} for 0 <= x <= kSmallExpBound: Taylor polynomial of degree 7, whose
// relative error there is below x^8/8! <= 5.8e-15.
constexpr double kSmallExpBound = 1.0 / 16.0;
inline double small_exp_neg(double x) {
    const double y = -x;
    double p = 1.0 / 5040.0;
    p = p * y + 1.0 / 720.0;
    p = p * y + 1.0 / 120.0;
    p = p * y + 1.0 / 24.0;
    p = p * y + 1.0 / 6.0;
    p = p * y + 0.5;
    p = p * y + 1.0;
    p = p * y + 1.0;
    return p;
}

// The membrane candidate of cells [begin, end), branch free so that it
// vectorises. With Uniform (every cell has the same parameters, the common
// case) the constants are read from element 0 and stay in registers instead
// of being streamed from arrays; the values and operations are the same.
template <bool Uniform>
inline void cond_exp_candidates_impl(const CondExpArrays& a, std::size_t begin, std::size_t end) {
    const double *V = a.V, *ge = a.ge, *gi = a.gi, *drive = a.drive;
    const double *ae0 = a.a_e[0], *ae1 = a.a_e[1], *ae2 = a.a_e[2], *ae3 = a.a_e[3];
    const double *ai0 = a.a_i[0], *ai1 = a.a_i[1], *ai2 = a.a_i[2], *ai3 = a.a_i[3];
    const double *q_l = a.q_l, *q_e = a.q_e, *q_i = a.q_i, *m_l = a.m_l, *m_e = a.m_e,
                 *m_i = a.m_i, *x_e = a.x_e, *x_i = a.x_i;
    double *vn = a.vn, *qm = a.qm, *px = a.px;
    const double w_end = a.w_end, w_in = a.w_in;
    // Every array is distinct; ivdep spares GCC the run-time alias checks.
#pragma GCC ivdep
    for (std::size_t i = begin; i < end; ++i) {
        auto c = [i](const double* p) { return Uniform ? p[0] : p[i]; };
        const double g_e = ge[i], g_i = gi[i], d = c(drive);
        // h/2 w_k a(s_k): the drive (g_L E_L + i_offset + injected)/C may
        // change per step, so it stays per cell and its weights are constants.
        const double a0 = w_end * d + g_e * c(ae0) + g_i * c(ai0);
        const double a1 = w_in * d + g_e * c(ae1) + g_i * c(ai1);
        const double a2 = w_in * d + g_e * c(ae2) + g_i * c(ai2);
        const double a3 = w_end * d + g_e * c(ae3) + g_i * c(ai3);
        const double q = c(q_l) + g_e * c(q_e) + g_i * c(q_i);
        const double m = c(m_l) + g_e * c(m_e) + g_i * c(m_i);
        const double x = g_e * c(x_e) + g_i * c(x_i);
        // The propagators from the nodes to h: e^{-Q} from s1, e^{-(M+Q)}
        // from s0, e^{-(P+M+Q)} = e^{-B(h)} from 0, with e^{-P} = e^{-Q} e^{-x}.
        const double f2 = vector_exp(-q);
        const double f1 = vector_exp(-m) * f2;
        const double f0 = f1 * (f2 * small_exp_neg(x));
        vn[i] = f0 * (V[i] + a0) + f1 * a1 + f2 * a2 + a3;
        qm[i] = q + m;
        px[i] = x;
    }
}

// Compiled for AVX2 and for baseline x86-64, chosen when the library loads;
// both do the same IEEE operations in the same order (no FMA: neither target
// enables it), so the bits do not depend on the machine's vector width, nor
// on which cells fall into the vector body or the scalar remainder
// (vector_exp).
[[gnu::target_clones("avx2", "default"), gnu::flatten]] inline void cond_exp_candidates(
    const CondExpArrays& a, std::size_t begin, std::size_t end, bool uniform) {
    if (uniform) cond_exp_candidates_impl<true>(a, begin, end);
    else cond_exp_candidates_impl<false>(a, begin, end);
}

}  // namespace detail

class IfCondExpKernel final : public NeuronKernel {
public:
    enum Param {
        v_rest, cm, tau_m, tau_refrac, tau_syn_E, tau_syn_I, e_rev_E, e_rev_I, v_thresh,
        v_reset, i_offset
    };
    enum State { v, gsyn_exc, gsyn_inh };

    void prepare(const Population& pop, const KernelEnv& env) override {
        const std::size_t n = pop.size();
        const double h = env.dt;
        // The 4-point Gauss-Lobatto nodes on [0, h]: 0, s0, s1 = h - s0, h.
        const double r = 1.0 / std::sqrt(5.0);
        const double s[4] = {0.0, 0.5 * h * (1 - r), 0.5 * h * (1 + r), h};
        const double s0 = s[1], s1 = s[2];
        half_h_ = 0.5 * h;
        const double w[4] = {half_h_ / 6.0, half_h_ * 5.0 / 6.0, half_h_ * 5.0 / 6.0, half_h_ / 6.0};
        for (auto* a : {&inv_c_, &drive_, &drive_step_, &decay_e_, &decay_i_, &q_l_, &q_e_, &q_i_,
                        &m_l_, &m_e_, &m_i_, &x_e_, &x_i_, &v_next_, &qm_, &px_})
            a->resize(n);
        for (int k = 0; k < 4; ++k) a_e_[k].resize(n), a_i_[k].resize(n);
        refractory_steps_.resize(n);
        refractory_left_.resize(n, 0);
        for (std::size_t i = 0; i < n; ++i) {
            const double C = pop.parameter(cm)[i], te = pop.parameter(tau_syn_E)[i],
                         ti = pop.parameter(tau_syn_I)[i], ee = pop.parameter(e_rev_E)[i],
                         ei = pop.parameter(e_rev_I)[i];
            const double ic = 1.0 / C, g_l = C / pop.parameter(tau_m)[i];
            inv_c_[i] = ic;
            drive_[i] = (g_l * pop.parameter(v_rest)[i] + pop.parameter(i_offset)[i]) * ic;
            decay_e_[i] = std::exp(-h / te);
            decay_i_[i] = std::exp(-h / ti);
            for (int k = 0; k < 4; ++k) {
                a_e_[k][i] = w[k] * std::exp(-s[k] / te) * ee * ic;
                a_i_[k][i] = w[k] * std::exp(-s[k] / ti) * ei * ic;
            }
            // int over [t0, t1] of e^{-u/tau} = -tau e^{-t0/tau} expm1(-(t1 - t0)/tau)
            auto span = [](double tau, double t0, double t1) {
                return -tau * std::exp(-t0 / tau) * std::expm1(-(t1 - t0) / tau);
            };
            q_l_[i] = g_l * s0 * ic;  // h - s1 = s0
            q_e_[i] = span(te, s1, h) * ic;
            q_i_[i] = span(ti, s1, h) * ic;
            m_l_[i] = g_l * (s1 - s0) * ic;
            m_e_[i] = span(te, s0, s1) * ic;
            m_i_[i] = span(ti, s0, s1) * ic;
            // P - Q: the leak terms cancel (both spans have length s0), the
            // synaptic ones are tau (1 - e^{-s0/tau}) (1 - e^{-s1/tau}) >= 0.
            x_e_[i] = te * std::expm1(-s0 / te) * std::expm1(-s1 / te) * ic;
            x_i_[i] = ti * std::expm1(-s0 / ti) * std::expm1(-s1 / ti) * ic;
            refractory_steps_[i] = static_cast<int>(std::lround(pop.parameter(tau_refrac)[i] / h));
        }
        w_end_ = w[0];
        w_in_ = w[1];
        uniform_ = true;
        for (std::size_t k = 0; k < pop.model().parameters.size(); ++k) {
            const auto& values = pop.parameter(static_cast<int>(k));
            uniform_ = uniform_ && std::all_of(values.begin(), values.end(),
                                               [&](double x) { return x == values[0]; });
        }
    }

    void reset(const Population& pop) override { refractory_left_.assign(pop.size(), 0); }

    // Three passes: the membrane candidate of every cell in a branch-free
    // loop the compiler vectorises (structure of arrays, vector_exp), then
    // refractoriness and threshold cell by cell, then the conductances.
    void update(StepContext& ctx) override {
        const Population& pop = *ctx.population;
        double* __restrict V = (*ctx.state)[v].data();
        double* __restrict ge = (*ctx.state)[gsyn_exc].data();
        double* __restrict gi = (*ctx.state)[gsyn_inh].data();
        double* __restrict vn = v_next_.data();
        const double *decay_e = decay_e_.data(), *decay_i = decay_i_.data();
        // Injected current (current sources) enters where i_offset does: in
        // the drive (g_L E_L + i_offset) / C, per cell for this step.
        const double* drive = drive_.data();
        if (ctx.injected) {
            for (std::size_t i = ctx.begin; i < ctx.end; ++i)
                drive_step_[i] = drive_[i] + ctx.injected[i] * inv_c_[i];
            drive = drive_step_.data();
        }
        detail::CondExpArrays a{V, ge, gi, drive,
                                {a_e_[0].data(), a_e_[1].data(), a_e_[2].data(), a_e_[3].data()},
                                {a_i_[0].data(), a_i_[1].data(), a_i_[2].data(), a_i_[3].data()},
                                q_l_.data(), q_e_.data(), q_i_.data(), m_l_.data(), m_e_.data(),
                                m_i_.data(), x_e_.data(), x_i_.data(), vn, qm_.data(), px_.data(),
                                w_end_, w_in_};
        detail::cond_exp_candidates(a, ctx.begin, ctx.end, uniform_ && !ctx.injected);
        const auto& thresh = pop.parameter(v_thresh);
        const auto& vreset = pop.parameter(v_reset);
        const double *qm = qm_.data(), *px = px_.data();
        for (std::size_t i = ctx.begin; i < ctx.end; ++i) {
            // vector_exp needs its arguments in [-708, 709] and the
            // polynomial e^{-x} needs x small; outside (an absurd or
            // negative conductance) the cell is redone with std::exp.
            if (!(ge[i] >= 0.0 && gi[i] >= 0.0 && qm[i] <= 700.0 &&
                  px[i] <= detail::kSmallExpBound))
                vn[i] = slow_step(i, V[i], ge[i], gi[i], drive[i]);
            if (refractory_left_[i] == 0) V[i] = vn[i];
            else --refractory_left_[i];
            if (V[i] >= thresh[i]) {
                refractory_left_[i] = refractory_steps_[i];
                V[i] = vreset[i];
                ctx.spikes->push_back({static_cast<std::uint32_t>(i), ctx.step + 1, 0.0});
            }
        }
        // Conductances decay and take the input arriving at the end of the
        // step (they do not depend on V: a separate, vectorised loop). When
        // the engine allows, the input is zeroed as it is read, which spares
        // it a separate pass.
        if (ctx.clearable_input) {
            double* __restrict ce = ctx.clearable_input[0];
            double* __restrict ci = ctx.clearable_input[1];
#pragma GCC ivdep
            for (std::size_t i = ctx.begin; i < ctx.end; ++i) {
                ge[i] = ge[i] * decay_e[i] + ce[i];
                gi[i] = gi[i] * decay_i[i] + ci[i];
                ce[i] = 0.0;
                ci[i] = 0.0;
            }
            ctx.input_cleared = true;
            return;
        }
        const double* __restrict in_e = ctx.input[0];
        const double* __restrict in_i = ctx.input[1];
#pragma GCC ivdep
        for (std::size_t i = ctx.begin; i < ctx.end; ++i) {
            ge[i] = ge[i] * decay_e[i] + in_e[i];
            gi[i] = gi[i] * decay_i[i] + in_i[i];
        }
    }

private:
    // Pass 1 for one cell with std::exp, which covers every argument: the
    // same formula as cond_exp_candidates_impl.
    double slow_step(std::size_t i, double v0, double g_e, double g_i, double d) const {
        const double a0 = w_end_ * d + g_e * a_e_[0][i] + g_i * a_i_[0][i];
        const double a1 = w_in_ * d + g_e * a_e_[1][i] + g_i * a_i_[1][i];
        const double a2 = w_in_ * d + g_e * a_e_[2][i] + g_i * a_i_[2][i];
        const double a3 = w_end_ * d + g_e * a_e_[3][i] + g_i * a_i_[3][i];
        const double q = q_l_[i] + g_e * q_e_[i] + g_i * q_i_[i];
        const double m = m_l_[i] + g_e * m_e_[i] + g_i * m_i_[i];
        const double x = g_e * x_e_[i] + g_i * x_i_[i];
        const double f2 = std::exp(-q);
        const double f1 = std::exp(-m) * f2;
        const double f0 = f1 * (f2 * std::exp(-x));
        return f0 * (v0 + a0) + f1 * a1 + f2 * a2 + a3;
    }

    // Per-cell constants, one array each (structure of arrays): the drive
    // (g_L E_L + i_offset)/C; h/2 w_k e^{-s_k/tau_x} E_x / C at the nodes;
    // the coefficients of Q, M and x (leak, excitatory, inhibitory).
    std::vector<double> inv_c_, drive_, decay_e_, decay_i_, a_e_[4], a_i_[4];
    std::vector<double> q_l_, q_e_, q_i_, m_l_, m_e_, m_i_, x_e_, x_i_;
    std::vector<double> v_next_, qm_, px_;  // membrane candidate and guard of the step (scratch)
    std::vector<double> drive_step_;        // drive + injected current / C (scratch)
    std::vector<int> refractory_steps_, refractory_left_;
    double half_h_ = 0.05, w_end_ = 0.0, w_in_ = 0.0;
    bool uniform_ = false;  // every cell has the same parameters
};

inline ModelInfo if_cond_exp_info() {
    ModelInfo m;
    m.name = "IF_cond_exp";
    m.parameters = {
        lif::v_rest(),
        lif::cm(),
        lif::tau_m(),
        lif::tau_refrac(),
        lif::tau_syn("tau_syn_E", 5.0, "excitatory conductance decay"),
        lif::tau_syn("tau_syn_I", 5.0, "inhibitory conductance decay"),
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
        "Leaky integrate-and-fire model with fixed threshold and exponentially decaying "
        "synaptic conductances.\n"
        "cm dV/dt = cm/tau_m (v_rest - V) + g_e (e_rev_E - V) + g_i (e_rev_I - V) + i_offset;  "
        "dg_x/dt = -g_x/tau_syn_x. Exponential integrator with exact conductance integrals and "
        "4-point Gauss-Lobatto quadrature.";
    m.make_kernel = [] { return std::make_unique<IfCondExpKernel>(); };
    return m;
}

}  // namespace pineal::models
