// EARS and CUSUM against R surveillance 1.20.3 (../shared/refs/aberration: three real datasets, every method
// and setting the references hold), on planted outbreaks, and on bad input.
#include <cmath>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <random>
#include <string>

#include <gtest/gtest.h>

#include "test_support.hpp"
#include "unit/stats/reference_csv.hpp"
#include "vigil/core/error.hpp"
#include "vigil/io/csv_reader.hpp"
#include "vigil/surveillance/aberration.hpp"
#include "vigil/surveillance/series_file.hpp"

namespace vigil::surveillance {
namespace {

using test::ReferenceCsv;
using test::RelativeDifference;

const char* const kDatasets[] = {"salmonella_agona", "campyDE", "ha_sts"};

std::filesystem::path RefDir(const std::string& dataset) {
    return test::SharedDir() / "refs/aberration" / dataset;
}

// The reference rows of one series, and the range they cover.
struct RefSeries {
    std::vector<std::size_t> rows;
    TimeRange range{};
};
std::map<std::string, RefSeries> BySeries(const ReferenceCsv& ref) {
    std::map<std::string, RefSeries> out;
    for (std::size_t r = 0; r < ref.size(); ++r) {
        auto& s = out[ref.Text(r, "series_id")];
        const int t = static_cast<int>(ref.Number(r, "t"));
        if (s.rows.empty())
            s.range.first = t;
        s.range.last = t;
        s.rows.push_back(r);
    }
    return out;
}

// Compares one method's output with a reference file: the named value columns within `tol` (relative), alarms
// identical (an R NA alarm must be an unjudged or undefined one here). Raises `worst` to the largest relative
// difference seen; differences below 1e-12 in absolute value count as none (coefficients that are zero up to
// rounding). Rows for which `degenerate` is true are compared on the alarm, the upper bound and the expected
// count only, and counted in `*degenerate_rows`.
void Compare(double& worst, const std::string& dataset, const std::string& file,
             const std::function<std::vector<AberrationRow>(const CountSeries&, TimeRange)>& run,
             const std::vector<std::pair<std::string, double AberrationRow::*>>& columns, double tol,
             const std::function<bool(const ReferenceCsv&, std::size_t)>& degenerate = {},
             std::size_t* degenerate_rows = nullptr) {
    const ReferenceCsv ref(RefDir(dataset) / file);
    const auto series = ReadSeriesCsv((RefDir(dataset) / "input.csv").string());
    std::map<std::string, const CountSeries*> by_id;
    for (const auto& s : series)
        by_id[s.id] = &s;
    std::size_t compared = 0;
    for (const auto& [id, rs] : BySeries(ref)) {
        SCOPED_TRACE(dataset + "/" + file + " series " + id);
        ASSERT_TRUE(by_id.count(id));
        const auto rows = run(*by_id[id], rs.range);
        ASSERT_EQ(rows.size(), rs.rows.size());
        for (std::size_t i = 0; i < rows.size(); ++i) {
            const std::size_t r = rs.rows[i];
            ASSERT_EQ(rows[i].t, static_cast<int>(ref.Number(r, "t")));
            EXPECT_EQ(rows[i].observed, ref.Number(r, "observed"));
            const double want_alarm = ref.Number(r, "alarm");
            if (std::isnan(want_alarm))
                EXPECT_FALSE(rows[i].alarm.has_value()) << "t " << rows[i].t;
            else {
                ASSERT_TRUE(rows[i].alarm.has_value()) << "t " << rows[i].t;
                EXPECT_EQ(*rows[i].alarm, want_alarm == 1) << "t " << rows[i].t;
            }
            const bool core_only = degenerate && degenerate(ref, r);
            if (core_only && degenerate_rows)
                ++*degenerate_rows;
            for (const auto& [name, member] : columns) {
                if (core_only && name != "upperbound" && name != "expected")
                    continue;
                const double want = ref.Number(r, name), got = rows[i].*member;
                // A trend whose coefficient is zero up to rounding (|b| < 1e-12: one case placed
                // symmetrically) is kept or dropped by the rounding of its t-test p-value against
                // pThresholdTrend = 1; either way the fit is the same.
                if (name == "trend_coef" && (std::isnan(want) != std::isnan(got)) &&
                    std::abs(std::isnan(want) ? got : want) < 1e-12)
                    continue;
                if (std::isnan(want)) {
                    EXPECT_TRUE(std::isnan(got)) << name << " t " << rows[i].t;
                    continue;
                }
                const double d = std::abs(got - want) <= 1e-12 ? 0.0 : RelativeDifference(got, want);
                worst = std::max(worst, d);
                EXPECT_LE(d, tol) << name << " t " << rows[i].t << ": " << got << " vs " << want;
            }
            ++compared;
        }
    }
    EXPECT_GT(compared, 40u);
}

TEST(AberrationEars, MatchesEarsCOnEveryReference) {
    VIGIL_REQUIRE_SHARED("refs/aberration/ha_sts/expected_earsC_C3.csv");
    double worst = 0;
    for (const char* d : kDatasets)
        for (auto [name, method] :
             {std::pair{"C1", EarsMethod::kC1}, {"C2", EarsMethod::kC2}, {"C3", EarsMethod::kC3}}) {
            EarsOptions o;
            o.method = method; // the references use R's defaults: baseline 7, minSigma 0, alpha 0.001 / 0.025
            Compare(
                worst, d, std::string("expected_earsC_") + name + ".csv",
                [&](const CountSeries& s, TimeRange r) { return EarsC(s.counts, r, o); },
                {{"upperbound", &AberrationRow::upperbound}}, 1e-10);
        }
    std::cout << "[ measured ] EARS C1/C2/C3 upper bounds, max relative difference vs earsC: " << worst
              << "\n";
}

TEST(AberrationCusum, MatchesAlgoCusumOnEveryReference) {
    VIGIL_REQUIRE_SHARED("refs/aberration/ha_sts/expected_cusum_standard_mGLM.csv");
    double worst_mean = 0, worst_glm = 0;
    for (const char* d : kDatasets) {
        const auto series = ReadSeriesCsv((RefDir(d) / "input.csv").string());
        for (auto [file, trans, target] :
             {std::tuple{"expected_cusum_standard_mMean.csv", CusumTrans::kStandard, CusumTarget::kMean},
              {"expected_cusum_rossi_mMean.csv", CusumTrans::kRossi, CusumTarget::kMean},
              {"expected_cusum_anscombe_mMean.csv", CusumTrans::kAnscombe, CusumTarget::kMean},
              {"expected_cusum_standard_mGLM.csv", CusumTrans::kStandard, CusumTarget::kGlm}}) {
            CusumOptions o; // k = 1.04, h = 2.26 as the references
            o.trans = trans;
            o.target = target;
            const bool glm = target == CusumTarget::kGlm;
            // Closed form from the mean; the GLM target only to R's IRLS convergence (deviance change 1e-8).
            Compare(
                glm ? worst_glm : worst_mean, d, file,
                [&](const CountSeries& s, TimeRange r) {
                    o.start_week = s.start_week.value_or(1);
                    return Cusum(s.counts, r, o);
                },
                {{"m", &AberrationRow::expected},
                 {"cusum", &AberrationRow::score},
                 {"upperbound", &AberrationRow::upperbound}},
                glm ? 1e-6 : 1e-10);
        }
    }
    std::cout << "[ measured ] CUSUM max relative difference vs algo.cusum: " << worst_mean
              << " (target = mean), " << worst_glm << " (target = GLM)\n";
}

// A Poisson series with a planted outbreak: every method flags the outbreak weeks and stays quiet before.
TEST(AberrationPlanted, OutbreakWeeksAreFlagged) {
    std::mt19937_64 rng(7);
    std::poisson_distribution<int> background(10.0);
    std::vector<double> y(120);
    for (auto& v : y)
        v = background(rng);
    for (int t = 101; t <= 104; ++t)
        y[static_cast<std::size_t>(t - 1)] += 40; // weeks 101-104: +40 a week
    for (EarsMethod m : {EarsMethod::kC1, EarsMethod::kC2}) {
        EarsOptions o;
        o.method = m;
        const auto rows = EarsC(y, {90, 101}, o);
        for (const auto& r : rows)
            EXPECT_EQ(r.alarm.value_or(false), r.t == 101)
                << "t " << r.t << ", method " << static_cast<int>(m);
    }
    // C3 as R computes it looks only at the two weeks before (docs/methods/alerts.md): it fires from the
    // third outbreak week, not on the first.
    EarsOptions c3;
    c3.method = EarsMethod::kC3;
    const auto c3_rows = EarsC(y, {101, 103}, c3);
    ASSERT_EQ(c3_rows.size(), 3u);
    EXPECT_FALSE(c3_rows[0].alarm.value_or(true));
    EXPECT_TRUE(c3_rows[2].alarm.value_or(false));
    CusumOptions co;
    const auto rows = Cusum(y, {81, 110}, co);
    for (const auto& r : rows) {
        if (r.t >= 101 && r.t <= 104) {
            EXPECT_TRUE(r.alarm.value_or(false)) << "t " << r.t;
        } else if (r.t < 101) {
            EXPECT_FALSE(r.alarm.value_or(true)) << "t " << r.t;
        }
    }
}

TEST(AberrationGlr, MatchesGlrpoisOnEveryReference) {
    VIGIL_REQUIRE_SHARED("refs/aberration/ha_sts/expected_glrpois_retcases.csv");
    double worst = 0;
    for (const char* d : kDatasets)
        for (auto [file, ret] : {std::pair{"expected_glrpois_retvalue.csv", GlrReturn::kValue},
                                 {"expected_glrpois_retcases.csv", GlrReturn::kCases}}) {
            GlrOptions
                o; // c.ARL = 5, Mtilde = 1, dir = inc, in-control means from the Poisson GLM (R's defaults)
            o.ret = ret;
            Compare(
                worst, d, file, [&](const CountSeries& s, TimeRange r) { return GlrPois(s.counts, r, o); },
                {{"mu0", &AberrationRow::expected}, {"upperbound", &AberrationRow::upperbound}}, 1e-6);
        }
    std::cout << "[ measured ] glrpois (value and cases): max relative difference " << worst << "\n";
}

TEST(AberrationFarrington, MatchesFarringtonFlexibleOnEveryReference) {
    VIGIL_REQUIRE_SHARED("refs/aberration/ha_sts/expected_farringtonFlexible_noufaily2013.csv");
    // A model whose data are all zero has no maximum-likelihood fit (the intercept runs to minus infinity); R
    // stops its iteration somewhere around a fitted mean of 1e-10 and whether it keeps the trend there is
    // rounding. On such rows only the alarm, the bound and the expected count (all "none") are compared.
    auto all_zero_fit = [](const ReferenceCsv& ref, std::size_t r) { return ref.Number(r, "mu0") < 1e-6; };
    for (auto [file, setting] :
         {std::pair{"expected_farringtonFlexible_farrington1996.csv", FarringtonOptions::Farrington1996()},
          {"expected_farringtonFlexible_noufaily2013.csv", FarringtonOptions::Noufaily2013()},
          {"expected_farringtonFlexible_package_default.csv", FarringtonOptions{}}}) {
        double worst = 0;
        std::size_t degenerate = 0;
        for (const char* d : kDatasets) {
            FarringtonOptions o = setting;
            o.b = std::string(d) == "ha_sts" ? 3 : 5; // the references' b (ha_sts is too short for 5)
            Compare(
                worst, d, file,
                [&](const CountSeries& s, TimeRange r) { return Farrington(s.counts, {}, r, o); },
                {{"upperbound", &AberrationRow::upperbound},
                 {"expected", &AberrationRow::expected},
                 {"score", &AberrationRow::score},
                 {"pvalue", &AberrationRow::pvalue},
                 {"mu0", &AberrationRow::mu0},
                 {"phi", &AberrationRow::phi},
                 {"trend_coef", &AberrationRow::trend_coef}},
                1e-6, all_zero_fit, &degenerate);
        }
        EXPECT_LT(degenerate, 500u); // of 1,572 rows in ha_sts, none elsewhere
        std::cout << "[ measured ] " << file << ": max relative difference " << worst << "; " << degenerate
                  << " rows with an all-zero model compared on alarm, bound and expected only\n";
    }
}

// A population offset with a constant population changes only the intercept: the same bounds and alarms as without
// it; and the offset refuses a series without population.
TEST(AberrationFarrington, ConstantPopulationOffsetChangesNothing) {
    VIGIL_REQUIRE_SHARED("refs/aberration/salmonella_agona/input.csv");
    const auto s = ReadSeriesCsv((RefDir("salmonella_agona") / "input.csv").string()).front();
    for (FarringtonOptions o : {FarringtonOptions::Farrington1996(), FarringtonOptions::Noufaily2013()}) {
        const auto plain = Farrington(s.counts, {}, {264, 312}, o);
        o.population_offset = true;
        const std::vector<double> pop(s.counts.size(), 250000.0);
        const auto offset = Farrington(s.counts, pop, {264, 312}, o);
        ASSERT_EQ(plain.size(), offset.size());
        for (std::size_t i = 0; i < plain.size(); ++i) {
            EXPECT_EQ(plain[i].alarm, offset[i].alarm) << plain[i].t;
            if (!std::isnan(plain[i].upperbound)) {
                EXPECT_LE(RelativeDifference(plain[i].upperbound, offset[i].upperbound), 1e-9) << plain[i].t;
            }
        }
        try {
            Farrington(s.counts, {}, {264, 312}, o);
            ADD_FAILURE() << "a population offset without population must be refused";
        } catch (const Error& e) {
            EXPECT_EQ(e.kind(), ErrorKind::kInvalidInput);
        }
    }
}

// The 1,000 synthetic weekly series of the speed benchmark (refs/synthetic/aberration, 520 weeks, judging the
// last 52): the same parity on every series, read from the gzip files as published.
TEST(AberrationSynthetic, BenchmarkSeriesMatchR) {
    const std::string dir = "refs/synthetic/aberration/weekly_1000_x_520";
    VIGIL_REQUIRE_SHARED(dir + "/expected_cusum_standard.csv.gz");
    const auto series = ReadSeriesCsv((test::SharedDir() / dir / "input.csv.gz").string());
    ASSERT_EQ(series.size(), 1000u);
    const TimeRange range{469, 520};
    auto check = [&](const std::string& file, auto&& run, std::size_t n_series = 1000) {
        io::CsvReader ref((test::SharedDir() / dir / file).string());
        io::CsvRecord rec;
        ASSERT_TRUE(ref.Next(rec)); // header: series_id,t,observed,upperbound,alarm
        std::size_t si = 0, ri = 0, rows_checked = 0, alarms = 0;
        std::vector<AberrationRow> rows = run(series[0]);
        double worst = 0;
        while (ref.Next(rec)) {
            if (ri == rows.size()) {
                ++si;
                ri = 0;
                if (si == n_series)
                    break;
                ASSERT_LT(si, series.size());
                rows = run(series[si]);
            }
            const AberrationRow& r = rows[ri++];
            ASSERT_EQ(std::string(rec.fields[0]), series[si].id);
            ASSERT_EQ(std::stoi(std::string(rec.fields[1])), r.t);
            const std::string ub(rec.fields[3]), alarm(rec.fields[4]);
            if (ub == "NA" || ub == "NaN") {
                EXPECT_TRUE(std::isnan(r.upperbound)) << file << " " << series[si].id << " t " << r.t;
            } else {
                const double d = RelativeDifference(r.upperbound, std::stod(ub));
                worst = std::max(worst, d);
                EXPECT_LE(d, 1e-9) << file << " " << series[si].id << " t " << r.t;
            }
            if (alarm == "NA") {
                EXPECT_FALSE(r.alarm.has_value());
            } else {
                EXPECT_EQ(r.alarm.value_or(alarm == "0"), alarm == "1")
                    << file << " " << series[si].id << " t " << r.t;
                alarms += alarm == "1";
            }
            ++rows_checked;
        }
        EXPECT_EQ(rows_checked, 52u * n_series);
        EXPECT_GT(alarms, 0u);
        std::cout << "[ measured ] " << file << ": " << rows_checked << " periods, " << alarms
                  << " alarms identical, max relative difference " << worst << "\n";
    };
    for (auto [file, method] : {std::pair{"expected_earsC_C1.csv.gz", EarsMethod::kC1},
                                {"expected_earsC_C2.csv.gz", EarsMethod::kC2},
                                {"expected_earsC_C3.csv.gz", EarsMethod::kC3}}) {
        EarsOptions o;
        o.method = method;
        check(file, [&](const CountSeries& s) { return EarsC(s.counts, range, o); });
    }
    check("expected_cusum_standard.csv.gz",
          [&](const CountSeries& s) { return Cusum(s.counts, range, CusumOptions{}); });
    // Farrington and Noufaily on the first 150 series (a GLM per period: the whole file takes 10-20 s here).
    check(
        "expected_farringtonFlexible_farrington1996.csv.gz",
        [&](const CountSeries& s) {
            return Farrington(s.counts, {}, range, FarringtonOptions::Farrington1996());
        },
        150);
    check(
        "expected_farringtonFlexible_noufaily2013.csv.gz",
        [&](const CountSeries& s) {
            return Farrington(s.counts, {}, range, FarringtonOptions::Noufaily2013());
        },
        150);
}

// Without an outbreak, Noufaily's bound is the 95% quantile of the fitted distribution: on a stationary
// Poisson series the share of weeks above it is about (at most) the nominal 5% (less, as the counts are
// discrete).
TEST(AberrationPlanted, NoOutbreakAlarmsAtAboutTheNominalRate) {
    std::mt19937_64 rng(2024);
    std::poisson_distribution<int> pois(20.0);
    std::vector<double> y(1200);
    for (auto& v : y)
        v = pois(rng);
    FarringtonOptions o = FarringtonOptions::Noufaily2013();
    o.b = 3;
    const auto rows = Farrington(y, {}, {200, 1200}, o);
    int alarms = 0, judged = 0;
    for (const auto& r : rows) {
        ASSERT_TRUE(r.alarm.has_value()) << r.t << " " << r.reason;
        ++judged;
        alarms += *r.alarm;
    }
    const double rate = static_cast<double>(alarms) / judged;
    std::cout << "[ measured ] Noufaily on 1,001 weeks of Poisson(20) without outbreak: alarm rate " << rate
              << "\n";
    EXPECT_GT(rate, 0.01);
    EXPECT_LT(rate, 0.07);
}

TEST(AberrationEars, ShortHistoryIsUnjudgedWithAReason) {
    const std::vector<double> y = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    EarsOptions o;
    o.method = EarsMethod::kC2; // needs 9 periods before
    const auto rows = EarsC(y, {1, 10}, o);
    ASSERT_EQ(rows.size(), 10u);
    for (int i = 0; i < 9; ++i) {
        EXPECT_FALSE(rows[static_cast<std::size_t>(i)].alarm.has_value());
        EXPECT_NE(rows[static_cast<std::size_t>(i)].reason.find("too few baseline periods"),
                  std::string::npos);
        EXPECT_TRUE(std::isnan(rows[static_cast<std::size_t>(i)].upperbound));
    }
    EXPECT_TRUE(rows[9].alarm.has_value());
    EXPECT_TRUE(rows[9].reason.empty());
    EXPECT_EQ(EarsDefaultRange(o, 10).first, 10);
}

void ExpectKind(ErrorKind kind, auto&& call) {
    try {
        call();
        ADD_FAILURE() << "expected a vigil::Error";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), kind) << e.what();
    }
}

TEST(AberrationBadInput, OptionsAndRangesAreRefused) {
    const std::vector<double> y(30, 3.0);
    EarsOptions o;
    o.baseline = 2;
    ExpectKind(ErrorKind::kInvalidInput, [&] { EarsC(y, {10, 30}, o); });
    o.baseline = 7;
    o.alpha = 1.5;
    ExpectKind(ErrorKind::kInvalidInput, [&] { EarsC(y, {10, 30}, o); });
    o.alpha.reset();
    ExpectKind(ErrorKind::kInvalidInput, [&] { EarsC(y, {10, 31}, o); });
    ExpectKind(ErrorKind::kInvalidInput, [&] { EarsC(std::vector<double>{}, {1, 1}, o); });
    CusumOptions c;
    ExpectKind(ErrorKind::kInvalidInput, [&] { Cusum(y, {1, 30}, c); }); // no history for the target mean
    // An all-zero history: the standardised counts are undefined; R gives NA alarms, so do we, with a reason.
    const std::vector<double> zeros(30, 0.0);
    const auto rows = Cusum(zeros, {20, 30}, c);
    for (const auto& r : rows) {
        EXPECT_FALSE(r.alarm.has_value());
        EXPECT_FALSE(r.reason.empty());
    }
}

class SeriesFileTest : public ::testing::Test {
  protected:
    test::ScratchDir dir_{"series"};
    std::string Write(const std::string& text) {
        const auto p = dir_ / "s.csv";
        std::ofstream(p) << text;
        return p.string();
    }
    void ExpectDataError(const std::string& text, const std::string& needle) {
        try {
            ReadSeriesCsv(Write(text));
            ADD_FAILURE() << "expected a data error for:\n" << text;
        } catch (const Error& e) {
            EXPECT_EQ(e.kind(), ErrorKind::kData);
            EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
        }
    }
};

TEST_F(SeriesFileTest, ReadsSeriesInOrderWithLabelsAndStartWeek) {
    const auto s =
        ReadSeriesCsv(Write("series_id,t,year,week,count\nb,2,2020,41,5\nb,1,2020,40,4\na,1,2020,40,0\n"));
    ASSERT_EQ(s.size(), 2u);
    EXPECT_EQ(s[0].id, "b");
    EXPECT_EQ(s[0].counts, (std::vector<double>{4, 5}));
    EXPECT_EQ(s[0].labels, (std::vector<std::string>{"2020-W40", "2020-W41"}));
    EXPECT_EQ(s[0].start_week, 40);
    EXPECT_EQ(s[1].counts, (std::vector<double>{0}));
}

TEST_F(SeriesFileTest, RefusesBadCountsGapsAndRepeats) {
    ExpectDataError("series_id,t,count\na,1,-1\n", "line 2: column count");
    ExpectDataError("series_id,t,count\na,1,2.5\n", "not a count");
    ExpectDataError("series_id,t,count\na,1,x\n", "not a count");
    ExpectDataError("series_id,t,count\na,1,1\na,3,1\n", "t jumps from 1 to 3");
    ExpectDataError("series_id,t,count\na,1,1\na,1,2\n", "t = 1 twice");
    ExpectDataError("series_id,t,count\na,0,1\n", "column t");
    ExpectDataError("series,t,count\na,1,1\n", "needs the columns series_id, t and count");
    ExpectDataError("series_id,t,count\n", "no series");
    ExpectDataError("series_id,t,count,population\na,1,1,0\n", "column population");
}

} // namespace
} // namespace vigil::surveillance
