#include "vigil/synth/rng.hpp"

#include <algorithm>
#include <array>
#include <cmath>

namespace vigil::synth {
namespace {

std::uint64_t Rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

// Full 64 x 64 -> 128-bit product as (high, low) words, without the non-standard __int128.
void Multiply128(std::uint64_t a, std::uint64_t b, std::uint64_t& hi, std::uint64_t& lo) {
    const std::uint64_t a_lo = a & 0xFFFFFFFFULL, a_hi = a >> 32;
    const std::uint64_t b_lo = b & 0xFFFFFFFFULL, b_hi = b >> 32;
    const std::uint64_t p0 = a_lo * b_lo, p1 = a_lo * b_hi, p2 = a_hi * b_lo, p3 = a_hi * b_hi;
    const std::uint64_t mid = (p0 >> 32) + (p1 & 0xFFFFFFFFULL) + (p2 & 0xFFFFFFFFULL);
    lo = (mid << 32) | (p0 & 0xFFFFFFFFULL);
    hi = p3 + (p1 >> 32) + (p2 >> 32) + (mid >> 32);
}

std::array<double, 256> MakeLogFactorialTable() {
    std::array<double, 256> t{};
    t[0] = 0.0;
    for (std::size_t k = 1; k < t.size(); ++k) t[k] = t[k - 1] + std::log(static_cast<double>(k));
    return t;
}

} // namespace

std::uint64_t Mix64(std::uint64_t x) {
    x += 0x9E3779B97F4A7C15ULL;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
    return x ^ (x >> 31);
}

Rng::Rng(std::uint64_t seed, Stream purpose, std::uint64_t a, std::uint64_t b) {
    // Chain the key parts through the mixer so (a, b) and (b, a) give unrelated streams.
    std::uint64_t key = Mix64(seed);
    key = Mix64(key ^ static_cast<std::uint64_t>(purpose));
    key = Mix64(key ^ a);
    key = Mix64(key ^ b);
    // SplitMix64 sequence from the key fills the xoshiro state (never all zero: SplitMix64 is a bijection
    // of a counter, four consecutive outputs cannot all be zero).
    for (auto& word : s_) {
        key += 0x9E3779B97F4A7C15ULL;
        std::uint64_t z = key;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        word = z ^ (z >> 31);
    }
}

std::uint64_t Rng::Next() {
    const std::uint64_t result = Rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = Rotl(s_[3], 45);
    return result;
}

double Rng::Uniform01() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }

std::uint64_t Rng::UniformInt(std::uint64_t n) {
    if (n <= 1) return 0;
    std::uint64_t high = 0, low = 0;
    Multiply128(Next(), n, high, low);
    if (low < n) {
        const std::uint64_t threshold = (0 - n) % n;
        while (low < threshold) Multiply128(Next(), n, high, low);
    }
    return high;
}

double Rng::Exponential(double mean) { return -mean * std::log(1.0 - Uniform01()); }

double Rng::Normal(double mean, double sd) {
    for (;;) {
        const double u = 2.0 * Uniform01() - 1.0;
        const double v = 2.0 * Uniform01() - 1.0;
        const double s = u * u + v * v;
        if (s > 0.0 && s < 1.0) return mean + sd * u * std::sqrt(-2.0 * std::log(s) / s);
    }
}

std::uint64_t Rng::Poisson(double mean) {
    if (!(mean > 0.0)) return 0;
    if (mean >= 12.0) return PoissonPtrs(mean);
    double p = std::exp(-mean);
    double cumulative = p;
    const double u = Uniform01();
    std::uint64_t x = 0;
    // The cap only guards against cumulative rounding short of u (probability below 1e-300 beyond it).
    while (u > cumulative && x < 200) {
        ++x;
        p *= mean / static_cast<double>(x);
        cumulative += p;
    }
    return x;
}

std::uint64_t Rng::PoissonPtrs(double mean) {
    const double slam = std::sqrt(mean);
    const double loglam = std::log(mean);
    const double b = 0.931 + 2.53 * slam;
    const double a = -0.059 + 0.02483 * b;
    const double inv_alpha = 1.1239 + 1.1328 / (b - 3.4);
    const double v_r = 0.9277 - 3.6224 / (b - 2.0);
    for (;;) {
        const double u = Uniform01() - 0.5;
        const double v = Uniform01();
        const double us = 0.5 - std::fabs(u);
        const double k = std::floor((2.0 * a / us + b) * u + mean + 0.43);
        if (us >= 0.07 && v <= v_r) return static_cast<std::uint64_t>(k);
        if (k < 0.0 || (us < 0.013 && v > us)) continue;
        const auto ki = static_cast<std::uint64_t>(k);
        if (std::log(v) + std::log(inv_alpha) - std::log(a / (us * us) + b) <=
            -mean + k * loglam - LogFactorial(ki)) {
            return ki;
        }
    }
}

Discrete::Discrete(std::span<const double> weights) {
    cumulative_.reserve(weights.size());
    double sum = 0.0;
    for (double w : weights) {
        sum += w > 0.0 ? w : 0.0;
        cumulative_.push_back(sum);
    }
}

std::size_t Discrete::Sample(Rng& rng) const {
    const double u = rng.Uniform01() * total();
    const auto it = std::upper_bound(cumulative_.begin(), cumulative_.end(), u);
    const auto idx = static_cast<std::size_t>(it - cumulative_.begin());
    return std::min(idx, cumulative_.size() - 1);
}

double LogFactorial(std::uint64_t k) {
    static const std::array<double, 256> table = MakeLogFactorialTable();
    if (k < table.size()) return table[k];
    const double n = static_cast<double>(k);
    const double inv = 1.0 / n;
    const double inv2 = inv * inv;
    return n * std::log(n) - n + 0.5 * std::log(2.0 * 3.14159265358979323846 * n) +
           inv * (1.0 / 12.0 - inv2 * (1.0 / 360.0 - inv2 / 1260.0));
}

} // namespace vigil::synth
