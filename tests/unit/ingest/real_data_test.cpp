// Real public data end to end: every Northumbria street-level file from data.police.uk and the three Met
// Police borough files are ingested, and what `vigil rates` reports is compared with counts this test makes
// itself from the raw files (decompressed with zlib and split by a small CSV splitter written here, not vigil's
// CsvReader), for every LSOA, month and crime type.
#include <zlib.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "cli.hpp"
#include "test_support.hpp"
#include "vigil/ingest/ingest.hpp"
#include "vigil/store/store.hpp"
#include "vigil/surveillance/rates.hpp"
#include "vigil/surveillance/rates_query.hpp"

namespace vigil::ingest {
namespace {

using vigil::test::ScratchDir;
using vigil::test::SharedDir;
namespace fs = std::filesystem;

const char* const kStreetDir = "data/police_uk/northumbria/street";
const char* const kMetDir = "data/met_police";
const char* const kMetHistorical = "MPS_Borough_Level_Crime_Historical.csv";
const char* const kMetAndyxue = "MPS_Borough_Level_Crime_most_recent_24_months_andyxue.csv";
const char* const kMetLatest = "MPS_Borough_Level_Crime_most_recent_24_months_2023-11_to_2025-10.csv";

std::string ReadGzip(const fs::path& p) {
    gzFile f = gzopen(p.string().c_str(), "rb");
    if (!f) {
        ADD_FAILURE() << "cannot open " << p;
        return {};
    }
    std::string out;
    char buf[1 << 16];
    int n = 0;
    while ((n = gzread(f, buf, sizeof buf)) > 0) out.append(buf, static_cast<std::size_t>(n));
    gzclose(f);
    return out;
}

// Minimal RFC 4180 splitter: quoted fields with doubled quotes and embedded line ends, LF or CRLF, a UTF-8 BOM.
std::vector<std::vector<std::string>> SplitCsv(const std::string& text) {
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> row;
    std::string field;
    bool quoted = false, any = false;
    std::size_t i = text.compare(0, 3, "\xEF\xBB\xBF") == 0 ? 3 : 0;
    for (; i < text.size(); ++i) {
        char c = text[i];
        if (quoted) {
            if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') field += '"', ++i;
            else if (c == '"') quoted = false;
            else field += c;
            continue;
        }
        if (c == '"') {
            quoted = any = true;
        } else if (c == ',') {
            row.push_back(field), field.clear(), any = true;
        } else if (c == '\n' || c == '\r') {
            if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
            if (any || !field.empty()) {
                row.push_back(field);
                rows.push_back(row);
            }
            row.clear(), field.clear(), any = false;
        } else {
            field += c, any = true;
        }
    }
    if (any || !field.empty()) {
        row.push_back(field);
        rows.push_back(row);
    }
    return rows;
}

int Column(const std::vector<std::string>& header, const std::string& name) {
    auto it = std::find(header.begin(), header.end(), name);
    if (it == header.end()) {
        ADD_FAILURE() << "no column " << name;
        return 0;
    }
    return static_cast<int>(it - header.begin());
}

std::string CategoryOfLabel(const std::string& label) {
    static const std::map<std::string, std::string> m = {
        {"Violence and sexual offences", "violence_and_sexual_offences"},
        {"Anti-social behaviour", "anti_social_behaviour"},
        {"Bicycle theft", "bicycle_theft"},
        {"Burglary", "burglary"},
        {"Criminal damage and arson", "criminal_damage_and_arson"},
        {"Drugs", "drugs"},
        {"Other crime", "other_crime"},
        {"Other theft", "other_theft"},
        {"Possession of weapons", "possession_of_weapons"},
        {"Public order", "public_order"},
        {"Robbery", "robbery"},
        {"Shoplifting", "shoplifting"},
        {"Theft from the person", "theft_from_the_person"},
        {"Vehicle crime", "vehicle_crime"},
    };
    auto it = m.find(label);
    if (it == m.end()) {
        ADD_FAILURE() << "unexpected crime type '" << label << "'";
        return "other_crime";
    }
    return it->second;
}

// Counts made straight from the files.
struct StreetTruth {
    std::int64_t rows = 0, rows_without_lsoa = 0;
    std::map<std::pair<std::string, std::string>, std::int64_t> by_lsoa_month;            // (lsoa, YYYY-MM)
    std::map<std::string, std::int64_t> by_month;                                         // all rows
    std::map<std::string, std::map<std::pair<std::string, std::string>, std::int64_t>> by_type; // code -> ...
};

// The shared stores: ingesting the 25 street files takes most of this suite's time, so it happens once.
class RealDataTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        if (!fs::exists(SharedDir() / kStreetDir) || !fs::exists(SharedDir() / kMetDir)) return;
        auto t0 = std::chrono::steady_clock::now();
        dir_ = new ScratchDir("real-data");
        police_db_ = new std::string((*dir_ / "police.db").string());
        met_db_ = new std::string((*dir_ / "met.db").string());
        truth_ = new StreetTruth;
        NullProgress progress;
        IngestOptions options;
        std::vector<fs::path> files;
        for (const auto& e : fs::directory_iterator(SharedDir() / kStreetDir))
            if (e.path().string().size() > 7 && e.path().string().substr(e.path().string().size() - 7) == ".csv.gz")
                files.push_back(e.path());
        std::sort(files.begin(), files.end());
        street_files_ = files.size();
        {
            auto store = store::OpenSqliteStore(*police_db_);
            for (const auto& f : files) {
                auto r = IngestEvents(*store, f.string(), DetectPoliceProfile(f.string()), options, progress);
                street_results_.push_back(r);
            }
        }
        for (const auto& f : files) {
            auto rows = SplitCsv(ReadGzip(f));
            if (rows.empty()) continue;
            int month = Column(rows[0], "Month"), lsoa = Column(rows[0], "LSOA code"),
                type = Column(rows[0], "Crime type");
            for (std::size_t i = 1; i < rows.size(); ++i) {
                const auto& r = rows[i];
                if (r.size() != rows[0].size()) {
                    ADD_FAILURE() << f << ": row " << i << " has " << r.size() << " fields";
                    continue;
                }
                ++truth_->rows;
                ++truth_->by_month[r[month]];
                if (r[lsoa].empty()) {
                    ++truth_->rows_without_lsoa;
                    continue;
                }
                ++truth_->by_lsoa_month[{r[lsoa], r[month]}];
                ++truth_->by_type[CategoryOfLabel(r[type])][{r[lsoa], r[month]}];
            }
        }
        {
            auto store = store::OpenSqliteStore(*met_db_);
            for (const char* f : {kMetHistorical, kMetLatest, kMetAndyxue})
                met_results_.push_back(IngestCounts(*store, (SharedDir() / kMetDir / f).string(), options, progress));
        }
        setup_seconds_ = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    }
    static void TearDownTestSuite() {
        delete truth_;
        delete police_db_;
        delete met_db_;
        delete dir_;
        truth_ = nullptr, police_db_ = met_db_ = nullptr, dir_ = nullptr;
        street_results_.clear();
        met_results_.clear();
    }
    void SetUp() override {
        VIGIL_REQUIRE_SHARED(kStreetDir);
        VIGIL_REQUIRE_SHARED(kMetDir);
        ASSERT_NE(truth_, nullptr);
    }

    // (area, period label) -> count from ComputeRates.
    static std::map<std::pair<std::string, std::string>, std::int64_t> Rates(const std::string& db, const std::string& level,
                                                                       const std::string& category,
                                                                       const std::string& source,
                                                                       surveillance::RatesResult* out = nullptr) {
        auto store = store::OpenSqliteStore(db);
        surveillance::RatesRequest rq;
        rq.level = level;
        rq.period = PeriodKind::kMonth;
        rq.category = CategoryTree::Standard().Require(category);
        auto input = surveillance::LoadRatesInput(*store, rq, source);
        auto result = surveillance::ComputeRates(input, rq);
        std::map<std::pair<std::string, std::string>, std::int64_t> m;
        for (const auto& r : result.rows) m[{r.area_code, r.period_label}] += r.count;
        if (out) *out = std::move(result);
        return m;
    }

    static inline ScratchDir* dir_ = nullptr;
    static inline std::string* police_db_ = nullptr;
    static inline std::string* met_db_ = nullptr;
    static inline StreetTruth* truth_ = nullptr;
    static inline std::size_t street_files_ = 0;
    static inline std::vector<IngestResult> street_results_, met_results_;
    static inline double setup_seconds_ = 0;
};

TEST_F(RealDataTest, EveryStreetRowIsAccounted) {
    EXPECT_GE(street_files_, 25u);
    std::int64_t read = 0, accepted = 0;
    for (const auto& r : street_results_) {
        const auto& s = r.stats;
        EXPECT_EQ(s.rows_read, s.accepted + s.updated + s.duplicates + s.rejected) << r.path;
        EXPECT_EQ(s.rejected, 0) << r.path;
        read += s.rows_read;
        accepted += s.accepted;
    }
    EXPECT_EQ(read, truth_->rows);
    EXPECT_EQ(accepted, truth_->rows) << "each street row is its own record";
    auto store = store::OpenSqliteStore(*police_db_);
    EXPECT_EQ(store->EventTotal(std::string("police")), truth_->rows);
    std::cout << "[ info ] " << truth_->rows << " street rows in " << street_files_ << " files; suite set-up "
              << setup_seconds_ << " s\n";
}

TEST_F(RealDataTest, CliRatesPerLsoaAndMonthEqualAnIndependentCount) {
    std::ostringstream out, err;
    int code = cli::Run({"--db", *police_db_, "-q", "rates", "--level", "lsoa", "--period", "month", "--category",
                         "all_crime", "--source", "police", "--format", "csv"},
                        out, err);
    ASSERT_EQ(code, 0) << err.str();
    std::istringstream lines(out.str());
    std::string line;
    std::getline(lines, line);
    ASSERT_EQ(line.rfind("area_code,area_name,period,count,", 0), 0u) << line;
    std::map<std::pair<std::string, std::string>, std::int64_t> reported;
    std::int64_t total = 0;
    std::set<std::string> months;
    while (std::getline(lines, line)) {
        std::vector<std::string> f;
        std::stringstream ss(line);
        std::string x;
        while (std::getline(ss, x, ',')) f.push_back(x);
        ASSERT_GE(f.size(), 4u) << line;
        std::int64_t n = std::stoll(f[3]);
        EXPECT_TRUE(reported.emplace(std::make_pair(f[0], f[2]), n).second) << "row twice: " << line;
        total += n;
        months.insert(f[2]);
    }
    std::size_t mismatches = 0;
    for (const auto& [key, n] : reported) {
        auto it = truth_->by_lsoa_month.find(key);
        std::int64_t want = it == truth_->by_lsoa_month.end() ? 0 : it->second;
        if (n != want && ++mismatches <= 10)
            ADD_FAILURE() << key.first << " " << key.second << ": rates says " << n << ", the files say " << want;
    }
    for (const auto& [key, n] : truth_->by_lsoa_month)
        if (!reported.count(key) && ++mismatches <= 10)
            ADD_FAILURE() << key.first << " " << key.second << " (" << n << " rows) missing from the output";
    EXPECT_EQ(mismatches, 0u);
    EXPECT_EQ(total, truth_->rows - truth_->rows_without_lsoa);
    EXPECT_TRUE(months.count("2022-01")) << "the month without a file is a row of zeros, not a gap";
}

TEST_F(RealDataTest, AllAreasTotalPerMonthEqualsTheDataRows) {
    surveillance::RatesResult result;
    auto all = Rates(*police_db_, "all", "all_crime", "police", &result);
    std::int64_t total = 0;
    for (const auto& [key, n] : all) {
        total += n;
        auto it = truth_->by_month.find(key.second);
        EXPECT_EQ(n, it == truth_->by_month.end() ? 0 : it->second) << key.second;
    }
    EXPECT_EQ(total, truth_->rows);
    EXPECT_EQ(result.events_without_area, 0);
    surveillance::RatesResult lsoa_result;
    Rates(*police_db_, "lsoa", "all_crime", "police", &lsoa_result);
    EXPECT_EQ(lsoa_result.events_without_area, truth_->rows_without_lsoa);
}

TEST_F(RealDataTest, RatesPerCrimeTypeEqualAnIndependentCount) {
    ASSERT_EQ(truth_->by_type.size(), 14u);
    for (const auto& [code, want] : truth_->by_type) {
        auto got = Rates(*police_db_, "lsoa", code, "police");
        std::size_t mismatches = 0;
        std::int64_t got_total = 0, want_total = 0;
        for (const auto& [key, n] : got) {
            got_total += n;
            auto it = want.find(key);
            if (n != (it == want.end() ? 0 : it->second)) ++mismatches;
        }
        for (const auto& [key, n] : want) {
            want_total += n;
            if (!got.count(key)) ++mismatches;
        }
        EXPECT_EQ(mismatches, 0u) << code;
        EXPECT_EQ(got_total, want_total) << code;
    }
}

// ---- Met Police borough files ----

struct MetFile {
    std::vector<std::string> months;                          // YYYYMM
    std::map<std::string, std::map<std::string, std::int64_t>> cells; // "code|major/minor" -> YYYYMM -> count
    std::map<std::string, std::int64_t> column_sum;           // YYYYMM -> sum
};

std::string MetAreaCode(const std::string& borough) {
    if (auto c = LondonBoroughCode(borough)) return *c;
    if (borough == "Unknown") return "VIGIL-MPS-UNKNOWN";
    if (borough == "London Heathrow and London City Airports") return "VIGIL-MPS-AIRPORTS";
    ADD_FAILURE() << "unexpected borough " << borough;
    return borough;
}

MetFile ReadMet(const char* name) {
    std::ifstream in(SharedDir() / kMetDir / name, std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto rows = SplitCsv(text);
    MetFile m;
    if (rows.empty()) return m;
    m.months.assign(rows[0].begin() + 3, rows[0].end());
    for (std::size_t i = 1; i < rows.size(); ++i) {
        const auto& r = rows[i];
        std::string key = MetAreaCode(r[2]) + "|" + r[0] + "/" + r[1];
        for (std::size_t j = 3; j < r.size(); ++j) {
            std::int64_t v = std::stoll(r[j]);
            m.cells[key][rows[0][j]] = v;
            m.column_sum[rows[0][j]] += v;
        }
    }
    return m;
}

std::string MonthLabel(const std::string& yyyymm) { return yyyymm.substr(0, 4) + "-" + yyyymm.substr(4, 2); }

// Stored cells of one month: "code|major/minor" -> count.
std::map<std::string, std::int64_t> StoredMonth(const std::string& db, const std::string& yyyymm) {
    auto store = store::OpenSqliteStore(db);
    store::CountQuery q;
    q.category = CategoryTree::Standard().Require("all_crime");
    q.source = "met";
    auto p = ParsePeriodLabel(yyyymm);
    std::map<std::string, std::int64_t> out;
    for (const auto& c : store->Counts(q))
        if (c.period_kind == PeriodKind::kMonth && c.period_key == p->key)
            out[c.area_code + "|" + c.source_category] = c.count;
    return out;
}

std::int64_t CliLondonTotal(const std::string& db, const std::string& yyyymm) {
    std::ostringstream out, err;
    std::string label = MonthLabel(yyyymm);
    int code = cli::Run({"--db", db, "-q", "rates", "--level", "all", "--source", "met", "--period", "month",
                         "--category", "all_crime", "--from", label, "--to", label, "--format", "csv"},
                        out, err);
    EXPECT_EQ(code, 0) << err.str();
    std::istringstream lines(out.str());
    std::string header, row;
    std::getline(lines, header);
    std::getline(lines, row);
    std::vector<std::string> f;
    std::stringstream ss(row);
    std::string x;
    while (std::getline(ss, x, ',')) f.push_back(x);
    EXPECT_GE(f.size(), 4u) << out.str();
    EXPECT_EQ(f.size() >= 3 ? f[2] : "", label);
    return f.size() >= 4 ? std::stoll(f[3]) : -1;
}

TEST_F(RealDataTest, MetEveryRowIsAccounted) {
    ASSERT_EQ(met_results_.size(), 3u);
    for (const auto& r : met_results_) {
        const auto& s = r.stats;
        EXPECT_EQ(s.rows_read, s.accepted + s.updated + s.duplicates + s.rejected) << r.path;
        EXPECT_GT(s.rows_read, 900) << r.path;
    }
}

TEST_F(RealDataTest, MetFilesHaveNoUnknownCategories) {
    for (const auto& r : met_results_) EXPECT_EQ(r.stats.rejected, 0) << r.path;
}

TEST_F(RealDataTest, MetMonthInTwoVintagesKeepsTheLaterValues) {
    MetFile latest = ReadMet(kMetLatest), older = ReadMet(kMetAndyxue);
    for (const std::string month : {"202311", "202401", "202502"}) {
        ASSERT_TRUE(older.column_sum.count(month) && latest.column_sum.count(month)) << month;
        auto stored = StoredMonth(*met_db_, month);
        std::size_t checked = 0, differs_from_older = 0;
        for (const auto& [key, by_month] : latest.cells) {
            auto it = stored.find(key);
            ASSERT_NE(it, stored.end()) << key << " " << month;
            EXPECT_EQ(it->second, by_month.at(month)) << key << " " << month;
            ++checked;
            auto o = older.cells.find(key);
            if (o != older.cells.end() && o->second.at(month) != by_month.at(month)) ++differs_from_older;
        }
        EXPECT_EQ(checked, latest.cells.size());
        EXPECT_GT(differs_from_older, 0u) << month << ": the editions must disagree somewhere for this to test anything";
    }
}

TEST_F(RealDataTest, MetStoredCellsOfSingleVintageMonthsSumToTheFileColumn) {
    MetFile historical = ReadMet(kMetHistorical), latest = ReadMet(kMetLatest);
    for (const auto& [file, month] : {std::pair{&historical, std::string("201004")},
                                      std::pair{&historical, std::string("202302")},
                                      std::pair{&latest, std::string("202503")},
                                      std::pair{&latest, std::string("202510")}}) {
        std::int64_t sum = 0;
        for (const auto& [key, n] : StoredMonth(*met_db_, month)) sum += n;
        EXPECT_EQ(sum, file->column_sum.at(month)) << month;
    }
}

TEST_F(RealDataTest, MetLondonTotalFromRatesEqualsTheLatestFileColumn) {
    MetFile historical = ReadMet(kMetHistorical), latest = ReadMet(kMetLatest);
    EXPECT_EQ(CliLondonTotal(*met_db_, "202302"), historical.column_sum.at("202302"));
    EXPECT_EQ(CliLondonTotal(*met_db_, "202503"), latest.column_sum.at("202503"));
    EXPECT_EQ(CliLondonTotal(*met_db_, "202510"), latest.column_sum.at("202510"));
}

TEST_F(RealDataTest, MetLondonTotalInAnOverlapMonthEqualsTheLatestFileColumn) {
    MetFile latest = ReadMet(kMetLatest);
    for (const std::string month : {"202311", "202401", "202502"})
        EXPECT_EQ(CliLondonTotal(*met_db_, month), latest.column_sum.at(month)) << month;
}

} // namespace
} // namespace vigil::ingest
