// Tests of the synthetic city: every file is parsed back independently (own RFC 4180 splitter,
// nlohmann::json for GeoJSON and the manifest) and checked against the planted truth.
#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <memory>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "test_support.hpp"
#include "vigil/core/error.hpp"
#include "vigil/core/period.hpp"
#include "vigil/synth/city.hpp"

namespace vigil::synth {
namespace {

namespace fs = std::filesystem;

std::string Slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

struct Csv {
    std::string first_line;
    std::vector<std::string> header;
    std::vector<std::vector<std::string>> rows;
    std::size_t Col(const std::string& name) const {
        const auto it = std::find(header.begin(), header.end(), name);
        if (it == header.end()) throw std::runtime_error("no column " + name);
        return static_cast<std::size_t>(it - header.begin());
    }
};

Csv ReadCsv(const fs::path& p) {
    const std::string text = Slurp(p);
    Csv csv;
    csv.first_line = text.substr(0, text.find('\n'));
    std::vector<std::vector<std::string>> records;
    std::vector<std::string> record;
    std::string field;
    bool quoted = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (quoted) {
            if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
                field.push_back('"');
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                field.push_back(c);
            }
        } else if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            record.push_back(std::move(field));
            field.clear();
        } else if (c == '\n') {
            record.push_back(std::move(field));
            field.clear();
            records.push_back(std::move(record));
            record.clear();
        } else {
            field.push_back(c);
        }
    }
    if (!field.empty() || !record.empty()) {
        record.push_back(field);
        records.push_back(record);
    }
    csv.header = records.front();
    csv.rows.assign(records.begin() + 1, records.end());
    for (const auto& r : csv.rows) {
        if (r.size() != csv.header.size()) throw std::runtime_error("ragged row in " + p.string());
    }
    return csv;
}

// "YYYY-MM-DD HH:MM" or "DD/MM/YYYY HH:MM" -> day.
Date DayOf(const std::string& s) {
    if (s.size() >= 10 && s[2] == '/') return *MakeDate(std::stoi(s.substr(6, 4)), std::stoi(s.substr(3, 2)), std::stoi(s.substr(0, 2)));
    return *MakeDate(std::stoi(s.substr(0, 4)), std::stoi(s.substr(5, 2)), std::stoi(s.substr(8, 2)));
}

bool NhsValid(const std::string& s) {
    if (s.size() != 10 || !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; })) return false;
    int sum = 0;
    for (int i = 0; i < 9; ++i) sum += (s[static_cast<std::size_t>(i)] - '0') * (10 - i);
    int check = 11 - sum % 11;
    if (check == 11) check = 0;
    return check != 10 && check == s[9] - '0';
}

class RecordingProgress final : public Progress {
public:
    void Start(const std::string&, std::uint64_t total) override { total_ = total; }
    void Advance(std::uint64_t done) override {
        monotone_ = monotone_ && done >= last_;
        last_ = done;
    }
    void Finish() override { finished_ = true; }
    std::uint64_t total_ = 0, last_ = 0;
    bool monotone_ = true, finished_ = false;
};

CityOptions TestOptions(const fs::path& dir, std::uint64_t seed) {
    CityOptions o;
    o.out_dir = dir;
    o.seed = seed;
    o.n_lsoas = 40;
    o.n_boroughs = 2;
    o.years = 1;
    o.first_year = 2021;
    o.violence_rate_scale = 4.0; // enough assaults in 40 LSOAs for the statistical checks
    return o;
}

class SynthCity : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        scratch_ = std::make_unique<test::ScratchDir>("synth-city");
        options_ = TestOptions(scratch_->path() / "city", 7);
        manifest_ = WriteCity(options_, progress_);
        json_ = nlohmann::json::parse(Slurp(dir() / "manifest.json"));
        const auto lsoa = nlohmann::json::parse(Slurp(dir() / "boundaries" / "lsoa.geojson"));
        for (const auto& f : lsoa["features"]) lsoa_borough_[f["properties"]["LSOA21CD"]] = f["properties"]["LAD22CD"];
        for (const auto& entry : fs::directory_iterator(dir() / "police")) police_files_.push_back(entry.path());
        std::sort(police_files_.begin(), police_files_.end());
        for (const auto& f : police_files_) police_.push_back(ReadCsv(f));
        ae_ = ReadCsv(dir() / "ae.csv");
        truth_ = ReadCsv(dir() / "truth" / "incidents.csv");
    }
    static void TearDownTestSuite() { scratch_.reset(); }
    static fs::path dir() { return options_.out_dir; }

    // Attendance (site, id) -> row of the truth file.
    static std::map<std::pair<std::string, std::string>, std::size_t> TruthByAttendance() {
        std::map<std::pair<std::string, std::string>, std::size_t> out;
        const auto site = truth_.Col("ae_site_code"), id = truth_.Col("ae_attendance_id");
        for (std::size_t r = 0; r < truth_.rows.size(); ++r) {
            if (!truth_.rows[r][site].empty()) out[{truth_.rows[r][site], truth_.rows[r][id]}] = r;
        }
        return out;
    }

    static inline std::unique_ptr<test::ScratchDir> scratch_;
    static inline CityOptions options_;
    static inline RecordingProgress progress_;
    static inline CityManifest manifest_;
    static inline nlohmann::json json_;
    static inline std::map<std::string, std::string> lsoa_borough_;
    static inline std::vector<fs::path> police_files_;
    static inline std::vector<Csv> police_;
    static inline Csv ae_;
    static inline Csv truth_;
};

TEST_F(SynthCity, WritesEveryFileWithExactHeaders) {
    for (const char* f : {"boundaries/lsoa.geojson", "boundaries/msoa.geojson", "boundaries/borough.geojson",
                          "population.csv", "deprivation.csv", "ae.csv", "ambulance.csv", "manifest.json",
                          "truth/incidents.csv"}) {
        EXPECT_TRUE(fs::exists(dir() / f)) << f;
    }
    ASSERT_EQ(police_files_.size(), 12u);
    EXPECT_EQ(police_files_.front().filename(), "2021-01-synth-street.csv");
    EXPECT_EQ(police_files_.back().filename(), "2021-12-synth-street.csv");
    for (const Csv& p : police_) {
        EXPECT_EQ(p.first_line, "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,"
                                "Crime type,Last outcome category,Context");
    }
    EXPECT_EQ(ReadCsv(dir() / "population.csv").first_line, "area_code,year,sex,age_band,population");
    EXPECT_EQ(ReadCsv(dir() / "deprivation.csv").first_line, "lsoa_code,imd_score,imd_rank,imd_decile");
    EXPECT_EQ(ae_.first_line, "attendance_id,site_code,arrival_datetime,assault_datetime,assault_method,"
                              "method_description,location_type,location_description,age,sex,easting,northing,"
                              "lsoa_code,nhs_number,date_of_birth");
    EXPECT_EQ(ReadCsv(dir() / "ambulance.csv").first_line,
              "source,record_id,date,time,category,weapon,easting,northing,victim_age,victim_sex");
    EXPECT_EQ(progress_.total_, 16u); // 4 stages + 12 months
    EXPECT_EQ(progress_.last_, 16u);
    EXPECT_TRUE(progress_.monotone_);
    EXPECT_TRUE(progress_.finished_);
}

TEST_F(SynthCity, RowCountsEqualTheManifest) {
    ASSERT_EQ(json_["files"].size(), manifest_.rows_per_file.size());
    std::uint64_t police_rows = 0;
    for (const auto& [file, rows] : manifest_.rows_per_file) {
        EXPECT_EQ(json_["files"][file].get<std::uint64_t>(), rows) << file;
        if (file.ends_with(".geojson")) {
            EXPECT_EQ(nlohmann::json::parse(Slurp(dir() / file))["features"].size(), rows) << file;
        } else {
            EXPECT_EQ(ReadCsv(dir() / file).rows.size(), rows) << file;
        }
        if (file.starts_with("police/")) police_rows += rows;
    }
    EXPECT_EQ(police_rows, manifest_.police_rows);
    EXPECT_EQ(ae_.rows.size(), manifest_.ae_rows);
    EXPECT_EQ(truth_.rows.size(), manifest_.incidents);
    EXPECT_EQ(manifest_.rows_per_file.at("boundaries/lsoa.geojson"), 40u);
    EXPECT_EQ(manifest_.rows_per_file.at("boundaries/borough.geojson"), 2u);
    EXPECT_EQ(manifest_.rows_per_file.at("population.csv"), 40u * 2 * 18);
    EXPECT_EQ(json_["rows_per_source"]["police"].get<std::uint64_t>(), manifest_.police_rows);
}

TEST_F(SynthCity, SameSeedIsByteIdenticalAndAnotherSeedDiffers) {
    test::ScratchDir other("synth-city-again");
    NullProgress quiet;
    WriteCity(TestOptions(other / "same", 7), quiet);
    WriteCity(TestOptions(other / "different", 8), quiet);
    std::size_t compared = 0;
    for (const auto& entry : fs::recursive_directory_iterator(dir())) {
        if (!entry.is_regular_file()) continue;
        const auto rel = fs::relative(entry.path(), dir());
        ASSERT_TRUE(fs::exists(other / "same" / rel)) << rel;
        EXPECT_TRUE(Slurp(entry.path()) == Slurp(other / "same" / rel)) << rel << " differs for the same seed";
        ++compared;
    }
    EXPECT_EQ(compared, 9u + 12u);
    EXPECT_NE(Slurp(dir() / "ae.csv"), Slurp(other / "different" / "ae.csv"));
    EXPECT_NE(Slurp(dir() / "police" / "2021-06-synth-street.csv"), Slurp(other / "different" / "police" / "2021-06-synth-street.csv"));
    EXPECT_NE(Slurp(dir() / "boundaries" / "lsoa.geojson"), Slurp(other / "different" / "boundaries" / "lsoa.geojson"));
}

TEST_F(SynthCity, CoordinatesFallInsideTheirBoroughBox) {
    const auto boroughs = nlohmann::json::parse(Slurp(dir() / "boundaries" / "borough.geojson"));
    struct Box {
        double lon0 = 1e9, lon1 = -1e9, lat0 = 1e9, lat1 = -1e9;
    };
    std::map<std::string, Box> box;
    for (const auto& f : boroughs["features"]) {
        Box& b = box[f["properties"]["LAD22CD"]];
        ASSERT_EQ(f["geometry"]["type"], "Polygon");
        for (const auto& pt : f["geometry"]["coordinates"][0]) {
            b.lon0 = std::min(b.lon0, pt[0].get<double>());
            b.lon1 = std::max(b.lon1, pt[0].get<double>());
            b.lat0 = std::min(b.lat0, pt[1].get<double>());
            b.lat1 = std::max(b.lat1, pt[1].get<double>());
        }
    }
    ASSERT_EQ(box.size(), 2u);
    std::size_t checked = 0;
    for (const Csv& p : police_) {
        const auto lon = p.Col("Longitude"), lat = p.Col("Latitude"), code = p.Col("LSOA code");
        for (const auto& r : p.rows) {
            if (r[code].empty()) continue;
            const Box& b = box.at(lsoa_borough_.at(r[code]));
            const double x = std::stod(r[lon]), y = std::stod(r[lat]);
            ASSERT_TRUE(x > b.lon0 && x < b.lon1 && y > b.lat0 && y < b.lat1) << r[lon] << "," << r[lat];
            ++checked;
        }
    }
    EXPECT_GT(checked, 1000u);
    // The city is around the made-up centre E 430000 N 560000 (north-east England on the National Grid).
    for (const auto& [code, b] : box) {
        EXPECT_GT(b.lon0, -1.8);
        EXPECT_LT(b.lon1, -1.2);
        EXPECT_GT(b.lat0, 54.8);
        EXPECT_LT(b.lat1, 55.1);
    }
    // Easting/northing in A&E and ambulance rows: inside the BNG box of the incident's borough.
    std::map<std::string, nlohmann::json> bng;
    for (const auto& b : json_["geography"]["boroughs"]) bng[b["code"]] = b["bbox_bng"];
    const auto by_att = TruthByAttendance();
    const auto te = truth_.Col("easting"), tn = truth_.Col("northing"), tb = truth_.Col("borough_code");
    std::size_t ae_checked = 0;
    for (const auto& r : ae_.rows) {
        const std::string& e = r[ae_.Col("easting")];
        if (e.empty()) continue;
        const auto& t = truth_.rows[by_att.at({r[ae_.Col("site_code")], r[ae_.Col("attendance_id")]})];
        EXPECT_EQ(e, t[te]);
        EXPECT_EQ(r[ae_.Col("northing")], t[tn]);
        const auto& b = bng.at(t[tb]);
        const double x = std::stod(e), y = std::stod(r[ae_.Col("northing")]);
        ASSERT_TRUE(x >= b["min_easting"].get<double>() && x <= b["max_easting"].get<double>() &&
                    y >= b["min_northing"].get<double>() && y <= b["max_northing"].get<double>());
        ++ae_checked;
    }
    EXPECT_GT(ae_checked, 100u);
    const Csv amb = ReadCsv(dir() / "ambulance.csv");
    const auto& city = json_["geography"]["bbox_bng"];
    for (const auto& r : amb.rows) {
        const double x = std::stod(r[amb.Col("easting")]), y = std::stod(r[amb.Col("northing")]);
        ASSERT_TRUE(x >= city["min_easting"].get<double>() && x <= city["max_easting"].get<double>() &&
                    y >= city["min_northing"].get<double>() && y <= city["max_northing"].get<double>());
        EXPECT_EQ(r[amb.Col("source")], "ambulance");
        EXPECT_TRUE(r[amb.Col("category")] == "violence_with_injury" || r[amb.Col("category")] == "violence_against_the_person");
    }
}

TEST_F(SynthCity, PoliceRowsLookLikePoliceUk) {
    const std::regex hex64("[0-9a-f]{64}");
    std::set<std::string> types, ids;
    std::uint64_t no_location = 0, identical = 0;
    for (std::size_t f = 0; f < police_.size(); ++f) {
        const Csv& p = police_[f];
        const std::string month = police_files_[f].filename().string().substr(0, 7);
        std::map<std::vector<std::string>, int> seen;
        for (const auto& r : p.rows) {
            const std::string& type = r[p.Col("Crime type")];
            types.insert(type);
            EXPECT_EQ(r[p.Col("Month")], month);
            EXPECT_EQ(r[p.Col("Reported by")], "Synthshire Police");
            EXPECT_EQ(r[p.Col("Falls within")], "Synthshire Police");
            EXPECT_EQ(r[p.Col("Context")], "");
            if (type == "Anti-social behaviour") {
                EXPECT_EQ(r[p.Col("Crime ID")], "");
                EXPECT_EQ(r[p.Col("Last outcome category")], "");
                if (seen[r]++ > 0) ++identical;
            } else {
                ASSERT_TRUE(std::regex_match(r[p.Col("Crime ID")], hex64)) << r[p.Col("Crime ID")];
                EXPECT_TRUE(ids.insert(r[p.Col("Crime ID")]).second);
                EXPECT_FALSE(r[p.Col("Last outcome category")].empty());
            }
            if (r[p.Col("LSOA code")].empty()) {
                ++no_location;
                EXPECT_EQ(r[p.Col("Longitude")], "");
                EXPECT_EQ(r[p.Col("Location")], "No Location");
            } else {
                EXPECT_TRUE(r[p.Col("Location")].starts_with("On or near "));
                EXPECT_TRUE(lsoa_borough_.count(r[p.Col("LSOA code")]));
            }
        }
    }
    EXPECT_EQ(types.size(), 14u);
    EXPECT_GT(no_location, 0u);
    EXPECT_EQ(no_location, json_["truth"]["police"]["no_location"].get<std::uint64_t>());
    EXPECT_GT(identical, 0u);
    EXPECT_EQ(identical, json_["truth"]["police"]["identical_asb_rows"].get<std::uint64_t>());
}

TEST_F(SynthCity, HotspotLsoasHaveClearlyMoreViolence) {
    ASSERT_EQ(manifest_.hotspot_lsoas.size(), 4u);
    std::map<std::string, double> violence;
    for (const auto& [code, borough] : lsoa_borough_) violence[code] = 0;
    for (const Csv& p : police_) {
        for (const auto& r : p.rows) {
            if (r[p.Col("Crime type")] == "Violence and sexual offences" && !r[p.Col("LSOA code")].empty()) {
                violence[r[p.Col("LSOA code")]] += 1;
            }
        }
    }
    const std::set<std::string> hot(manifest_.hotspot_lsoas.begin(), manifest_.hotspot_lsoas.end());
    double hot_sum = 0, rest_sum = 0;
    for (const auto& [code, n] : violence) (hot.count(code) ? hot_sum : rest_sum) += n;
    const double hot_mean = hot_sum / 4.0, rest_mean = rest_sum / 36.0;
    // Planted relative risk 3 (times each LSOA's own deprivation factor): ask for at least 2.
    EXPECT_GT(hot_mean, 2.0 * rest_mean) << hot_mean << " vs " << rest_mean;
    // The hotspot is contiguous: every hotspot LSOA shares an edge (two vertices) with another one.
    const auto lsoa = nlohmann::json::parse(Slurp(dir() / "boundaries" / "lsoa.geojson"));
    std::map<std::string, std::set<std::pair<double, double>>> vertices;
    for (const auto& f : lsoa["features"]) {
        if (!hot.count(f["properties"]["LSOA21CD"])) continue;
        for (const auto& pt : f["geometry"]["coordinates"][0]) {
            vertices[f["properties"]["LSOA21CD"]].insert({pt[0].get<double>(), pt[1].get<double>()});
        }
    }
    for (const auto& a : hot) {
        bool touches = false;
        for (const auto& b : hot) {
            if (a == b) continue;
            std::vector<std::pair<double, double>> shared;
            std::set_intersection(vertices[a].begin(), vertices[a].end(), vertices[b].begin(), vertices[b].end(),
                                  std::back_inserter(shared));
            touches = touches || shared.size() >= 2;
        }
        EXPECT_TRUE(touches) << a;
    }
}

TEST_F(SynthCity, OutbreakWeeksHaveMoreAeAssaults) {
    const Date start = manifest_.outbreak_start, end = manifest_.outbreak_end;
    ASSERT_EQ(end - start + 1, 28);
    EXPECT_EQ(Weekday(start), 1);
    EXPECT_EQ(manifest_.outbreak_first_week, PeriodLabel(PeriodKind::kWeek, PeriodKeyOf(PeriodKind::kWeek, start)));
    const auto by_att = TruthByAttendance();
    const auto tb = truth_.Col("borough_code");
    std::uint64_t in_window = 0, before = 0, after = 0;
    for (const auto& r : ae_.rows) {
        const auto& t = truth_.rows[by_att.at({r[ae_.Col("site_code")], r[ae_.Col("attendance_id")]})];
        if (t[tb] != manifest_.outbreak_borough) continue;
        const std::string& assault = r[ae_.Col("assault_datetime")];
        const Date d = DayOf(assault.empty() ? r[ae_.Col("arrival_datetime")] : assault);
        if (d >= start && d <= end) ++in_window;
        if (d >= start - 28 && d < start) ++before;
        if (d > end && d <= end + 28) ++after;
    }
    const auto& truth = json_["truth"]["ae"]["outbreak_borough_attendances"];
    EXPECT_EQ(in_window, truth["outbreak_weeks"].get<std::uint64_t>());
    EXPECT_EQ(before, truth["same_span_before"].get<std::uint64_t>());
    EXPECT_EQ(after, truth["same_span_after"].get<std::uint64_t>());
    // Planted relative risk 2 on the background: expect ~1.8x (offspring spill over into the weeks after);
    // ask for 1.3x the mean of the four weeks either side.
    EXPECT_GT(static_cast<double>(in_window), 1.3 * 0.5 * static_cast<double>(before + after))
        << in_window << " in the outbreak weeks vs " << before << " before and " << after << " after";
}

TEST_F(SynthCity, AeVictimAgesPeakAt15To24) {
    std::vector<double> attendances(18, 0), population(18, 0);
    for (const auto& r : ae_.rows) {
        const std::string& age = r[ae_.Col("age")];
        if (age.empty()) continue;
        attendances[static_cast<std::size_t>(std::min(17, std::stoi(age) / 5))] += 1;
    }
    const Csv pop = ReadCsv(dir() / "population.csv");
    const std::vector<std::string> bands = {"0-4",   "5-9",   "10-14", "15-19", "20-24", "25-29",
                                            "30-34", "35-39", "40-44", "45-49", "50-54", "55-59",
                                            "60-64", "65-69", "70-74", "75-79", "80-84", "85+"};
    for (const auto& r : pop.rows) {
        const auto band = std::find(bands.begin(), bands.end(), r[pop.Col("age_band")]) - bands.begin();
        ASSERT_LT(band, 18);
        population[static_cast<std::size_t>(band)] += std::stod(r[pop.Col("population")]);
    }
    std::vector<double> rate(18);
    for (std::size_t b = 0; b < 18; ++b) rate[b] = attendances[b] / population[b];
    const auto peak = std::max_element(rate.begin(), rate.end()) - rate.begin();
    EXPECT_TRUE(peak == 3 || peak == 4) << "peak rate in band " << bands[static_cast<std::size_t>(peak)];
    // Planted relative risk 3.5 at 15-24 against 1 at 40-44.
    EXPECT_GT((rate[3] + rate[4]) / 2.0, 2.0 * rate[8]);
    // And in counts: the 15-24 decade has more victims than any other ten-year group.
    const double young = attendances[3] + attendances[4];
    for (std::size_t b = 1; b + 1 < 18; b += 2) {
        if (b == 3) continue;
        EXPECT_GT(young, attendances[b] + attendances[b + 1]) << bands[b];
    }
}

TEST_F(SynthCity, AeIdentifiersAreValidAndConsistent) {
    std::map<std::string, std::string> dob_of;
    std::size_t with_age = 0;
    for (const auto& r : ae_.rows) {
        const std::string& nhs = r[ae_.Col("nhs_number")];
        ASSERT_TRUE(NhsValid(nhs)) << nhs;
        const std::string& dob = r[ae_.Col("date_of_birth")];
        // A returning patient keeps the same date of birth.
        const auto [it, fresh] = dob_of.emplace(nhs, dob);
        EXPECT_EQ(it->second, dob);
        const Date birth = DayOf(dob), arrival = DayOf(r[ae_.Col("arrival_datetime")]);
        ASSERT_LT(birth, arrival);
        if (r[ae_.Col("age")].empty()) continue;
        const CivilDate b = ToCivil(birth), a = ToCivil(arrival);
        const int age = a.year - b.year - ((a.month < b.month || (a.month == b.month && a.day < b.day)) ? 1 : 0);
        EXPECT_EQ(std::stoi(r[ae_.Col("age")]), age);
        ++with_age;
    }
    EXPECT_GT(with_age, ae_.rows.size() * 9 / 10);
    EXPECT_EQ(dob_of.size(), json_["truth"]["ae"]["patients"].get<std::size_t>());
    EXPECT_LT(dob_of.size(), ae_.rows.size()); // some repeat attendances
}

TEST_F(SynthCity, ShareOfAeAssaultsKnownToPoliceIsThePlantedFraction) {
    const auto by_att = TruthByAttendance();
    std::map<std::string, std::pair<std::string, std::string>> police_vso; // crime id -> (LSOA, month)
    for (const Csv& p : police_) {
        for (const auto& r : p.rows) {
            if (r[p.Col("Crime type")] == "Violence and sexual offences") {
                police_vso[r[p.Col("Crime ID")]] = {r[p.Col("LSOA code")], r[p.Col("Month")]};
            }
        }
    }
    const auto crime = truth_.Col("police_crime_id"), lsoa = truth_.Col("lsoa_code"), month = truth_.Col("police_month");
    std::size_t linked = 0;
    for (const auto& [key, row] : by_att) {
        const auto& t = truth_.rows[row];
        if (t[crime].empty()) continue;
        ++linked;
        const auto it = police_vso.find(t[crime]);
        ASSERT_NE(it, police_vso.end()) << t[crime];
        EXPECT_EQ(it->second.first, t[lsoa]);
        EXPECT_EQ(it->second.second, t[month]);
    }
    const double share = static_cast<double>(linked) / static_cast<double>(by_att.size());
    EXPECT_NEAR(share, options_.p_police, 0.05);
    EXPECT_NEAR(share, json_["truth"]["ae"]["with_police_fraction"].get<double>(), 1e-12);
}

TEST_F(SynthCity, OffspringFollowTheHawkesKernel) {
    const auto component = truth_.Col("component"), parent = truth_.Col("parent_id");
    const auto e = truth_.Col("easting"), n = truth_.Col("northing"), when = truth_.Col("datetime");
    auto minutes = [&](const std::vector<std::string>& r) {
        const std::string& s = r[when];
        return DayOf(s) * 1440.0 + std::stoi(s.substr(11, 2)) * 60.0 + std::stoi(s.substr(14, 2));
    };
    std::size_t offspring = 0;
    double delay_sum = 0, sq_sum = 0;
    for (const auto& r : truth_.rows) {
        if (r[component] != "offspring") {
            EXPECT_EQ(r[parent], "");
            continue;
        }
        ++offspring;
        const auto& p = truth_.rows[static_cast<std::size_t>(std::stoi(r[parent]) - 1)];
        const double delay = minutes(r) - minutes(p);
        ASSERT_GE(delay, 0.0);
        delay_sum += delay / 1440.0;
        const double dx = std::stod(r[e]) - std::stod(p[e]), dy = std::stod(r[n]) - std::stod(p[n]);
        sq_sum += dx * dx + dy * dy;
    }
    const double share = static_cast<double>(offspring) / static_cast<double>(truth_.rows.size());
    // Stationary share of triggered events = branching ratio (0.25), less those lost at the edges.
    EXPECT_NEAR(share, options_.branching_ratio, 0.04);
    EXPECT_NEAR(delay_sum / static_cast<double>(offspring), options_.decay_days, 0.8);
    // E[dx^2 + dy^2] = 2 sigma^2 for an isotropic Gaussian (edge effects shrink it a little).
    EXPECT_NEAR(std::sqrt(sq_sum / static_cast<double>(offspring) / 2.0), options_.decay_metres, 30.0);
}

TEST_F(SynthCity, TruthCountsByBoroughAndYearMatchTheFiles) {
    std::map<std::pair<std::string, std::string>, std::uint64_t> counted; // (source, borough)
    for (const Csv& p : police_) {
        for (const auto& r : p.rows) {
            if (r[p.Col("Crime type")] == "Violence and sexual offences" && !r[p.Col("LSOA code")].empty()) {
                ++counted[{"police", lsoa_borough_.at(r[p.Col("LSOA code")])}];
            }
        }
    }
    const auto by_att = TruthByAttendance();
    std::map<std::string, std::uint64_t> ae_located;
    for (const auto& r : ae_.rows) {
        const auto& t = truth_.rows[by_att.at({r[ae_.Col("site_code")], r[ae_.Col("attendance_id")]})];
        const std::string& assault = r[ae_.Col("assault_datetime")];
        if (ToCivil(DayOf(assault.empty() ? r[ae_.Col("arrival_datetime")] : assault)).year != 2021) continue;
        const std::string& borough = t[truth_.Col("borough_code")];
        ++counted[{"ae", borough}];
        if (!r[ae_.Col("easting")].empty() || !r[ae_.Col("lsoa_code")].empty()) ++ae_located[borough];
    }
    std::size_t entries = 0;
    for (const auto& c : json_["truth"]["violence_by_borough_year"]) {
        const std::string source = c["source"], borough = c["borough"];
        EXPECT_EQ(c["year"].get<int>(), 2021);
        if (source == "ambulance") continue;
        const std::uint64_t files = counted[std::make_pair(source, borough)];
        EXPECT_EQ(c["records"].get<std::uint64_t>(), files) << source << " " << borough;
        if (source == "ae") {
            EXPECT_EQ(c["located"].get<std::uint64_t>(), ae_located[borough]);
        }
        ++entries;
    }
    EXPECT_EQ(entries, 4u);
    std::int64_t people = 0;
    for (const auto& r : ReadCsv(dir() / "population.csv").rows) people += std::stoll(r[4]);
    std::int64_t manifest_people = 0;
    for (const auto& p : json_["truth"]["population_by_borough_year"]) manifest_people += p["population"].get<std::int64_t>();
    EXPECT_EQ(people, manifest_people);
    EXPECT_GT(people, 40 * 1500);
    EXPECT_LT(people, 40 * 2100);
}

TEST_F(SynthCity, DeprivationRanksAndDecilesAreConsistent) {
    const Csv dep = ReadCsv(dir() / "deprivation.csv");
    ASSERT_EQ(dep.rows.size(), 40u);
    std::vector<std::pair<double, int>> score_rank;
    for (const auto& r : dep.rows) {
        EXPECT_TRUE(lsoa_borough_.count(r[0])) << r[0];
        const int rank = std::stoi(r[2]);
        score_rank.push_back({std::stod(r[1]), rank});
        EXPECT_EQ(std::stoi(r[3]), 1 + (rank - 1) * 10 / 40);
    }
    std::sort(score_rank.begin(), score_rank.end(), std::greater<>());
    for (std::size_t k = 0; k < score_rank.size(); ++k) EXPECT_EQ(score_rank[k].second, static_cast<int>(k) + 1);
}

TEST_F(SynthCity, BoundaryCodesAndParentsHangTogether) {
    const auto lsoa = nlohmann::json::parse(Slurp(dir() / "boundaries" / "lsoa.geojson"));
    const auto msoa = nlohmann::json::parse(Slurp(dir() / "boundaries" / "msoa.geojson"));
    const auto borough = nlohmann::json::parse(Slurp(dir() / "boundaries" / "borough.geojson"));
    std::map<std::string, std::string> msoa_parent;
    std::set<std::string> boroughs;
    for (const auto& f : borough["features"]) {
        EXPECT_TRUE(std::regex_match(f["properties"]["LAD22CD"].get<std::string>(), std::regex("E099[0-9]{5}")));
        boroughs.insert(f["properties"]["LAD22CD"]);
    }
    for (const auto& f : msoa["features"]) {
        const std::string code = f["properties"]["MSOA21CD"];
        EXPECT_TRUE(std::regex_match(code, std::regex("E029[0-9]{5}"))) << code;
        EXPECT_TRUE(boroughs.count(f["properties"]["LAD22CD"]));
        msoa_parent[code] = f["properties"]["LAD22CD"];
    }
    std::map<std::string, int> per_msoa;
    std::set<std::string> codes;
    for (const auto& f : lsoa["features"]) {
        const auto& p = f["properties"];
        const std::string code = p["LSOA21CD"];
        EXPECT_TRUE(codes.insert(code).second) << code;
        EXPECT_TRUE(std::regex_match(code, std::regex("E019[0-9]{5}"))) << code;
        ASSERT_TRUE(msoa_parent.count(p["MSOA21CD"]));
        EXPECT_EQ(msoa_parent[p["MSOA21CD"]], p["LAD22CD"].get<std::string>());
        // Names follow the ONS pattern "<borough> 001A".
        EXPECT_TRUE(p["LSOA21NM"].get<std::string>().starts_with(p["MSOA21NM"].get<std::string>()));
        ++per_msoa[p["MSOA21CD"]];
        const auto& ring = f["geometry"]["coordinates"][0];
        ASSERT_EQ(ring.size(), 5u); // a closed quadrilateral
        EXPECT_EQ(ring.front(), ring.back());
        // Counter-clockwise exterior ring (RFC 7946): positive shoelace area.
        double area2 = 0;
        for (std::size_t k = 0; k + 1 < ring.size(); ++k) {
            area2 += ring[k][0].get<double>() * ring[k + 1][1].get<double>() - ring[k + 1][0].get<double>() * ring[k][1].get<double>();
        }
        EXPECT_GT(area2, 0.0);
    }
    for (const auto& [code, n] : per_msoa) {
        EXPECT_GE(n, 3) << code;
        EXPECT_LE(n, 7) << code;
    }
    EXPECT_EQ(manifest_.lsoa_codes, std::vector<std::string>(codes.begin(), codes.end()));
}

TEST(SynthCityOptions, ImpossibleOptionsAreRejected) {
    test::ScratchDir scratch("synth-bad");
    NullProgress quiet;
    auto expect_invalid = [&](auto change) {
        CityOptions o = TestOptions(scratch / "x", 1);
        change(o);
        try {
            WriteCity(o, quiet);
            ADD_FAILURE() << "expected an invalid-input error";
        } catch (const Error& e) {
            EXPECT_EQ(e.kind(), ErrorKind::kInvalidInput) << e.what();
        }
    };
    expect_invalid([](CityOptions& o) { o.n_lsoas = 0; });
    expect_invalid([](CityOptions& o) { o.n_boroughs = 41; });
    expect_invalid([](CityOptions& o) { o.years = 0; });
    expect_invalid([](CityOptions& o) { o.branching_ratio = 1.0; });
    expect_invalid([](CityOptions& o) { o.p_ae = 1.5; });
    expect_invalid([](CityOptions& o) { o.ae_geocoded_share = 0.9; });
    expect_invalid([](CityOptions& o) { o.police_rate_scale = -1; });
    expect_invalid([](CityOptions& o) { o.outbreak_weeks = 0; });
    expect_invalid([](CityOptions& o) { o.out_dir.clear(); });
    EXPECT_FALSE(fs::exists(scratch / "x" / "manifest.json"));
}

TEST(SynthCityOptions, OneLsoaCityWorks) {
    test::ScratchDir scratch("synth-one");
    CityOptions o = TestOptions(scratch / "one", 3);
    o.n_lsoas = 1;
    o.n_boroughs = 1;
    NullProgress quiet;
    const CityManifest m = WriteCity(o, quiet);
    ASSERT_EQ(m.lsoa_codes.size(), 1u);
    EXPECT_EQ(m.lsoa_codes[0], "E01900001");
    EXPECT_EQ(m.hotspot_lsoas, m.lsoa_codes); // the hotspot cannot grow beyond the only LSOA
    EXPECT_EQ(m.outbreak_borough, "E09900001");
    EXPECT_GT(m.police_rows, 0u);
    EXPECT_EQ(ReadCsv(scratch / "one" / "population.csv").rows.size(), 36u);
}

TEST(SynthCityOptions, ZeroRatesWriteHeaderOnlyFiles) {
    test::ScratchDir scratch("synth-zero");
    CityOptions o = TestOptions(scratch / "zero", 3);
    o.violence_rate_scale = 0;
    o.police_rate_scale = 0;
    NullProgress quiet;
    const CityManifest m = WriteCity(o, quiet);
    EXPECT_EQ(m.police_rows, 0u);
    EXPECT_EQ(m.ae_rows, 0u);
    EXPECT_EQ(m.ambulance_rows, 0u);
    EXPECT_EQ(m.incidents, 0u);
    EXPECT_TRUE(ReadCsv(scratch / "zero" / "ae.csv").rows.empty());
    EXPECT_TRUE(ReadCsv(scratch / "zero" / "police" / "2021-03-synth-street.csv").rows.empty());
    for (const auto& c : m.violence_by_borough_year) EXPECT_EQ(c.records, 0u);
}

} // namespace
} // namespace vigil::synth
