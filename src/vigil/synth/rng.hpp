#pragma once
// Deterministic random numbers for the synthetic city.
//
// Generator: xoshiro256** (Blackman and Vigna 2018, "Scrambled linear pseudorandom number generators"),
// seeded through SplitMix64 (Steele, Lea and Flood 2014). A stream is keyed by (seed, purpose, a, b), so
// every LSOA-month, every area and every stage draws from its own stream: changing how many numbers one
// part of the city uses never shifts another part.
//
// Distributions are implemented here on purpose, NOT taken from <random>: std::poisson_distribution,
// std::normal_distribution etc. are not specified bit for bit and give different draws under libstdc++,
// libc++ and MSVC. With these, the same seed gives byte-identical files with any standard library. What
// remains platform-dependent is libm's std::log/std::exp/std::sin (sqrt is exact by IEEE 754), which glibc
// computes identically on x86-64 and aarch64; a different libm could change a rare last-ulp comparison.
//   Uniform01     53-bit mantissa from the top bits: (x >> 11) * 2^-53, in [0, 1).
//   UniformInt    Lemire (2019) multiply-shift with rejection, unbiased, in [0, n).
//   Exponential   inversion: -mean * log(1 - U).
//   Normal        Marsaglia polar method (1964), one value per call (the pair's second value is dropped
//                 so that a call uses a predictable amount of the stream only through its rejections).
//   Poisson       mean < 12: inversion by sequential search (Devroye 1986, X.3.3);
//                 mean >= 12: PTRS transformed rejection (Hörmann 1993, "The transformed rejection
//                 method for generating Poisson random variables", Insurance: Math. & Econ. 12:39-45).
//   Discrete      inversion on a cumulative weight table (binary search).
#include <cstdint>
#include <span>
#include <vector>

namespace vigil::synth {

// SplitMix64 finaliser: a bijective 64-bit mix, also used to derive stream keys and ids.
std::uint64_t Mix64(std::uint64_t x);

// Stream purposes. Values are part of the file format contract (changing one changes the city).
enum class Stream : std::uint64_t {
    kGeometry = 1,
    kMapPoints = 2,
    kDeprivation = 3,
    kPopulation = 4,
    kPlanted = 5,
    kBackground = 6,
    kOutbreak = 7,
    kOffspring = 8,
    kHealth = 9,
    kPolice = 10,
    kPoliceIds = 11,
    kNoLocation = 12,
    kSites = 13,
    kEvaluation = 14, // outbreaks simulated by `vigil alerts evaluate`, not part of the city
};

class Rng {
public:
    Rng(std::uint64_t seed, Stream purpose, std::uint64_t a = 0, std::uint64_t b = 0);

    std::uint64_t Next(); // xoshiro256**
    double Uniform01();
    double Uniform(double lo, double hi) { return lo + (hi - lo) * Uniform01(); }
    std::uint64_t UniformInt(std::uint64_t n); // [0, n), n >= 1
    bool Bernoulli(double p) { return Uniform01() < p; }
    double Exponential(double mean);
    double Normal(double mean, double sd);
    std::uint64_t Poisson(double mean); // mean >= 0; 0 for mean <= 0

private:
    std::uint64_t PoissonPtrs(double mean);
    std::uint64_t s_[4];
};

// Inversion sampling from fixed non-negative weights (not necessarily normalised).
class Discrete {
public:
    Discrete() = default;
    explicit Discrete(std::span<const double> weights);
    std::size_t Sample(Rng& rng) const;
    std::size_t size() const { return cumulative_.size(); }
    double total() const { return cumulative_.empty() ? 0.0 : cumulative_.back(); }

private:
    std::vector<double> cumulative_;
};

// log(k!) exactly summed for k < 256, Stirling series beyond (error < 1e-15 relative).
double LogFactorial(std::uint64_t k);

} // namespace vigil::synth
