#pragma once
// Parsing helpers shared by the reference-data ingests (areas, population, deprivation) and the aggregate
// counts: tolerant number parsing, GSS code checks, and the common rejection of unusable CSV rows.
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "vigil/ingest/batch_run.hpp"

namespace vigil::ingest {

std::string Lower(std::string_view s);
bool StartsWith(std::string_view s, std::string_view prefix);
bool AllDigits(std::string_view s);
bool LooksLikeGssCode(std::string_view s);   // a letter then eight digits, e.g. E01000001
std::optional<int> ParseSmallInt(std::string_view s);
// A decimal number as spreadsheets write it: "1234", "-3", "12.5", or with thousands separators "1,234,567"
// (only when every group after the first has three digits, so "1,5" is not silently read as 15).
std::optional<double> ParseNumber(std::string_view s);
// The level of a higher area from its GSS code prefix (E02 msoa, E05 ward, E06-E09 borough); empty otherwise.
std::string LevelOfCode(std::string_view code);

// Rejects a record that is not a well-formed row of the header's width in UTF-8; true when it can be used.
bool UsableRow(BatchRun& run, const io::CsvRecord& rec, const Header& header);

struct RowError {
    std::string column, value, reason;
};

// Column names of `header` that are not in `used`, for the batch notes.
std::vector<std::string> UnusedColumns(const Header& header, const std::set<int>& used);

} // namespace vigil::ingest
