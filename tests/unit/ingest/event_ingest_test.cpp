// IngestEvents on small planted files: every row is accounted for (accepted, updated, duplicate or rejected
// with its physical line, column, value and reason), the CSV corner cases (quotes, CRLF, BOM, bad UTF-8, blank
// lines, field counts, empty files), the identity rules of docs/IDENTITY.md and the privacy rule that direct
// identifiers never reach the store in clear.
#include <sqlite3.h>
#include <zlib.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <map>
#include <memory>
#include <string>
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

const char* const kPoliceHeader =
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,"
    "Last outcome category,Context\n";
const char* const kEventsHeader =
    "source,record_id,date,time,category,weapon,easting,northing,lsoa_code,victim_age,victim_sex,domestic_abuse\n";
const char* const kAeHeader = "attendance_id,site_code,arrival_datetime,assault_datetime,assault_method,age,sex,"
                              "easting,northing,nhs_number,date_of_birth,postcode\n";

// One police.uk street row (12 fields) in Newcastle upon Tyne unless told otherwise.
std::string PoliceRow(const std::string& id, const std::string& month, const std::string& type,
                      const std::string& outcome = "", const std::string& location = "On or near High Street",
                      const std::string& lon = "-1.613100", const std::string& lat = "54.978300") {
    return id + "," + month + ",Northumbria Police,Northumbria Police," + lon + "," + lat + "," + location +
           ",E01008162,Newcastle upon Tyne 001A," + type + "," + outcome + ",\n";
}

std::string WriteFile(const fs::path& p, const std::string& text) {
    std::ofstream out(p, std::ios::binary);
    out << text;
    return p.string();
}

std::string ReadBytes(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

void ExpectReconciles(const IngestResult& r) {
    const auto& s = r.stats;
    EXPECT_EQ(s.rows_read, s.accepted + s.updated + s.duplicates + s.rejected) << r.path;
}

class EventIngestTest : public ::testing::Test {
protected:
    EventIngestTest() : dir_("event-ingest"), db_((dir_ / "store.db").string()) {
        store_ = store::OpenSqliteStore(db_);
        options_.today = *MakeDate(2024, 6, 30);
    }

    IngestResult Ingest(const std::string& name, const std::string& text,
                        const std::string& profile = "police_uk_street") {
        std::string path = WriteFile(dir_ / name, text);
        IngestResult r = IngestEvents(*store_, path, BuiltinProfile(profile), options_, progress_);
        ExpectReconciles(r);
        return r;
    }

    std::vector<store::RejectRecord> Rejects(std::int64_t batch) { return store_->Rejects(batch, 1000); }

    // Exactly one reject in the batch, with the given line and column; returns it.
    store::RejectRecord OnlyReject(const IngestResult& r, std::int64_t line, const std::string& column) {
        auto rj = Rejects(r.batch_id);
        EXPECT_EQ(rj.size(), 1u);
        if (rj.empty()) return {};
        EXPECT_EQ(rj[0].line, line) << rj[0].reason;
        EXPECT_EQ(rj[0].column, column) << rj[0].reason;
        EXPECT_FALSE(rj[0].reason.empty());
        EXPECT_EQ(rj[0].file, r.path);
        return rj[0];
    }

    ScratchDir dir_;
    std::string db_;
    std::unique_ptr<store::Store> store_;
    IngestOptions options_;
    NullProgress progress_;
};

// ---- dates, categories, header ----

TEST_F(EventIngestTest, ImpossibleDateIsRejectedWithLineColumnValueReason) {
    auto r = Ingest("ev.csv",
                    std::string(kEventsHeader) + "ambulance,A1,2021-02-28,,violence_with_injury,,,,,,,\n"
                                                 "ambulance,A2,2021-02-30,,violence_with_injury,,,,,,,\n",
                    "vigil_events");
    EXPECT_EQ(r.stats.rows_read, 2);
    EXPECT_EQ(r.stats.accepted, 1);
    EXPECT_EQ(r.stats.rejected, 1);
    auto rj = OnlyReject(r, 3, "date");
    EXPECT_EQ(rj.value, "2021-02-30");
    EXPECT_NE(rj.reason.find("not a valid date"), std::string::npos) << rj.reason;
}

TEST_F(EventIngestTest, FutureDatesAreRejected) {
    auto r = Ingest("p.csv", std::string(kPoliceHeader) + PoliceRow("", "2024-06", "Anti-social behaviour") +
                                 PoliceRow("", "2024-07", "Anti-social behaviour"));
    EXPECT_EQ(r.stats.accepted, 1);
    auto rj = OnlyReject(r, 3, "Month");
    EXPECT_EQ(rj.value, "2024-07");
    EXPECT_NE(rj.reason.find("future"), std::string::npos) << rj.reason;

    auto e = Ingest("e.csv",
                    std::string(kEventsHeader) + "ambulance,A1,2024-06-30,,violence_with_injury,,,,,,,\n"
                                                 "ambulance,A2,2024-07-01,,violence_with_injury,,,,,,,\n",
                    "vigil_events");
    EXPECT_EQ(e.stats.accepted, 1);
    EXPECT_EQ(OnlyReject(e, 3, "date").value, "2024-07-01");
}

TEST_F(EventIngestTest, MonthOutOfRangeIsRejected) {
    auto r = Ingest("p.csv", std::string(kPoliceHeader) + PoliceRow("", "2021-13", "Anti-social behaviour"));
    EXPECT_EQ(r.stats.rejected, 1);
    EXPECT_EQ(OnlyReject(r, 2, "Month").value, "2021-13");
}

TEST_F(EventIngestTest, UnknownCrimeTypeIsRejected) {
    auto r = Ingest("p.csv", std::string(kPoliceHeader) + PoliceRow("c1", "2021-03", "Burglary") +
                                 PoliceRow("c2", "2021-03", "Crimes of fashion"));
    EXPECT_EQ(r.stats.accepted, 1);
    auto rj = OnlyReject(r, 3, "Crime type");
    EXPECT_EQ(rj.value, "Crimes of fashion");
    EXPECT_NE(rj.reason.find("unknown crime type"), std::string::npos) << rj.reason;
}

TEST_F(EventIngestTest, UnknownCategoryCodeIsRejected) {
    auto r = Ingest("e.csv", std::string(kEventsHeader) + "ambulance,A1,2021-02-01,,not_a_category,,,,,,,\n",
                    "vigil_events");
    EXPECT_EQ(OnlyReject(r, 2, "category").value, "not_a_category");
}

TEST_F(EventIngestTest, WrongHeaderNamesEveryMissingColumnAndWritesNothing) {
    std::string path = WriteFile(dir_ / "bad.csv", "Crime ID,Month,Longitude,Latitude,Location\n"
                                                   ",2021-03,-1.6,54.9,On or near X\n");
    try {
        IngestEvents(*store_, path, BuiltinProfile("police_uk_street"), options_, progress_);
        FAIL() << "expected a data error";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::kData);
        std::string m = e.what();
        EXPECT_NE(m.find(path), std::string::npos) << m;
        // The missing list names both absent columns and none of the present ones.
        auto from = m.find("missing column(s) ");
        ASSERT_NE(from, std::string::npos) << m;
        std::string missing = m.substr(from, m.find(" (the header has", from) - from);
        EXPECT_NE(missing.find("LSOA code"), std::string::npos) << m;
        EXPECT_NE(missing.find("Crime type"), std::string::npos) << m;
        EXPECT_EQ(missing.find("Longitude"), std::string::npos) << m;
        EXPECT_EQ(missing.find("Month"), std::string::npos) << m;
    }
    EXPECT_TRUE(store_->Batches().empty());
    EXPECT_EQ(store_->EventTotal(std::nullopt), 0);
}

TEST_F(EventIngestTest, HeaderThatIsNotUtf8IsADataError) {
    std::string path = WriteFile(dir_ / "bad.csv", std::string("Crime ID,Mon\xff") + "th\n");
    try {
        IngestEvents(*store_, path, BuiltinProfile("police_uk_street"), options_, progress_);
        FAIL() << "expected a data error";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::kData);
    }
}

// ---- CSV shape ----

TEST_F(EventIngestTest, StrayQuoteRejectsOnlyItsRow) {
    auto r = Ingest("p.csv", std::string(kPoliceHeader) + PoliceRow("", "2021-03", "Anti-social behaviour") +
                                 PoliceRow("", "2021-0\"3", "Anti-social behaviour") +
                                 PoliceRow("", "2021-04", "Anti-social behaviour"));
    EXPECT_EQ(r.stats.rows_read, 3);
    EXPECT_EQ(r.stats.accepted, 2);
    auto rj = OnlyReject(r, 3, "Month");
    EXPECT_NE(rj.reason.find("quote"), std::string::npos) << rj.reason;
}

TEST_F(EventIngestTest, UnclosedQuoteMidFileIsContainedToItsLine) {
    // No later quote at all: the reader reaches the end of the input looking for the closing quote.
    auto r = Ingest("p.csv", std::string(kPoliceHeader) + PoliceRow("", "2021-03", "Anti-social behaviour") +
                                 PoliceRow("", "2021-03", "Anti-social behaviour", "", "\"On or near Bad") +
                                 PoliceRow("", "2021-04", "Anti-social behaviour") +
                                 PoliceRow("c9", "2021-05", "Burglary"));
    EXPECT_EQ(r.stats.rows_read, 4);
    EXPECT_EQ(r.stats.accepted, 3);
    auto rj = OnlyReject(r, 3, "Location");
    EXPECT_NE(rj.reason.find("never closed"), std::string::npos) << rj.reason;
}

TEST_F(EventIngestTest, UnclosedQuoteBeforeALaterQuotedFieldIsContainedToItsLine) {
    // The stray quote would pair with the opening quote of a later, well-formed quoted field.
    auto r = Ingest("p.csv", std::string(kPoliceHeader) +
                                 PoliceRow("", "2021-03", "Anti-social behaviour", "", "\"On or near Bad") +
                                 PoliceRow("", "2021-04", "Anti-social behaviour") +
                                 PoliceRow("", "2021-04", "Anti-social behaviour", "", "\"On or near, Market St\"") +
                                 PoliceRow("c9", "2021-05", "Burglary"));
    EXPECT_EQ(r.stats.rows_read, 4);
    EXPECT_EQ(r.stats.accepted, 3);
    auto rj = Rejects(r.batch_id);
    ASSERT_EQ(rj.size(), 1u);
    EXPECT_EQ(rj[0].line, 2);
    EXPECT_NE(rj[0].reason.find("never closed"), std::string::npos) << rj[0].reason;
}

TEST_F(EventIngestTest, UnclosedQuoteBeforeALaterQuotedFieldNamesItsColumn) {
    auto r = Ingest("p.csv", std::string(kPoliceHeader) +
                                 PoliceRow("", "2021-03", "Anti-social behaviour", "", "\"On or near Bad") +
                                 PoliceRow("", "2021-04", "Anti-social behaviour", "", "\"On or near, Market St\""));
    OnlyReject(r, 2, "Location");
}

TEST_F(EventIngestTest, UnclosedQuoteAtEndOfFile) {
    std::string text = std::string(kPoliceHeader) + PoliceRow("", "2021-03", "Anti-social behaviour") +
                       PoliceRow("", "2021-04", "Anti-social behaviour") +
                       ",2021-05,Northumbria Police,Northumbria Police,-1.6131,54.9783,\"On or near never closed";
    auto r = Ingest("p.csv", text);
    EXPECT_EQ(r.stats.rows_read, 3);
    EXPECT_EQ(r.stats.accepted, 2);
    OnlyReject(r, 4, "Location");
    // The same with a final newline.
    auto r2 = Ingest("p2.csv", text + "\n");
    EXPECT_EQ(r2.stats.rows_read, 3);
    EXPECT_EQ(r2.stats.rejected, 1);
    EXPECT_EQ(r2.stats.duplicates, 2);
    OnlyReject(r2, 4, "Location");
}

TEST_F(EventIngestTest, QuotedFieldSpanningTwoLinesShiftsLaterLineNumbers) {
    auto r = Ingest("p.csv", std::string(kPoliceHeader) +
                                 PoliceRow("", "2021-03", "Anti-social behaviour", "", "\"On or near\nHigh Street\"") +
                                 PoliceRow("", "2021-03", "Anti-social behaviour") +
                                 PoliceRow("c2", "2021-03", "Crimes of fashion"));
    EXPECT_EQ(r.stats.rows_read, 3);
    EXPECT_EQ(r.stats.accepted, 2);
    // header 1, first row 2-3, second row 4, bad row 5
    EXPECT_EQ(OnlyReject(r, 5, "Crime type").value, "Crimes of fashion");
}

TEST_F(EventIngestTest, CrlfLineEndsGiveTheSameRecordsAndLines) {
    std::string lf = std::string(kPoliceHeader) + PoliceRow("", "2021-03", "Anti-social behaviour") +
                     PoliceRow("c1", "2021-03", "Burglary", "Under investigation") +
                     PoliceRow("c2", "2021-03", "Crimes of fashion");
    std::string crlf;
    for (char c : lf) {
        if (c == '\n') crlf += '\r';
        crlf += c;
    }
    auto a = Ingest("crlf.csv", crlf);
    EXPECT_EQ(a.stats.accepted, 2);
    auto rj = OnlyReject(a, 4, "Crime type");
    EXPECT_EQ(rj.value, "Crimes of fashion");
    EXPECT_EQ(rj.raw.find('\r'), std::string::npos);
    // The LF copy is the same content: a trailing \r must not have leaked into the last column.
    auto b = Ingest("lf.csv", lf);
    EXPECT_EQ(b.stats.accepted, 0);
    EXPECT_EQ(b.stats.duplicates, 2);
    EXPECT_EQ(b.stats.updated, 0);
}

TEST_F(EventIngestTest, ByteOrderMarkIsSkipped) {
    auto r = Ingest("bom.csv", std::string("\xEF\xBB\xBF") + kPoliceHeader +
                                   PoliceRow("c1", "2021-03", "Burglary") + PoliceRow("c2", "2021-03", "Drugs"));
    EXPECT_EQ(r.stats.accepted, 2);
    EXPECT_EQ(r.stats.rejected, 0);
    EXPECT_NE(r.notes.find("byte_order_mark"), std::string::npos) << r.notes;
    // Record identity does not depend on the mark: a copy without it adds nothing.
    auto plain = Ingest("plain.csv", std::string(kPoliceHeader) + PoliceRow("c1", "2021-03", "Burglary") +
                                         PoliceRow("c2", "2021-03", "Drugs"));
    EXPECT_EQ(plain.stats.duplicates, 2);
}

TEST_F(EventIngestTest, InvalidUtf8IsRejectedNamingTheColumn) {
    auto r = Ingest("p.csv", std::string(kPoliceHeader) +
                                 PoliceRow("", "2021-03", "Anti-social behaviour", "", "Caf\xC3 Street") +
                                 PoliceRow("", "2021-03", "Anti-social behaviour", "", "Caf\xC3\xA9 Street") +
                                 PoliceRow("", "2021-03", "Anti-social behaviour", "", "Over\xC0\xAFlong"));
    EXPECT_EQ(r.stats.rows_read, 3);
    EXPECT_EQ(r.stats.accepted, 1); // the well-formed é
    auto rj = Rejects(r.batch_id);
    ASSERT_EQ(rj.size(), 2u);
    EXPECT_EQ(rj[0].line, 2);
    EXPECT_EQ(rj[1].line, 4);
    for (const auto& x : rj) {
        EXPECT_EQ(x.column, "Location");
        EXPECT_NE(x.reason.find("UTF-8"), std::string::npos) << x.reason;
    }
}

TEST_F(EventIngestTest, MissingFinalNewlineKeepsTheLastRow) {
    std::string text = std::string(kPoliceHeader) + PoliceRow("c1", "2021-03", "Burglary") +
                       PoliceRow("c2", "2021-03", "Drugs");
    text.pop_back();
    auto r = Ingest("p.csv", text);
    EXPECT_EQ(r.stats.rows_read, 2);
    EXPECT_EQ(r.stats.accepted, 2);
    // A last row whose last field is empty and has no newline still has 12 fields.
    std::string t2 = std::string(kPoliceHeader) + PoliceRow("", "2021-05", "Anti-social behaviour");
    t2.pop_back();
    auto r2 = Ingest("p2.csv", t2);
    EXPECT_EQ(r2.stats.accepted, 1);
    EXPECT_EQ(r2.stats.rejected, 0);
}

TEST_F(EventIngestTest, BlankLinesAreSkippedButCounted) {
    auto r = Ingest("p.csv", std::string(kPoliceHeader) + "\n" + PoliceRow("c1", "2021-03", "Burglary") +
                                 "\n\r\n" + PoliceRow("c2", "2021-03", "Crimes of fashion") + "\n\n");
    EXPECT_EQ(r.stats.rows_read, 2);
    EXPECT_EQ(r.stats.accepted, 1);
    // header 1, blank 2, row 3, blank 4, blank 5, bad row 6
    OnlyReject(r, 6, "Crime type");
}

TEST_F(EventIngestTest, WrongFieldCountsAreRejected) {
    auto r = Ingest("p.csv", std::string(kPoliceHeader) + ",2021-03,Northumbria Police\n" +
                                 PoliceRow("c1", "2021-03", "Burglary") +
                                 "c2,2021-03,N,N,-1.6,54.9,Loc,E01008162,Name,Drugs,,,extra\n");
    EXPECT_EQ(r.stats.rows_read, 3);
    EXPECT_EQ(r.stats.accepted, 1);
    auto rj = Rejects(r.batch_id);
    ASSERT_EQ(rj.size(), 2u);
    EXPECT_EQ(rj[0].line, 2);
    EXPECT_NE(rj[0].reason.find("expected 12, found 3"), std::string::npos) << rj[0].reason;
    EXPECT_EQ(rj[1].line, 4);
    EXPECT_NE(rj[1].reason.find("expected 12, found 13"), std::string::npos) << rj[1].reason;
}

TEST_F(EventIngestTest, ManyBlocksKeepLineNumbersAndTally) {
    // More rows than one hand-over block between the reader and writer threads, with rejects spread over
    // several blocks; the same text gzip-compressed reads identically.
    std::string text = kPoliceHeader;
    std::vector<std::int64_t> bad_lines;
    const int kRows = 9000;
    for (int i = 0; i < kRows; ++i) {
        std::int64_t line = i + 2;
        if (i % 1999 == 7) {
            text += PoliceRow("", "2021-03", "Crimes of fashion");
            bad_lines.push_back(line);
        } else {
            text += PoliceRow("id" + std::to_string(i), "2021-03", "Burglary");
        }
    }
    auto r = Ingest("big.csv", text);
    EXPECT_EQ(r.stats.rows_read, kRows);
    EXPECT_EQ(r.stats.rejected, static_cast<std::int64_t>(bad_lines.size()));
    EXPECT_EQ(r.stats.accepted, kRows - static_cast<std::int64_t>(bad_lines.size()));
    auto rj = Rejects(r.batch_id);
    ASSERT_EQ(rj.size(), bad_lines.size());
    for (std::size_t k = 0; k < rj.size(); ++k) EXPECT_EQ(rj[k].line, bad_lines[k]);

    std::string gz_path = (dir_ / "big.csv.gz").string();
    gzFile gz = gzopen(gz_path.c_str(), "wb");
    ASSERT_NE(gz, nullptr);
    ASSERT_EQ(gzwrite(gz, text.data(), static_cast<unsigned>(text.size())), static_cast<int>(text.size()));
    gzclose(gz);
    auto g = IngestEvents(*store_, gz_path, BuiltinProfile("police_uk_street"), options_, progress_);
    ExpectReconciles(g);
    EXPECT_FALSE(g.skipped);
    EXPECT_EQ(g.stats.rows_read, kRows);
    EXPECT_EQ(g.stats.duplicates, r.stats.accepted);
    auto grj = Rejects(g.batch_id);
    ASSERT_EQ(grj.size(), bad_lines.size());
    for (std::size_t k = 0; k < grj.size(); ++k) EXPECT_EQ(grj[k].line, bad_lines[k]);
    EXPECT_EQ(store_->EventTotal(std::nullopt), r.stats.accepted);
}

// ---- values ----

TEST_F(EventIngestTest, CoordinatesOutsideTheRegionAreRejected) {
    options_.region = ParseRegion("380000,540000,450000,620000"); // Tyneside
    auto r = Ingest("p.csv", std::string(kPoliceHeader) + PoliceRow("c1", "2021-03", "Burglary") +
                                 PoliceRow("c2", "2021-03", "Burglary", "", "On or near Whitehall", "-0.127600",
                                           "51.503400"));
    EXPECT_EQ(r.stats.accepted, 1);
    auto rj = OnlyReject(r, 3, "Longitude");
    EXPECT_NE(rj.value.find("-0.127600"), std::string::npos) << rj.value;
    EXPECT_NE(rj.reason.find("outside the configured region"), std::string::npos) << rj.reason;

    auto e = Ingest("e.csv",
                    std::string(kEventsHeader) + "ambulance,A1,2021-02-01,,violence_with_injury,,424500,564300,,,,\n"
                                                 "ambulance,A2,2021-02-01,,violence_with_injury,,530000,180000,,,,\n",
                    "vigil_events");
    EXPECT_EQ(e.stats.accepted, 1);
    EXPECT_EQ(OnlyReject(e, 3, "easting").value, "530000,180000");
}

TEST_F(EventIngestTest, CoordinatesOutsideGreatBritainAreRejectedByDefault) {
    auto r = Ingest("p.csv", std::string(kPoliceHeader) +
                                 PoliceRow("c1", "2021-03", "Burglary", "", "Nowhere", "151.2093", "-33.8688") +
                                 PoliceRow("c2", "2021-03", "Burglary", "", "Nowhere", "200", "54.9"));
    EXPECT_EQ(r.stats.rejected, 2);
    for (const auto& x : Rejects(r.batch_id)) EXPECT_EQ(x.column, "Longitude");
}

TEST_F(EventIngestTest, BadEastingAgeSexAndFlagsAreRejectedNamingTheColumn) {
    auto e = Ingest("e.csv",
                    std::string(kEventsHeader) +
                        "ambulance,A1,2021-02-01,,violence_with_injury,,abc,564300,,,,\n"    // 2
                        "ambulance,A2,2021-02-01,,violence_with_injury,,424500,,,,,\n"       // 3
                        "ambulance,A3,2021-02-01,,violence_with_injury,,,,,-1,,\n"           // 4
                        "ambulance,A4,2021-02-01,,violence_with_injury,,,,,131,,\n"          // 5
                        "ambulance,A5,2021-02-01,,violence_with_injury,,,,,12.5,,\n"         // 6
                        "ambulance,A6,2021-02-01,,violence_with_injury,,,,,,yes,\n"          // 7
                        "ambulance,A7,2021-02-01,,violence_with_injury,,,,,,,perhaps\n"      // 8
                        "ambulance,A8,2021-02-01,25:61,violence_with_injury,,,,,,,\n"        // 9
                        "ambulance,A9,2021-02-01,,violence_with_injury,spoon,,,,,,\n"        // 10
                        "ambulance,A10,2021-02-01,,violence_with_injury,,,,E0100816,,,\n"    // 11
                        "Ambulance!,A11,2021-02-01,,violence_with_injury,,,,,,,\n"           // 12
                        "ambulance,,2021-02-01,,violence_with_injury,,,,,,,\n"               // 13
                        "ambulance,A13,2021-02-01,21:40,violence_with_injury,knife_or_sharp,424500,564300,"
                        "E01008162,0,F,yes\n"                                                // 14: good
                        "ambulance,A14,2021-02,,violence_with_injury,,,,,130,male,0\n",      // 15: good
                    "vigil_events");
    EXPECT_EQ(e.stats.rows_read, 14);
    EXPECT_EQ(e.stats.accepted, 2);
    EXPECT_EQ(e.stats.rejected, 12);
    std::map<std::int64_t, std::pair<std::string, std::string>> want = {
        {2, {"easting", "abc"}},       {3, {"northing", ""}},       {4, {"victim_age", "-1"}},
        {5, {"victim_age", "131"}},    {6, {"victim_age", "12.5"}}, {7, {"victim_sex", "yes"}},
        {8, {"domestic_abuse", "perhaps"}}, {9, {"time", "25:61"}}, {10, {"weapon", "spoon"}},
        {11, {"lsoa_code", "E0100816"}}, {12, {"source", "Ambulance!"}}, {13, {"record_id", ""}},
    };
    auto rj = Rejects(e.batch_id);
    ASSERT_EQ(rj.size(), want.size());
    for (const auto& x : rj) {
        auto it = want.find(x.line);
        ASSERT_NE(it, want.end()) << "unexpected reject on line " << x.line << ": " << x.reason;
        EXPECT_EQ(x.column, it->second.first) << "line " << x.line << ": " << x.reason;
        EXPECT_EQ(x.value, it->second.second) << "line " << x.line;
        EXPECT_FALSE(x.reason.empty());
    }
}

TEST_F(EventIngestTest, HeaderOnlyFileIsAnEmptyBatch) {
    auto r = Ingest("p.csv", kPoliceHeader);
    EXPECT_FALSE(r.skipped);
    EXPECT_EQ(r.stats.rows_read, 0);
    EXPECT_EQ(r.stats.accepted, 0);
    auto batches = store_->Batches();
    ASSERT_EQ(batches.size(), 1u);
    EXPECT_EQ(batches[0].stats.rows_read, 0);
    // Without the final newline too.
    std::string h = kPoliceHeader;
    h.pop_back();
    auto r2 = Ingest("p2.csv", h);
    EXPECT_EQ(r2.stats.rows_read, 0);
}

TEST_F(EventIngestTest, ZeroByteFileIsADataError) {
    std::string path = WriteFile(dir_ / "empty.csv", "");
    try {
        IngestEvents(*store_, path, BuiltinProfile("police_uk_street"), options_, progress_);
        FAIL() << "expected a data error";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::kData);
        EXPECT_NE(std::string(e.what()).find("empty"), std::string::npos) << e.what();
    }
    EXPECT_TRUE(store_->Batches().empty());
}

// ---- identity ----

TEST_F(EventIngestTest, IdenticalRowsWithoutCrimeIdAreTwoRecords) {
    std::string asb = PoliceRow("", "2021-03", "Anti-social behaviour");
    auto r = Ingest("p.csv", std::string(kPoliceHeader) + asb + asb);
    EXPECT_EQ(r.stats.accepted, 2);
    EXPECT_EQ(r.stats.duplicates, 0);
    EXPECT_EQ(store_->EventTotal(std::string("police")), 2);
}

class PoliceIdentityTest : public EventIngestTest {
protected:
    std::vector<std::string> Rows(const std::string& outcome_c1 = "Under investigation",
                                  const std::string& outcome_asb = "") {
        return {
            PoliceRow("", "2021-03", "Anti-social behaviour"),
            PoliceRow("", "2021-03", "Anti-social behaviour"),
            PoliceRow("c1", "2021-03", "Violence and sexual offences", outcome_c1, "On or near Park"),
            PoliceRow("", "2021-03", "Anti-social behaviour", outcome_asb, "On or near Station"),
            PoliceRow("c2", "2021-03", "Burglary", "Under investigation", "On or near Church"),
        };
    }
    static std::string File(const std::vector<std::string>& rows) {
        std::string t = kPoliceHeader;
        for (const auto& r : rows) t += r;
        return t;
    }
    void SetUp() override {
        first_ = Ingest("2021-03-northumbria-street.csv", File(Rows()));
        ASSERT_EQ(first_.stats.accepted, 5);
    }
    IngestResult first_;
};

TEST_F(PoliceIdentityTest, SameFileAgainIsSkipped) {
    std::string path = (dir_ / "2021-03-northumbria-street.csv").string();
    IngestResult again = IngestEvents(*store_, path, BuiltinProfile("police_uk_street"), options_, progress_);
    EXPECT_TRUE(again.skipped);
    EXPECT_EQ(again.skipped_as, first_.batch_id);
    EXPECT_EQ(store_->Batches().size(), 1u);
    EXPECT_EQ(store_->EventTotal(std::nullopt), 5);
}

TEST_F(PoliceIdentityTest, ReissuedCopyInAnotherOrderAddsNothing) {
    auto rows = Rows();
    std::reverse(rows.begin(), rows.end());
    auto r = Ingest("reissue-of-march.csv", File(rows));
    EXPECT_FALSE(r.skipped);
    EXPECT_EQ(r.stats.rows_read, 5);
    EXPECT_EQ(r.stats.duplicates, 5);
    EXPECT_EQ(r.stats.accepted, 0);
    EXPECT_EQ(r.stats.updated, 0);
    EXPECT_EQ(store_->EventTotal(std::nullopt), 5);
}

TEST_F(PoliceIdentityTest, ChangedOutcomeOfACrimeWithIdIsOneUpdate) {
    auto r = Ingest("march-v2.csv", File(Rows("Investigation complete; no suspect identified")));
    EXPECT_EQ(r.stats.updated, 1);
    EXPECT_EQ(r.stats.duplicates, 4);
    EXPECT_EQ(r.stats.accepted, 0);
    EXPECT_EQ(store_->EventTotal(std::nullopt), 5);
}

TEST_F(PoliceIdentityTest, ChangedContentOfACrimeWithIdIsAnUpdateNotANewRecord) {
    auto rows = Rows();
    rows[4] = PoliceRow("c2", "2021-03", "Robbery", "Under investigation", "On or near Church");
    auto r = Ingest("march-v3.csv", File(rows));
    EXPECT_EQ(r.stats.updated, 1);
    EXPECT_EQ(r.stats.accepted, 0);
    EXPECT_EQ(store_->EventTotal(std::nullopt), 5);
    store::EventQuery q;
    q.level = "lsoa";
    q.category = CategoryTree::Standard().Require("robbery");
    std::int64_t robberies = 0;
    for (const auto& g : store_->GroupEvents(q)) robberies += g.count;
    EXPECT_EQ(robberies, 1);
    q.category = CategoryTree::Standard().Require("burglary");
    std::int64_t burglaries = 0;
    for (const auto& g : store_->GroupEvents(q)) burglaries += g.count;
    EXPECT_EQ(burglaries, 0) << "the updated record is counted under its new category only";
    q.category = CategoryTree::Standard().Require("all_crime");
    std::int64_t all = 0;
    for (const auto& g : store_->GroupEvents(q)) all += g.count;
    EXPECT_EQ(all, 5);
}

TEST_F(PoliceIdentityTest, ChangedOutcomeOfARowWithoutCrimeIdIsOneUpdate) {
    auto r = Ingest("march-v4.csv", File(Rows("Under investigation", "Action taken")));
    EXPECT_EQ(r.stats.updated, 1);
    EXPECT_EQ(r.stats.duplicates, 4);
    EXPECT_EQ(r.stats.accepted, 0);
    EXPECT_EQ(store_->EventTotal(std::nullopt), 5);
}

// ---- privacy ----

struct Sqlite {
    explicit Sqlite(const std::string& path) {
        if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK)
            ADD_FAILURE() << "cannot open " << path;
    }
    ~Sqlite() { sqlite3_close(db); }
    std::map<std::string, std::string> Map(const std::string& sql) {
        std::map<std::string, std::string> out;
        sqlite3_stmt* s = nullptr;
        if (sqlite3_prepare_v2(db, sql.c_str(), -1, &s, nullptr) != SQLITE_OK) {
            ADD_FAILURE() << sqlite3_errmsg(db);
            return out;
        }
        while (sqlite3_step(s) == SQLITE_ROW) {
            auto text = [&](int i) {
                const unsigned char* t = sqlite3_column_text(s, i);
                return t ? std::string(reinterpret_cast<const char*>(t)) : std::string();
            };
            out[text(0)] = text(1);
        }
        sqlite3_finalize(s);
        return out;
    }
    sqlite3* db = nullptr;
};

const char* const kKey1 = "0123456789abcdef0123456789abcdef-test-key-one";
const char* const kKey2 = "fedcba9876543210fedcba9876543210-test-key-two";

std::string AeFile() {
    return std::string(kAeHeader) +
           "A1,RTD01,2024-03-01 21:40,,knife,24,M,424500,564300,9434765919,1961-07-23,NE1 4XF\n"       // 2
           "A2,RTD01,2024-03-02 01:10,,punch,31,F,424600,564400,943 476 5919,1961-07-23,NE1 4XF\n"     // 3 same person
           "A3,RTD01,2024-03-03 12:00,,bottle/glass,19,male,,,4010232137,1984-11-02,NE6 5AB\n"         // 4
           "A4,RTD01,2024-03-04 10:00,,other,abc,F,,,6543210987,1975-02-14,NE2 1XX\n"                  // 5 bad age
           "A5,RTD01,2024-03-05 10:00,,other,40,F,7778889990,1950-01-01\n"                             // 6 fields
           "A6,RTD01,2024-03-06 10:00,,\xff\xfe,40,F,,,5556667778,1966-06-06,NE3 3ZZ\n"                // 7 UTF-8
           "A7,RTD01,2024-13-07 10:00,,other,40,F,,,1112223334,1977-07-07,NE4 4QQ\n";                  // 8 bad date
}

const std::vector<std::string> kIdentifiersInClear = {
    "9434765919", "943 476 5919", "1961-07-23", "19610723", "NE1 4XF", "ne14xf", "4010232137", "1984-11-02",
    "6543210987", "1975-02-14",   "7778889990", "1950-01-01", "5556667778", "1966-06-06", "NE3 3ZZ",
    "1112223334", "1977-07-07",   "NE4 4QQ"};

void ExpectNoIdentifiersInFiles(const fs::path& db) {
    for (const fs::path& p : {db, fs::path(db.string() + "-wal")}) {
        if (!fs::exists(p)) continue;
        std::string bytes = ReadBytes(p);
        for (const auto& v : kIdentifiersInClear)
            EXPECT_EQ(bytes.find(v), std::string::npos) << v << " found in clear in " << p;
    }
}

TEST_F(EventIngestTest, AeWithIdentifiersAndNoKeyIsRefusedAndWritesNothing) {
    std::string path = WriteFile(dir_ / "ae.csv", AeFile());
    try {
        IngestEvents(*store_, path, BuiltinProfile("ae_istv"), options_, progress_);
        FAIL() << "expected invalid input";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::kInvalidInput);
        EXPECT_NE(std::string(e.what()).find("nhs_number"), std::string::npos) << e.what();
    }
    EXPECT_TRUE(store_->Batches().empty());
    EXPECT_EQ(store_->EventTotal(std::nullopt), 0);
    EXPECT_TRUE(store_->Rejects(std::nullopt, 10).empty());
    ExpectNoIdentifiersInFiles(db_);
}

TEST_F(EventIngestTest, AeWithKeyStoresNoIdentifierInClearAnywhere) {
    options_.pseudonymiser = Pseudonymiser(kKey1);
    auto r = Ingest("ae.csv", AeFile(), "ae_istv");
    EXPECT_EQ(r.stats.rows_read, 7);
    EXPECT_EQ(r.stats.accepted, 3);
    EXPECT_EQ(r.stats.rejected, 4);
    auto rj = Rejects(r.batch_id);
    ASSERT_EQ(rj.size(), 4u);
    EXPECT_EQ(rj[0].line, 5);
    EXPECT_EQ(rj[0].column, "age");
    EXPECT_EQ(rj[0].value, "abc");
    EXPECT_EQ(rj[1].line, 6);
    EXPECT_EQ(rj[2].line, 7);
    EXPECT_EQ(rj[2].column, "assault_method");
    EXPECT_EQ(rj[3].line, 8);
    EXPECT_EQ(rj[3].column, "arrival_datetime");
    for (const auto& x : rj)
        for (const auto& v : kIdentifiersInClear) {
            EXPECT_EQ(x.raw.find(v), std::string::npos) << v << " in reject raw on line " << x.line;
            EXPECT_EQ(x.value.find(v), std::string::npos) << v << " in reject value on line " << x.line;
        }
    ExpectNoIdentifiersInFiles(db_); // while open: the data sits in the -wal file
    store_.reset();
    ExpectNoIdentifiersInFiles(db_); // after close: checkpointed into the main file
}

TEST_F(EventIngestTest, SameNhsNumberGivesTheSamePseudonymAndKeysDiffer) {
    options_.pseudonymiser = Pseudonymiser(kKey1);
    Ingest("ae.csv", AeFile(), "ae_istv");
    auto ids1 = Sqlite(db_).Map("SELECT record_id, person_ids FROM event WHERE source = 'ae'");
    ASSERT_EQ(ids1.size(), 3u);
    EXPECT_EQ(ids1["RTD01:A1"], ids1["RTD01:A2"]) << "943 476 5919 and 9434765919 are one person";
    EXPECT_NE(ids1["RTD01:A1"], ids1["RTD01:A3"]);
    EXPECT_EQ(ids1["RTD01:A1"].rfind("nhs_number:", 0), 0u) << ids1["RTD01:A1"];
    EXPECT_EQ(ids1["RTD01:A1"], Pseudonymiser(kKey1).Pseudonym("nhs_number", "9434765919"));

    ScratchDir other("event-ingest-key2");
    std::string db2 = (other / "store.db").string();
    {
        auto store2 = store::OpenSqliteStore(db2);
        IngestOptions o2 = options_;
        o2.pseudonymiser = Pseudonymiser(kKey2);
        std::string path = WriteFile(other / "ae.csv", AeFile());
        auto r2 = IngestEvents(*store2, path, BuiltinProfile("ae_istv"), o2, progress_);
        EXPECT_EQ(r2.stats.accepted, 3);
    }
    auto ids2 = Sqlite(db2).Map("SELECT record_id, person_ids FROM event WHERE source = 'ae'");
    ASSERT_EQ(ids2.size(), 3u);
    for (const auto& [id, p] : ids1) {
        EXPECT_FALSE(p.empty());
        EXPECT_NE(p, ids2[id]) << id << ": another key must give another pseudonym";
    }
    EXPECT_EQ(ids2["RTD01:A1"], ids2["RTD01:A2"]);
}

TEST(PseudonymiserTest, ShortKeyIsRefused) {
    try {
        Pseudonymiser p("too short a key");
        FAIL() << "expected invalid input";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::kInvalidInput);
    }
}

TEST(PseudonymiserTest, KindSeparatesPseudonymsAndNormalisationJoinsSpellings) {
    Pseudonymiser p(kKey1);
    EXPECT_NE(p.Pseudonym("nhs_number", "123"), p.Pseudonym("postcode", "123"));
    EXPECT_EQ(p.Pseudonym("postcode", "NE1 4XF"), p.Pseudonym("postcode", "ne14xf"));
    std::string s = p.Pseudonym("nhs_number", "9434765919");
    EXPECT_EQ(s.size(), std::string("nhs_number:").size() + 32);
    EXPECT_EQ(s.find("9434765919"), std::string::npos);
}

} // namespace
} // namespace vigil::ingest
