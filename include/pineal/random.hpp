// Counter-based random streams (Philox4x64-10 from Random123) and the
// PyNN distributions drawn from them.
//
// A stream is keyed by (seed, stream, entity, segment): `stream` is given to
// each use of an RNG in creation order, `entity` is the neuron the numbers
// belong to (the target of a connection, the source of a spike train) and
// `segment` changes at reset(). Numbers of one entity therefore never depend
// on how the network is partitioned over threads or processes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace pineal {

struct StreamKey {
    std::uint64_t seed = 0;
    std::uint64_t stream = 0;
    std::uint64_t entity = 0;
    std::uint64_t segment = 0;
};

// Sequential generator over one key. Each Philox call yields four 64-bit
// words; `position` counts words consumed, so a stream can be saved and
// resumed exactly (used by spike sources across run() calls). The spare
// value cached by normal() is not part of the position: resume only after an
// even number of normal() calls if the continuation must match.
class RandomStream {
public:
    explicit RandomStream(const StreamKey& key, std::uint64_t position = 0);

    // Inline: connectors draw one per candidate pair (a call each was ~15 %
    // of DistanceDependent generation).
    std::uint64_t next_u64() {
        if (position_ % 4 == 0) refill();
        return block_[position_++ % 4];
    }
    // Uniform on [0, 1) with 53 random bits.
    double uniform() { return static_cast<double>(next_u64() >> 11) * 0x1p-53; }
    // Uniform on (0, 1]: safe as the argument of log().
    double uniform_open0() { return static_cast<double>((next_u64() >> 11) + 1) * 0x1p-53; }
    double normal();  // standard normal (Box-Muller, both values used in turn)
    double exponential(double mean);

    std::uint64_t position() const { return position_; }

    // The four words of block `index` of a stream (words 4 index .. 4 index
    // + 3): for callers that keep many streams' blocks themselves (one
    // SpikeSourcePoisson cell each) instead of a RandomStream per stream.
    static void block(const StreamKey& key, std::uint64_t index, std::uint64_t out[4]);

private:
    void refill();
    StreamKey key_;
    std::uint64_t position_;
    std::uint64_t block_[4]{};
    bool has_spare_normal_ = false;
    double spare_normal_ = 0.0;
};

// The PyNN distribution names (pyNN.random.available_distributions) with
// their parameters in PyNN's documented order.
enum class DistributionKind {
    binomial,                    // n, p
    gamma,                       // k (shape), theta (scale)
    exponential,                 // beta (scale = mean)
    lognormal,                   // mu, sigma (of the underlying normal)
    normal,                      // mu, sigma
    normal_clipped,              // mu, sigma, low, high (redraw outside)
    normal_clipped_to_boundary,  // mu, sigma, low, high (clip)
    poisson,                     // lambda_
    uniform,                     // low, high
    uniform_int,                 // low, high (integers in [low, high))
    vonmises,                    // mu, kappa
};

struct Distribution {
    DistributionKind kind = DistributionKind::uniform;
    std::vector<double> parameters;  // in PyNN's order, validated by make()

    // Validates the name and the parameter values; throws pineal::Error
    // (invalid_parameter_value) naming the distribution and the parameter.
    static Distribution make(const std::string& name, std::vector<double> parameters);
    static const std::vector<std::string>& parameter_names(DistributionKind kind);
    static std::string name_of(DistributionKind kind);
    double draw(RandomStream& rng) const;
};

// Fills out[i] with the first draw of entity first_entity + i (one stream per
// entity), e.g. one value per cell of a population.
void draw_per_entity(const Distribution& d, StreamKey key, std::uint64_t first_entity,
                     std::size_t n, double* out);

}  // namespace pineal
