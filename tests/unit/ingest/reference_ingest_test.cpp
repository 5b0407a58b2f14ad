// IngestAreas / IngestPopulation / IngestDeprivation on the real London files (checked against numbers the
// tests read from the files themselves) and on small planted files for every reject and error path.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <sstream>
#include <tuple>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "test_support.hpp"
#include "vigil/core/error.hpp"
#include "vigil/ingest/ingest.hpp"
#include "vigil/store/store.hpp"

namespace vigil::ingest {
namespace {

using vigil::test::ScratchDir;
using vigil::test::SharedDir;
namespace fs = std::filesystem;

const char* const kBoroughJson = "data/boundaries/geojson_wgs84/London_Borough_Excluding_MHW.geojson";
const char* const kLsoaJson = "data/boundaries/geojson_wgs84/london-2011-lsoa-gen20.geojson";
const char* const kLsoaShp = "data/boundaries/lsoa2011_gen20/london-2011-lsoa-gen20.shp";
const char* const kTs007a = "data/census2021/census2021-ts007a-lsoa.csv";
const char* const kMid2019 = "data/population/london_lsoa11_mid2019_pop_ageband.csv";
const char* const kBoroughPop = "data/population/london_borough_pop_2011_2022.csv";
const char* const kBoroughPop2324 = "data/population/london_borough_pop_2023_2024.csv";
const char* const kImd = "data/deprivation/IMD2019forLondon.csv";

std::string Shared(const char* rel) {
    return (SharedDir() / rel).string();
}

std::string WriteFile(const fs::path& p, const std::string& text) {
    std::ofstream out(p, std::ios::binary);
    out << text;
    return p.string();
}

ErrorKind KindOf(const std::function<void()>& f, std::string* message = nullptr) {
    try {
        f();
    } catch (const Error& e) {
        if (message != nullptr)
            *message = e.what();
        return e.kind();
    }
    ADD_FAILURE() << "expected vigil::Error";
    return ErrorKind::kInternal;
}

void ExpectReconciles(const IngestResult& r) {
    const auto& s = r.stats;
    EXPECT_EQ(s.rows_read, s.accepted + s.updated + s.duplicates + s.rejected) << r.path;
}

// Splits a CSV line without quoted fields (the tests only split lines they know have none).
std::vector<std::string> SplitPlain(const std::string& line) {
    std::vector<std::string> out;
    std::stringstream ss(line);
    std::string part;
    while (std::getline(ss, part, ','))
        out.push_back(part);
    if (!line.empty() && line.back() == ',')
        out.emplace_back();
    return out;
}

// The lines of a text file, with a UTF-8 byte-order mark and CR removed.
std::vector<std::string> Lines(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::vector<std::string> out;
    std::string line;
    while (std::getline(in, line)) {
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        if (out.empty() && line.rfind("\xEF\xBB\xBF", 0) == 0)
            line.erase(0, 3);
        if (!line.empty())
            out.push_back(line);
    }
    return out;
}

// code -> property value for every feature of a GeoJSON file, read independently of GDAL.
std::map<std::string, std::string> GeoJsonProperty(const std::string& path, const std::string& code_field,
                                                   const std::string& field) {
    std::ifstream in(path);
    nlohmann::json doc = nlohmann::json::parse(in);
    std::map<std::string, std::string> out;
    for (const auto& f : doc.at("features"))
        out[f.at("properties").at(code_field).get<std::string>()] =
            f.at("properties").at(field).get<std::string>();
    return out;
}

std::size_t GeoJsonFeatureCount(const std::string& path) {
    std::ifstream in(path);
    return nlohmann::json::parse(in).at("features").size();
}

class ReferenceIngest : public ::testing::Test {
  protected:
    ReferenceIngest()
        : dir_("reference-ingest"), store_(store::OpenSqliteStore((dir_ / "store.db").string())) {}

    IngestResult Areas(const std::string& path, const std::string& level,
                       const std::string& parent_field = "") {
        AreaIngestOptions o;
        o.level = level;
        o.parent_field = parent_field;
        return IngestAreas(*store_, path, o, progress_);
    }
    IngestResult Population(const std::string& path, bool force = false) {
        IngestOptions o;
        o.force = force;
        return IngestPopulation(*store_, path, o, progress_);
    }
    IngestResult Deprivation(const std::string& path, bool force = false) {
        IngestOptions o;
        o.force = force;
        return IngestDeprivation(*store_, path, o, progress_);
    }
    // (lsoa, level) -> lookup
    std::map<std::pair<std::string, std::string>, store::AreaLookup> Lookups() {
        std::map<std::pair<std::string, std::string>, store::AreaLookup> out;
        for (const auto& l : store_->AreaLookups())
            out[{l.lsoa_code, l.level}] = l;
        return out;
    }
    std::map<std::int64_t, store::RejectRecord> RejectsByLine(std::int64_t batch_id) {
        std::map<std::int64_t, store::RejectRecord> out;
        for (const auto& r : store_->Rejects(batch_id, 1000))
            out[r.line] = r;
        return out;
    }

    ScratchDir dir_;
    std::unique_ptr<store::Store> store_;
    NullProgress progress_;
};

// A square polygon feature in British National Grid.
std::string Square(const std::string& props, double x0, double y0, double side) {
    std::ostringstream s;
    s << R"({"type":"Feature","properties":)" << props << R"(,"geometry":{"type":"Polygon","coordinates":[[)"
      << "[" << x0 << "," << y0 << "],[" << x0 + side << "," << y0 << "],[" << x0 + side << "," << y0 + side
      << "],[" << x0 << "," << y0 + side << "],[" << x0 << "," << y0 << "]]]}}";
    return s.str();
}

std::string BngCollection(const std::vector<std::string>& features) {
    std::string out = R"({"type":"FeatureCollection","crs":{"type":"name","properties":{"name":)"
                      R"("urn:ogc:def:crs:EPSG::27700"}},"features":[)";
    for (std::size_t i = 0; i < features.size(); ++i)
        out += (i ? "," : "") + features[i];
    return out + "]}";
}

// ------------------------------------------------------------------------------------------------ areas

TEST_F(ReferenceIngest, AreaLevelMustBeKnown) {
    std::string msg;
    EXPECT_EQ(KindOf([&] { Areas(Shared(kBoroughJson), "county"); }, &msg), ErrorKind::kInvalidInput);
    EXPECT_NE(msg.find("county"), std::string::npos);
    EXPECT_EQ(KindOf([&] { Areas(Shared(kBoroughJson), ""); }), ErrorKind::kInvalidInput);
}

TEST_F(ReferenceIngest, BoroughsThenLsoasGetCentroidBoroughLookups) {
    VIGIL_REQUIRE_SHARED(kBoroughJson);
    VIGIL_REQUIRE_SHARED(kLsoaJson);
    const IngestResult boroughs = Areas(Shared(kBoroughJson), "borough");
    EXPECT_FALSE(boroughs.skipped);
    EXPECT_EQ(boroughs.source, "areas:borough");
    EXPECT_EQ(boroughs.profile, "areas:borough");
    EXPECT_EQ(boroughs.stats.rows_read, 33);
    EXPECT_EQ(boroughs.stats.accepted, 33);
    EXPECT_EQ(store_->Areas("borough", false).size(), 33u);

    // The LSOAs' MSOA is the parent here, so their borough can only come from the centroid test.
    const std::string lsoa_path = Shared(kLsoaJson);
    const auto lad = GeoJsonProperty(lsoa_path, "LSOA11CD", "LAD11CD");
    const auto msoa = GeoJsonProperty(lsoa_path, "LSOA11CD", "MSOA11CD");
    const std::size_t n = GeoJsonFeatureCount(lsoa_path);
    ASSERT_EQ(lad.size(), n);
    const IngestResult lsoas = Areas(lsoa_path, "lsoa", "MSOA11CD");
    ExpectReconciles(lsoas);
    EXPECT_EQ(lsoas.stats.rows_read, static_cast<std::int64_t>(n));
    EXPECT_EQ(lsoas.stats.accepted, static_cast<std::int64_t>(n));
    EXPECT_EQ(store_->Areas("lsoa", false).size(), n);

    const auto lookups = Lookups();
    std::size_t borough_match = 0, msoa_match = 0;
    for (const auto& [code, lad_code] : lad) {
        auto it = lookups.find({code, "borough"});
        if (it != lookups.end()) {
            EXPECT_EQ(it->second.method, "centroid");
            borough_match += it->second.code == lad_code ? 1 : 0;
        }
        auto jt = lookups.find({code, "msoa"});
        if (jt != lookups.end()) {
            EXPECT_EQ(jt->second.method, "attribute");
            msoa_match += jt->second.code == msoa.at(code) ? 1 : 0;
        }
    }
    EXPECT_GE(static_cast<double>(borough_match), 0.99 * static_cast<double>(n));
    EXPECT_EQ(msoa_match, n);
    auto notes = nlohmann::json::parse(lsoas.notes);
    EXPECT_EQ(notes["parent_field"], "MSOA11CD");
    EXPECT_EQ(notes["lookups"]["msoa"]["attribute"], static_cast<std::int64_t>(n));

    // The same file again changes nothing.
    const IngestResult again = Areas(lsoa_path, "lsoa", "MSOA11CD");
    EXPECT_TRUE(again.skipped);
    EXPECT_EQ(again.skipped_as, lsoas.batch_id);
    EXPECT_EQ(store_->Batches().size(), 2u);
}

TEST_F(ReferenceIngest, LsoaShapefileThenBoroughsKeepsAttributeLookups) {
    VIGIL_REQUIRE_SHARED(kLsoaShp);
    VIGIL_REQUIRE_SHARED(kLsoaJson);
    VIGIL_REQUIRE_SHARED(kBoroughJson);
    const auto lad = GeoJsonProperty(Shared(kLsoaJson), "LSOA11CD", "LAD11CD");
    const IngestResult lsoas = Areas(Shared(kLsoaShp), "lsoa"); // parent auto-detected: LAD11CD
    ExpectReconciles(lsoas);
    EXPECT_EQ(lsoas.stats.accepted, static_cast<std::int64_t>(lad.size()));
    auto lookups = Lookups();
    EXPECT_EQ(lookups.size(), lad.size()); // borough only: no higher level loaded yet
    for (const auto& [code, lad_code] : lad) {
        auto it = lookups.find({code, "borough"});
        ASSERT_NE(it, lookups.end()) << code;
        EXPECT_EQ(it->second.code, lad_code);
        EXPECT_EQ(it->second.method, "attribute");
    }
    // Loading the boroughs afterwards derives centroid lookups but keeps what the LSOA file said.
    const IngestResult boroughs = Areas(Shared(kBoroughJson), "borough");
    auto notes = nlohmann::json::parse(boroughs.notes);
    EXPECT_EQ(notes["lookups"]["borough"]["centroid"], 0);
    EXPECT_GE(notes["lookups"]["borough"]["attribute_kept"].get<double>(),
              0.99 * static_cast<double>(lad.size()));
    lookups = Lookups();
    for (const auto& [code, lad_code] : lad)
        EXPECT_EQ(lookups.at({code, "borough"}).method, "attribute");
}

TEST_F(ReferenceIngest, PlantedAreasSkippedFeaturesAreRejectsAndLookupsFollowTheRules) {
    // Two boroughs side by side: west [0,1000) and east [1000,2000).
    const std::string boroughs =
        WriteFile(dir_ / "boroughs.geojson",
                  BngCollection({Square(R"({"GSS_CODE":"E09000001","NAME":"West"})", 0, 0, 1000),
                                 Square(R"({"GSS_CODE":"E09000002","NAME":"East"})", 1000, 0, 1000)}));
    const IngestResult b = Areas(boroughs, "borough");
    EXPECT_EQ(b.stats.accepted, 2);

    // Feature ids 0..5: good (parent E02: an MSOA), empty code, duplicate of 0, a point, good in the west but
    // attributed to the east borough, good with a parent code of unknown level.
    const std::string lsoa = WriteFile(
        dir_ / "lsoas.geojson",
        BngCollection({Square(R"({"LSOA11CD":"E01000001","parent_code":"E02000001"})", 100, 100, 100),
                       Square(R"({"LSOA11CD":"","parent_code":"E09000001"})", 100, 300, 100),
                       Square(R"({"LSOA11CD":"E01000001","parent_code":"E02000001"})", 1100, 100, 100),
                       R"({"type":"Feature","properties":{"LSOA11CD":"E01000004","parent_code":""},)"
                       R"("geometry":{"type":"Point","coordinates":[500,500]}})",
                       Square(R"({"LSOA11CD":"E01000005","parent_code":"E09000002"})", 300, 300, 100),
                       Square(R"({"LSOA11CD":"E01000006","parent_code":"Q99"})", 1500, 500, 100)}));
    const IngestResult r = Areas(lsoa, "lsoa");
    ExpectReconciles(r);
    EXPECT_EQ(r.stats.rows_read, 6);
    EXPECT_EQ(r.stats.accepted, 3);
    EXPECT_EQ(r.stats.rejected, 3);
    auto rejects = RejectsByLine(r.batch_id);
    ASSERT_EQ(rejects.size(), 3u);
    EXPECT_NE(rejects.at(1).reason.find("empty"), std::string::npos);
    EXPECT_EQ(rejects.at(2).value, "E01000001");
    EXPECT_NE(rejects.at(2).reason.find("duplicate"), std::string::npos);
    EXPECT_EQ(rejects.at(3).value, "E01000004");
    EXPECT_NE(rejects.at(3).reason.find("not a polygon"), std::string::npos);
    auto notes = nlohmann::json::parse(r.notes);
    EXPECT_EQ(notes["warnings"].size(), 3u);
    EXPECT_EQ(notes["parent_codes_of_unknown_level"], 1);

    const auto lookups = Lookups();
    EXPECT_EQ(lookups.at({"E01000001", "msoa"}).code, "E02000001");
    EXPECT_EQ(lookups.at({"E01000001", "msoa"}).method, "attribute");
    EXPECT_EQ(lookups.at({"E01000001", "borough"}).code, "E09000001"); // by centroid
    EXPECT_EQ(lookups.at({"E01000001", "borough"}).method, "centroid");
    EXPECT_EQ(lookups.at({"E01000005", "borough"}).code, "E09000002"); // the file's word beats geometry
    EXPECT_EQ(lookups.at({"E01000005", "borough"}).method, "attribute");
    EXPECT_EQ(lookups.at({"E01000006", "borough"}).code, "E09000002");
    EXPECT_EQ(lookups.at({"E01000006", "borough"}).method, "centroid");
    EXPECT_EQ(lookups.count({"E01000006", "msoa"}), 0u);
    EXPECT_EQ(lookups.size(), 4u);
}

TEST_F(ReferenceIngest, ChangedAreaIsAnUpdate) {
    const std::string v1 = WriteFile(
        dir_ / "v1.geojson", BngCollection({Square(R"({"GSS_CODE":"E09000001","NAME":"A"})", 0, 0, 10),
                                            Square(R"({"GSS_CODE":"E09000002","NAME":"B"})", 10, 0, 10)}));
    const std::string v2 = WriteFile(
        dir_ / "v2.geojson", BngCollection({Square(R"({"GSS_CODE":"E09000001","NAME":"A"})", 0, 0, 10),
                                            Square(R"({"GSS_CODE":"E09000002","NAME":"B"})", 10, 0, 20),
                                            Square(R"({"GSS_CODE":"E09000003","NAME":"C"})", 40, 0, 5)}));
    EXPECT_EQ(Areas(v1, "borough").stats.accepted, 2);
    const IngestResult r = Areas(v2, "borough");
    EXPECT_EQ(r.stats.duplicates, 1);
    EXPECT_EQ(r.stats.updated, 1);
    EXPECT_EQ(r.stats.accepted, 1);
    auto areas = store_->Areas("borough", false);
    ASSERT_EQ(areas.size(), 3u);
    EXPECT_DOUBLE_EQ(areas[1].area_m2, 400.0);
    EXPECT_DOUBLE_EQ(areas[1].centroid_x, 20.0);
}

// ------------------------------------------------------------------------------------------------ population

TEST_F(ReferenceIngest, Census2021AgeFileGivesEveryBand) {
    VIGIL_REQUIRE_SHARED(kTs007a);
    const std::string path = Shared(kTs007a);
    const auto lines = Lines(path);
    ASSERT_GT(lines.size(), 1u);
    const auto header = SplitPlain(lines[0]);
    std::vector<std::string> e01000001;
    for (const auto& l : lines)
        if (l.find(",E01000001,") != std::string::npos)
            e01000001 = SplitPlain(l);
    ASSERT_EQ(e01000001.size(), header.size());

    const IngestResult r = Population(path); // the whole of England and Wales: about 680,000 records
    ExpectReconciles(r);
    EXPECT_EQ(r.stats.rows_read, static_cast<std::int64_t>(lines.size() - 1));
    EXPECT_EQ(r.stats.accepted, r.stats.rows_read);
    EXPECT_EQ(r.profile, "population:census2021_age");

    std::map<std::pair<int, int>, double> bands; // (lo, hi) -> population of E01000001
    const auto pop = store_->Population();
    EXPECT_EQ(pop.size(), (lines.size() - 1) * (header.size() - 3));
    for (const auto& p : pop)
        if (p.area_code == "E01000001") {
            EXPECT_EQ(p.year, 2021);
            EXPECT_EQ(p.sex, 0);
            bands[{p.age_lo, p.age_hi}] = p.population;
        }
    ASSERT_EQ(bands.size(), 19u);
    EXPECT_EQ(bands.at({0, store::kOpenAge}), std::stod(e01000001[3])); // Age: Total
    EXPECT_EQ(bands.at({0, 4}), std::stod(e01000001[4]));               // Aged 4 years and under
    EXPECT_EQ(bands.at({20, 24}), std::stod(e01000001[8]));
    EXPECT_EQ(bands.at({85, store::kOpenAge}), std::stod(e01000001[21])); // Aged 85 years and over
    double sum = 0;
    for (const auto& [band, v] : bands)
        if (band != std::make_pair(0, store::kOpenAge))
            sum += v;
    EXPECT_EQ(sum, bands.at({0, store::kOpenAge}));
}

TEST_F(ReferenceIngest, MidYearLsoaFileTakesItsYearFromTheName) {
    VIGIL_REQUIRE_SHARED(kMid2019);
    const std::string path = Shared(kMid2019);
    const auto lines = Lines(path);
    const auto header = SplitPlain(lines[0]);
    const auto all_col = std::find(header.begin(), header.end(), "Persons_All-Ages") - header.begin();
    double file_total = 0;
    for (std::size_t i = 1; i < lines.size(); ++i)
        file_total += std::stod(SplitPlain(lines[i])[all_col]);

    const IngestResult r = Population(path);
    ExpectReconciles(r);
    EXPECT_EQ(r.stats.rows_read, static_cast<std::int64_t>(lines.size() - 1));
    EXPECT_EQ(r.stats.accepted, 4835);
    double stored_total = 0;
    std::size_t records = 0;
    for (const auto& p : store_->Population()) {
        EXPECT_EQ(p.year, 2019);
        ++records;
        if (p.sex == 0 && p.age_lo == 0 && p.age_hi == store::kOpenAge)
            stored_total += p.population;
    }
    EXPECT_EQ(stored_total, file_total);
    EXPECT_EQ(records, 4835u * 18u);
    auto notes = nlohmann::json::parse(r.notes);
    EXPECT_EQ(notes["year_from_file_name"], 2019);
    EXPECT_FALSE(notes.contains("rows_bands_not_summing_to_total"));

    // Without midYYYY in the name the year is unknown.
    fs::copy_file(path, dir_ / "lsoa_pop_ageband.csv");
    std::string msg;
    EXPECT_EQ(KindOf([&] { Population((dir_ / "lsoa_pop_ageband.csv").string()); }, &msg),
              ErrorKind::kInvalidInput);
    EXPECT_NE(msg.find("midYYYY"), std::string::npos);
}

TEST_F(ReferenceIngest, BoroughTotalsOneRecordPerYear) {
    VIGIL_REQUIRE_SHARED(kBoroughPop);
    VIGIL_REQUIRE_SHARED(kBoroughPop2324);
    const auto lines = Lines(Shared(kBoroughPop));
    std::vector<std::string> westminster;
    for (const auto& l : lines)
        if (l.rfind("E09000033,", 0) == 0)
            westminster = SplitPlain(l);
    ASSERT_EQ(westminster.size(), 15u);

    const IngestResult r = Population(Shared(kBoroughPop));
    ExpectReconciles(r);
    EXPECT_EQ(r.stats.rows_read, 33);
    EXPECT_EQ(r.stats.accepted, 33);
    auto notes = nlohmann::json::parse(r.notes);
    EXPECT_EQ(notes["byte_order_mark"], true);
    EXPECT_EQ(notes["columns_not_used"].size(), 2u);
    auto pop = store_->Population();
    EXPECT_EQ(pop.size(), 33u * 12u);
    std::set<int> years;
    for (const auto& p : pop) {
        years.insert(p.year);
        EXPECT_EQ(p.sex, 0);
        EXPECT_EQ(p.age_lo, 0);
        EXPECT_EQ(p.age_hi, store::kOpenAge);
        if (p.area_code == "E09000033") {
            EXPECT_EQ(p.population, std::stod(westminster[static_cast<std::size_t>(3 + (p.year - 2011))]));
        }
    }
    EXPECT_EQ(years.size(), 12u);
    EXPECT_EQ(*years.begin(), 2011);
    EXPECT_EQ(*years.rbegin(), 2022);

    EXPECT_EQ(Population(Shared(kBoroughPop2324)).stats.accepted, 33);
    EXPECT_EQ(store_->Population().size(), 33u * 14u);
    // Forced re-read: every row is a duplicate.
    const IngestResult again = Population(Shared(kBoroughPop), true);
    EXPECT_EQ(again.stats.duplicates, 33);
    EXPECT_TRUE(Population(Shared(kBoroughPop)).skipped);
}

TEST_F(ReferenceIngest, WideRowIsAcceptedIfAnyRecordIsNewUpdatedIfAnyChanged) {
    const std::string a = WriteFile(dir_ / "a.csv", "Code,Area name,2011_Population\n"
                                                    "E09000001,City,7412\nE09000002,Barking,100\n");
    const std::string b = WriteFile(dir_ / "b.csv", "Code,Area name,2011_Population,2012_Population\n"
                                                    "E09000001,City,7412,7204\n" // one new record
                                                    "E09000002,Barking,101,\n"   // changed; blank cell
                                                    "E09000003,Barnet,\"1,234\",\"356,386\"\n");
    EXPECT_EQ(Population(a).stats.accepted, 2);
    const IngestResult r = Population(b);
    ExpectReconciles(r);
    EXPECT_EQ(r.stats.accepted, 2);
    EXPECT_EQ(r.stats.updated, 1);
    EXPECT_EQ(nlohmann::json::parse(r.notes)["blank_cells"], 1);
    std::map<std::pair<std::string, int>, double> pop;
    for (const auto& p : store_->Population())
        pop[{p.area_code, p.year}] = p.population;
    EXPECT_EQ(pop.size(), 5u);
    EXPECT_EQ(pop.at({"E09000002", 2011}), 101);
    EXPECT_EQ(pop.at({"E09000003", 2011}), 1234);
    EXPECT_EQ(pop.at({"E09000003", 2012}), 356386);
}

TEST_F(ReferenceIngest, BadPopulationRowsAreRejectedNamingTheColumn) {
    const std::string path = WriteFile(dir_ / "pop.csv",
                                       "\xEF\xBB\xBF"
                                       "area_code,year,sex,age_band,population\r\n"
                                       "E01000001,2021,all,all,1500\r\n"           // 2 accepted
                                       "E01000001,2021,male,15-19,-3\r\n"          // 3 negative
                                       "E01000001,2021,female,15-19,abc\r\n"       // 4 not a number
                                       "E01000001,2021,female,20-24,\"1,234\"\r\n" // 5 accepted: 1234
                                       "E01000001,2021,female,85+,0\r\n"           // 6 accepted: zero is fine
                                       "E01000001,2021,female,25-29,\r\n"          // 7 blank
                                       "E01000001,2021,unknown,all,5\r\n"          // 8 bad sex
                                       "E01000001,2021,all,19-15,5\r\n"            // 9 bad band
                                       "E01000001,1850,all,all,5\r\n"              // 10 bad year
                                       "E0100000X,2021,all,all,5\r\n"              // 11 bad code
                                       "E01000001,2021,all,all\r\n"                // 12 short row
                                       "E01000001,2021,all,0-4,1e12\r\n"           // 13 huge
                                       "E01000001,2021,all,5-9,\"1,5\"\r\n"        // 14 ambiguous separator
                                       "E01000001,2021,all,all,1500\r\n");         // 15 duplicate of 2
    const IngestResult r = Population(path);
    ExpectReconciles(r);
    EXPECT_EQ(r.stats.rows_read, 14);
    EXPECT_EQ(r.stats.accepted, 3);
    EXPECT_EQ(r.stats.duplicates, 1);
    EXPECT_EQ(r.stats.rejected, 10);
    auto rejects = RejectsByLine(r.batch_id);
    ASSERT_EQ(rejects.size(), 10u);
    EXPECT_EQ(rejects.at(3).column, "population");
    EXPECT_EQ(rejects.at(3).value, "-3");
    EXPECT_NE(rejects.at(3).reason.find("negative"), std::string::npos);
    EXPECT_EQ(rejects.at(4).column, "population");
    EXPECT_EQ(rejects.at(4).value, "abc");
    EXPECT_NE(rejects.at(4).reason.find("not a number"), std::string::npos);
    EXPECT_EQ(rejects.at(7).column, "population");
    EXPECT_EQ(rejects.at(8).column, "sex");
    EXPECT_EQ(rejects.at(9).column, "age_band");
    EXPECT_EQ(rejects.at(10).column, "year");
    EXPECT_EQ(rejects.at(11).column, "area_code");
    EXPECT_NE(rejects.at(12).reason.find("wrong number of fields"), std::string::npos);
    EXPECT_EQ(rejects.at(13).column, "population");
    EXPECT_EQ(rejects.at(14).value, "1,5");
    std::map<std::pair<int, int>, double> stored;
    for (const auto& p : store_->Population())
        stored[{p.sex, p.age_lo}] = p.population;
    EXPECT_EQ(stored.size(), 3u);
    EXPECT_EQ(stored.at({2, 20}), 1234);
    EXPECT_EQ(stored.at({2, 85}), 0);
    const auto batches = store_->Batches();
    ASSERT_EQ(batches.size(), 1u);
    EXPECT_EQ(batches[0].stats.rejected, 10);
}

TEST_F(ReferenceIngest, CensusRowWithBadCellIsRejectedNamingIt) {
    const std::string path =
        WriteFile(dir_ / "ts007a.csv", "date,geography,geography code,Age: Total,Age: Aged 4 years and under,"
                                       "Age: Aged 5 years and over\n"
                                       "2021,A,E01000001,10,4,6\n"
                                       "2021,B,E01000002,10,x,6\n"
                                       "2021-03-21,C,E01000003,10,4,5\n"
                                       "21,D,E01000004,10,4,6\n");
    const IngestResult r = Population(path);
    ExpectReconciles(r);
    EXPECT_EQ(r.stats.accepted, 2);
    EXPECT_EQ(r.stats.rejected, 2);
    auto rejects = RejectsByLine(r.batch_id);
    EXPECT_EQ(rejects.at(3).column, "Age: Aged 4 years and under");
    EXPECT_EQ(rejects.at(5).column, "date");
    EXPECT_EQ(nlohmann::json::parse(r.notes)["rows_bands_not_summing_to_total"], 1);
    std::set<std::pair<int, int>> bands;
    for (const auto& p : store_->Population())
        bands.insert({p.age_lo, p.age_hi});
    EXPECT_EQ(bands, (std::set<std::pair<int, int>>{{0, store::kOpenAge}, {0, 4}, {5, store::kOpenAge}}));
}

TEST_F(ReferenceIngest, SingleYearCensusLabelsAndMidYearNameVariants) {
    const std::string ts007 =
        WriteFile(dir_ / "ts007.csv", "date,geography,geography code,Age: Total,Age: Aged under 1 year,"
                                      "Age: Aged 1 year,Age: Aged 2 years,Age: Aged 3 to 99 years,"
                                      "Age: Aged 100 years and over\n"
                                      "2021,A,W01000001,15,1,2,3,4,5\n");
    EXPECT_EQ(Population(ts007).stats.accepted, 1);
    std::map<std::pair<int, int>, double> bands;
    for (const auto& p : store_->Population())
        bands[{p.age_lo, p.age_hi}] = p.population;
    EXPECT_EQ(bands, (std::map<std::pair<int, int>, double>{{{0, store::kOpenAge}, 15},
                                                            {{0, 0}, 1},
                                                            {{1, 1}, 2},
                                                            {{2, 2}, 3},
                                                            {{3, 99}, 4},
                                                            {{100, store::kOpenAge}, 5}}));

    const std::string mid = WriteFile(dir_ / "LSOA_MID-2020_estimates.csv",
                                      "LSOA21CD,Persons_All-Ages,Males_0-15,Females_90+,Notes\n"
                                      "E01000001,100,20,3,x\n");
    const IngestResult r = Population(mid);
    EXPECT_EQ(r.stats.accepted, 1);
    EXPECT_EQ(nlohmann::json::parse(r.notes)["columns_not_used"], nlohmann::json::array({"Notes"}));
    std::set<std::tuple<int, int, int, int, double>> got;
    for (const auto& p : store_->Population())
        if (p.year == 2020)
            got.insert({p.sex, p.age_lo, p.age_hi, p.year, p.population});
    EXPECT_EQ(got, (std::set<std::tuple<int, int, int, int, double>>{{0, 0, store::kOpenAge, 2020, 100},
                                                                     {1, 0, 15, 2020, 20},
                                                                     {2, 90, store::kOpenAge, 2020, 3}}));
    const std::string bad_band = WriteFile(dir_ / "mid2020_bad.csv", "LSOA11CD,Persons_young\n");
    std::string msg;
    EXPECT_EQ(KindOf([&] { Population(bad_band); }, &msg), ErrorKind::kData);
    EXPECT_NE(msg.find("Persons_young"), std::string::npos);
}

TEST_F(ReferenceIngest, WrongOrEmptyPopulationFilesAreDataErrors) {
    std::string msg;
    const std::string wrong =
        WriteFile(dir_ / "wrong.csv", "area_code,yr,sex,age,population\nE01000001,2021,all,all,1\n");
    EXPECT_EQ(KindOf([&] { Population(wrong); }, &msg), ErrorKind::kData);
    EXPECT_NE(msg.find("year"), std::string::npos);
    EXPECT_NE(msg.find("age_band"), std::string::npos);
    const std::string other = WriteFile(dir_ / "other.csv", "foo,bar\n1,2\n");
    EXPECT_EQ(KindOf([&] { Population(other); }, &msg), ErrorKind::kData);
    EXPECT_NE(msg.find("area_code"), std::string::npos);
    const std::string empty = WriteFile(dir_ / "empty.csv", "");
    EXPECT_EQ(KindOf([&] { Population(empty); }), ErrorKind::kData);
    const std::string bad_age =
        WriteFile(dir_ / "bad_age.csv", "date,geography,geography code,Age: Teenagers\n");
    EXPECT_EQ(KindOf([&] { Population(bad_age); }, &msg), ErrorKind::kData);
    EXPECT_NE(msg.find("Age: Teenagers"), std::string::npos);
    EXPECT_TRUE(store_->Batches().empty());

    const std::string header_only =
        WriteFile(dir_ / "header_only.csv", "area_code,year,sex,age_band,population\n");
    const IngestResult r = Population(header_only);
    EXPECT_EQ(r.stats.rows_read, 0);
    EXPECT_TRUE(store_->Population().empty());
}

// ------------------------------------------------------------------------------------------------
// deprivation

TEST_F(ReferenceIngest, Iod2019AsPublished) {
    VIGIL_REQUIRE_SHARED(kImd);
    const auto lines = Lines(Shared(kImd));
    const IngestResult r = Deprivation(Shared(kImd));
    ExpectReconciles(r);
    EXPECT_EQ(r.stats.rows_read, static_cast<std::int64_t>(lines.size() - 1));
    EXPECT_EQ(r.stats.accepted, 4835);
    EXPECT_EQ(r.profile, "deprivation:iod2019");
    const auto dep = store_->Deprivation();
    ASSERT_EQ(dep.size(), 4835u);
    std::map<int, int> deciles;
    for (const auto& d : dep) {
        EXPECT_EQ(d.edition, "IoD2019");
        ASSERT_TRUE(d.imd_decile.has_value());
        ASSERT_TRUE(d.imd_rank.has_value());
        ASSERT_TRUE(d.imd_score.has_value());
        ++deciles[*d.imd_decile];
        if (d.lsoa_code == "E01000001") {
            const auto row = SplitPlain(lines[1]);
            ASSERT_EQ(row[0], "E01000001");
            EXPECT_EQ(*d.imd_score, std::stod(row[4]));
            EXPECT_EQ(*d.imd_rank, std::stoll(row[5]));
            EXPECT_EQ(*d.imd_decile, std::stoi(row[6]));
        }
    }
    EXPECT_EQ(deciles.size(), 10u);
    EXPECT_EQ(deciles.begin()->first, 1);
    EXPECT_EQ(deciles.rbegin()->first, 10);
}

TEST_F(ReferenceIngest, PlainDeprivationRejectsAndUpdates) {
    const std::string v1 = WriteFile(dir_ / "imd1.csv", "lsoa_code,imd_score,imd_rank,imd_decile,edition\n"
                                                        "E01000001,6.2,29199,9,IoD2015\n"
                                                        "E01000002,n/a,30379,10,IoD2015\n"
                                                        "E01000003,5.1,30379,11,IoD2015\n"
                                                        "E01000004,5.1,30379,0,IoD2015\n"
                                                        "E01000005,,,,IoD2015\n"
                                                        "E01000006,3,0,5,IoD2015\n"
                                                        "E01000007,3,100,5,\n"
                                                        "E01000008,,12,,IoD2015\n");
    const IngestResult r = Deprivation(v1);
    ExpectReconciles(r);
    EXPECT_EQ(r.stats.accepted, 2);
    EXPECT_EQ(r.stats.rejected, 6);
    auto rejects = RejectsByLine(r.batch_id);
    EXPECT_EQ(rejects.at(3).column, "imd_score");
    EXPECT_EQ(rejects.at(4).column, "imd_decile");
    EXPECT_EQ(rejects.at(4).value, "11");
    EXPECT_EQ(rejects.at(5).column, "imd_decile");
    EXPECT_EQ(rejects.at(7).column, "imd_rank");
    EXPECT_EQ(rejects.at(8).column, "edition");
    const std::string v2 = WriteFile(dir_ / "imd2.csv", "lsoa_code,imd_score,imd_rank,imd_decile\n"
                                                        "E01000001,6.2,29199,9\n"
                                                        "E01000001,6.2,29199,9\n");
    const IngestResult r2 = Deprivation(v2);
    EXPECT_EQ(r2.stats.accepted, 1); // the default edition is another key
    EXPECT_EQ(r2.stats.duplicates, 1);
    const std::string v3 = WriteFile(dir_ / "imd3.csv", "lsoa_code,imd_score,imd_rank,imd_decile\n"
                                                        "E01000001,6.3,29199,9\n");
    EXPECT_EQ(Deprivation(v3).stats.updated, 1);
    std::map<std::pair<std::string, std::string>, store::DeprivationRecord> dep;
    for (const auto& d : store_->Deprivation())
        dep[{d.lsoa_code, d.edition}] = d;
    EXPECT_EQ(dep.size(), 3u);
    EXPECT_EQ(*dep.at({"E01000001", "IoD2019"}).imd_score, 6.3);
    EXPECT_EQ(*dep.at({"E01000001", "IoD2015"}).imd_score, 6.2);
    EXPECT_FALSE(dep.at({"E01000008", "IoD2015"}).imd_score.has_value());
    EXPECT_EQ(*dep.at({"E01000008", "IoD2015"}).imd_rank, 12);

    std::string msg;
    const std::string wrong = WriteFile(dir_ / "imd_wrong.csv", "lsoa_code,score,imd_rank\n");
    EXPECT_EQ(KindOf([&] { Deprivation(wrong); }, &msg), ErrorKind::kData);
    EXPECT_NE(msg.find("imd_score"), std::string::npos);
    EXPECT_NE(msg.find("imd_decile"), std::string::npos);
}

} // namespace
} // namespace vigil::ingest
