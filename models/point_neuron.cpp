// PointNeuron: the composed kernel (models/point_neuron.hpp) and
// compose_point_neuron, which builds and caches a composed ModelInfo.
#include "models/point_neuron.hpp"
#include "models/stiff_linear_step.hpp"

#include <algorithm>
#include <cctype>
#include <deque>
#include <mutex>
#include <sstream>

namespace pineal::models {

void PointNeuronKernel::prepare(const Population& pop, const KernelEnv& env) {
    const std::size_t n = pop.size();
    env_dt_ = env.dt;
    refractory_steps_.resize(n);
    refractory_left_.resize(n, 0);
    h_.resize(n, env.dt);
    psr_.assign(psrs_.size(), std::vector<Psr>(n));
    aux_.resize(psrs_.size());
    for (auto& a : aux_) a.resize(n, 0.0);
    const int refrac = adex_ ? static_cast<int>(a_tau_refrac) : static_cast<int>(l_tau_refrac);
    for (std::size_t i = 0; i < n; ++i)
        refractory_steps_[i] = static_cast<int>(std::lround(pop.parameter(refrac)[i] / env.dt));
    if (adex_) {
        for (std::size_t i = 0; i < n; ++i) {
            const double dT = pop.parameter(a_delta_T)[i];
            const double peak = dT > 0.0 ? pop.parameter(a_v_spike)[i] : pop.parameter(a_v_thresh)[i];
            if (!(pop.parameter(a_v_reset)[i] < peak))
                fail(ErrorKind::invalid_parameter_value, name_, "v_reset", name_, ".v_reset (",
                     pop.parameter(a_v_reset)[i], " mV) must be below the spike detection level (",
                     peak, " mV) of cell ", i);
            if (dT > 0.0 &&
                (pop.parameter(a_v_spike)[i] - pop.parameter(a_v_thresh)[i]) / dT > 600.0)
                fail(ErrorKind::invalid_parameter_value, name_, "delta_T", name_,
                     ": (v_spike - v_thresh)/delta_T must be <= 600; got delta_T = ", dT,
                     " mV for cell ", i);
        }
    }
    for (std::size_t j = 0; j < psrs_.size(); ++j) {
        const PsrLayout& L = psrs_[j];
        for (std::size_t i = 0; i < n; ++i) {
            Psr& p = psr_[j][i];
            auto P = [&](int k) { return pop.parameter(L.param0 + k)[i]; };
            switch (L.kind) {
                case PsrKind::curr_exp: p.tau1 = P(0); break;
                case PsrKind::cond_exp:
                case PsrKind::cond_alpha: p.e = P(0), p.tau1 = P(1); break;
                case PsrKind::cond_beta: {
                    p.e = P(0), p.tau2 = P(1), p.tau1 = P(2);  // tau_rise, tau_decay
                    const double td = p.tau1, tr = p.tau2;
                    if (td == tr)
                        fail(ErrorKind::invalid_parameter_value, name_, L.name + ".tau_rise",
                             name_, ": ", L.name, ".tau_rise must differ from ", L.name,
                             ".tau_decay (both ", td, " ms) for cell ", i);
                    const double tp = td * tr * std::log(td / tr) / (td - tr);
                    p.f = 1.0 / (std::exp(-tp / td) - std::exp(-tp / tr));
                    break;
                }
            }
            const double h = env.dt, r = std::sqrt(0.6);
            const double nodes[kNodes + 1] = {0.5 * h * (1 - r), 0.5 * h, 0.5 * h * (1 + r), h};
            for (int k = 0; k <= kNodes; ++k) {
                const Decay d = decay(p, nodes[k]);
                p.e1[k] = d.e1, p.m1[k] = d.m1, p.e2[k] = d.e2, p.m2[k] = d.m2;
            }
        }
    }
}

void PointNeuronKernel::wave(PsrKind kind, const Psr& p, const Decay& d, double x0,
                             double aux0, double s, double& g, double& G) {
    const double e1 = d.e1, m1 = d.m1;
    switch (kind) {
        case PsrKind::curr_exp:
        case PsrKind::cond_exp:
            g = x0 * e1, G = x0 * m1;
            return;
        case PsrKind::cond_alpha:
            g = (x0 + aux0 * s) * e1;
            G = x0 * m1 + aux0 * (p.tau1 * m1 - p.tau1 * s * e1);
            return;
        case PsrKind::cond_beta: {
            const double e2 = d.e2, m2 = d.m2;
            const double R0 = aux0 - x0;  // aux0 = D0
            g = aux0 * e1 - R0 * e2;
            G = aux0 * m1 - R0 * m2;
            return;
        }
    }
}

void PointNeuronKernel::update(StepContext& ctx) {
    for (std::size_t i = ctx.begin; i < ctx.end; ++i) {
        if (adex_) step_adex(ctx, i);
        else step_lif(ctx, i);
        advance_synapses(ctx, i);
    }
}

void PointNeuronKernel::step_lif(StepContext& ctx, std::size_t i) {
    const Population& pop = *ctx.population;
    StateArrays& st = *ctx.state;
    const double h = ctx.dt, C = pop.parameter(l_cm)[i], g_l = C / pop.parameter(l_tau_m)[i];
    const double gl_el =
        g_l * pop.parameter(l_v_rest)[i] + pop.parameter(l_i_offset)[i] + injected_current(ctx, i);
    const double r = std::sqrt(0.6);
    const double s[kNodes] = {0.5 * h * (1 - r), 0.5 * h, 0.5 * h * (1 + r)};
    // B(h) and, per node, a(s) and B(s) (all without the 1/C factor).
    double b_h = g_l * h, a[kNodes], b[kNodes];
    for (int k = 0; k < kNodes; ++k) a[k] = gl_el, b[k] = g_l * s[k];
    for (std::size_t j = 0; j < psrs_.size(); ++j) {
        const PsrLayout& L = psrs_[j];
        const Psr& p = psr_[j][i];
        const double x0 = st[L.state][i], y0 = aux_[j][i];
        double g, G;
        const bool current = L.kind == PsrKind::curr_exp;
        if (!current) {
            wave(L.kind, p, {p.e1[kNodes], p.m1[kNodes], p.e2[kNodes], p.m2[kNodes]}, x0, y0, h,
                 g, G);
            b_h += G;
        }
        for (int k = 0; k < kNodes; ++k) {
            wave(L.kind, p, {p.e1[k], p.m1[k], p.e2[k], p.m2[k]}, x0, y0, s[k], g, G);
            if (current) a[k] += g;
            else a[k] += g * p.e, b[k] += G;
        }
    }
    const double ic = 1.0 / C;
    double vn;
    if (refractory_left_[i] == 0 && is_stiff_step(b_h * ic, kStiffRisingDecayBound)) {
        // Substeps (models/stiff_linear_step.hpp), from the waveforms' closed
        // forms; int_{t0}^{t1} g as G(t1) - G(t0). The bound for rising
        // conductances, since alpha and beta waveforms can be among them.
        auto sum_waves = [&](double t, double& a_t, double& b_t) {
            a_t = gl_el, b_t = g_l * t;
            for (std::size_t j = 0; j < psrs_.size(); ++j) {
                const PsrLayout& L = psrs_[j];
                const Psr& p = psr_[j][i];
                double g, G;
                wave(L.kind, p, decay(p, t), st[L.state][i], aux_[j][i], t, g, G);
                if (L.kind == PsrKind::curr_exp) a_t += g;
                else a_t += g * p.e, b_t += G;
            }
        };
        auto drive = [&](double t) {
            double a_t, b_t;
            sum_waves(t, a_t, b_t);
            return a_t * ic;
        };
        auto span = [&](double t0, double t1) {
            double a0, b0, a1, b1;
            sum_waves(t0, a0, b0);
            sum_waves(t1, a1, b1);
            return (b1 - b0) * ic;
        };
        vn = stiff_linear_step(st[0][i], h, b_h * ic, drive, span, kStiffRisingDecayBound);
    } else {
        double integral = 0.0;
        for (int k = 0; k < kNodes; ++k)
            integral += kWeights[k] * a[k] * ic * std::exp((b[k] - b_h) * ic);
        vn = std::exp(-b_h * ic) * st[0][i] + 0.5 * h * integral;
    }
    double& V = st[0][i];
    if (refractory_left_[i] == 0) V = vn;
    else --refractory_left_[i];
    if (V >= pop.parameter(l_v_thresh)[i]) {
        refractory_left_[i] = refractory_steps_[i];
        V = pop.parameter(l_v_reset)[i];
        ctx.spikes->push_back({static_cast<std::uint32_t>(i), ctx.step + 1, 0.0});
    }
}

void PointNeuronKernel::step_adex(StepContext& ctx, std::size_t i) {
    const Population& pop = *ctx.population;
    StateArrays& st = *ctx.state;
    auto P = [&](int k) { return pop.parameter(k)[i]; };
    const double C = P(a_cm), g_l = C / P(a_tau_m), el = P(a_v_rest), dT = P(a_delta_T),
                 vt = P(a_v_thresh), I = P(a_i_offset) + injected_current(ctx, i),
                 a_us = 1e-3 * P(a_a), tw = P(a_tau_w), vr = P(a_v_reset), bb = P(a_b);
    const double peak = dT > 0.0 ? P(a_v_spike) : vt;
    bool clamped = refractory_left_[i] > 0;
    if (clamped) --refractory_left_[i];
    StateVec<3> y{st[0][i], st[1][i], 0.0};
    auto rhs = [&](const StateVec<3>& x, StateVec<3>& d) {
        const double V = clamped ? vr : std::min(x[0], peak);
        double syn = 0.0;
        for (std::size_t j = 0; j < psrs_.size(); ++j) {
            const PsrLayout& L = psrs_[j];
            double g, G;
            const Psr& p = psr_[j][i];
            wave(L.kind, p, decay(p, x[2]), st[L.state][i], aux_[j][i], x[2], g, G);
            syn += L.kind == PsrKind::curr_exp ? g : g * (psr_[j][i].e - V);
        }
        const double spike_current = dT > 0.0 ? g_l * dT * std::exp((V - vt) / dT) : 0.0;
        d[0] = clamped ? 0.0 : (-g_l * (V - el) + spike_current - x[1] + syn + I) / C;
        d[1] = (a_us * (V - el) - x[1]) / tw;
        d[2] = 1.0;
    };
    auto event = [&](const StateVec<3>& x) { return clamped ? -1.0 : x[0] - peak; };
    const int steps = refractory_steps_[i];
    auto on_spike = [&](StateVec<3>& x) {
        x[0] = vr;
        x[1] += bb;
        if (steps > 0) {
            clamped = true;
            refractory_left_[i] = steps;
        }
    };
    const int n = rkf45_advance(y, ctx.dt, h_[i], tol_, rhs, event, on_spike);
    for (int k = 0; k < n; ++k)
        ctx.spikes->push_back({static_cast<std::uint32_t>(i), ctx.step + 1, 0.0});
    st[0][i] = y[0], st[1][i] = y[1];
}

// The waveforms advance over the step, then take the input arriving at its end.
void PointNeuronKernel::advance_synapses(StepContext& ctx, std::size_t i) {
    StateArrays& st = *ctx.state;
    const double h = ctx.dt;
    for (std::size_t j = 0; j < psrs_.size(); ++j) {
        const PsrLayout& L = psrs_[j];
        const Psr& p = psr_[j][i];
        double& x = st[L.state][i];
        double& aux = aux_[j][i];
        const double in = ctx.input[j][i];
        double g, G;
        wave(L.kind, p, {p.e1[kNodes], p.m1[kNodes], p.e2[kNodes], p.m2[kNodes]}, x, aux, h, g,
             G);
        switch (L.kind) {
            case PsrKind::curr_exp:
            case PsrKind::cond_exp: x = g + in; break;
            case PsrKind::cond_alpha:
                x = g;
                aux = aux * p.e1[kNodes] + in * std::numbers::e / p.tau1;
                break;
            case PsrKind::cond_beta: {
                const double D = aux * p.e1[kNodes];
                x = g;  // D - R, both get f*in: the difference is unchanged
                aux = D + p.f * in;
                break;
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Composition

namespace {

struct Component {
    const char* pynn;   // PyNN class name
    const char* short_name;
    PsrKind kind;
};
constexpr Component kPsrs[] = {
    {"CurrExpPostSynapticResponse", "CurrExp", PsrKind::curr_exp},
    {"CondExpPostSynapticResponse", "CondExp", PsrKind::cond_exp},
    {"CondAlphaPostSynapticResponse", "CondAlpha", PsrKind::cond_alpha},
    {"CondBetaPostSynapticResponse", "CondBeta", PsrKind::cond_beta},
};

bool valid_receptor_name(const std::string& s) {
    if (s.empty() || !(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_')) return false;
    return std::all_of(s.begin(), s.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
    });
}

ModelInfo build(const std::string& name, bool adex,
                const std::vector<std::pair<std::string, PsrKind>>& receptors) {
    ModelInfo m;
    m.name = name;
    using P = ParameterShape;
    // PyNN 0.13 defaults (shared reference §5.1).
    if (adex) {
        m.parameters = {
            {"cm", 0.281, "nF", Check::positive, P::scalar, "membrane capacitance"},
            {"tau_refrac", 0.1, "ms", Check::non_negative, P::scalar, "refractory period"},
            {"v_spike", -40.0, "mV", Check::any, P::scalar, "spike detection threshold"},
            {"v_reset", -70.6, "mV", Check::any, P::scalar, "reset value for V after a spike"},
            {"v_rest", -70.6, "mV", Check::any, P::scalar, "resting potential"},
            {"tau_m", 9.3667, "ms", Check::positive, P::scalar, "membrane time constant"},
            {"i_offset", 0.0, "nA", Check::any, P::scalar, "offset current"},
            {"a", 4.0, "nS", Check::any, P::scalar, "subthreshold adaptation conductance"},
            {"b", 0.0805, "nA", Check::any, P::scalar, "spike-triggered adaptation increment"},
            {"delta_T", 2.0, "mV", Check::non_negative, P::scalar, "slope factor"},
            {"tau_w", 144.0, "ms", Check::positive, P::scalar, "adaptation time constant"},
            {"v_thresh", -50.4, "mV", Check::any, P::scalar, "spike initiation threshold"},
        };
        m.state = {{"v", -70.6, "mV"}, {"w", 0.0, "nA"}};
        m.recordable = {"spikes", "v", "w"};
    } else {
        m.parameters = {
            {"cm", 1.0, "nF", Check::positive, P::scalar, "membrane capacitance"},
            {"tau_refrac", 0.1, "ms", Check::non_negative, P::scalar, "refractory period"},
            {"v_reset", -65.0, "mV", Check::any, P::scalar, "reset potential after a spike"},
            {"v_rest", -65.0, "mV", Check::any, P::scalar, "resting membrane potential"},
            {"tau_m", 20.0, "ms", Check::positive, P::scalar, "membrane time constant"},
            {"i_offset", 0.0, "nA", Check::any, P::scalar, "offset current"},
            {"v_thresh", -50.0, "mV", Check::any, P::scalar, "spike threshold"},
        };
        m.state = {{"v", -65.0, "mV"}};
        m.recordable = {"spikes", "v"};
    }
    std::vector<PsrLayout> layout;
    bool any_current = false, any_conductance = false;
    for (const auto& [rname, kind] : receptors) {
        const std::string d = rname + ".";
        const int param0 = static_cast<int>(m.parameters.size());
        if (kind == PsrKind::curr_exp) {
            any_current = true;
            m.parameters.push_back({d + "tau_syn", 5.0, "ms", Check::positive, P::scalar,
                                    "decay time of the synaptic current"});
            m.state.push_back({d + "isyn", 0.0, "nA"});
        } else {
            any_conductance = true;
            m.parameters.push_back(
                {d + "e_syn", 0.0, "mV", Check::any, P::scalar, "synaptic reversal potential"});
            if (kind == PsrKind::cond_beta) {
                m.parameters.push_back({d + "tau_rise", 0.2, "ms", Check::positive, P::scalar,
                                        "rise time constant of the conductance"});
                m.parameters.push_back({d + "tau_decay", 1.7, "ms", Check::positive, P::scalar,
                                        "decay time constant of the conductance"});
            } else {
                m.parameters.push_back({d + "tau_syn", 5.0, "ms", Check::positive, P::scalar,
                                        kind == PsrKind::cond_alpha
                                            ? "time to peak of the alpha conductance"
                                            : "decay time of the synaptic conductance"});
            }
            m.state.push_back({d + "gsyn", 0.0, "uS"});
        }
        m.recordable.push_back(m.state.back().name);
        m.receptor_types.push_back(rname);
        layout.push_back({rname, kind, param0, static_cast<int>(m.state.size()) - 1});
    }
    if (any_current && any_conductance)
        fail(ErrorKind::invalid_model, name, "", name,
             ": current-based and conductance-based post-synaptic responses cannot be mixed in "
             "one PointNeuron");
    m.conductance_based = !any_current;
    m.doc = std::string("Composed point neuron (PyNN PointNeuron): ") +
            (adex ? "adaptive exponential integrate-and-fire body (AdExp), adaptive RKF45"
                  : "leaky integrate-and-fire body (LIF), exponential integrator with exact "
                    "conductance integrals and 3-point Gauss-Legendre quadrature") +
            "; one input port per named receptor. See docs/models/PointNeuron.md.";
    m.make_kernel = [name, adex, layout] {
        return std::make_unique<PointNeuronKernel>(name, adex, layout);
    };
    return m;
}

std::mutex& registry_mutex() {
    static std::mutex m;
    return m;
}
std::deque<ModelInfo>& composed() {  // deque: references stay valid as it grows
    static std::deque<ModelInfo> models;
    return models;
}

}  // namespace

}  // namespace pineal::models

namespace pineal {

const ModelInfo& compose_point_neuron(
    const std::string& neuron, const std::vector<std::pair<std::string, std::string>>& receptors) {
    using namespace models;
    if (neuron != "LIF" && neuron != "AdExp")
        fail(ErrorKind::invalid_model, "PointNeuron", "neuron",
             "PointNeuron: the neuron must be LIF or AdExp, got '", neuron, "'");
    std::vector<std::pair<std::string, PsrKind>> parsed;
    for (const auto& [rname, kind] : receptors) {
        if (!valid_receptor_name(rname))
            fail(ErrorKind::invalid_model, "PointNeuron", rname, "PointNeuron: receptor name '",
                 rname, "' must be an identifier (letters, digits, '_')");
        const Component* c = nullptr;
        for (const auto& k : kPsrs)
            if (kind == k.pynn || kind == k.short_name) c = &k;
        if (!c)
            fail(ErrorKind::invalid_model, "PointNeuron", rname, "PointNeuron: receptor '", rname,
                 "' must be a post-synaptic response (CurrExpPostSynapticResponse, "
                 "CondExpPostSynapticResponse, CondAlphaPostSynapticResponse, "
                 "CondBetaPostSynapticResponse), got '", kind, "'");
        for (const auto& p : parsed)
            if (p.first == rname)
                fail(ErrorKind::invalid_model, "PointNeuron", rname,
                     "PointNeuron: receptor '", rname, "' given twice");
        parsed.emplace_back(rname, c->kind);
    }
    // PyNN: receptor_types is the sorted list of the keyword names.
    std::sort(parsed.begin(), parsed.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    std::ostringstream name;
    name << "PointNeuron(" << neuron;
    for (std::size_t k = 0; k < parsed.size(); ++k) {
        const char* short_name = "";
        for (const auto& c : kPsrs)
            if (c.kind == parsed[k].second) short_name = c.short_name;
        name << (k == 0 ? "; " : ", ") << parsed[k].first << "=" << short_name;
    }
    name << ")";
    std::lock_guard<std::mutex> lock(registry_mutex());
    for (const auto& m : composed())
        if (m.name == name.str()) return m;
    ModelInfo m = build(name.str(), neuron == "AdExp", parsed);  // may throw: nothing stored
    composed().push_back(std::move(m));
    return composed().back();
}

const ModelInfo* find_composed_model(const std::string& name) {
    std::lock_guard<std::mutex> lock(models::registry_mutex());
    for (const auto& m : models::composed())
        if (m.name == name) return &m;
    return nullptr;
}

}  // namespace pineal
