// The synapse type of a projection when it is not a StaticSynapse: a
// short-term plasticity, stochastic or STDP model, by PyNN name, with its
// parameters (one value per projection). The catalogue (names, defaults,
// units, checks) is models/synapses/; docs/plasticity.md has the equations.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace pineal {

struct SynapseDynamics {
    // PyNN class: "TsodyksMarkramSynapse", "SimpleStochasticSynapse",
    // "StochasticTsodyksMarkramSynapse", "MultiQuantalSynapse" or "STDPMechanism".
    std::string model;
    // STDPMechanism only: the PyNN component classes, e.g. "SpikePairRule"
    // and "AdditiveWeightDependence".
    std::string timing_dependence;
    std::string weight_dependence;
    // (name, value) of every parameter given; the others take their defaults.
    // Weight and delay are not here (they are per synapse, in ProjectionSpec).
    std::vector<std::pair<std::string, double>> parameters;
};

}  // namespace pineal
