// Exact (Garwood), Byar and normal intervals for a Poisson count against R stats::poisson.test and
// epitools 0.5-10.1 (refs/epi/rates_fleiss1981), against the defining tail equations, and on corner cases.
#include "vigil/stats/poisson.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <string>
#include <tuple>

#include <gtest/gtest.h>

#include "reference_csv.hpp"
#include "test_support.hpp"
#include "vigil/core/error.hpp"

namespace vigil::stats {
namespace {

using test::ReferenceCsv;
using test::RelativeDifference;

constexpr const char* kRatesDir = "refs/epi/rates_fleiss1981";

// P(X <= k) for X ~ Poisson(mu), summed term by term (independent of the gamma functions under test).
double PoissonCdf(int k, double mu) {
    double term = std::exp(-mu);
    double sum = term;
    for (int i = 1; i <= k; ++i) {
        term *= mu / i;
        sum += term;
    }
    return sum;
}

void ExpectInvalid(auto&& call) {
    try {
        call();
        ADD_FAILURE() << "expected vigil::Error kInvalidInput";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::kInvalidInput) << e.what();
    }
}

TEST(StatsPoisson, MatchesPoissonTestAndEpitools) {
    VIGIL_REQUIRE_SHARED(std::string(kRatesDir) + "/expected_poisson_ci.csv");
    const ReferenceCsv ref(test::SharedDir() / kRatesDir / "expected_poisson_ci.csv");
    ASSERT_EQ(ref.size(), 36u);
    double max_exact = 0.0, max_byar = 0.0, max_normal = 0.0, max_pois_exact = 0.0;
    for (std::size_t r = 0; r < ref.size(); ++r) {
        SCOPED_TRACE("group " + ref.Text(r, "group") + " stratum " + ref.Text(r, "stratum"));
        const double x = ref.Number(r, "count");
        const double pt = ref.Number(r, "pt");
        const Interval exact = PoissonRateInterval(x, pt);
        const Interval byar = PoissonRateInterval(x, pt, 0.95, PoissonCiMethod::kByar);
        const Interval normal = PoissonRateInterval(x, pt, 0.95, PoissonCiMethod::kNormal);
        for (auto [got, want, max] :
             {std::tuple{exact.lower, ref.Number(r, "poisson_test_lower"), &max_exact},
              std::tuple{exact.upper, ref.Number(r, "poisson_test_upper"), &max_exact},
              std::tuple{byar.lower, ref.Number(r, "pois_byar_lower"), &max_byar},
              std::tuple{byar.upper, ref.Number(r, "pois_byar_upper"), &max_byar},
              std::tuple{normal.lower, ref.Number(r, "pois_approx_lower"), &max_normal},
              std::tuple{normal.upper, ref.Number(r, "pois_approx_upper"), &max_normal}}) {
            EXPECT_LE(RelativeDifference(got, want), 1e-9) << got << " vs " << want;
            *max = std::max(*max, RelativeDifference(got, want));
        }
        // pois.daly is poisson.test except at x = 0, where it gives the one-sided upper limit qgamma(conf,
        // 1), i.e. our two-sided limit at confidence 2·conf − 1.
        const Interval daly = x == 0.0 ? PoissonRateInterval(x, pt, 0.90) : exact;
        EXPECT_LE(RelativeDifference(daly.upper, ref.Number(r, "pois_daly_upper")), 1e-9);
        EXPECT_LE(RelativeDifference(daly.lower, ref.Number(r, "pois_daly_lower")), 1e-9);
        // pois.exact solves the tail equations with uniroot (default tolerance): about 7 digits, but only 3
        // at x = 1, where our lower limit is the closed form −ln(0.975)/pt and pois.exact's is 0.1 % off.
        EXPECT_LE(RelativeDifference(exact.lower, ref.Number(r, "pois_exact_lower")), x == 1.0 ? 2e-3 : 2e-6);
        EXPECT_LE(RelativeDifference(exact.upper, ref.Number(r, "pois_exact_upper")), 2e-6);
        max_pois_exact =
            std::max({max_pois_exact, RelativeDifference(exact.lower, ref.Number(r, "pois_exact_lower")),
                      RelativeDifference(exact.upper, ref.Number(r, "pois_exact_upper"))});
    }
    RecordProperty("max_rel_diff_poisson_test", std::to_string(max_exact));
    std::printf("[ measured ] max relative difference: poisson.test %.3g, pois.byar %.3g, pois.approx %.3g, "
                "pois.exact (uniroot) %.3g\n",
                max_exact, max_byar, max_normal, max_pois_exact);
}

TEST(StatsPoisson, ReferenceInputsAgreeWithExpectedFile) {
    VIGIL_REQUIRE_SHARED(std::string(kRatesDir) + "/input.csv");
    const ReferenceCsv input(test::SharedDir() / kRatesDir / "input.csv");
    const ReferenceCsv ref(test::SharedDir() / kRatesDir / "expected_poisson_ci.csv");
    ASSERT_EQ(input.size(), ref.size());
    for (std::size_t r = 0; r < ref.size(); ++r) {
        EXPECT_EQ(input.Number(r, "count"), ref.Number(r, "count"));
        EXPECT_EQ(input.Number(r, "population"), ref.Number(r, "pt"));
        EXPECT_LE(RelativeDifference(input.Number(r, "count") / input.Number(r, "population"),
                                     ref.Number(r, "rate")),
                  1e-14); // R wrote 15 significant digits
    }
}

TEST(StatsPoisson, ZeroCountHasGarwoodUpperLimit) {
    const Interval ci = PoissonExactInterval(0.0);
    EXPECT_EQ(ci.lower, 0.0);
    EXPECT_NEAR(ci.upper, 3.6888794541139363, 1e-14); // −ln(0.025)
    EXPECT_NEAR(PoissonExactInterval(0.0, 0.90).upper, -std::log(0.05), 1e-14);
    const Interval rate = PoissonRateInterval(0.0, 1000.0);
    EXPECT_EQ(rate.lower, 0.0);
    EXPECT_NEAR(rate.upper, 3.6888794541139363e-3, 1e-17);
}

// The limits solve P(X >= x | λ_L) = α/2 and P(X <= x | λ_U) = α/2 (Garwood 1936).
TEST(StatsPoisson, LimitsSolveTheTailEquations) {
    for (double confidence : {0.8, 0.9, 0.95, 0.99}) {
        const double half_alpha = (1.0 - confidence) / 2.0;
        for (int x = 0; x <= 60; ++x) {
            SCOPED_TRACE("x = " + std::to_string(x) + ", confidence " + std::to_string(confidence));
            const Interval ci = PoissonExactInterval(x, confidence);
            EXPECT_NEAR(PoissonCdf(x, ci.upper), half_alpha, 1e-10 * half_alpha);
            if (x > 0) {
                EXPECT_NEAR(1.0 - PoissonCdf(x - 1, ci.lower), half_alpha, 1e-10 * half_alpha);
                EXPECT_LT(ci.lower, x);
            } else {
                EXPECT_EQ(ci.lower, 0.0);
            }
            EXPECT_GT(ci.upper, x);
        }
    }
    // x = 1 in closed form: lower = −ln(1 − α/2).
    EXPECT_NEAR(PoissonExactInterval(1.0).lower, -std::log(0.975), 1e-15);
}

TEST(StatsPoisson, HugeCountIsFiniteAndNearlySymmetric) {
    const double x = 1e9;
    const Interval ci = PoissonExactInterval(x);
    ASSERT_TRUE(std::isfinite(ci.lower));
    ASSERT_TRUE(std::isfinite(ci.upper));
    const double z_sqrt_x = 1.959963984540054 * std::sqrt(x); // normal half-width, 61979.6
    EXPECT_NEAR(ci.upper - x, z_sqrt_x, 5.0);
    EXPECT_NEAR(x - ci.lower, z_sqrt_x, 5.0);
    // Wilson–Hilferty: the upper arm is longer by about (2z² + 1)/3 ≈ 2.9.
    EXPECT_NEAR((ci.upper - x) - (x - ci.lower), (2 * 1.959963984540054 * 1.959963984540054 + 1) / 3, 0.5);
    const Interval big_rate = PoissonRateInterval(x, 1e12);
    EXPECT_NEAR(big_rate.lower, ci.lower / 1e12, 1e-18);
}

TEST(StatsPoisson, NonIntegerCountInterpolatesBetweenIntegers) {
    const Interval two = PoissonExactInterval(2.0), half = PoissonExactInterval(2.5),
                   three = PoissonExactInterval(3.0);
    EXPECT_LT(two.lower, half.lower);
    EXPECT_LT(half.lower, three.lower);
    EXPECT_LT(two.upper, half.upper);
    EXPECT_LT(half.upper, three.upper);
    const Interval tiny = PoissonExactInterval(1e-3);
    EXPECT_GE(tiny.lower, 0.0);
    EXPECT_LT(tiny.lower, 1e-3);
}

TEST(StatsPoisson, HigherConfidenceGivesWiderInterval) {
    const Interval c95 = PoissonExactInterval(17.0, 0.95), c99 = PoissonExactInterval(17.0, 0.99);
    EXPECT_LT(c99.lower, c95.lower);
    EXPECT_GT(c99.upper, c95.upper);
}

TEST(StatsPoisson, ApproximationsAtZero) {
    // epitools pois.byar uses a' = x + 0.5, so x = 0 gives a slightly negative lower limit; pois.approx
    // collapses.
    const Interval byar = PoissonByarInterval(0.0);
    EXPECT_LT(byar.lower, 0.0);
    EXPECT_GT(byar.upper, 2.0);
    const Interval normal = PoissonNormalInterval(0.0);
    EXPECT_EQ(normal.lower, 0.0);
    EXPECT_EQ(normal.upper, 0.0);
    const Interval normal4 = PoissonNormalInterval(4.0);
    EXPECT_NEAR(normal4.upper - 4.0, 2.0 * 1.959963984540054, 1e-12);
}

TEST(StatsPoisson, ZeroExposureGivesNaN) {
    const Interval ci = PoissonRateInterval(0.0, 0.0);
    EXPECT_TRUE(std::isnan(ci.lower));
    EXPECT_TRUE(std::isnan(ci.upper));
    EXPECT_TRUE(std::isnan(PoissonRateInterval(3.0, 0.0, 0.95, PoissonCiMethod::kByar).upper));
}

TEST(StatsPoisson, InvalidInputsThrow) {
    constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
    constexpr double kInf = std::numeric_limits<double>::infinity();
    ExpectInvalid([] { PoissonExactInterval(-1.0); });
    ExpectInvalid([&] { PoissonExactInterval(kNaN); });
    ExpectInvalid([&] { PoissonExactInterval(kInf); });
    ExpectInvalid([] { PoissonExactInterval(3.0, 0.0); });
    ExpectInvalid([] { PoissonExactInterval(3.0, 1.0); });
    ExpectInvalid([] { PoissonExactInterval(3.0, 95.0); });
    ExpectInvalid([&] { PoissonExactInterval(3.0, kNaN); });
    ExpectInvalid([] { PoissonByarInterval(-0.5); });
    ExpectInvalid([] { PoissonNormalInterval(2.0, -0.1); });
    ExpectInvalid([] { PoissonRateInterval(3.0, -1.0); });
    ExpectInvalid([&] { PoissonRateInterval(3.0, kNaN); });
    ExpectInvalid([&] { PoissonRateInterval(3.0, kInf); });
    ExpectInvalid([] { PoissonRateInterval(-3.0, 0.0); }); // a bad count is reported even without population
}

} // namespace
} // namespace vigil::stats
