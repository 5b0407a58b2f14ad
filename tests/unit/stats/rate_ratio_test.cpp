// Rate ratio: exact conditional (R stats::poisson.test) and Wald (epitools::rateratio) against the peers on
// the Fleiss (1981) birth-order rates, plus hand-computed binomial cases and degenerate tables.
#include "vigil/stats/rate_ratio.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <string>

#include <gtest/gtest.h>

#include "reference_csv.hpp"
#include "test_support.hpp"
#include "vigil/core/error.hpp"

namespace vigil::stats {
namespace {

using test::ReferenceCsv;
using test::RelativeDifference;

constexpr const char* kRatesDir = "refs/epi/rates_fleiss1981";

void ExpectInvalid(auto&& call) {
    try {
        call();
        ADD_FAILURE() << "expected vigil::Error kInvalidInput";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::kInvalidInput) << e.what();
    }
}

TEST(StatsRateRatio, MatchesPoissonTestAndEpitoolsWald) {
    VIGIL_REQUIRE_SHARED(std::string(kRatesDir) + "/expected_rate_ratio.csv");
    const ReferenceCsv ref(test::SharedDir() / kRatesDir / "expected_rate_ratio.csv");
    ASSERT_EQ(ref.size(), 4u);
    double max_ci = 0.0, max_p = 0.0, max_wald_p_abs = 0.0;
    for (std::size_t r = 0; r < ref.size(); ++r) {
        SCOPED_TRACE("birth order " + ref.Text(r, "group"));
        const double x1 = ref.Number(r, "x1"), t1 = ref.Number(r, "T1");
        const double x0 = ref.Number(r, "x0"), t0 = ref.Number(r, "T0");
        const RateRatio exact = ExactRateRatio(x1, t1, x0, t0);
        const RateRatio wald = WaldRateRatio(x1, t1, x0, t0);
        for (auto [got, column] :
             {std::pair{exact.estimate, "poisson_test_rr"}, std::pair{exact.lower, "poisson_test_lower"},
              std::pair{exact.upper, "poisson_test_upper"}, std::pair{wald.lower, "rateratio_wald_lower"},
              std::pair{wald.upper, "rateratio_wald_upper"}}) {
            const double diff = RelativeDifference(got, ref.Number(r, column));
            EXPECT_LE(diff, 1e-9) << column << ": " << got << " vs " << ref.Number(r, column);
            max_ci = std::max(max_ci, diff);
        }
        const double p_diff = RelativeDifference(exact.p_value, ref.Number(r, "poisson_test_p"));
        EXPECT_LE(p_diff, 1e-12) << exact.p_value << " vs " << ref.Number(r, "poisson_test_p");
        max_p = std::max(max_p, p_diff);
        // epitools' Wald p-value behaves like 2·(1 − pnorm(|z|)), which cancels: absolute error up to ~2 ulp
        // of 1 (it is exactly 0 for the last two rows). We compute the tail directly, so compare absolutely.
        EXPECT_NEAR(wald.p_value, ref.Number(r, "rateratio_wald_p"), 4.5e-16);
        max_wald_p_abs =
            std::max(max_wald_p_abs, std::fabs(wald.p_value - ref.Number(r, "rateratio_wald_p")));
    }
    std::printf("[ measured ] rate ratio max relative difference: estimates and limits %.3g, exact p %.3g; "
                "Wald p max absolute difference %.3g\n",
                max_ci, max_p, max_wald_p_abs);
}

TEST(StatsRateRatio, HandComputedExactPValue) {
    // Equal exposures: x1 | n = 15 is binomial(15, 1/2); p = P(X <= 3) + P(X >= 12) = 2·576/32768.
    const RateRatio rr = ExactRateRatio(3, 100, 12, 100);
    EXPECT_DOUBLE_EQ(rr.estimate, 0.25);
    EXPECT_NEAR(rr.p_value, 1152.0 / 32768.0, 1e-15);
    // Clopper–Pearson for x = 3 of 15 maps to RR = π/(1 − π); lower π solves P(X >= 3 | π) = 0.025.
    const double pi_l = rr.lower / (1.0 + rr.lower);
    double tail = 0.0;
    for (int k = 3; k <= 15; ++k)
        tail += std::tgamma(16.0) / (std::tgamma(k + 1.0) * std::tgamma(16.0 - k)) * std::pow(pi_l, k) *
                std::pow(1 - pi_l, 15 - k);
    EXPECT_NEAR(tail, 0.025, 1e-12);
}

// binom.test's p-value by brute force: every outcome k with P(k) <= P(x)·(1 + 1e-7), probabilities from
// lgamma.
double BruteForceBinomialP(int x, int n, double p) {
    const auto pmf = [&](int k) {
        return std::exp(std::lgamma(n + 1.0) - std::lgamma(k + 1.0) - std::lgamma(n - k + 1.0) +
                        k * std::log(p) + (n - k) * std::log1p(-p));
    };
    const double threshold = pmf(x) * (1 + 1e-7);
    double total = 0.0;
    for (int k = 0; k <= n; ++k)
        if (pmf(k) <= threshold)
            total += pmf(k);
    return std::min(1.0, total);
}

TEST(StatsRateRatio, ExactPValueMatchesBruteForce) {
    for (int n = 1; n <= 40; n += 3) {
        for (int x1 = 0; x1 <= n; ++x1) {
            for (double t1 : {100.0, 250.0, 730.0}) {
                const double t0 = 400.0;
                SCOPED_TRACE("x1 = " + std::to_string(x1) + ", n = " + std::to_string(n) +
                             ", T1 = " + std::to_string(t1));
                const double want = BruteForceBinomialP(x1, n, t1 / (t1 + t0));
                EXPECT_NEAR(ExactRateRatio(x1, t1, n - x1, t0).p_value, want, 1e-12 * want + 1e-300);
            }
        }
    }
}

TEST(StatsRateRatio, EqualRatesAndSymmetry) {
    const RateRatio same = ExactRateRatio(10, 500, 20, 1000);
    EXPECT_DOUBLE_EQ(same.estimate, 1.0);
    EXPECT_DOUBLE_EQ(same.p_value, 1.0);
    const RateRatio ab = ExactRateRatio(7, 300, 19, 450);
    const RateRatio ba = ExactRateRatio(19, 450, 7, 300);
    EXPECT_NEAR(ab.estimate * ba.estimate, 1.0, 1e-14);
    EXPECT_NEAR(ab.lower * ba.upper, 1.0, 1e-12);
    EXPECT_NEAR(ab.upper * ba.lower, 1.0, 1e-12);
    EXPECT_NEAR(ab.p_value, ba.p_value, 1e-14);
    const RateRatio wab = WaldRateRatio(7, 300, 19, 450), wba = WaldRateRatio(19, 450, 7, 300);
    EXPECT_NEAR(wab.lower * wba.upper, 1.0, 1e-14);
    EXPECT_NEAR(wab.p_value, wba.p_value, 1e-14);
}

TEST(StatsRateRatio, DegenerateTables) {
    constexpr double kInf = std::numeric_limits<double>::infinity();
    const RateRatio none = ExactRateRatio(0, 100, 0, 100);
    EXPECT_TRUE(std::isnan(none.estimate));
    EXPECT_EQ(none.lower, 0.0);
    EXPECT_EQ(none.upper, kInf);
    EXPECT_EQ(none.p_value, 1.0);
    const RateRatio no_reference = ExactRateRatio(5, 100, 0, 100);
    EXPECT_EQ(no_reference.estimate, kInf);
    EXPECT_EQ(no_reference.upper, kInf);
    EXPECT_GT(no_reference.lower, 0.0);
    EXPECT_NEAR(no_reference.p_value, 2.0 / 32.0, 1e-15); // P(X = 5) + P(X = 0), binomial(5, 1/2)
    const RateRatio no_cases = ExactRateRatio(0, 100, 5, 100);
    EXPECT_EQ(no_cases.estimate, 0.0);
    EXPECT_EQ(no_cases.lower, 0.0);
    EXPECT_TRUE(std::isnan(WaldRateRatio(0, 100, 5, 100).lower));
    // huge counts: finite, and the exact and Wald limits agree closely
    const RateRatio big = ExactRateRatio(2e6, 1e9, 1e6, 1e9), big_wald = WaldRateRatio(2e6, 1e9, 1e6, 1e9);
    EXPECT_DOUBLE_EQ(big.estimate, 2.0);
    EXPECT_NEAR(big.lower, big_wald.lower, 1e-4);
    EXPECT_NEAR(big.upper, big_wald.upper, 1e-4);
}

TEST(StatsRateRatio, InvalidInputsThrow) {
    ExpectInvalid([] { ExactRateRatio(-1, 100, 3, 100); });
    ExpectInvalid([] { ExactRateRatio(1.5, 100, 3, 100); });
    ExpectInvalid([] { ExactRateRatio(1, 0, 3, 100); });
    ExpectInvalid([] { WaldRateRatio(1, 100, 3, -100); });
    ExpectInvalid([] { WaldRateRatio(1, 100, 3, 100, 0.0); });
}

} // namespace
} // namespace vigil::stats
