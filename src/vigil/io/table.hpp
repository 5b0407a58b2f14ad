#pragma once
// A result table and its writers: CSV (RFC 4180), JSON ({"<name>": [ {...}, ... ]}, plus optional metadata)
// and an aligned terminal table. Every front end writes results through these, so field names stay stable.
#include <cstdint>
#include <ostream>
#include <string>
#include <variant>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace vigil::io {

using Cell = std::variant<std::monostate, std::int64_t, double, std::string>;

struct Table {
    std::string name; // JSON top-level key, e.g. "batches"
    std::vector<std::string> columns;
    std::vector<std::vector<Cell>> rows;
    int decimals = 6; // for doubles in the terminal table; CSV and JSON keep full precision

    void AddRow(std::vector<Cell> row) { rows.push_back(std::move(row)); }
};

enum class Format { kTable, kCsv, kJson, kGeoJson };
Format ParseFormat(const std::string& name); // table|csv|json|geojson, throws kInvalidInput

// Shortest text that reads back to the same double ("%.17g" trimmed via std::to_chars); NaN/inf as empty.
std::string FormatDouble(double v);
std::string CsvEscape(const std::string& s);

void WriteCsv(const Table& t, std::ostream& out);
void WriteTableText(const Table& t, std::ostream& out);
// metadata (may be null) is merged at the top level beside the rows array.
void WriteJson(const Table& t, std::ostream& out, const nlohmann::json* metadata = nullptr);
void Write(const Table& t, Format f, std::ostream& out, const nlohmann::json* metadata = nullptr);

} // namespace vigil::io
