// GIF_cond_exp: generalised integrate-and-fire neuron with escape noise, a
// spike-triggered current (eta) and a moving threshold (gamma), with
// exponentially decaying conductance synapses (Mensi et al. 2012,
// J. Neurophysiol. 107:1756; Pozzorini et al. 2015, PLoS Comput. Biol.
// 11:e1004275; PyNN 0.13 / NEST gif_cond_exp, shared reference §4.5).
//
//   cm dV/dt = -(cm/tau_m)(V - v_rest) - eta + g_e (e_rev_E - V) + g_i (e_rev_I - V) + i_offset
//   eta = sum_k eta_k,  d eta_k/dt = -eta_k/tau_eta[k],  on a spike eta_k += a_eta[k]   (nA)
//   v_t = v_t_star + sum_k gamma_k,  d gamma_k/dt = -gamma_k/tau_gamma[k],
//         on a spike gamma_k += a_gamma[k]                                              (mV)
//   lambda = lambda0 exp((V - v_t)/delta_v)  (Hz);  P(spike in a step) = 1 - exp(-lambda dt/1000)
//   after a spike: V <- v_reset, held for round(tau_refrac/dt) steps
//
// Step order (each step, per cell): V advances over the step unless
// refractory (then it stays at v_reset); eta_k, gamma_k and g decay exactly;
// the input arriving at the end of the step is added to g; then, if the step
// was not refractory, the hazard is evaluated from V and v_t at the end of
// the step and one uniform number u decides: u < P is a spike, stamped at the
// end of the step, with the reset and the eta/gamma jumps. i_eta and v_t in
// the state arrays are outputs (sums of the kernel's private components).
//
// Randomness: u comes from the cell's own counter-based stream keyed by
// (rng_seed, kGifStream, cell id, reset segment) at a saved position (one
// word per non-refractory step), as models/spike_source_poisson.hpp does, so
// spike trains do not depend on threads or partitions and reset() starts a
// new trial.
//
// Integrator. Between spikes V is linear with known time-dependent
// coefficients (conductances and eta_k decay exactly), so it uses the
// exponential integrator of IF_cond_exp: V(h) = e^{-B(h)} V(0) +
// int_0^h a(s) e^{B(s) - B(h)} ds with B exact and 3-point Gauss-Legendre
// quadrature for the smooth integral (error O(h^7)); fixed step,
// vectorisable. Measured error: docs/models/GIF_cond_exp.md.
//
// Array parameters: tau_eta, tau_gamma, a_eta, a_gamma take one sequence per
// cell in any order (any length, eta and gamma pairs of equal length);
// PyNN's defaults are (1, 10, 100) ms and (1, 1, 1) nA or mV, and an empty
// sequence (set explicitly) also means them.
#pragma once

#include <cmath>
#include <memory>

#include "engine/kernel.hpp"
#include "models/stiff_linear_step.hpp"
#include "pineal/errors.hpp"
#include "models/lif_parameters.hpp"
#include "pineal/model.hpp"
#include "pineal/random.hpp"

namespace pineal::models {

// Stream tag of the GIF escape-noise draws (entity = cell id).
inline constexpr std::uint64_t kGifStream = 0x4749465F45534350ull;  // "GIF_ESCP"

class GifCondExpKernel final : public NeuronKernel {
    static constexpr int kNodes = 3;
    static constexpr double kWeights[kNodes] = {5.0 / 9.0, 8.0 / 9.0, 5.0 / 9.0};

public:
    enum Param {
        v_rest, cm, tau_m, tau_refrac, tau_syn_E, tau_syn_I, e_rev_E, e_rev_I, v_reset, i_offset,
        delta_v, v_t_star, lambda0, tau_eta, tau_gamma, a_eta, a_gamma
    };
    enum State { v, v_t, i_eta, gsyn_exc, gsyn_inh };

    void prepare(const Population& pop, const KernelEnv& env) override {
        const std::size_t n = pop.size();
        const double h = env.dt;
        seed_ = env.rng_seed;
        segment_ = env.segment;
        // Validate every cell before changing anything.
        for (std::size_t i = 0; i < n; ++i) {
            if (sequence(pop, tau_eta, i).size() != sequence(pop, a_eta, i).size())
                fail(ErrorKind::invalid_parameter_value, "GIF_cond_exp", "a_eta",
                     "GIF_cond_exp: tau_eta and a_eta must have the same length, got ",
                     sequence(pop, tau_eta, i).size(), " and ", sequence(pop, a_eta, i).size(),
                     " for cell ", i);
            if (sequence(pop, tau_gamma, i).size() != sequence(pop, a_gamma, i).size())
                fail(ErrorKind::invalid_parameter_value, "GIF_cond_exp", "a_gamma",
                     "GIF_cond_exp: tau_gamma and a_gamma must have the same length, got ",
                     sequence(pop, tau_gamma, i).size(), " and ",
                     sequence(pop, a_gamma, i).size(), " for cell ", i);
        }
        const double r = std::sqrt(0.6);
        const double s[kNodes] = {0.5 * h * (1 - r), 0.5 * h, 0.5 * h * (1 + r)};
        half_h_ = 0.5 * h;
        c_.resize(n);
        eta_first_.assign(n + 1, 0);
        gamma_first_.assign(n + 1, 0);
        for (std::size_t i = 0; i < n; ++i) {
            eta_first_[i + 1] = eta_first_[i] + sequence(pop, tau_eta, i).size();
            gamma_first_[i + 1] = gamma_first_[i] + sequence(pop, tau_gamma, i).size();
        }
        eta_node_.resize(eta_first_[n] * kNodes);
        eta_decay_.resize(eta_first_[n]);
        eta_tau_.resize(eta_first_[n]);
        eta_jump_.resize(eta_first_[n]);
        gamma_decay_.resize(gamma_first_[n]);
        gamma_jump_.resize(gamma_first_[n]);
        for (std::size_t i = 0; i < n; ++i) {
            Constants& c = c_[i];
            const double C = pop.parameter(cm)[i], te = pop.parameter(tau_syn_E)[i],
                         ti = pop.parameter(tau_syn_I)[i];
            c.inv_c = 1.0 / C;
            c.g_l = C / pop.parameter(tau_m)[i];
            c.decay_e = std::exp(-h / te);
            c.decay_i = std::exp(-h / ti);
            c.int_e_h = -te * std::expm1(-h / te);
            c.int_i_h = -ti * std::expm1(-h / ti);
            for (int k = 0; k < kNodes; ++k) {
                c.node[k] = s[k];
                c.dec_e[k] = std::exp(-s[k] / te);
                c.dec_i[k] = std::exp(-s[k] / ti);
                c.int_e[k] = -te * std::expm1(-s[k] / te);
                c.int_i[k] = -ti * std::expm1(-s[k] / ti);
            }
            c.refractory_steps = static_cast<int>(std::lround(pop.parameter(tau_refrac)[i] / h));
            const auto te_k = sequence(pop, tau_eta, i), ae_k = sequence(pop, a_eta, i);
            for (std::size_t k = 0; k < te_k.size(); ++k) {
                const std::size_t j = eta_first_[i] + k;
                eta_decay_[j] = std::exp(-h / te_k[k]);
                eta_tau_[j] = te_k[k];
                eta_jump_[j] = ae_k[k];
                for (int q = 0; q < kNodes; ++q) eta_node_[j * kNodes + q] = std::exp(-s[q] / te_k[k]);
            }
            const auto tg_k = sequence(pop, tau_gamma, i), ag_k = sequence(pop, a_gamma, i);
            for (std::size_t k = 0; k < tg_k.size(); ++k) {
                const std::size_t j = gamma_first_[i] + k;
                gamma_decay_[j] = std::exp(-h / tg_k[k]);
                gamma_jump_[j] = ag_k[k];
            }
        }
        // Private per-cell state survives a parameter change when the shapes allow.
        if (eta_.size() != eta_first_[n]) eta_.assign(eta_first_[n], 0.0);
        if (gamma_.size() != gamma_first_[n]) gamma_.assign(gamma_first_[n], 0.0);
        refractory_left_.resize(n, 0);
        positions_.resize(n, 0);
    }

    void reset(const Population&) override {
        eta_.clear();
        gamma_.clear();
        refractory_left_.clear();
        positions_.clear();
    }

    void update(StepContext& ctx) override {
        const Population& pop = *ctx.population;
        StateArrays& st = *ctx.state;
        auto& V = st[v];
        auto& ge = st[gsyn_exc];
        auto& gi = st[gsyn_inh];
        const auto& el = pop.parameter(v_rest);
        const auto& ee = pop.parameter(e_rev_E);
        const auto& ei = pop.parameter(e_rev_I);
        const auto& iof = pop.parameter(i_offset);
        const auto& vreset = pop.parameter(v_reset);
        const auto& dv = pop.parameter(delta_v);
        const auto& vts = pop.parameter(v_t_star);
        const auto& lam0 = pop.parameter(lambda0);
        for (std::size_t i = ctx.begin; i < ctx.end; ++i) {
            const Constants& c = c_[i];
            const std::size_t e0 = eta_first_[i], e1 = eta_first_[i + 1];
            const std::size_t g0 = gamma_first_[i], g1 = gamma_first_[i + 1];
            const bool clamped = refractory_left_[i] > 0;
            if (!clamped) {
                const double base = c.g_l * el[i] + iof[i] + injected_current(ctx, i);
                const double b_h = (c.g_l * 2 * half_h_ + ge[i] * c.int_e_h + gi[i] * c.int_i_h) * c.inv_c;
                if (is_stiff_step(b_h)) {
                    // Substeps (models/stiff_linear_step.hpp) from the closed
                    // forms g e^{-s/tau_syn} and eta_j e^{-s/tau_eta_j}.
                    const double g_e = ge[i], g_i = gi[i], te = pop.parameter(tau_syn_E)[i],
                                 ti = pop.parameter(tau_syn_I)[i], e_e = ee[i], e_i = ei[i];
                    auto drive = [&](double s) {
                        double eta_now = 0.0;
                        for (std::size_t j = e0; j < e1; ++j) eta_now += eta_[j] * std::exp(-s / eta_tau_[j]);
                        return (base - eta_now + g_e * std::exp(-s / te) * e_e +
                                g_i * std::exp(-s / ti) * e_i) * c.inv_c;
                    };
                    auto decay = [&](double t0, double t1) {
                        return (c.g_l * (t1 - t0) - g_e * te * std::exp(-t0 / te) * std::expm1(-(t1 - t0) / te) -
                                g_i * ti * std::exp(-t0 / ti) * std::expm1(-(t1 - t0) / ti)) * c.inv_c;
                    };
                    V[i] = stiff_linear_step(V[i], 2 * half_h_, b_h, drive, decay);
                } else {
                    double integral = 0.0;
                    for (int k = 0; k < kNodes; ++k) {
                        double eta_now = 0.0;
                        for (std::size_t j = e0; j < e1; ++j) eta_now += eta_[j] * eta_node_[j * kNodes + k];
                        const double a = (base - eta_now + ge[i] * c.dec_e[k] * ee[i] +
                                          gi[i] * c.dec_i[k] * ei[i]) * c.inv_c;
                        const double b_s = (c.g_l * c.node[k] + ge[i] * c.int_e[k] + gi[i] * c.int_i[k]) * c.inv_c;
                        integral += kWeights[k] * a * std::exp(b_s - b_h);
                    }
                    V[i] = std::exp(-b_h) * V[i] + half_h_ * integral;
                }
            } else {
                --refractory_left_[i];
            }
            for (std::size_t j = e0; j < e1; ++j) eta_[j] *= eta_decay_[j];
            for (std::size_t j = g0; j < g1; ++j) gamma_[j] *= gamma_decay_[j];
            ge[i] = ge[i] * c.decay_e + ctx.input[0][i];
            gi[i] = gi[i] * c.decay_i + ctx.input[1][i];
            double threshold = vts[i];
            for (std::size_t j = g0; j < g1; ++j) threshold += gamma_[j];
            if (!clamped && lam0[i] > 0.0) {
                // lambda in Hz, dt in ms; exp may overflow to inf: then P = 1.
                const double rate = lam0[i] * std::exp((V[i] - threshold) / dv[i]);
                const double p = -std::expm1(-rate * ctx.dt * 1e-3);
                RandomStream rng({seed_, kGifStream, pop.first_id() + i, segment_}, positions_[i]);
                const double u = rng.uniform();
                positions_[i] = rng.position();
                if (u < p) {
                    V[i] = vreset[i];
                    for (std::size_t j = e0; j < e1; ++j) eta_[j] += eta_jump_[j];
                    for (std::size_t j = g0; j < g1; ++j) gamma_[j] += gamma_jump_[j];
                    threshold = vts[i];
                    for (std::size_t j = g0; j < g1; ++j) threshold += gamma_[j];
                    refractory_left_[i] = c.refractory_steps;
                    ctx.spikes->push_back({static_cast<std::uint32_t>(i), ctx.step + 1, 0.0});
                }
            }
            double eta_sum = 0.0;
            for (std::size_t j = e0; j < e1; ++j) eta_sum += eta_[j];
            st[i_eta][i] = eta_sum;
            st[v_t][i] = threshold;
        }
    }

private:
    // A cell's sequence, or PyNN's default when it is empty.
    static std::vector<double> sequence(const Population& pop, int k, std::size_t i) {
        const auto& seq = pop.sequence(k)[i];
        if (!seq.empty()) return seq;
        if (k == tau_eta || k == tau_gamma) return {1.0, 10.0, 100.0};
        return {1.0, 1.0, 1.0};
    }

    struct Constants {
        double inv_c, g_l, decay_e, decay_i, int_e_h, int_i_h;
        double node[kNodes], dec_e[kNodes], dec_i[kNodes], int_e[kNodes], int_i[kNodes];
        int refractory_steps;
    };
    std::vector<Constants> c_;
    std::vector<std::size_t> eta_first_, gamma_first_;  // component ranges per cell
    std::vector<double> eta_tau_;  // tau_eta per component (ms)
    std::vector<double> eta_node_, eta_decay_, eta_jump_, gamma_decay_, gamma_jump_;
    std::vector<double> eta_, gamma_;  // the components (nA, mV)
    std::vector<int> refractory_left_;
    std::vector<std::uint64_t> positions_;  // words consumed per cell stream
    std::uint64_t seed_ = 0, segment_ = 0;
    double half_h_ = 0.05;
};

inline ModelInfo gif_cond_exp_info() {
    ModelInfo m;
    m.name = "GIF_cond_exp";
    using P = ParameterShape;
    // PyNN 0.13 defaults (shared reference §4.5); array defaults in the kernel.
    m.parameters = {
        {"v_rest", -65.0, "mV", Check::any, P::scalar, "resting potential (leak reversal)"},
        lif::cm(),
        lif::tau_m(),
        {"tau_refrac", 4.0, "ms", Check::non_negative, P::scalar, "refractory period"},
        lif::tau_syn("tau_syn_E", 5.0, "excitatory conductance decay"),
        lif::tau_syn("tau_syn_I", 5.0, "inhibitory conductance decay"),
        lif::e_rev_E(),
        lif::e_rev_I(),
        lif::v_reset(),
        lif::i_offset(),
        {"delta_v", 0.5, "mV", Check::positive, P::scalar, "threshold sharpness of the escape rate"},
        {"v_t_star", -48.0, "mV", Check::any, P::scalar, "baseline threshold"},
        {"lambda0", 1.0, "Hz", Check::non_negative, P::scalar, "escape rate at threshold"},
        {"tau_eta", 0.0, "ms", Check::positive, P::array,
         "time constants of the spike-triggered current", {1.0, 10.0, 100.0}},
        {"tau_gamma", 0.0, "ms", Check::positive, P::array,
         "time constants of the threshold movement", {1.0, 10.0, 100.0}},
        {"a_eta", 0.0, "nA", Check::any, P::array, "jumps of the spike-triggered current",
         {1.0, 1.0, 1.0}},
        {"a_gamma", 0.0, "mV", Check::any, P::array, "jumps of the threshold", {1.0, 1.0, 1.0}},
    };
    m.state = {{"v", -65.0, "mV"}, {"v_t", -48.0, "mV"}, {"i_eta", 0.0, "nA"},
               {"gsyn_exc", 0.0, "uS"}, {"gsyn_inh", 0.0, "uS"}};
    m.recordable = {"spikes", "v", "gsyn_exc", "gsyn_inh", "i_eta", "v_t"};
    m.receptor_types = {"excitatory", "inhibitory"};
    m.conductance_based = true;
    m.doc =
        "Generalised integrate-and-fire neuron with escape noise, spike-triggered current and "
        "moving threshold (Mensi et al. 2012; Pozzorini et al. 2015), conductance synapses.\n"
        "cm dV/dt = -cm/tau_m (V - v_rest) - eta + I_syn + i_offset; eta_k, gamma_k decay with "
        "tau_eta[k], tau_gamma[k] and jump by a_eta[k], a_gamma[k] at spikes; "
        "v_t = v_t_star + sum gamma_k; spike with probability 1 - exp(-lambda0 "
        "exp((V - v_t)/delta_v) dt) per step. Exponential integrator (exact decays, 3-point "
        "Gauss-Legendre).";
    m.make_kernel = [] { return std::make_unique<GifCondExpKernel>(); };
    return m;
}

}  // namespace pineal::models
