// Direct standardisation with the Fay & Feuer (1997) gamma interval against epitools::ageadjust.direct and
// epiR::epi.directadj on the Fleiss (1981) Down syndrome data; hand-computed corner cases; indirect SIR.
#include "vigil/stats/standardise.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include <boost/math/special_functions/gamma.hpp>
#include <gtest/gtest.h>

#include "reference_csv.hpp"
#include "test_support.hpp"
#include "vigil/core/error.hpp"

namespace vigil::stats {
namespace {

using test::ReferenceCsv;
using test::RelativeDifference;

constexpr const char* kRatesDir = "refs/epi/rates_fleiss1981";
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

struct Strata {
    std::vector<double> counts, populations;
};

struct FleissData {
    std::map<std::string, Strata> groups;
    std::vector<double> standard;
};

FleissData ReadFleiss() {
    const ReferenceCsv input(test::SharedDir() / kRatesDir / "input.csv");
    const ReferenceCsv stdpop(test::SharedDir() / kRatesDir / "input_stdpop.csv");
    FleissData data;
    for (std::size_t r = 0; r < input.size(); ++r) {
        Strata& g = data.groups[input.Text(r, "group")];
        EXPECT_EQ(input.Text(r, "stratum"), stdpop.Text(g.counts.size(), "stratum")) << "strata out of order";
        g.counts.push_back(input.Number(r, "count"));
        g.populations.push_back(input.Number(r, "population"));
    }
    for (std::size_t r = 0; r < stdpop.size(); ++r)
        data.standard.push_back(stdpop.Number(r, "stdpop"));
    return data;
}

template <class F> void ExpectError(ErrorKind kind, F&& call) {
    try {
        call();
        ADD_FAILURE() << "expected vigil::Error " << KindName(kind);
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), kind) << e.what();
    }
}

TEST(StatsStandardise, MatchesEpitoolsAgeadjustDirect) {
    VIGIL_REQUIRE_SHARED(std::string(kRatesDir) + "/expected_ageadjust_direct.csv");
    const FleissData data = ReadFleiss();
    const ReferenceCsv ref(test::SharedDir() / kRatesDir / "expected_ageadjust_direct.csv");
    ASSERT_EQ(ref.size(), 5u);
    double max_diff = 0.0;
    for (std::size_t r = 0; r < ref.size(); ++r) {
        const std::string group = ref.Text(r, "group");
        SCOPED_TRACE("birth order " + group);
        ASSERT_TRUE(data.groups.count(group));
        const Strata& g = data.groups.at(group);
        const DirectRate d = DirectlyStandardise(g.counts, g.populations, data.standard);
        for (auto [got, column] :
             {std::pair{d.crude_rate, "crude_rate"}, std::pair{d.adjusted_rate, "adj_rate"},
              std::pair{d.lower, "lci"}, std::pair{d.upper, "uci"}}) {
            const double diff = RelativeDifference(got, ref.Number(r, column));
            EXPECT_LE(diff, 1e-8) << column << ": " << got << " vs " << ref.Number(r, column);
            max_diff = std::max(max_diff, diff);
        }
    }
    std::printf("[ measured ] max relative difference vs ageadjust.direct: %.3g\n", max_diff);
}

TEST(StatsStandardise, MatchesEpiRDirectadj) {
    VIGIL_REQUIRE_SHARED(std::string(kRatesDir) + "/expected_epiR_directadj.csv");
    const FleissData data = ReadFleiss();
    const ReferenceCsv ref(test::SharedDir() / kRatesDir / "expected_epiR_directadj.csv");
    ASSERT_EQ(ref.size(), 5u);
    double max_diff = 0.0;
    for (std::size_t r = 0; r < ref.size(); ++r) {
        const std::string group = ref.Text(r, "group");
        SCOPED_TRACE("birth order " + group);
        const Strata& g = data.groups.at(group);
        double obs = 0.0, tar = 0.0;
        for (double x : g.counts)
            obs += x;
        for (double n : g.populations)
            tar += n;
        EXPECT_EQ(obs, ref.Number(r, "obs"));
        EXPECT_EQ(tar, ref.Number(r, "tar"));
        const DirectRate d = DirectlyStandardise(g.counts, g.populations, data.standard);
        for (auto [got, column] :
             {std::pair{d.adjusted_rate, "est"}, std::pair{d.lower, "lower"}, std::pair{d.upper, "upper"}}) {
            const double diff = RelativeDifference(got, ref.Number(r, column));
            EXPECT_LE(diff, 1e-8) << column;
            max_diff = std::max(max_diff, diff);
        }
    }
    std::printf("[ measured ] max relative difference vs epi.directadj: %.3g\n", max_diff);
}

// Fay & Feuer (1997) Table 1, birth order 1: 92.3 (80.4, 105.8) per 100,000.
TEST(StatsStandardise, ReproducesFayFeuerTable1) {
    VIGIL_REQUIRE_SHARED(std::string(kRatesDir) + "/input.csv");
    const FleissData data = ReadFleiss();
    const Strata& g = data.groups.at("1");
    const DirectRate d = DirectlyStandardise(g.counts, g.populations, data.standard);
    EXPECT_NEAR(d.adjusted_rate * 1e5, 92.3, 0.05);
    EXPECT_NEAR(d.lower * 1e5, 80.4, 0.05);
    EXPECT_NEAR(d.upper * 1e5, 105.8, 0.05);
}

// With one stratum the gamma interval is exactly Garwood's: shape x, scale 1/n and shape x + 1, scale 1/n.
TEST(StatsStandardise, OneStratumReducesToExactPoissonInterval) {
    for (double x : {0.0, 1.0, 7.0, 250.0}) {
        const std::vector<double> counts{x}, pops{12345.0}, standard{3.0};
        const DirectRate d = DirectlyStandardise(counts, pops, standard);
        const Interval garwood = PoissonRateInterval(x, 12345.0);
        EXPECT_DOUBLE_EQ(d.crude_rate, x / 12345.0);
        EXPECT_DOUBLE_EQ(d.adjusted_rate, x / 12345.0);
        EXPECT_NEAR(d.lower, garwood.lower, 1e-12 * garwood.upper);
        EXPECT_NEAR(d.upper, garwood.upper, 1e-12 * garwood.upper);
    }
}

TEST(StatsStandardise, AllZeroCountsGiveZeroRateAndWmUpperLimit) {
    const std::vector<double> counts{0, 0, 0}, pops{1000, 4000, 500}, standard{1, 2, 1};
    const DirectRate d = DirectlyStandardise(counts, pops, standard);
    EXPECT_EQ(d.crude_rate, 0.0);
    EXPECT_EQ(d.adjusted_rate, 0.0);
    EXPECT_EQ(d.lower, 0.0);
    const double w_max = 0.25 / 500.0; // max(0.25/1000, 0.5/4000, 0.25/500)
    EXPECT_NEAR(d.upper, -w_max * std::log(0.025), 1e-15);
}

TEST(StatsStandardise, HandComputedTwoStrata) {
    // w = (0.25, 0.75); y = 0.25·10/1000 + 0.75·40/2000 = 0.0175; v = 0.0625·10/1e6 + 0.5625·40/4e6.
    const std::vector<double> counts{10, 40}, pops{1000, 2000}, standard{100, 300};
    const DirectRate d = DirectlyStandardise(counts, pops, standard);
    EXPECT_DOUBLE_EQ(d.crude_rate, 50.0 / 3000.0);
    EXPECT_DOUBLE_EQ(d.adjusted_rate, 0.0175);
    // The limits are the gamma quantiles with Fay & Feuer's moments: check through the forward CDF.
    const double y = 0.0175, v = 0.0625 * 10 / 1e6 + 0.5625 * 40 / 4e6, w_max = 0.75 / 2000;
    EXPECT_NEAR(boost::math::gamma_p(y * y / v, d.lower / (v / y)), 0.025, 1e-12);
    const double y_m = y + w_max, v_m = v + w_max * w_max;
    EXPECT_NEAR(boost::math::gamma_q(y_m * y_m / v_m, d.upper / (v_m / y_m)), 0.025, 1e-12);
}

TEST(StatsStandardise, EmptyStratumContributesNothing) {
    // The stratum with population 0 keeps its standard weight: y = 0.5 · 10/1000.
    const std::vector<double> counts{10, 0}, pops{1000, 0}, standard{1, 1};
    const DirectRate d = DirectlyStandardise(counts, pops, standard);
    EXPECT_DOUBLE_EQ(d.adjusted_rate, 0.005);
    EXPECT_DOUBLE_EQ(d.crude_rate, 0.01);
    // Same as the one-stratum problem scaled by the weight 0.5 (gamma scale family).
    const Interval garwood = PoissonRateInterval(10, 1000);
    EXPECT_NEAR(d.lower, 0.5 * garwood.lower, 1e-15);
    EXPECT_NEAR(d.upper, 0.5 * garwood.upper, 1e-15);
}

TEST(StatsStandardise, NoPopulationGivesNaN) {
    const std::vector<double> zeros{0, 0}, standard{1, 1};
    const DirectRate d = DirectlyStandardise(zeros, zeros, standard);
    EXPECT_TRUE(std::isnan(d.crude_rate));
    EXPECT_TRUE(std::isnan(d.adjusted_rate));
    EXPECT_TRUE(std::isnan(d.lower));
    EXPECT_TRUE(std::isnan(d.upper));
}

TEST(StatsStandardise, ScalingTheStandardChangesNothing) {
    const std::vector<double> counts{3, 17, 40, 9}, pops{2500, 6000, 7000, 1200};
    const std::vector<double> standard{5, 8, 6, 2}, standard_scaled{5e4, 8e4, 6e4, 2e4};
    const DirectRate a = DirectlyStandardise(counts, pops, standard);
    const DirectRate b = DirectlyStandardise(counts, pops, standard_scaled);
    EXPECT_NEAR(a.adjusted_rate, b.adjusted_rate, 1e-15);
    EXPECT_NEAR(a.lower, b.lower, 1e-14);
    EXPECT_NEAR(a.upper, b.upper, 1e-14);
}

TEST(StatsStandardise, HugeCountsStayFinite) {
    const std::vector<double> counts{1e9, 2e9}, pops{1e12, 1e12}, standard{1, 1};
    const DirectRate d = DirectlyStandardise(counts, pops, standard);
    EXPECT_DOUBLE_EQ(d.adjusted_rate, 1.5e-3);
    ASSERT_TRUE(std::isfinite(d.lower));
    ASSERT_TRUE(std::isfinite(d.upper));
    EXPECT_LT(d.lower, d.adjusted_rate);
    EXPECT_GT(d.upper, d.adjusted_rate);
    EXPECT_LT((d.upper - d.lower) / d.adjusted_rate, 1e-4);
}

TEST(StatsStandardise, ErrorsNameTheProblem) {
    const std::vector<double> two{1, 2}, three{1, 2, 3}, empty;
    ExpectError(ErrorKind::kInvalidInput, [&] { DirectlyStandardise(two, three, two); });
    ExpectError(ErrorKind::kInvalidInput, [&] { DirectlyStandardise(two, two, three); });
    ExpectError(ErrorKind::kInvalidInput, [&] { DirectlyStandardise(empty, empty, empty); });
    ExpectError(ErrorKind::kInvalidInput, [&] { DirectlyStandardise(std::vector<double>{-1, 2}, two, two); });
    ExpectError(ErrorKind::kInvalidInput, [&] {
        DirectlyStandardise(two, std::vector<double>{kNaN, 2}, two);
    });
    ExpectError(ErrorKind::kInvalidInput, [&] { DirectlyStandardise(two, two, std::vector<double>{0, 0}); });
    ExpectError(ErrorKind::kInvalidInput, [&] { DirectlyStandardise(two, two, two, 1.0); });
    ExpectError(ErrorKind::kData, [&] { DirectlyStandardise(two, std::vector<double>{10, 0}, two); });
    try {
        DirectlyStandardise(two, std::vector<double>{10, 0}, two);
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("stratum index 1"), std::string::npos) << e.what();
    }
}

TEST(StatsStandardise, IndirectRatioUsesExactInterval) {
    // E = 0.01·1000 + 0.005·2000 = 20; SIR = 30/20.
    const std::vector<double> pops{1000, 2000}, rates{0.01, 0.005};
    const IndirectRatio sir = IndirectlyStandardise(30, pops, rates);
    EXPECT_DOUBLE_EQ(sir.expected, 20.0);
    EXPECT_DOUBLE_EQ(sir.ratio, 1.5);
    const Interval garwood = PoissonExactInterval(30);
    EXPECT_DOUBLE_EQ(sir.lower, garwood.lower / 20.0);
    EXPECT_DOUBLE_EQ(sir.upper, garwood.upper / 20.0);

    const IndirectRatio none = IndirectlyStandardise(0, pops, std::vector<double>{0, 0});
    EXPECT_TRUE(std::isnan(none.ratio));
    ExpectError(ErrorKind::kInvalidInput, [&] { IndirectlyStandardise(-1, pops, rates); });
    ExpectError(ErrorKind::kInvalidInput, [&] { IndirectlyStandardise(1, pops, std::vector<double>{1}); });
}

} // namespace
} // namespace vigil::stats
