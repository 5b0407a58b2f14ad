// IngestCounts on small planted files: the long format, the Met Police wide borough and ward files, the rule
// that a later vintage of a cell replaces an earlier one whatever the order of ingest (and that each cell keeps
// the batch it came from), and the rejects for bad counts, unknown categories and non-London borough names.
#include <sqlite3.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>

#include "test_support.hpp"
#include "vigil/core/error.hpp"
#include "vigil/ingest/ingest.hpp"
#include "vigil/store/store.hpp"

namespace vigil::ingest {
namespace {

using vigil::test::ScratchDir;
namespace fs = std::filesystem;

std::string WriteFile(const fs::path& p, const std::string& text) {
    std::ofstream out(p, std::ios::binary);
    out << text;
    return p.string();
}

std::int32_t Month(int year, int month) { return year * 12 + month - 1; }

struct MetRow {
    std::string major, minor, borough;
    std::vector<std::string> values;
};

std::string MetFile(const std::vector<std::string>& months, const std::vector<MetRow>& rows) {
    std::string t = "MajorText,MinorText,BoroughName";
    for (const auto& m : months) t += "," + m;
    t += "\n";
    for (const auto& r : rows) {
        t += r.major + "," + r.minor + "," + r.borough;
        for (const auto& v : r.values) t += "," + v;
        t += "\n";
    }
    return t;
}

const char* const kVap = "VIOLENCE AGAINST THE PERSON";
const char* const kVwi = "VIOLENCE WITH INJURY";

// A stored count cell as read straight from the SQLite file: value, batch and vintage.
struct Cell {
    std::int64_t count = 0, batch = 0, vintage = 0;
    bool operator==(const Cell& o) const { return count == o.count && batch == o.batch && vintage == o.vintage; }
};
// (area_code, period_key, source_category) -> cell
using CellMap = std::map<std::tuple<std::string, std::int64_t, std::string>, Cell>;

Cell At(const CellMap& cells, const std::string& area, std::int64_t period_key, const std::string& category) {
    auto it = cells.find({area, period_key, category});
    return it == cells.end() ? Cell{-1, -1, -1} : it->second;
}

bool Has(const CellMap& cells, const std::string& area, std::int64_t period_key, const std::string& category) {
    return cells.count({area, period_key, category}) > 0;
}

CellMap ReadCells(const std::string& db_path) {
    CellMap out;
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
        ADD_FAILURE() << "cannot open " << db_path;
        sqlite3_close(db);
        return out;
    }
    sqlite3_stmt* s = nullptr;
    sqlite3_prepare_v2(db, "SELECT area_code, period_key, source_category, count, batch_id, vintage FROM count_cell",
                       -1, &s, nullptr);
    while (sqlite3_step(s) == SQLITE_ROW) {
        auto text = [&](int i) { return std::string(reinterpret_cast<const char*>(sqlite3_column_text(s, i))); };
        out[{text(0), sqlite3_column_int64(s, 1), text(2)}] =
            Cell{sqlite3_column_int64(s, 3), sqlite3_column_int64(s, 4), sqlite3_column_int64(s, 5)};
    }
    sqlite3_finalize(s);
    sqlite3_close(db);
    return out;
}

void ExpectReconciles(const IngestResult& r) {
    const auto& s = r.stats;
    EXPECT_EQ(s.rows_read, s.accepted + s.updated + s.duplicates + s.rejected) << r.path;
}

class CountsIngestTest : public ::testing::Test {
protected:
    CountsIngestTest() : dir_("counts-ingest"), db_((dir_ / "store.db").string()) {
        store_ = store::OpenSqliteStore(db_);
    }

    IngestResult Ingest(const std::string& name, const std::string& text, bool force = false) {
        std::string path = WriteFile(dir_ / name, text);
        IngestOptions o;
        o.force = force;
        IngestResult r = IngestCounts(*store_, path, o, progress_);
        ExpectReconciles(r);
        return r;
    }

    CellMap Cells() { return ReadCells(db_); }

    ScratchDir dir_;
    std::string db_;
    std::unique_ptr<store::Store> store_;
    NullProgress progress_;
};

TEST_F(CountsIngestTest, LongFormatStoresEachCellAndRejectsBadRows) {
    auto r = Ingest("long.csv", "area_code,period,category,source,count\n"
                                "E09000007,2024-03,violence_with_injury,ae,5\n"      // 2
                                "E01000001,2024-Q1,robbery,ae,0\n"                   // 3
                                "E09000007,2024,burglary,ae,12.0\n"                  // 4
                                "E05013570,2024-W09,drugs,ae,3\n"                    // 5
                                "all,2024-03-01,homicide,ae,1\n"                     // 6
                                "E09000007,2024-03,violence_with_injury,ae,-3\n"     // 7
                                "E09000007,2024-03,violence_with_injury,ae,abc\n"    // 8
                                "E09000007,2024-03,violence_with_injury,ae,1.5\n"    // 9
                                "E09000007,2024-13,violence_with_injury,ae,1\n"      // 10
                                "E09000007,2024-03,fisticuffs,ae,1\n"                // 11
                                ",2024-03,violence_with_injury,ae,1\n"               // 12
                                "E09000007,2024-03,violence_with_injury,,1\n"        // 13
                                "E09000007,2024-03,violence_with_injury,ae,6\n");    // 14: same cell, new value
    EXPECT_EQ(r.stats.rows_read, 13);
    EXPECT_EQ(r.stats.accepted, 5);
    EXPECT_EQ(r.stats.updated, 1);
    EXPECT_EQ(r.stats.rejected, 7);
    std::map<std::int64_t, std::pair<std::string, std::string>> want = {
        {7, {"count", "-3"}},      {8, {"count", "abc"}},       {9, {"count", "1.5"}},
        {10, {"period", "2024-13"}}, {11, {"category", "fisticuffs"}}, {12, {"area_code", ""}},
        {13, {"source", ""}}};
    auto rejects = store_->Rejects(r.batch_id, 100);
    ASSERT_EQ(rejects.size(), want.size());
    for (const auto& x : rejects) {
        ASSERT_TRUE(want.count(x.line)) << x.line << ": " << x.reason;
        EXPECT_EQ(x.column, want[x.line].first) << x.line;
        EXPECT_EQ(x.value, want[x.line].second) << x.line;
        EXPECT_FALSE(x.reason.empty());
    }
    store::CountQuery q;
    q.category = CategoryTree::Standard().Require("all_crime");
    q.source = "ae";
    std::map<std::string, store::CountRecord> by_area;
    for (const auto& c : store_->Counts(q)) by_area[c.area_code + "/" + PeriodLabel(c.period_kind, c.period_key)] = c;
    ASSERT_EQ(by_area.size(), 5u);
    EXPECT_EQ(by_area["E09000007/2024-03"].count, 6);
    EXPECT_EQ(by_area["E09000007/2024-03"].area_level, "borough");
    EXPECT_EQ(by_area["E09000007/2024-03"].category, CategoryTree::Standard().Require("violence_with_injury"));
    EXPECT_EQ(by_area["E01000001/2024-Q1"].count, 0);
    EXPECT_EQ(by_area["E01000001/2024-Q1"].area_level, "lsoa");
    EXPECT_EQ(by_area["E09000007/2024"].count, 12);
    EXPECT_EQ(by_area["E09000007/2024"].period_kind, PeriodKind::kYear);
    EXPECT_EQ(by_area["E05013570/2024-W09"].area_level, "ward");
    EXPECT_EQ(by_area["all/2024-03-01"].area_level, "all");
    EXPECT_EQ(by_area["all/2024-03-01"].period_kind, PeriodKind::kDay);
}

TEST_F(CountsIngestTest, LongFormatMissingColumnIsADataErrorNamingIt) {
    std::string path = WriteFile(dir_ / "bad.csv", "area_code,period,category,source\nE09000007,2024,robbery,ae\n");
    try {
        IngestCounts(*store_, path, IngestOptions{}, progress_);
        FAIL() << "expected a data error";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::kData);
        EXPECT_NE(std::string(e.what()).find("count"), std::string::npos) << e.what();
    }
    EXPECT_TRUE(store_->Batches().empty());
}

TEST_F(CountsIngestTest, MetWideFileWithoutBoroughNameIsADataError) {
    std::string path = WriteFile(dir_ / "bad.csv", "MajorText,MinorText,202401\nROBBERY,ROBBERY OF PERSONAL PROPERTY,1\n");
    try {
        IngestCounts(*store_, path, IngestOptions{}, progress_);
        FAIL() << "expected a data error";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::kData);
        EXPECT_NE(std::string(e.what()).find("BoroughName"), std::string::npos) << e.what();
    }
}

TEST_F(CountsIngestTest, MetWideBadMonthColumnIsADataError) {
    std::string path = WriteFile(dir_ / "bad.csv", "MajorText,MinorText,BoroughName,202413\nROBBERY,ROBBERY OF "
                                                   "PERSONAL PROPERTY,Camden,1\n");
    try {
        IngestCounts(*store_, path, IngestOptions{}, progress_);
        FAIL() << "expected a data error";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::kData);
        EXPECT_NE(std::string(e.what()).find("202413"), std::string::npos) << e.what();
    }
}

TEST_F(CountsIngestTest, MetWideBoroughFile) {
    auto r = Ingest("met.csv",
                    MetFile({"202401", "202402", "202403"},
                            {
                                {kVap, kVwi, "Camden", {"10", "11", "12"}},                                  // 2
                                {kVap, kVwi, "Westminster", {"20", "21", "22"}},                             // 3
                                {kVap, kVwi, "Unknown", {"1", "0", "2"}},                                    // 4
                                {"ROBBERY", "ROBBERY OF PERSONAL PROPERTY",
                                 "London Heathrow and London City Airports", {"0", "1", "0"}},               // 5
                                {kVap, kVwi, "Gotham", {"5", "5", "5"}},                                     // 6
                                {kVap, "VIOLENCE WITHOUT INJURY", "Camden", {"3", "-1", "3"}},               // 7
                                {kVap, "VIOLENCE WITHOUT INJURY", "Westminster", {"3", "4", "x"}},           // 8
                                {"MADE UP", "NOT A CATEGORY", "Camden", {"1", "1", "1"}},                    // 9
                                {"THEFT", "SHOPLIFTING", "Camden", {"", "7", "8"}},                          // 10
                            }));
    EXPECT_EQ(r.source, "met");
    EXPECT_EQ(r.stats.rows_read, 9);
    EXPECT_EQ(r.stats.accepted, 5);
    EXPECT_EQ(r.stats.rejected, 4);
    std::map<std::int64_t, std::pair<std::string, std::string>> want = {{6, {"BoroughName", "Gotham"}},
                                                                        {7, {"202402", "-1"}},
                                                                        {8, {"202403", "x"}},
                                                                        {9, {"MinorText", "NOT A CATEGORY"}}};
    auto rejects = store_->Rejects(r.batch_id, 100);
    ASSERT_EQ(rejects.size(), want.size());
    for (const auto& x : rejects) {
        ASSERT_TRUE(want.count(x.line)) << x.line << ": " << x.reason;
        EXPECT_EQ(x.column, want[x.line].first) << x.line << ": " << x.reason;
        EXPECT_EQ(x.value, want[x.line].second) << x.line;
    }
    auto cells = Cells();
    const std::string vwi = std::string(kVap) + "/" + kVwi;
    const std::int64_t vintage = Month(2024, 3);
    EXPECT_EQ(At(cells, "E09000007", Month(2024, 1), vwi), (Cell{10, r.batch_id, vintage}));
    EXPECT_EQ(At(cells, "E09000007", Month(2024, 3), vwi), (Cell{12, r.batch_id, vintage}));
    EXPECT_EQ(At(cells, "E09000033", Month(2024, 2), vwi), (Cell{21, r.batch_id, vintage}));
    // The Met's pseudo-areas are kept under their own codes so London totals add up.
    EXPECT_EQ(At(cells, "VIGIL-MPS-UNKNOWN", Month(2024, 3), vwi).count, 2);
    EXPECT_EQ(At(cells, "VIGIL-MPS-UNKNOWN", Month(2024, 2), vwi).count, 0);
    EXPECT_EQ(At(cells, "VIGIL-MPS-AIRPORTS", Month(2024, 2), "ROBBERY/ROBBERY OF PERSONAL PROPERTY").count, 1);
    EXPECT_NE(r.notes.find("Unknown"), std::string::npos) << r.notes;
    // A rejected row writes none of its cells; a blank month is no cell.
    EXPECT_EQ(Has(cells, "E09000007", Month(2024, 1), std::string(kVap) + "/VIOLENCE WITHOUT INJURY"), false);
    EXPECT_EQ(Has(cells, "E09000007", Month(2024, 1), "THEFT/SHOPLIFTING"), false);
    EXPECT_EQ(At(cells, "E09000007", Month(2024, 2), "THEFT/SHOPLIFTING").count, 7);
    EXPECT_EQ(cells.size(), 3u * 3u + 3u + 2u); // Camden, Westminster, Unknown VWI; airports; shoplifting
    // Category mapped onto the tree.
    store::CountQuery q;
    q.category = CategoryTree::Standard().Require("robbery");
    q.source = "met";
    auto robbery = store_->Counts(q);
    ASSERT_EQ(robbery.size(), 3u);
    EXPECT_EQ(robbery[0].area_level, "borough");
}

TEST_F(CountsIngestTest, MetWardFile) {
    auto r = Ingest("ward.csv", "MajorText,MinorText,WardName,WardCode,LookUp_BoroughName,202401,202402\n"
                                "ROBBERY,ROBBERY OF PERSONAL PROPERTY,Heathrow Villages,E05013570,Hillingdon,4,5\n");
    EXPECT_EQ(r.stats.accepted, 1);
    store::CountQuery q;
    q.category = CategoryTree::Standard().Require("robbery");
    auto cells = store_->Counts(q);
    ASSERT_EQ(cells.size(), 2u);
    for (const auto& c : cells) {
        EXPECT_EQ(c.area_level, "ward");
        EXPECT_EQ(c.area_code, "E05013570");
    }
}

class VintageTest : public CountsIngestTest {
protected:
    static std::string Older() {
        return MetFile({"202401", "202402", "202403"}, {{kVap, kVwi, "Camden", {"10", "11", "12"}},
                                                        {kVap, kVwi, "Westminster", {"20", "21", "22"}}});
    }
    static std::string Newer() {
        return MetFile({"202402", "202403", "202404"}, {{kVap, kVwi, "Camden", {"111", "12", "14"}},
                                                        {kVap, kVwi, "Westminster", {"21", "221", "24"}}});
    }
    void CheckLaterWins(std::int64_t older_batch, std::int64_t newer_batch) {
        auto cells = Cells();
        const std::string vwi = std::string(kVap) + "/" + kVwi;
        auto at = [&](const char* area, int month) { return At(cells, area, Month(2024, month), vwi); };
        EXPECT_EQ(at("E09000007", 1), (Cell{10, older_batch, Month(2024, 3)}));
        EXPECT_EQ(at("E09000007", 2), (Cell{111, newer_batch, Month(2024, 4)}));
        EXPECT_EQ(at("E09000007", 3).count, 12);
        EXPECT_EQ(at("E09000007", 4), (Cell{14, newer_batch, Month(2024, 4)}));
        EXPECT_EQ(at("E09000033", 1), (Cell{20, older_batch, Month(2024, 3)}));
        EXPECT_EQ(at("E09000033", 2).count, 21);
        EXPECT_EQ(at("E09000033", 3), (Cell{221, newer_batch, Month(2024, 4)}));
        EXPECT_EQ(at("E09000033", 4), (Cell{24, newer_batch, Month(2024, 4)}));
        EXPECT_EQ(cells.size(), 8u);
    }
};

TEST_F(VintageTest, LaterVintageWinsWhenIngestedSecond) {
    auto a = Ingest("older.csv", Older());
    auto b = Ingest("newer.csv", Newer());
    EXPECT_EQ(b.stats.rejected, 0);
    CheckLaterWins(a.batch_id, b.batch_id);
}

TEST_F(VintageTest, LaterVintageWinsWhenIngestedFirst) {
    auto b = Ingest("newer.csv", Newer());
    auto a = Ingest("older.csv", Older());
    EXPECT_EQ(a.stats.rejected, 0);
    EXPECT_EQ(a.stats.updated, 0); // an older edition never overwrites
    CheckLaterWins(a.batch_id, b.batch_id);
}

TEST_F(VintageTest, ReingestChangesNothing) {
    auto a = Ingest("older.csv", Older());
    auto b = Ingest("newer.csv", Newer());
    auto before = Cells();
    auto again = Ingest("newer.csv", Newer());
    EXPECT_TRUE(again.skipped);
    EXPECT_EQ(again.skipped_as, b.batch_id);
    auto forced_old = Ingest("older.csv", Older(), true);
    auto forced_new = Ingest("newer.csv", Newer(), true);
    EXPECT_FALSE(forced_new.skipped);
    for (const auto* r : {&forced_old, &forced_new}) {
        EXPECT_EQ(r->stats.accepted, 0) << r->path;
        EXPECT_EQ(r->stats.updated, 0) << r->path;
        EXPECT_EQ(r->stats.duplicates, 2) << r->path;
    }
    EXPECT_EQ(Cells(), before);
    EXPECT_EQ(store_->Batches().size(), 4u);
    (void)a;
}

TEST_F(VintageTest, LatestVintageWinsEvenWhenAMiddleVintageComesLast) {
    const std::string vwi = std::string(kVap) + "/" + kVwi;
    auto a = Ingest("a.csv", MetFile({"202401", "202402"}, {{kVap, kVwi, "Camden", {"40", "50"}}}));
    auto c = Ingest("c.csv", MetFile({"202402", "202403", "202404"}, {{kVap, kVwi, "Camden", {"50", "7", "8"}}}));
    auto b = Ingest("b.csv", MetFile({"202402", "202403"}, {{kVap, kVwi, "Camden", {"60", "9"}}}));
    auto cells = Cells();
    EXPECT_EQ(At(cells, "E09000007", Month(2024, 2), vwi).count, 50) << "the latest edition (to 2024-04) says 50";
    EXPECT_EQ(At(cells, "E09000007", Month(2024, 2), vwi).vintage, Month(2024, 4));
    EXPECT_EQ(At(cells, "E09000007", Month(2024, 3), vwi).count, 7);
    (void)a, (void)b, (void)c;
}

// The Met renames categories between editions (BURGLARY IN A DWELLING became RES BURGLARY OF A HOME): the later
// edition's figures for a month replace the earlier edition's for that month, renamed categories included.
TEST_F(VintageTest, LaterVintageReplacesRenamedCategoriesOfTheSameMonth) {
    auto older = MetFile({"202401", "202402"}, {{"BURGLARY", "BURGLARY IN A DWELLING", "Camden", {"30", "31"}},
                                                {"BURGLARY", "BURGLARY BUSINESS AND COMMUNITY", "Camden", {"5", "6"}}});
    auto newer = MetFile({"202402", "202403"}, {{"BURGLARY", "RES BURGLARY OF A HOME", "Camden", {"25", "26"}},
                                                {"BURGLARY", "BURGLARY BUSINESS AND COMMUNITY", "Camden", {"6", "7"}}});
    for (bool newer_first : {false, true}) {
        ScratchDir d("counts-renamed");
        auto s = store::OpenSqliteStore((d / "s.db").string());
        auto path_old = WriteFile(d / "old.csv", older), path_new = WriteFile(d / "new.csv", newer);
        if (newer_first) IngestCounts(*s, path_new, IngestOptions{}, progress_);
        IngestCounts(*s, path_old, IngestOptions{}, progress_);
        if (!newer_first) IngestCounts(*s, path_new, IngestOptions{}, progress_);
        store::CountQuery q;
        q.category = CategoryTree::Standard().Require("burglary");
        std::map<std::int32_t, std::int64_t> total;
        for (const auto& c : s->Counts(q)) total[c.period_key] += c.count;
        EXPECT_EQ(total[Month(2024, 1)], 35) << "only the older edition covers 2024-01";
        EXPECT_EQ(total[Month(2024, 2)], 31) << "newer edition's column: 25 + 6 (newer first: " << newer_first << ")";
        EXPECT_EQ(total[Month(2024, 3)], 33);
    }
}

} // namespace
} // namespace vigil::ingest
