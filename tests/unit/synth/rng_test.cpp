// Tests of the synthetic city's random numbers: bit-exact streams (checked against an independent
// Python implementation of SplitMix64 + xoshiro256**) and the moments of each own distribution.
#include <cmath>
#include <cstdint>
#include <vector>

#include <gtest/gtest.h>

#include "vigil/synth/city.hpp"
#include "vigil/synth/rng.hpp"

namespace vigil::synth {
namespace {

TEST(SynthRng, SplitMixMatchesPublishedFirstOutput) {
    // SplitMix64 seeded with 0 gives 0xE220A8397B1DCDAF first (Steele, Lea and Flood 2014 reference code).
    EXPECT_EQ(Mix64(0), 0xE220A8397B1DCDAFULL);
    EXPECT_EQ(Mix64(1), 10451216379200822465ULL);
}

TEST(SynthRng, StreamIsBitExact) {
    // Values from a separate Python implementation of the key chaining and xoshiro256**.
    Rng rng(42, Stream::kBackground, 7, 3);
    EXPECT_EQ(rng.Next(), 1888316834073465362ULL);
    EXPECT_EQ(rng.Next(), 9051827560445197572ULL);
    EXPECT_EQ(rng.Next(), 14806293252608429781ULL);
}

TEST(SynthRng, StreamsDifferByKeyAndOrder) {
    Rng a(1, Stream::kPolice, 1, 2), b(1, Stream::kPolice, 2, 1), c(2, Stream::kPolice, 1, 2), d(1, Stream::kHealth, 1, 2);
    const auto va = a.Next();
    EXPECT_NE(va, b.Next());
    EXPECT_NE(va, c.Next());
    EXPECT_NE(va, d.Next());
    Rng again(1, Stream::kPolice, 1, 2);
    EXPECT_EQ(va, again.Next());
}

TEST(SynthRng, UniformIntStaysInRangeAndIsFlat) {
    Rng rng(5, Stream::kPlanted);
    EXPECT_EQ(rng.UniformInt(0), 0u);
    EXPECT_EQ(rng.UniformInt(1), 0u);
    std::vector<int> counts(7, 0);
    const int n = 70000;
    for (int i = 0; i < n; ++i) {
        const auto v = rng.UniformInt(7);
        ASSERT_LT(v, 7u);
        ++counts[v];
    }
    double chi2 = 0;
    for (int c : counts) chi2 += (c - n / 7.0) * (c - n / 7.0) / (n / 7.0);
    EXPECT_LT(chi2, 22.5); // chi-square, 6 df, p = 0.001
    // Huge n: the top of the range is reachable and nothing exceeds it.
    const std::uint64_t big = (std::uint64_t{1} << 63) + 12345;
    for (int i = 0; i < 1000; ++i) ASSERT_LT(rng.UniformInt(big), big);
}

TEST(SynthRng, Uniform01IsInHalfOpenUnitInterval) {
    Rng rng(9, Stream::kPlanted);
    double sum = 0;
    for (int i = 0; i < 100000; ++i) {
        const double u = rng.Uniform01();
        ASSERT_GE(u, 0.0);
        ASSERT_LT(u, 1.0);
        sum += u;
    }
    EXPECT_NEAR(sum / 100000, 0.5, 0.005);
}

struct Moments {
    double mean;
    double var;
};

template <typename F>
Moments Sample(int n, F draw) {
    double s = 0, s2 = 0;
    for (int i = 0; i < n; ++i) {
        const double x = draw();
        s += x;
        s2 += x * x;
    }
    const double mean = s / n;
    return {mean, s2 / n - mean * mean};
}

TEST(SynthRng, PoissonMomentsAcrossBothAlgorithms) {
    Rng rng(11, Stream::kBackground);
    // Below 12: inversion; from 12: PTRS. Mean and variance both equal the parameter.
    for (double mu : {0.05, 0.5, 3.0, 11.9, 12.0, 30.0, 250.0, 5000.0}) {
        const int n = 200000;
        const Moments m = Sample(n, [&] { return static_cast<double>(rng.Poisson(mu)); });
        EXPECT_NEAR(m.mean, mu, 5.0 * std::sqrt(mu / n)) << "mu = " << mu;
        EXPECT_NEAR(m.var / mu, 1.0, 0.03) << "mu = " << mu;
    }
}

TEST(SynthRng, PoissonProbabilities) {
    Rng rng(12, Stream::kBackground);
    const int n = 200000;
    int zeros = 0, at_mode = 0;
    for (int i = 0; i < n; ++i) zeros += rng.Poisson(0.5) == 0;
    EXPECT_NEAR(static_cast<double>(zeros) / n, std::exp(-0.5), 0.005);
    for (int i = 0; i < n; ++i) at_mode += rng.Poisson(20.0) == 20;
    // P(X = 20 | mu = 20) = e^-20 20^20 / 20! = 0.08883
    EXPECT_NEAR(static_cast<double>(at_mode) / n, 0.08883, 0.004);
}

TEST(SynthRng, PoissonDegenerateMeans) {
    Rng rng(13, Stream::kBackground);
    EXPECT_EQ(rng.Poisson(0.0), 0u);
    EXPECT_EQ(rng.Poisson(-3.0), 0u);
    EXPECT_EQ(rng.Poisson(std::nan("")), 0u);
}

TEST(SynthRng, NormalAndExponentialMoments) {
    Rng rng(14, Stream::kOffspring);
    const Moments norm = Sample(200000, [&] { return rng.Normal(3.0, 2.0); });
    EXPECT_NEAR(norm.mean, 3.0, 0.02);
    EXPECT_NEAR(norm.var, 4.0, 0.06);
    const Moments expo = Sample(200000, [&] { return rng.Exponential(5.0); });
    EXPECT_NEAR(expo.mean, 5.0, 0.05);
    EXPECT_NEAR(expo.var, 25.0, 0.8);
}

TEST(SynthRng, DiscreteFollowsWeightsAndSkipsZeros) {
    Rng rng(15, Stream::kPlanted);
    const std::vector<double> w = {0.0, 1.0, 0.0, 3.0, 0.0};
    const Discrete d(w);
    EXPECT_EQ(d.size(), 5u);
    EXPECT_DOUBLE_EQ(d.total(), 4.0);
    int threes = 0;
    for (int i = 0; i < 40000; ++i) {
        const auto k = d.Sample(rng);
        ASSERT_TRUE(k == 1 || k == 3) << k;
        threes += k == 3;
    }
    EXPECT_NEAR(threes / 40000.0, 0.75, 0.01);
    const Discrete one(std::vector<double>{2.5});
    EXPECT_EQ(one.Sample(rng), 0u);
}

TEST(SynthRng, LogFactorialMatchesLgamma) {
    for (std::uint64_t k : {0ULL, 1ULL, 2ULL, 10ULL, 255ULL, 256ULL, 1000ULL, 123456789ULL}) {
        const double expected = std::lgamma(static_cast<double>(k) + 1.0);
        EXPECT_NEAR(LogFactorial(k), expected, 1e-12 * std::max(1.0, expected)) << k;
    }
}

TEST(SynthNhsNumber, CheckDigitOfPublishedExample) {
    // 401 023 2137 is the NHS's own worked example: sum of digit x weight (10..2) = 92, 92 mod 11 = 4, 11 - 4 = 7.
    EXPECT_EQ(NhsCheckDigit("401023213"), 7);
    // 100000001: 1 x 10 + 1 x 2 = 12, 12 mod 11 = 1, 11 - 1 = 10: no valid check digit.
    EXPECT_EQ(NhsCheckDigit("100000001"), -1);
    // 000000000: sum 0, 11 - 0 = 11 -> check digit 0.
    EXPECT_EQ(NhsCheckDigit("000000000"), 0);
}

} // namespace
} // namespace vigil::synth
