// Tests of the result-table writers: CSV quoting (RFC 4180, read back through CsvReader), JSON value types and
// top-level key, and FormatDouble's promise that its text reads back to the identical double.
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "test_support.hpp"
#include "vigil/core/error.hpp"
#include "vigil/io/csv_reader.hpp"
#include "vigil/io/table.hpp"

namespace vigil::io {
namespace {

bool SameBits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

TEST(Table, CsvEscapeQuotesOnlyWhatNeedsIt) {
    EXPECT_EQ(CsvEscape("plain"), "plain");
    EXPECT_EQ(CsvEscape(""), "");
    EXPECT_EQ(CsvEscape(" spaced "), " spaced ");
    EXPECT_EQ(CsvEscape("a,b"), "\"a,b\"");
    EXPECT_EQ(CsvEscape("say \"hi\""), "\"say \"\"hi\"\"\"");
    EXPECT_EQ(CsvEscape("\""), "\"\"\"\"");
    EXPECT_EQ(CsvEscape("line1\nline2"), "\"line1\nline2\"");
    EXPECT_EQ(CsvEscape("cr\rhere"), "\"cr\rhere\"");
    EXPECT_EQ(CsvEscape("caf\xC3\xA9"), "caf\xC3\xA9");
}

TEST(Table, WriteCsvExactText) {
    Table t;
    t.columns = {"area", "n", "rate", "note"};
    t.AddRow({std::string("E01000001"), std::int64_t{3}, 0.5, std::monostate{}});
    t.AddRow({std::string("a,b"), std::int64_t{-7}, std::nan(""), std::string("x\"y")});
    std::ostringstream out;
    WriteCsv(t, out);
    EXPECT_EQ(out.str(), "area,n,rate,note\nE01000001,3,0.5,\n\"a,b\",-7,,\"x\"\"y\"\n");
}

TEST(Table, WriteCsvReadsBackThroughTheCsvReader) {
    const std::vector<std::string> hostile = {
        "plain", "", "comma, inside", "\"quoted\"", "multi\nline", "crlf\r\nline", "trailing,", ",", "\"",
        "  padded  ", "caf\xC3\xA9 \xE2\x82\xAC", "=cmd|' /C calc'!A0", "tab\there"};
    Table t;
    t.columns = {"id", "text", "value"};
    for (std::size_t i = 0; i < hostile.size(); ++i)
        t.AddRow({static_cast<std::int64_t>(i), hostile[i], static_cast<double>(i) / 3.0});
    test::ScratchDir dir("table-csv");
    {
        std::ofstream f(dir / "t.csv", std::ios::binary);
        WriteCsv(t, f);
    }
    CsvReader reader((dir / "t.csv").string());
    CsvRecord rec;
    ASSERT_TRUE(reader.Next(rec));
    ASSERT_EQ(rec.fields.size(), 3u);
    EXPECT_EQ(rec.fields[1], "text");
    for (std::size_t i = 0; i < hostile.size(); ++i) {
        ASSERT_TRUE(reader.Next(rec)) << i;
        EXPECT_TRUE(rec.problem.empty()) << rec.problem;
        ASSERT_EQ(rec.fields.size(), 3u) << i;
        EXPECT_EQ(rec.fields[0], std::to_string(i));
        EXPECT_EQ(std::string(rec.fields[1]), hostile[i]) << i;
        EXPECT_TRUE(SameBits(std::strtod(std::string(rec.fields[2]).c_str(), nullptr), static_cast<double>(i) / 3.0));
    }
    EXPECT_FALSE(reader.Next(rec));
}

TEST(Table, JsonTypesAndTopLevelKey) {
    Table t;
    t.name = "batches";
    t.columns = {"id", "rate", "label", "missing", "nan", "inf", "big"};
    t.AddRow({std::int64_t{42}, 0.125, std::string("a \"b\"\n"), std::monostate{}, std::nan(""),
              std::numeric_limits<double>::infinity(), std::int64_t{9007199254740993}}); // 2^53 + 1
    t.AddRow({std::int64_t{-1}, -1e-300, std::string(""), std::monostate{}, 1.0, -2.5, std::int64_t{0}});
    std::ostringstream out;
    nlohmann::json meta = {{"generated_by", "vigil"}, {"schema", 1}};
    WriteJson(t, out, &meta);
    nlohmann::json doc = nlohmann::json::parse(out.str());
    ASSERT_TRUE(doc.contains("batches"));
    EXPECT_FALSE(doc.contains("rows"));
    EXPECT_EQ(doc["generated_by"], "vigil");
    EXPECT_EQ(doc["schema"], 1);
    const auto& rows = doc["batches"];
    ASSERT_TRUE(rows.is_array());
    ASSERT_EQ(rows.size(), 2u);
    const auto& r = rows[0];
    EXPECT_TRUE(r["id"].is_number_integer());
    EXPECT_EQ(r["id"].get<std::int64_t>(), 42);
    EXPECT_TRUE(r["rate"].is_number_float());
    EXPECT_EQ(r["rate"].get<double>(), 0.125);
    EXPECT_EQ(r["label"], "a \"b\"\n");
    EXPECT_TRUE(r["missing"].is_null());
    EXPECT_TRUE(r["nan"].is_null());
    EXPECT_TRUE(r["inf"].is_null());
    EXPECT_EQ(r["big"].get<std::int64_t>(), 9007199254740993);
    EXPECT_TRUE(SameBits(rows[1]["rate"].get<double>(), -1e-300));
    EXPECT_EQ(rows[1]["label"], "");
    EXPECT_EQ(rows[1]["inf"].get<double>(), -2.5);
    // Columns keep their declared order in the text.
    const std::string text = out.str();
    EXPECT_LT(text.find("\"id\""), text.find("\"rate\""));
    EXPECT_LT(text.find("\"rate\""), text.find("\"label\""));
}

TEST(Table, JsonWithoutNameOrRowsUsesRowsKeyAndEmptyArray) {
    Table t;
    t.columns = {"a"};
    std::ostringstream out;
    WriteJson(t, out);
    nlohmann::json doc = nlohmann::json::parse(out.str());
    ASSERT_TRUE(doc.contains("rows"));
    EXPECT_TRUE(doc["rows"].is_array());
    EXPECT_TRUE(doc["rows"].empty());
}

TEST(Table, FormatDoubleRoundTrips) {
    std::vector<double> values = {0.0,
                                  -0.0,
                                  0.1,
                                  1.0 / 3.0,
                                  2.0 / 3.0,
                                  1e-300,
                                  -1e300,
                                  123456789.125,
                                  9007199254740993.0,
                                  1e22,
                                  1e23,
                                  M_PI,
                                  std::numeric_limits<double>::min(),
                                  std::numeric_limits<double>::max(),
                                  std::numeric_limits<double>::lowest(),
                                  std::numeric_limits<double>::denorm_min(),
                                  std::numeric_limits<double>::epsilon(),
                                  std::nextafter(1.0, 2.0),
                                  std::nextafter(1.0, 0.0)};
    // Plus 20,000 doubles from random bit patterns (a fixed xorshift stream), skipping NaN and infinity.
    std::uint64_t s = 0x9E3779B97F4A7C15ULL;
    while (values.size() < 20000) {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        double v;
        std::memcpy(&v, &s, sizeof v);
        if (std::isfinite(v)) values.push_back(v);
    }
    for (double v : values) {
        std::string text = FormatDouble(v);
        ASSERT_FALSE(text.empty()) << v;
        char* end = nullptr;
        double back = std::strtod(text.c_str(), &end);
        ASSERT_EQ(*end, '\0') << text;
        ASSERT_TRUE(SameBits(back, v)) << text;
    }
    EXPECT_EQ(FormatDouble(0.1), "0.1");
    EXPECT_EQ(FormatDouble(1.0), "1");
    EXPECT_EQ(FormatDouble(-2.5), "-2.5");
    EXPECT_EQ(FormatDouble(std::nan("")), "");
    EXPECT_EQ(FormatDouble(std::numeric_limits<double>::infinity()), "");
    EXPECT_EQ(FormatDouble(-std::numeric_limits<double>::infinity()), "");
}

TEST(Table, FormatNamesAndGeoJsonWithoutGeometry) {
    EXPECT_EQ(ParseFormat("table"), Format::kTable);
    EXPECT_EQ(ParseFormat("csv"), Format::kCsv);
    EXPECT_EQ(ParseFormat("json"), Format::kJson);
    EXPECT_EQ(ParseFormat("geojson"), Format::kGeoJson);
    try {
        ParseFormat("xml");
        ADD_FAILURE() << "xml accepted";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::kInvalidInput);
        EXPECT_NE(std::string(e.what()).find("xml"), std::string::npos);
    }
    Table t;
    t.columns = {"a"};
    std::ostringstream out;
    try {
        Write(t, Format::kGeoJson, out);
        ADD_FAILURE() << "geojson without geometry accepted";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::kInvalidInput);
    }
}

TEST(Table, TerminalTableAlignsAndRounds) {
    Table t;
    t.columns = {"name", "value"};
    t.decimals = 2;
    t.AddRow({std::string("a"), 3.14159});
    t.AddRow({std::string("longer"), std::nan("")});
    t.AddRow({std::string("c"), 100.0});
    std::ostringstream out;
    WriteTableText(t, out);
    // name: text, left-aligned to 6; value: numbers, right-aligned to 6 with 2 decimals; NaN is blank.
    EXPECT_EQ(out.str(), std::string("name") + std::string(5, ' ') + "value\n" +
                             "------  ------\n" +
                             "a" + std::string(9, ' ') + "3.14\n" +
                             "longer" + std::string(8, ' ') + "\n" +
                             "c" + std::string(7, ' ') + "100.00\n");
}

} // namespace
} // namespace vigil::io
