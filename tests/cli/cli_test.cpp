// The vigil command line through vigil::cli::Run: help texts, exit codes (0 ok, 2 invalid input, 3 data error),
// the stable field lists of `batches` and `rejects`, and the messages of `rates` when a request cannot be
// answered (age bands, week on month-precision data, several sources), and GeoJSON output.
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli.hpp"
#include "test_support.hpp"

namespace vigil::cli {
namespace {

using vigil::test::ScratchDir;
namespace fs = std::filesystem;

struct Outcome {
    int code = -1;
    std::string out, err;
};

Outcome RunCli(const std::vector<std::string>& args) {
    std::ostringstream out, err;
    Outcome o;
    o.code = Run(args, out, err);
    o.out = out.str();
    o.err = err.str();
    return o;
}

std::string WriteFile(const fs::path& p, const std::string& text) {
    std::ofstream f(p, std::ios::binary);
    f << text;
    return p.string();
}

std::vector<std::string> Fields(const std::string& line) {
    std::vector<std::string> f;
    std::stringstream ss(line);
    std::string x;
    while (std::getline(ss, x, ',')) f.push_back(x);
    if (!line.empty() && line.back() == ',') f.emplace_back();
    return f;
}

std::string FirstLine(const std::string& text) { return text.substr(0, text.find('\n')); }

bool MentionsExample(const std::string& help) {
    return help.find("Example") != std::string::npos || help.find("example") != std::string::npos;
}

const std::vector<std::vector<std::string>> kCommandsWithExamples = {
    {},
    {"ingest", "police"},
    {"ingest", "ae"},
    {"ingest", "events"},
    {"ingest", "counts"},
    {"ingest", "areas"},
    {"ingest", "population"},
    {"ingest", "deprivation"},
    {"batches"},
    {"rejects"},
    {"rates"},
    {"alerts"},
    {"synth"},
    {"status"},
};

TEST(CliHelpTest, HelpOfEveryCommandExitsZeroAndMentionsAnExample) {
    for (auto args : kCommandsWithExamples) {
        std::string name = args.empty() ? "vigil" : args.back();
        args.push_back("--help");
        auto o = RunCli(args);
        EXPECT_EQ(o.code, 0) << name << ": " << o.err;
        EXPECT_TRUE(MentionsExample(o.out)) << name << " --help:\n" << o.out;
        if (args.size() > 1) {
            EXPECT_NE(o.out.find(args[args.size() - 2]), std::string::npos) << "help of " << name << " is its own";
        }
    }
}

TEST(CliHelpTest, HelpOfGroupAndUtilityCommandsMentionsAnExample) {
    for (std::vector<std::string> args : {std::vector<std::string>{"ingest", "--help"},
                                          std::vector<std::string>{"categories", "--help"},
                                          std::vector<std::string>{"demo", "--help"}}) {
        auto o = RunCli(args);
        EXPECT_EQ(o.code, 0);
        EXPECT_TRUE(MentionsExample(o.out)) << args[0] << " --help:\n" << o.out;
    }
}

TEST(CliHelpTest, HelpOfGroupAndUtilityCommandsExitsZero) {
    for (std::vector<std::string> args : {std::vector<std::string>{"ingest", "--help"},
                                          std::vector<std::string>{"categories", "--help"},
                                          std::vector<std::string>{"demo", "--help"}}) {
        auto o = RunCli(args);
        EXPECT_EQ(o.code, 0) << args[0];
        EXPECT_FALSE(o.out.empty()) << args[0];
    }
}

TEST(CliHelpTest, VersionExitsZero) {
    auto o = RunCli({"--version"});
    EXPECT_EQ(o.code, 0);
    EXPECT_NE(o.out.find("vigil"), std::string::npos);
}

TEST(CliArgsTest, UnknownOptionOrCommandExitsTwo) {
    for (std::vector<std::string> args :
         {std::vector<std::string>{"--bogus"}, std::vector<std::string>{"rates", "--bogus"},
          std::vector<std::string>{"frobnicate"}, std::vector<std::string>{},
          std::vector<std::string>{"rates", "--level", "county"}, std::vector<std::string>{"batches", "--format", "xml"}}) {
        auto o = RunCli(args);
        EXPECT_EQ(o.code, 2) << (args.empty() ? "(no arguments)" : args.back()) << ": " << o.err;
        EXPECT_FALSE(o.err.empty());
        EXPECT_EQ(o.err.find("terminate"), std::string::npos);
    }
}

TEST(CliArgsTest, MissingFileExitsTwo) {
    ScratchDir d("cli-missing");
    std::string missing = (d / "no-such-file.csv").string();
    auto o = RunCli({"--db", (d / "s.db").string(), "-q", "ingest", "police", missing});
    EXPECT_EQ(o.code, 2) << o.err;
    EXPECT_NE(o.err.find("no-such-file.csv"), std::string::npos) << o.err;
}

const char* const kPoliceHeader =
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,"
    "Last outcome category,Context\n";

// A store with boundaries for two LSOAs, their population in three age bands, a police.uk file (month
// precision) and an ambulance events file (day precision, with ages).
class CliStoreTest : public ::testing::Test {
protected:
    CliStoreTest() : dir_("cli-store"), db_((dir_ / "vigil.db").string()) {}

    void SetUp() override {
        std::string areas = WriteFile(dir_ / "lsoa.geojson", R"({"type": "FeatureCollection", "features": [
{"type": "Feature", "properties": {"code": "E01008162", "name": "Newcastle 001A"},
 "geometry": {"type": "Polygon", "coordinates": [[[-1.62, 54.97], [-1.60, 54.97], [-1.60, 54.99], [-1.62, 54.99], [-1.62, 54.97]]]}},
{"type": "Feature", "properties": {"code": "E01008163", "name": "Newcastle 001B"},
 "geometry": {"type": "Polygon", "coordinates": [[[-1.60, 54.97], [-1.58, 54.97], [-1.58, 54.99], [-1.60, 54.99], [-1.60, 54.97]]]}}
]})");
        Ok({"ingest", "areas", areas, "--level", "lsoa", "--code-field", "code", "--name-field", "name"});
        std::string pop = "area_code,year,sex,age_band,population\n";
        for (const char* lsoa : {"E01008162", "E01008163"})
            for (const char* band : {"0-15,300", "16-24,200", "25+,1000"})
                pop += std::string(lsoa) + ",2021,all," + band + "\n";
        Ok({"ingest", "population", WriteFile(dir_ / "pop.csv", pop)});
        police_ = WriteFile(dir_ / "police.csv",
                            std::string(kPoliceHeader) +
                                "c1,2024-03,N,N,-1.610000,54.980000,On or near A,E01008162,Newcastle 001A,"
                                "Violence and sexual offences,,\n"
                                "c2,2024-03,N,N,-1.590000,54.980000,On or near B,E01008163,Newcastle 001B,"
                                "Crimes of fashion,,\n"
                                ",2024-04,N,N,-1.590000,54.980000,On or near B,E01008163,Newcastle 001B,"
                                "Anti-social behaviour,,\n");
        Ok({"ingest", "police", police_});
        Ok({"ingest", "events",
            WriteFile(dir_ / "ambulance.csv",
                      "source,record_id,date,category,lsoa_code,victim_age,victim_sex\n"
                      "ambulance,X1,2024-03-05,violence_with_injury,E01008162,19,male\n"
                      "ambulance,X2,2024-03-19,violence_with_injury,E01008163,34,female\n"
                      "ambulance,X3,2024-04-02,violence_with_injury,E01008163,,\n")});
    }

    Outcome Cli(std::vector<std::string> args) {
        args.insert(args.begin(), {"--db", db_, "-q"});
        return RunCli(args);
    }
    void Ok(const std::vector<std::string>& args) {
        auto o = Cli(args);
        ASSERT_EQ(o.code, 0) << args[0] << " " << args[1] << ": " << o.err;
    }

    ScratchDir dir_;
    std::string db_;
    std::string police_;
};

TEST_F(CliStoreTest, WrongHeaderExitsThreeNamingTheMissingColumn) {
    std::string bad = WriteFile(dir_ / "bad.csv", "Crime ID,Month,Longitude,Latitude,LSOA code\n,2024-03,-1.6,54.9,E01008162\n");
    auto o = Cli({"ingest", "police", bad});
    EXPECT_EQ(o.code, 3) << o.err;
    EXPECT_NE(o.err.find("Crime type"), std::string::npos) << o.err;
    EXPECT_NE(o.err.find("bad.csv"), std::string::npos) << o.err;
}

TEST_F(CliStoreTest, BatchesCsvHasTheDocumentedFields) {
    auto o = Cli({"batches", "--format", "csv"});
    ASSERT_EQ(o.code, 0) << o.err;
    auto header = Fields(FirstLine(o.out));
    const std::vector<std::string> want = {"id",       "source",  "path",       "sha256",  "rows_read",
                                           "accepted", "updated", "duplicates", "rejected"};
    ASSERT_GE(header.size(), want.size()) << FirstLine(o.out);
    EXPECT_EQ(std::vector<std::string>(header.begin(), header.begin() + 9), want);
    // The police batch: 3 rows read, 2 accepted, 1 rejected; the full 64-hex hash.
    bool found = false;
    std::istringstream lines(o.out);
    std::string line;
    std::getline(lines, line);
    int n = 0;
    while (std::getline(lines, line)) {
        ++n;
        auto f = Fields(line);
        ASSERT_GE(f.size(), 9u) << line;
        if (f[2] != police_) continue;
        found = true;
        EXPECT_EQ(f[1], "police");
        EXPECT_EQ(f[3].size(), 64u) << f[3];
        EXPECT_EQ(f[4], "3");
        EXPECT_EQ(f[5], "2");
        EXPECT_EQ(f[6], "0");
        EXPECT_EQ(f[7], "0");
        EXPECT_EQ(f[8], "1");
    }
    EXPECT_TRUE(found) << o.out;
    EXPECT_EQ(n, 4); // areas, population, police, ambulance
}

TEST_F(CliStoreTest, BatchesJsonHasATopLevelBatchesArray) {
    auto o = Cli({"batches", "--format", "json"});
    ASSERT_EQ(o.code, 0) << o.err;
    nlohmann::json j = nlohmann::json::parse(o.out);
    ASSERT_TRUE(j.is_object());
    ASSERT_TRUE(j.contains("batches"));
    ASSERT_TRUE(j["batches"].is_array());
    ASSERT_EQ(j["batches"].size(), 4u);
    for (const auto& b : j["batches"]) {
        for (const char* k : {"id", "source", "path", "sha256", "rows_read", "accepted", "updated", "duplicates",
                              "rejected"})
            EXPECT_TRUE(b.contains(k)) << k;
        EXPECT_EQ(b["rows_read"].get<std::int64_t>(), b["accepted"].get<std::int64_t>() +
                                                           b["updated"].get<std::int64_t>() +
                                                           b["duplicates"].get<std::int64_t>() +
                                                           b["rejected"].get<std::int64_t>());
    }
}

TEST_F(CliStoreTest, RejectsCsvNamesFileLineColumnValueReason) {
    auto o = Cli({"rejects", "--format", "csv"});
    ASSERT_EQ(o.code, 0) << o.err;
    EXPECT_EQ(FirstLine(o.out).rfind("batch,file,line,column,value,reason", 0), 0u) << FirstLine(o.out);
    std::string rest = o.out.substr(o.out.find('\n') + 1);
    auto f = Fields(FirstLine(rest));
    ASSERT_GE(f.size(), 6u) << rest;
    EXPECT_EQ(f[1], police_);
    EXPECT_EQ(f[2], "3");
    EXPECT_EQ(f[3], "Crime type");
    EXPECT_EQ(f[4], "Crimes of fashion");
}

TEST_F(CliStoreTest, RatesWithAnAgeRangeOutsideThePopulationBandsExitsThreeListingThem) {
    auto o = Cli({"rates", "--level", "lsoa", "--source", "ambulance", "--category", "violence_with_injury", "--age",
                  "18-30"});
    EXPECT_EQ(o.code, 3) << o.err;
    for (const char* band : {"0-15", "16-24", "25+"}) EXPECT_NE(o.err.find(band), std::string::npos) << o.err;
    // A range made of whole bands works.
    auto ok = Cli({"rates", "--level", "lsoa", "--source", "ambulance", "--category", "violence_with_injury", "--age",
                   "16-24", "--format", "csv"});
    EXPECT_EQ(ok.code, 0) << ok.err;
    EXPECT_NE(ok.out.find("E01008162,Newcastle 001A,2024,1,200,500,"), std::string::npos) << ok.out;
}

TEST_F(CliStoreTest, RatesByWeekOnMonthPrecisionDataExitsThreeSayingWhy) {
    auto o = Cli({"rates", "--level", "lsoa", "--source", "police", "--period", "week"});
    EXPECT_EQ(o.code, 3) << o.err;
    EXPECT_NE(o.err.find("month"), std::string::npos) << o.err;
    EXPECT_NE(o.err.find("week"), std::string::npos) << o.err;
    auto by_month = Cli({"rates", "--level", "lsoa", "--source", "police", "--period", "month"});
    EXPECT_EQ(by_month.code, 0) << by_month.err;
}

TEST_F(CliStoreTest, RatesWithoutSourceWhenTwoExistExitsTwoListingThem) {
    auto o = Cli({"rates", "--level", "lsoa"});
    EXPECT_EQ(o.code, 2) << o.err;
    EXPECT_NE(o.err.find("police"), std::string::npos) << o.err;
    EXPECT_NE(o.err.find("ambulance"), std::string::npos) << o.err;
    auto unknown = Cli({"rates", "--level", "lsoa", "--source", "fire_brigade"});
    EXPECT_EQ(unknown.code, 2) << unknown.err;
}

TEST_F(CliStoreTest, RatesGeoJsonIsAFeatureCollectionWithGeometry) {
    auto o = Cli({"rates", "--level", "lsoa", "--source", "ambulance", "--period", "month", "--category",
                  "violence_with_injury", "--format", "geojson"});
    ASSERT_EQ(o.code, 0) << o.err;
    nlohmann::json j = nlohmann::json::parse(o.out);
    EXPECT_EQ(j["type"], "FeatureCollection");
    ASSERT_TRUE(j["features"].is_array());
    ASSERT_EQ(j["features"].size(), 4u); // two LSOAs x 2024-03, 2024-04
    std::int64_t total = 0;
    for (const auto& f : j["features"]) {
        EXPECT_EQ(f["type"], "Feature");
        ASSERT_TRUE(f["geometry"].is_object()) << f.dump();
        std::string type = f["geometry"]["type"];
        EXPECT_TRUE(type == "Polygon" || type == "MultiPolygon") << type;
        EXPECT_FALSE(f["geometry"]["coordinates"].empty());
        total += f["properties"]["count"].get<std::int64_t>();
        EXPECT_TRUE(f["properties"]["area_code"] == "E01008162" || f["properties"]["area_code"] == "E01008163");
    }
    EXPECT_EQ(total, 3);
}

TEST_F(CliStoreTest, ReingestingAFileChangesNothing) {
    auto before = Cli({"batches", "--format", "csv"});
    auto o = Cli({"ingest", "police", police_, "--format", "csv"});
    ASSERT_EQ(o.code, 0) << o.err;
    EXPECT_NE(o.out.find("already ingested"), std::string::npos) << o.out;
    EXPECT_EQ(Cli({"batches", "--format", "csv"}).out, before.out);
}

} // namespace
} // namespace vigil::cli

namespace vigil::cli {
namespace {

TEST_F(CliStoreTest, StatusListsEachSourceWithItsRecordsAndDates) {
    auto o = Cli({"status", "--format", "csv"});
    ASSERT_EQ(o.code, 0) << o.err;
    EXPECT_EQ(FirstLine(o.out), "what,name,records,first,last");
    // police: two accepted rows (the unknown crime type is rejected), March and April 2024.
    EXPECT_NE(o.out.find("source:events,police,2,2024-03-01,2024-04-01"), std::string::npos) << o.out;
    EXPECT_NE(o.out.find("source:events,ambulance,3,2024-03-05,2024-04-02"), std::string::npos) << o.out;
    EXPECT_NE(o.out.find("areas,lsoa,2,,"), std::string::npos) << o.out;
    EXPECT_NE(o.out.find("population,years,1,2021,2021"), std::string::npos) << o.out;
    EXPECT_NE(o.out.find("rejects,rows rejected,1,,"), std::string::npos) << o.out;
}

TEST(CliAlertsTest, SeriesFileGivesTheReferenceColumnsAndExitCodes) {
    ScratchDir dir("alerts");
    std::string text = "series_id,t,count\n";
    for (int t = 1; t <= 20; ++t) text += "a," + std::to_string(t) + "," + (t == 20 ? "30" : std::to_string(2 + t % 3)) + "\n";
    const std::string file = WriteFile(dir / "s.csv", text);
    auto o = RunCli({"-q", "alerts", "--series", file, "--method", "ears-c1", "--range", "19:20", "--format", "csv"});
    ASSERT_EQ(o.code, 0) << o.err;
    std::istringstream lines(o.out);
    std::string header, t19, t20;
    std::getline(lines, header);
    std::getline(lines, t19);
    std::getline(lines, t20);
    EXPECT_EQ(header, "series_id,t,observed,upperbound,alarm,expected,score,reason");
    EXPECT_EQ(t19.rfind("a,19,", 0), 0u) << t19;
    EXPECT_EQ(t20.rfind("a,20,30,", 0), 0u) << t20;
    EXPECT_NE(t20.find(",1,"), std::string::npos) << "week 20 (30 cases against 2-4) is an alarm: " << t20;
    // CUSUM needs its history named; a bad count is a data error naming the line.
    EXPECT_EQ(RunCli({"-q", "alerts", "--series", file, "--method", "cusum"}).code, 2);
    const std::string bad = WriteFile(dir / "bad.csv", "series_id,t,count\na,1,2\na,2,-4\n");
    auto b = RunCli({"-q", "alerts", "--series", bad, "--method", "ears-c1"});
    EXPECT_EQ(b.code, 3);
    EXPECT_NE(b.err.find("line 3"), std::string::npos) << b.err;
    EXPECT_EQ(RunCli({"-q", "alerts", "--series", file, "--method", "ears-c1", "--range", "5"}).code, 2);
    // Store and file options do not mix.
    EXPECT_EQ(RunCli({"-q", "--db", (dir / "none.db").string(), "alerts", "--range", "1:5"}).code, 2);
    EXPECT_EQ(RunCli({"-q", "alerts", "--series", file, "--from", "2024-W01"}).code, 2);
}

} // namespace
} // namespace vigil::cli
