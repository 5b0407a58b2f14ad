// End to end against planted truth: a synthetic city (vigil::synth) is written in the partners' formats,
// ingested as an analyst would, and the counts and rates vigil reports are compared with what the generator
// says it planted (manifest truth), not with vigil's own arithmetic.
#include <algorithm>
#include <filesystem>
#include <map>

#include <gtest/gtest.h>

#include "test_support.hpp"
#include "vigil/core/progress.hpp"
#include "vigil/ingest/ingest.hpp"
#include "vigil/store/store.hpp"
#include "vigil/surveillance/rates_query.hpp"
#include "vigil/synth/city.hpp"

namespace vigil {
namespace {

namespace fs = std::filesystem;

class PlantedTruthTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        dir_ = new test::ScratchDir("planted");
        synth::CityOptions o = synth::SmallCity();
        o.out_dir = dir_->path() / "city";
        o.seed = 11;
        o.n_lsoas = 120;
        o.n_boroughs = 3;
        o.years = 2;
        NullProgress quiet;
        manifest_ = new synth::CityManifest(synth::WriteCity(o, quiet));
        store_ = store::OpenSqliteStore((dir_->path() / "v.db").string()).release();
        ingest::IngestOptions opt;
        opt.pseudonymiser = ingest::Pseudonymiser(std::string(40, 'k'));
        fs::path data = o.out_dir;
        for (const char* level : {"borough", "msoa", "lsoa"}) {
            ingest::AreaIngestOptions ao;
            ao.level = level;
            ingest::IngestAreas(*store_, (data / "boundaries" / (std::string(level) + ".geojson")).string(), ao, quiet);
        }
        ingest::IngestPopulation(*store_, (data / "population.csv").string(), opt, quiet);
        opt.locator = std::make_shared<ingest::Locator>(*store_);
        std::vector<std::string> police;
        for (const auto& e : fs::directory_iterator(data / "police")) police.push_back(e.path().string());
        for (const auto& f : police) {
            auto r = ingest::IngestEvents(*store_, f, ingest::DetectPoliceProfile(f), opt, quiet);
            rejected_ += r.stats.rejected;
        }
        rejected_ += ingest::IngestEvents(*store_, (data / "ae.csv").string(), ingest::BuiltinProfile("ae_istv"), opt, quiet)
                         .stats.rejected;
        rejected_ += ingest::IngestEvents(*store_, (data / "ambulance.csv").string(),
                                          ingest::BuiltinProfile("vigil_events"), opt, quiet)
                         .stats.rejected;
    }
    static void TearDownTestSuite() {
        delete store_;
        delete manifest_;
        delete dir_;
    }

    static surveillance::RatesResult Rates(const std::string& level, PeriodKind period, const std::string& category,
                                           const std::string& source) {
        surveillance::RatesRequest rq;
        rq.level = level;
        rq.period = period;
        rq.category = CategoryTree::Standard().Require(category);
        auto in = surveillance::LoadRatesInput(*store_, rq, source);
        return surveillance::ComputeRates(in, rq);
    }

    static inline test::ScratchDir* dir_ = nullptr;
    static inline synth::CityManifest* manifest_ = nullptr;
    static inline store::Store* store_ = nullptr;
    static inline std::int64_t rejected_ = 0;
};

TEST_F(PlantedTruthTest, EveryRowOfTheCityIsAccepted) {
    EXPECT_EQ(rejected_, 0);
    EXPECT_EQ(store_->EventTotal(std::string("ae")), static_cast<std::int64_t>(manifest_->ae_rows));
    EXPECT_EQ(store_->EventTotal(std::string("ambulance")), static_cast<std::int64_t>(manifest_->ambulance_rows));
}

TEST_F(PlantedTruthTest, ViolenceByBoroughAndYearEqualsTheLocatedTruthForEverySource) {
    const std::map<std::string, std::string> category = {{"police", "violence_and_sexual_offences"},
                                                         {"ae", "violence_against_the_person"},
                                                         {"ambulance", "violence_against_the_person"}};
    int compared = 0;
    for (const auto& [source, cat] : category) {
        std::map<std::pair<std::string, std::string>, std::int64_t> got;
        for (const auto& r : Rates("borough", PeriodKind::kYear, cat, source).rows)
            got[{r.area_code, r.period_label}] = r.count;
        for (const auto& t : manifest_->violence_by_borough_year) {
            if (t.source != source) continue;
            auto it = got.find({t.borough_code, std::to_string(t.year)});
            ASSERT_NE(it, got.end()) << source << " " << t.borough_code << " " << t.year;
            EXPECT_EQ(it->second, static_cast<std::int64_t>(t.located)) << source << " " << t.borough_code << " " << t.year;
            ++compared;
        }
    }
    EXPECT_EQ(compared, 3 * 3 * 2); // sources x boroughs x years
}

TEST_F(PlantedTruthTest, BoroughPopulationEqualsTheTruth) {
    std::map<std::pair<std::string, std::string>, double> got;
    for (const auto& r : Rates("borough", PeriodKind::kYear, "violence_and_sexual_offences", "police").rows)
        if (r.population) got[{r.area_code, r.period_label}] = *r.population;
    const auto& truth = manifest_->json.at("truth").at("population_by_borough_year");
    ASSERT_FALSE(truth.empty());
    for (const auto& t : truth) {
        auto key = std::make_pair(t.at("borough").get<std::string>(), std::to_string(t.at("year").get<int>()));
        ASSERT_TRUE(got.count(key)) << key.first << " " << key.second;
        EXPECT_DOUBLE_EQ(got[key], t.at("population").get<double>());
    }
}

TEST_F(PlantedTruthTest, ThePlantedHotspotHasTheHighestViolenceRates) {
    auto res = Rates("lsoa", PeriodKind::kYear, "violence_and_sexual_offences", "police");
    std::map<std::string, std::pair<std::int64_t, double>> by_lsoa; // count, population summed over years
    for (const auto& r : res.rows) {
        by_lsoa[r.area_code].first += r.count;
        by_lsoa[r.area_code].second += r.population.value_or(0);
    }
    std::vector<std::pair<double, std::string>> ranked;
    for (const auto& [code, cp] : by_lsoa)
        if (cp.second > 0) ranked.push_back({static_cast<double>(cp.first) / cp.second, code});
    std::sort(ranked.rbegin(), ranked.rend());
    ASSERT_GE(ranked.size(), 100u);
    const auto& hot = manifest_->hotspot_lsoas;
    ASSERT_FALSE(hot.empty());
    // The top-ranked LSOA is planted, and most planted LSOAs are in the top 5%.
    EXPECT_NE(std::find(hot.begin(), hot.end(), ranked.front().second), hot.end()) << ranked.front().second;
    int in_top = 0;
    for (std::size_t i = 0; i < ranked.size() / 20 + 1; ++i)
        in_top += std::find(hot.begin(), hot.end(), ranked[i].second) != hot.end();
    EXPECT_GE(in_top, static_cast<int>(hot.size()) - 1);
}

TEST_F(PlantedTruthTest, TheOutbreakWeeksStandOutInTheOutbreakBorough) {
    auto res = Rates("borough", PeriodKind::kWeek, "violence_against_the_person", "ae");
    std::int64_t in = 0, around = 0;
    const Date span = manifest_->outbreak_end - manifest_->outbreak_start + 1;
    for (const auto& r : res.rows) {
        if (r.area_code != manifest_->outbreak_borough) continue;
        Date start = PeriodStart(PeriodKind::kWeek, r.period_key);
        if (start >= manifest_->outbreak_start && start <= manifest_->outbreak_end) in += r.count;
        else if (start >= manifest_->outbreak_start - span && start <= manifest_->outbreak_end + span) around += r.count;
    }
    ASSERT_GT(around, 0);
    // Two spans around it against one span of outbreak: the planted relative risk is 2.
    EXPECT_GT(static_cast<double>(in) / (static_cast<double>(around) / 2.0), 1.3) << in << " vs " << around;
}

TEST_F(PlantedTruthTest, VictimsPeakAmongFifteenToTwentyFourYearOlds) {
    surveillance::RatesRequest rq;
    rq.level = "all";
    rq.period = PeriodKind::kYear;
    rq.category = CategoryTree::Standard().Require("violence_against_the_person");
    std::map<std::string, double> rate;
    for (const char* band : {"0-14", "15-24", "25-44", "45-64", "65+"}) {
        rq.age = surveillance::ParseAgeRange(band);
        auto res = surveillance::ComputeRates(surveillance::LoadRatesInput(*store_, rq, std::string("ae")), rq);
        std::int64_t n = 0;
        double pop = 0;
        for (const auto& r : res.rows) {
            n += r.count;
            pop += r.population.value_or(0);
        }
        ASSERT_GT(pop, 0) << band;
        rate[band] = static_cast<double>(n) / pop;
    }
    for (const auto& [band, r] : rate) {
        if (band != "15-24") {
            EXPECT_GT(rate["15-24"], r) << band;
        }
    }
}

} // namespace
} // namespace vigil

namespace vigil {
namespace {

// The city-wide table (event_total) and the area cube (event_cube) must tell the same story.
TEST_F(PlantedTruthTest, CityWideTotalsEqualTheSumOverAreasAndTheRecordsStored) {
    for (const char* source : {"ae", "ambulance"}) {
        std::int64_t all = 0, lsoa = 0;
        for (const auto& r : Rates("all", PeriodKind::kYear, "all_crime", source).rows) all += r.count;
        auto by_lsoa = Rates("lsoa", PeriodKind::kYear, "all_crime", source);
        for (const auto& r : by_lsoa.rows) lsoa += r.count;
        EXPECT_EQ(all, store_->EventTotal(std::string(source))) << source;
        EXPECT_EQ(all, lsoa + by_lsoa.events_without_area) << source;
    }
}

} // namespace
} // namespace vigil
