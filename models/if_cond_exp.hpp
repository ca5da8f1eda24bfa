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
// large). The quadrature needs e^{-(B(h) - B(s))} at s = 0, s0, s1 (at s = h
// it is 1). With P, M, Q the integrals of b over [0, s0], [s0, s1], [s1, h]
// these are e^{-(P+M+Q)}, e^{-(M+Q)} and e^{-Q}: two exp (of M and Q) and
// e^{-P} = e^{-Q} e^{-(P-Q)}, where P - Q = sum_x g_x tau_x (1 - e^{-s0/tau_x})
// (1 - e^{-s1/tau_x}) / C (the leak terms cancel: both intervals are s0 long)
// is ~1e-3 for ordinary conductances, so a degree-7 Taylor polynomial gives
// e^{-(P-Q)} to 1e-14 (cells beyond P - Q = 1/16 take a std::exp path).
// Measured against a high-precision ODE solve (DOP853, rtol 1e-12) over
// 200-300 ms of random excitatory and inhibitory input at dt = 0.1 ms: max
// error 7.6e-10 mV, the quadrature's (2-point Gauss-Legendre, O(h^5), gave
// 1.5e-5 mV); see tests/python/test_validation_if_cond_exp.py. The step
// order follows NEST's iaf_cond_exp: V and g advance together, then the
// input arriving at the end of the step is added to g, then threshold is
// checked. The exponentials use vector_exp (relative error < 1e-13), so that
// the loop vectorises (docs/engine.md).
// A step whose conductance decay B(h) exceeds 3/8 (a huge conductance, where
// one quadrature overshoots the reversal potential) takes the exact path in
// substeps (models/stiff_linear_step.hpp).
#pragma once

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>

#include "engine/kernel.hpp"
#include "models/stiff_linear_step.hpp"
#include "models/simd_clones.hpp"
#include "models/vector_exp.hpp"
#include "models/lif_parameters.hpp"
#include "pineal/model.hpp"

namespace pineal::models {

namespace detail {

// Pass 1 of IfCondExpKernel::update: state, per-cell constants
// (IfCondExpKernel::prepare says what each is).
struct CondExpArrays {
    double* V;
    int* left;  // refractory steps left
    const double *ge, *gi, *drive;
    const double *a_e[4], *a_i[4];  // a(s) at the four nodes, per unit conductance
    const double *q_l, *q_e, *q_i;  // Q = int_{s1}^{h} b
    const double *m_l, *m_e, *m_i;  // M = int_{s0}^{s1} b
    const double *x_e, *x_i;        // x = P - Q, P = int_0^{s0} b
    double w_end, w_in;             // Gauss-Lobatto weights times h/2
    double thresh;                  // for the spike flag only (cells keep their own in pass 2)
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

// Whether the fast formula is out of its range for this cell: the
// polynomial e^{-x} needs x small, a single quadrature needs the step's
// decay B(h) = P + M + Q = 2Q + M + x at most kStiffDecayBound (a strong
// conductance: models/stiff_linear_step.hpp; this also keeps vector_exp's
// arguments in range), and both need g >= 0 (not NaN). Bitwise & rather
// than &&: short-circuit branches would stop the loop from vectorising.
inline int cond_exp_out_of_range(double ge, double gi, double q, double m, double x) {
    return 1 - (static_cast<int>(ge >= 0.0) & static_cast<int>(gi >= 0.0) &
                static_cast<int>(q + q + m + x <= kStiffDecayBound) &
                static_cast<int>(x <= kSmallExpBound));
}

// Flags cond_exp_advance returns for a block.
enum : int { kCrossed = 1, kOutOfRange = 2 };

// Advances the membrane of cells [begin, end) by one step, branch free so
// that it vectorises, and returns kCrossed if one of them reached `thresh`
// (pass 2 skips the blocks without) and kOutOfRange if one of them is out of
// the fast formula's range: such a cell is left as it was (V and refractory
// count) for pass 2 to redo with std::exp. With Uniform (every cell has the
// same parameters, the common case) the constants are read once from
// element 0 and stay in registers; the operations and their order are the
// same, so are the bits.
template <bool Uniform>
inline int cond_exp_advance_impl(const CondExpArrays& a, std::size_t begin, std::size_t end) {
    double* V = a.V;
    int* left = a.left;
    const double *ge = a.ge, *gi = a.gi, *drive = a.drive;
    const double *ae0 = a.a_e[0], *ae1 = a.a_e[1], *ae2 = a.a_e[2], *ae3 = a.a_e[3];
    const double *ai0 = a.a_i[0], *ai1 = a.a_i[1], *ai2 = a.a_i[2], *ai3 = a.a_i[3];
    const double *q_l = a.q_l, *q_e = a.q_e, *q_i = a.q_i, *m_l = a.m_l, *m_e = a.m_e,
                 *m_i = a.m_i, *x_e = a.x_e, *x_i = a.x_i;
    const double kd = drive[0], kae0 = ae0[0], kae1 = ae1[0], kae2 = ae2[0], kae3 = ae3[0],
                 kai0 = ai0[0], kai1 = ai1[0], kai2 = ai2[0], kai3 = ai3[0], kql = q_l[0],
                 kqe = q_e[0], kqi = q_i[0], kml = m_l[0], kme = m_e[0], kmi = m_i[0],
                 kxe = x_e[0], kxi = x_i[0];
    const double w_end = a.w_end, w_in = a.w_in, thresh = a.thresh;
    int crossed = 0, out = 0;
    // Every array is distinct; ivdep spares GCC the run-time alias checks.
#pragma GCC ivdep
    for (std::size_t i = begin; i < end; ++i) {
        auto c = [i](const double* p, double k) { return Uniform ? k : p[i]; };
        const double g_e = ge[i], g_i = gi[i], d = c(drive, kd);
        // h/2 w_k a(s_k): the drive (g_L E_L + i_offset + injected)/C may
        // change per step, so it is an array and the weights are constants.
        const double a0 = w_end * d + g_e * c(ae0, kae0) + g_i * c(ai0, kai0);
        const double a1 = w_in * d + g_e * c(ae1, kae1) + g_i * c(ai1, kai1);
        const double a2 = w_in * d + g_e * c(ae2, kae2) + g_i * c(ai2, kai2);
        const double a3 = w_end * d + g_e * c(ae3, kae3) + g_i * c(ai3, kai3);
        const double q = c(q_l, kql) + g_e * c(q_e, kqe) + g_i * c(q_i, kqi);
        const double m = c(m_l, kml) + g_e * c(m_e, kme) + g_i * c(m_i, kmi);
        const double x = g_e * c(x_e, kxe) + g_i * c(x_i, kxi);
        // The propagators from the nodes to h: e^{-Q} from s1, e^{-(M+Q)}
        // from s0, e^{-(P+M+Q)} = e^{-B(h)} from 0, with e^{-P} = e^{-Q} e^{-x}.
        const double f2 = vector_exp(-q);
        const double f1 = vector_exp(-m) * f2;
        const double f0 = f1 * (f2 * small_exp_neg(x));
        const double vold = V[i];
        const double next = f0 * (vold + a0) + f1 * a1 + f2 * a2 + a3;
        // V keeps its value while refractory (or out of range): a select
        // written as a bit blend, because GCC does not if-convert it (as in
        // IF_curr_exp).
        const int bad = cond_exp_out_of_range(g_e, g_i, q, m, x);
        const int l = left[i];
        const std::uint64_t keep = -static_cast<std::uint64_t>((l != 0) | bad);
        const double v = std::bit_cast<double>((std::bit_cast<std::uint64_t>(next) & ~keep) |
                                               (std::bit_cast<std::uint64_t>(vold) & keep));
        V[i] = v;
        left[i] = l - (static_cast<int>(l != 0) & (1 - bad));
        crossed |= static_cast<int>(v >= thresh);
        out |= bad;
    }
    return (crossed ? kCrossed : 0) | (out ? kOutOfRange : 0);
}

inline int cond_exp_advance_any(const CondExpArrays& a, std::size_t begin, std::size_t end,
                                bool uniform) {
    return uniform ? cond_exp_advance_impl<true>(a, begin, end)
                   : cond_exp_advance_impl<false>(a, begin, end);
}

// One clone per instruction set (models/simd_clones.hpp), chosen when the
// library loads; all do the same IEEE operations in the same order, so the
// bits depend neither on the machine's vector width nor on which cells fall
// into the vector body or the scalar remainder (vector_exp). Short ranges
// take the clones without AVX-512 (simd_clones.hpp says why).
PINEAL_SIMD_DISPATCH(int, cond_exp_advance, CondExpArrays, cond_exp_advance_any)

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
        const double half_h = 0.5 * h;
        const double w[4] = {half_h / 6.0, half_h * 5.0 / 6.0, half_h * 5.0 / 6.0, half_h / 6.0};
        for (auto* a : {&inv_c_, &leak_rate_, &tau_e_, &tau_i_, &e_e_, &e_i_, &drive_, &drive_step_, &decay_e_, &decay_i_, &q_l_, &q_e_, &q_i_,
                        &m_l_, &m_e_, &m_i_, &x_e_, &x_i_})
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
            leak_rate_[i] = g_l * ic;
            tau_e_[i] = te, tau_i_[i] = ti, e_e_[i] = ee, e_i_[i] = ei;
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
        h_ = h;
        w_end_ = w[0];
        w_in_ = w[1];
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

    // Block by block: pass 1 advances the membrane of every cell in a
    // branch-free loop the compiler vectorises (structure of arrays,
    // vector_exp) and flags the block if a cell reached the lowest threshold
    // or is out of the fast formula's range; pass 2 visits only flagged
    // blocks, cell by cell (slow path, threshold, reset); pass 3 decays the
    // conductances and adds the input. Blocks cover [begin, end) in order, so
    // spikes stay in cell order.
    void update(StepContext& ctx) override {
        if (ctx.begin == ctx.end) return;
        const Population& pop = *ctx.population;
        double* V = (*ctx.state)[v].data();
        double* ge = (*ctx.state)[gsyn_exc].data();
        double* gi = (*ctx.state)[gsyn_inh].data();
        int* left = refractory_left_.data();
        // Injected current (current sources) enters where i_offset does: in
        // the drive (g_L E_L + i_offset) / C, per cell for this step.
        const double* drive = drive_.data();
        if (ctx.injected) {
            for (std::size_t i = ctx.begin; i < ctx.end; ++i)
                drive_step_[i] = drive_[i] + ctx.injected[i] * inv_c_[i];
            drive = drive_step_.data();
        }
        detail::CondExpArrays a{V, left, ge, gi, drive,
                                {a_e_[0].data(), a_e_[1].data(), a_e_[2].data(), a_e_[3].data()},
                                {a_i_[0].data(), a_i_[1].data(), a_i_[2].data(), a_i_[3].data()},
                                q_l_.data(), q_e_.data(), q_i_.data(), m_l_.data(), m_e_.data(),
                                m_i_.data(), x_e_.data(), x_i_.data(), w_end_, w_in_,
                                lowest_thresh_};
        const bool uniform = uniform_ && !ctx.injected;
        const auto& thresh = pop.parameter(v_thresh);
        const auto& vreset = pop.parameter(v_reset);
        constexpr std::size_t kBlock = 128;
        for (std::size_t b = ctx.begin; b < ctx.end; b += kBlock) {
            const std::size_t e = std::min(ctx.end, b + kBlock);
            const int flags = detail::cond_exp_advance(a, b, e, uniform);
            if (flags == 0) continue;
            for (std::size_t i = b; i < e; ++i) {
                if (flags & detail::kOutOfRange) {
                    // Left untouched by pass 1: the same step with std::exp.
                    if (out_of_range(i, ge[i], gi[i])) {
                        if (left[i] == 0) V[i] = slow_step(i, V[i], ge[i], gi[i], drive[i]);
                        else --left[i];
                    }
                }
                if (V[i] >= thresh[i]) {
                    left[i] = refractory_steps_[i];
                    V[i] = vreset[i];
                    ctx.spikes->push_back({static_cast<std::uint32_t>(i), ctx.step + 1, 0.0});
                }
            }
        }
        // Conductances decay and take the input arriving at the end of the
        // step. When the engine allows, the input is zeroed as it is read,
        // which spares it a separate pass.
        const double *decay_e = decay_e_.data(), *decay_i = decay_i_.data();
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
    int out_of_range(std::size_t i, double g_e, double g_i) const {
        const double q = q_l_[i] + g_e * q_e_[i] + g_i * q_i_[i];
        const double m = m_l_[i] + g_e * m_e_[i] + g_i * m_i_[i];
        const double x = g_e * x_e_[i] + g_i * x_i_[i];
        return detail::cond_exp_out_of_range(g_e, g_i, q, m, x);
    }

    // Pass 1 for one cell with std::exp, which covers every argument: the
    // same formula as cond_exp_advance_impl, or substeps where the step's
    // decay is too large for one quadrature.
    double slow_step(std::size_t i, double v0, double g_e, double g_i, double d) const {
        const double a0 = w_end_ * d + g_e * a_e_[0][i] + g_i * a_i_[0][i];
        const double a1 = w_in_ * d + g_e * a_e_[1][i] + g_i * a_i_[1][i];
        const double a2 = w_in_ * d + g_e * a_e_[2][i] + g_i * a_i_[2][i];
        const double a3 = w_end_ * d + g_e * a_e_[3][i] + g_i * a_i_[3][i];
        const double q = q_l_[i] + g_e * q_e_[i] + g_i * q_i_[i];
        const double m = m_l_[i] + g_e * m_e_[i] + g_i * m_i_[i];
        const double x = g_e * x_e_[i] + g_i * x_i_[i];
        const double b_h = q + q + m + x;
        if (is_stiff_step(b_h)) return stiff_step(i, v0, g_e, g_i, d, b_h);
        const double f2 = std::exp(-q);
        const double f1 = std::exp(-m) * f2;
        const double f0 = f1 * (f2 * std::exp(-x));
        return f0 * (v0 + a0) + f1 * a1 + f2 * a2 + a3;
    }

    // One step in substeps (models/stiff_linear_step.hpp), from the
    // conductances' closed forms g_x e^{-s/tau_x}.
    double stiff_step(std::size_t i, double v0, double g_e, double g_i, double d, double b_h) const {
        const double ic = inv_c_[i], te = tau_e_[i], ti = tau_i_[i];
        const double ce = g_e * e_e_[i] * ic, ci = g_i * e_i_[i] * ic;
        const double ke = g_e * te * ic, ki = g_i * ti * ic, lr = leak_rate_[i];
        auto drive = [&](double s) { return d + ce * std::exp(-s / te) + ci * std::exp(-s / ti); };
        auto decay = [&](double t0, double t1) {
            return lr * (t1 - t0) - ke * std::exp(-t0 / te) * std::expm1(-(t1 - t0) / te) -
                   ki * std::exp(-t0 / ti) * std::expm1(-(t1 - t0) / ti);
        };
        return stiff_linear_step(v0, h_, b_h, drive, decay);
    }

    // Per-cell constants, one array each (structure of arrays): the drive
    // (g_L E_L + i_offset)/C; h/2 w_k e^{-s_k/tau_x} E_x / C at the nodes;
    // the coefficients of Q, M and x (leak, excitatory, inhibitory).
    std::vector<double> leak_rate_, tau_e_, tau_i_, e_e_, e_i_;  // g_L/C and the channels'
    std::vector<double> inv_c_, drive_, decay_e_, decay_i_, a_e_[4], a_i_[4];
    std::vector<double> q_l_, q_e_, q_i_, m_l_, m_e_, m_i_, x_e_, x_i_;
    std::vector<double> drive_step_;        // drive + injected current / C (scratch)
    std::vector<int> refractory_steps_, refractory_left_;
    double h_ = 0.0;
    double w_end_ = 0.0, w_in_ = 0.0;  // Gauss-Lobatto weights times h/2
    double lowest_thresh_ = 0.0;
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
