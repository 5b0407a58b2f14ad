// ComputeRates on hand-made inputs: zero-count areas and periods appear, rates and exact intervals per 100,000
// equal hand values, LSOA populations roll up through the lookups, male + female make all persons, harm weights
// sum, direct standardisation equals stats::DirectlyStandardise on the same numbers, and the requests that cannot
// be answered fail with a data error that says why.
#include <cmath>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>

#include "vigil/core/error.hpp"
#include "vigil/stats/poisson.hpp"
#include "vigil/stats/standardise.hpp"
#include "vigil/surveillance/rates.hpp"

namespace vigil::surveillance {
namespace {

CategoryId Cat(const char* code) { return CategoryTree::Standard().Require(code); }

std::int32_t MonthKey(int y, int m) { return y * 12 + m - 1; }

store::EventGroup Group(const std::string& lsoa, int y, int m, int d, const char* cat, std::int64_t n,
                        std::optional<int> age = std::nullopt, Sex sex = Sex::kUnknown,
                        DatePrecision precision = DatePrecision::kDay, const std::string& area_code = "") {
    store::EventGroup g;
    g.lsoa = lsoa;
    g.area_code = area_code;
    g.date = *MakeDate(y, m, d);
    g.precision = precision;
    g.category = Cat(cat);
    g.age = age;
    g.sex = sex;
    g.count = n;
    return g;
}

store::AreaRecord Area(const std::string& level, const std::string& code, const std::string& name = "") {
    store::AreaRecord a;
    a.level = level;
    a.code = code;
    a.name = name;
    return a;
}

store::PopulationRecord Pop(const std::string& code, int year, int sex, int lo, int hi, double n) {
    return store::PopulationRecord{code, year, sex, lo, hi, n};
}

// (area, period label, sex) -> row
std::map<std::tuple<std::string, std::string, std::string>, RatesRow> ByKey(const RatesResult& r) {
    std::map<std::tuple<std::string, std::string, std::string>, RatesRow> m;
    for (const auto& row : r.rows) EXPECT_TRUE(m.emplace(std::make_tuple(row.area_code, row.period_label, row.sex), row).second);
    return m;
}

using RowMap = std::map<std::tuple<std::string, std::string, std::string>, RatesRow>;

// The row for (area, period, sex); a default row (count -1) when there is none.
RatesRow At(const RowMap& m, const std::string& area, const std::string& period, const std::string& sex) {
    auto it = m.find(std::make_tuple(area, period, sex));
    if (it != m.end()) return it->second;
    ADD_FAILURE() << "no row " << area << " " << period << " " << sex;
    RatesRow none;
    none.count = -1;
    return none;
}

ErrorKind KindOf(const RatesInput& in, const RatesRequest& rq, std::string& message) {
    try {
        ComputeRates(in, rq);
    } catch (const Error& e) {
        message = e.what();
        return e.kind();
    }
    ADD_FAILURE() << "expected vigil::Error";
    return ErrorKind::kInternal;
}

TEST(ComputeRatesTest, ZeroCountAreasAndPeriodsAppear) {
    RatesInput in;
    in.source = "ambulance";
    in.areas = {Area("lsoa", "E01000001", "A"), Area("lsoa", "E01000002", "B"), Area("lsoa", "E01000003", "C")};
    in.events = {Group("E01000001", 2024, 1, 10, "violence_with_injury", 2),
                 Group("E01000001", 2024, 3, 2, "violence_with_injury", 1)};
    for (const auto& a : in.areas) in.population.push_back(Pop(a.code, 2024, 0, 0, store::kOpenAge, 1000));
    RatesRequest rq;
    rq.level = "lsoa";
    rq.period = PeriodKind::kMonth;
    rq.category = Cat("violence_and_sexual_offences");
    auto r = ComputeRates(in, rq);
    ASSERT_EQ(r.rows.size(), 9u); // 3 areas x 2024-01..2024-03, the empty February included
    auto m = ByKey(r);
    EXPECT_EQ(At(m, "E01000001", "2024-01", "all").count, 2);
    EXPECT_EQ(At(m, "E01000001", "2024-02", "all").count, 0);
    EXPECT_EQ(At(m, "E01000001", "2024-03", "all").count, 1);
    EXPECT_EQ(At(m, "E01000001", "2024-01", "all").area_name, "A");
    for (const char* code : {"E01000002", "E01000003"})
        for (const char* p : {"2024-01", "2024-02", "2024-03"}) {
            const RatesRow row = At(m, code, p, "all");
            EXPECT_EQ(row.count, 0) << code << " " << p;
            ASSERT_TRUE(row.population.has_value());
            EXPECT_DOUBLE_EQ(*row.population, 1000);
            EXPECT_DOUBLE_EQ(row.rate, 0.0);
            EXPECT_DOUBLE_EQ(row.ci_low, 0.0);
            EXPECT_NEAR(row.ci_high, stats::PoissonExactInterval(0).upper / 1000 * 1e5, 1e-9);
            EXPECT_NEAR(row.ci_high, 368.88794541139363, 1e-6); // -ln(0.025) per 1,000 people, per 100,000
        }
}

TEST(ComputeRatesTest, RateAndExactIntervalPer100kEqualHandValues) {
    RatesInput in;
    in.source = "ambulance";
    in.areas = {Area("lsoa", "E01000001")};
    in.events = {Group("E01000001", 2023, 5, 1, "robbery", 4), Group("E01000001", 2023, 11, 30, "robbery", 3)};
    in.population = {Pop("E01000001", 2023, 0, 0, store::kOpenAge, 12345)};
    RatesRequest rq;
    rq.level = "lsoa";
    rq.period = PeriodKind::kYear;
    rq.category = Cat("robbery");
    auto r = ComputeRates(in, rq);
    ASSERT_EQ(r.rows.size(), 1u);
    const auto& row = r.rows[0];
    EXPECT_EQ(row.count, 7);
    EXPECT_EQ(row.period_label, "2023");
    EXPECT_EQ(row.population_year, 2023);
    EXPECT_NEAR(row.rate, 7.0 / 12345 * 1e5, 1e-9);
    auto ci = stats::PoissonExactInterval(7);
    EXPECT_NEAR(row.ci_low, ci.lower / 12345 * 1e5, 1e-9);
    EXPECT_NEAR(row.ci_high, ci.upper / 12345 * 1e5, 1e-9);
    // Garwood limits for 7 (R: poisson.test(7)$conf.int = 2.814363 14.422675).
    EXPECT_NEAR(row.ci_low, 2.814363 / 12345 * 1e5, 1e-4);
    EXPECT_NEAR(row.ci_high, 14.422675 / 12345 * 1e5, 1e-4);
}

TEST(ComputeRatesTest, NoPopulationGivesBlankRatesAndANote) {
    RatesInput in;
    in.source = "ambulance";
    in.events = {Group("E01000001", 2023, 5, 1, "robbery", 4)};
    RatesRequest rq;
    rq.level = "lsoa";
    rq.period = PeriodKind::kYear;
    rq.category = Cat("robbery");
    auto r = ComputeRates(in, rq);
    ASSERT_EQ(r.rows.size(), 1u);
    EXPECT_EQ(r.rows[0].count, 4);
    EXPECT_FALSE(r.rows[0].population.has_value());
    EXPECT_TRUE(std::isnan(r.rows[0].rate));
    EXPECT_FALSE(r.notes.empty());
}

TEST(ComputeRatesTest, EmptyInputGivesOnlyZeroRowsForKnownAreas) {
    RatesInput in;
    in.source = "ambulance";
    RatesRequest rq;
    rq.level = "lsoa";
    rq.period = PeriodKind::kMonth;
    rq.category = Cat("all_crime");
    EXPECT_TRUE(ComputeRates(in, rq).rows.empty());
    rq.from = MonthKey(2024, 1);
    rq.to = MonthKey(2024, 2);
    in.areas = {Area("lsoa", "E01000001")};
    auto r = ComputeRates(in, rq);
    ASSERT_EQ(r.rows.size(), 2u);
    EXPECT_EQ(r.rows[0].count + r.rows[1].count, 0);
}

TEST(ComputeRatesTest, PopulationRollsUpFromLsoasThroughLookups) {
    RatesInput in;
    in.source = "ambulance";
    in.areas = {Area("borough", "E09000001", "City"), Area("borough", "E09000002", "Barking")};
    in.lookups = {{"E01000001", "borough", "E09000001", "attribute"},
                  {"E01000002", "borough", "E09000001", "attribute"},
                  {"E01000003", "borough", "E09000002", "centroid"},
                  {"E01000003", "msoa", "E02000001", "centroid"}};
    in.population = {Pop("E01000001", 2021, 0, 0, store::kOpenAge, 1500),
                     Pop("E01000002", 2021, 0, 0, store::kOpenAge, 1700),
                     Pop("E01000003", 2021, 0, 0, store::kOpenAge, 2000),
                     Pop("E01000099", 2021, 0, 0, store::kOpenAge, 99999)}; // in no borough
    in.events = {Group("E01000001", 2021, 6, 1, "robbery", 5), Group("E01000002", 2021, 7, 1, "robbery", 3),
                 Group("E01000003", 2021, 8, 1, "robbery", 4),
                 Group("", 2021, 8, 1, "robbery", 2, std::nullopt, Sex::kUnknown, DatePrecision::kDay, "E09000002"),
                 Group("E01000099", 2021, 8, 1, "robbery", 6)};
    RatesRequest rq;
    rq.level = "borough";
    rq.period = PeriodKind::kYear;
    rq.category = Cat("robbery");
    auto r = ComputeRates(in, rq);
    auto m = ByKey(r);
    ASSERT_EQ(r.rows.size(), 2u);
    const RatesRow city = At(m, "E09000001", "2021", "all");
    EXPECT_EQ(city.count, 8);
    ASSERT_TRUE(city.population.has_value());
    EXPECT_DOUBLE_EQ(*city.population, 3200);
    EXPECT_NEAR(city.rate, 8.0 / 3200 * 1e5, 1e-9);
    const RatesRow barking = At(m, "E09000002", "2021", "all");
    EXPECT_EQ(barking.count, 6); // 4 through the lookup + 2 located directly
    EXPECT_DOUBLE_EQ(*barking.population, 2000);
    EXPECT_EQ(r.events_without_area, 6);
}

TEST(ComputeRatesTest, MaleAndFemaleMakeAllPersonsWhenNoAllPersonsRows) {
    RatesInput in;
    in.source = "ambulance";
    in.areas = {Area("lsoa", "E01000001")};
    in.population = {Pop("E01000001", 2021, 1, 0, store::kOpenAge, 600), Pop("E01000001", 2021, 2, 0, store::kOpenAge, 650)};
    in.events = {Group("E01000001", 2021, 6, 1, "robbery", 3, 20, Sex::kMale),
                 Group("E01000001", 2021, 6, 1, "robbery", 2, 30, Sex::kFemale),
                 Group("E01000001", 2021, 6, 1, "robbery", 1, 40, Sex::kUnknown)};
    RatesRequest rq;
    rq.level = "lsoa";
    rq.period = PeriodKind::kYear;
    rq.category = Cat("robbery");
    auto all = ComputeRates(in, rq);
    ASSERT_EQ(all.rows.size(), 1u);
    EXPECT_EQ(all.rows[0].count, 6);
    ASSERT_TRUE(all.rows[0].population.has_value());
    EXPECT_DOUBLE_EQ(*all.rows[0].population, 1250);
    EXPECT_NEAR(all.rows[0].rate, 6.0 / 1250 * 1e5, 1e-9);

    rq.by_sex = true;
    auto m = ByKey(ComputeRates(in, rq));
    ASSERT_EQ(m.size(), 3u);
    EXPECT_EQ(At(m, "E01000001", "2021", "male").count, 3);
    EXPECT_DOUBLE_EQ(*At(m, "E01000001", "2021", "male").population, 600);
    EXPECT_NEAR(At(m, "E01000001", "2021", "male").rate, 3.0 / 600 * 1e5, 1e-9);
    EXPECT_EQ(At(m, "E01000001", "2021", "female").count, 2);
    EXPECT_DOUBLE_EQ(*At(m, "E01000001", "2021", "female").population, 650);
    EXPECT_EQ(At(m, "E01000001", "2021", "unknown").count, 1);
    EXPECT_FALSE(At(m, "E01000001", "2021", "unknown").population.has_value());
}

TEST(ComputeRatesTest, HarmWeightedCountIsTheSumOfWeights) {
    RatesInput in;
    in.source = "police";
    in.areas = {Area("lsoa", "E01000001")};
    in.population = {Pop("E01000001", 2021, 0, 0, store::kOpenAge, 2000)};
    in.events = {Group("E01000001", 2021, 6, 1, "violence_with_injury", 3, std::nullopt, Sex::kUnknown, DatePrecision::kMonth),
                 Group("E01000001", 2021, 7, 1, "public_order", 2, std::nullopt, Sex::kUnknown, DatePrecision::kMonth),
                 Group("E01000001", 2021, 7, 1, "drugs", 4, std::nullopt, Sex::kUnknown, DatePrecision::kMonth)};
    RatesRequest rq;
    rq.level = "lsoa";
    rq.period = PeriodKind::kYear;
    rq.category = Cat("all_crime");
    rq.harm = true;
    rq.harm_weights = {{Cat("violence_with_injury"), 365.0}, {Cat("public_order"), 7.5}}; // drugs absent: 0
    auto r = ComputeRates(in, rq);
    ASSERT_EQ(r.rows.size(), 1u);
    EXPECT_EQ(r.rows[0].count, 9);
    EXPECT_DOUBLE_EQ(r.rows[0].harm, 3 * 365.0 + 2 * 7.5);
    EXPECT_NEAR(r.rows[0].harm_rate, (3 * 365.0 + 2 * 7.5) / 2000 * 1e5, 1e-9);
    // The default table weighs every leaf it names.
    auto defaults = DefaultHarmWeights();
    EXPECT_DOUBLE_EQ(defaults.at(Cat("homicide")), 5475.0);
    EXPECT_DOUBLE_EQ(defaults.at(Cat("anti_social_behaviour")), 0.0);
}

TEST(ComputeRatesTest, DirectStandardisationEqualsTheStatsKernel) {
    RatesInput in;
    in.source = "ae";
    in.areas = {Area("lsoa", "E01000001")};
    // Population in three bands plus an all-ages row.
    in.population = {Pop("E01000001", 2022, 0, 0, 15, 400), Pop("E01000001", 2022, 0, 16, 64, 1200),
                     Pop("E01000001", 2022, 0, 65, store::kOpenAge, 300),
                     Pop("E01000001", 2022, 0, 0, store::kOpenAge, 1900)};
    in.events = {Group("E01000001", 2022, 2, 1, "violence_with_injury", 2, 12),
                 Group("E01000001", 2022, 3, 1, "violence_with_injury", 9, 30),
                 Group("E01000001", 2022, 4, 1, "violence_with_injury", 5, 50),
                 Group("E01000001", 2022, 5, 1, "violence_with_injury", 1, 70),
                 Group("E01000001", 2022, 5, 1, "violence_with_injury", 4)}; // no age
    RatesRequest rq;
    rq.level = "lsoa";
    rq.period = PeriodKind::kYear;
    rq.category = Cat("violence_with_injury");
    rq.standard = {{0, 15, 18000}, {16, 64, 64000}, {65, store::kOpenAge, 18000}};
    auto r = ComputeRates(in, rq);
    ASSERT_EQ(r.rows.size(), 1u);
    const auto& row = r.rows[0];
    EXPECT_EQ(row.count, 17);
    EXPECT_EQ(r.events_without_age, 4);
    std::vector<double> x = {2, 14, 1}, n = {400, 1200, 300}, s = {18000, 64000, 18000};
    auto d = stats::DirectlyStandardise(x, n, s);
    EXPECT_NEAR(row.adj_rate, d.adjusted_rate * 1e5, 1e-9);
    EXPECT_NEAR(row.adj_low, d.lower * 1e5, 1e-9);
    EXPECT_NEAR(row.adj_high, d.upper * 1e5, 1e-9);
    // By hand: 0.18*2/400 + 0.64*14/1200 + 0.18*1/300 per person.
    EXPECT_NEAR(row.adj_rate, (0.18 * 2 / 400 + 0.64 * 14 / 1200 + 0.18 * 1 / 300) * 1e5, 1e-9);
}

TEST(ComputeRatesTest, AgeFilterUsesTheTiledBandPopulation) {
    RatesInput in;
    in.source = "ae";
    in.areas = {Area("lsoa", "E01000001")};
    in.population = {Pop("E01000001", 2022, 0, 0, 15, 400), Pop("E01000001", 2022, 0, 16, 24, 500),
                     Pop("E01000001", 2022, 0, 25, 64, 700), Pop("E01000001", 2022, 0, 65, store::kOpenAge, 300)};
    in.events = {Group("E01000001", 2022, 2, 1, "robbery", 2, 16), Group("E01000001", 2022, 2, 1, "robbery", 3, 64),
                 Group("E01000001", 2022, 2, 1, "robbery", 7, 65), Group("E01000001", 2022, 2, 1, "robbery", 1, 15)};
    RatesRequest rq;
    rq.level = "lsoa";
    rq.period = PeriodKind::kYear;
    rq.category = Cat("robbery");
    rq.age = AgeRange{16, 64};
    auto r = ComputeRates(in, rq);
    ASSERT_EQ(r.rows.size(), 1u);
    EXPECT_EQ(r.rows[0].count, 5);
    EXPECT_DOUBLE_EQ(*r.rows[0].population, 1200);

    rq.age = AgeRange{18, 64};
    std::string message;
    EXPECT_EQ(KindOf(in, rq, message), ErrorKind::kData);
    for (const char* band : {"0-15", "16-24", "25-64", "65+"}) EXPECT_NE(message.find(band), std::string::npos) << message;
}

TEST(ComputeRatesTest, WeekOnMonthPrecisionIsADataError) {
    RatesInput in;
    in.source = "police";
    in.events = {Group("E01000001", 2021, 6, 1, "robbery", 1, std::nullopt, Sex::kUnknown, DatePrecision::kMonth)};
    RatesRequest rq;
    rq.level = "lsoa";
    rq.period = PeriodKind::kWeek;
    rq.category = Cat("robbery");
    std::string message;
    EXPECT_EQ(KindOf(in, rq, message), ErrorKind::kData);
    EXPECT_NE(message.find("month"), std::string::npos) << message;
    rq.period = PeriodKind::kQuarter;
    auto r = ComputeRates(in, rq);
    ASSERT_EQ(r.rows.size(), 1u);
    EXPECT_EQ(r.rows[0].period_label, "2021-Q2");
}

TEST(ComputeRatesTest, AggregateCountsAreCountedOnce) {
    RatesInput in;
    in.source = "met";
    in.from_counts = true;
    in.areas = {Area("borough", "E09000007", "Camden")};
    in.population = {Pop("E09000007", 2024, 0, 0, store::kOpenAge, 200000)};
    store::CountRecord c;
    c.source = "met";
    c.area_level = "borough";
    c.area_code = "E09000007";
    c.period_kind = PeriodKind::kMonth;
    c.period_key = MonthKey(2024, 1);
    c.category = Cat("violence_with_injury");
    c.count = 5;
    in.counts = {c};
    c.period_key = MonthKey(2024, 2);
    c.count = 7;
    in.counts.push_back(c);
    RatesRequest rq;
    rq.level = "borough";
    rq.period = PeriodKind::kMonth;
    rq.category = Cat("violence_and_sexual_offences");
    auto m = ByKey(ComputeRates(in, rq));
    EXPECT_EQ(At(m, "E09000007", "2024-01", "all").count, 5);
    EXPECT_EQ(At(m, "E09000007", "2024-02", "all").count, 7);
    rq.period = PeriodKind::kQuarter;
    auto q = ByKey(ComputeRates(in, rq));
    EXPECT_EQ(At(q, "E09000007", "2024-Q1", "all").count, 12);
    EXPECT_NEAR(At(q, "E09000007", "2024-Q1", "all").rate, 12.0 / 200000 * 1e5, 1e-9);
}

TEST(ComputeRatesTest, AggregateCountsRefuseAgesAndShorterPeriods) {
    RatesInput in;
    in.source = "met";
    in.from_counts = true;
    store::CountRecord c;
    c.source = "met";
    c.area_level = "borough";
    c.area_code = "E09000007";
    c.period_kind = PeriodKind::kMonth;
    c.period_key = MonthKey(2024, 1);
    c.category = Cat("robbery");
    c.count = 5;
    in.counts = {c};
    RatesRequest rq;
    rq.level = "borough";
    rq.period = PeriodKind::kMonth;
    rq.category = Cat("robbery");
    rq.age = AgeRange{16, 24};
    std::string message;
    EXPECT_EQ(KindOf(in, rq, message), ErrorKind::kData);
    rq.age.reset();
    rq.period = PeriodKind::kWeek;
    EXPECT_EQ(KindOf(in, rq, message), ErrorKind::kData);
    EXPECT_NE(message.find("month"), std::string::npos) << message;
}

TEST(AgeRangeTest, ParsesAndLabels) {
    auto r = ParseAgeRange("15-24");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->lo, 15);
    EXPECT_EQ(r->hi, 24);
    EXPECT_EQ(AgeRangeLabel(*r), "15-24");
    auto open = ParseAgeRange("85+");
    ASSERT_TRUE(open);
    EXPECT_EQ(open->hi, store::kOpenAge);
    EXPECT_EQ(AgeRangeLabel(*open), "85+");
    for (const char* bad : {"", "24-15", "abc", "-5", "15-", "10-200", "+"}) EXPECT_FALSE(ParseAgeRange(bad)) << bad;
}

} // namespace
} // namespace vigil::surveillance
