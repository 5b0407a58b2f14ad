// Parsing helpers shared by the reference-data and counts ingests (reference_support.hpp).
#include "vigil/ingest/reference_support.hpp"

#include <cctype>
#include <charconv>
#include <cmath>

namespace vigil::ingest {

std::string Lower(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

bool StartsWith(std::string_view s, std::string_view prefix) {
    return s.size() >= prefix.size() && s.substr(0, prefix.size()) == prefix;
}

bool AllDigits(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool LooksLikeGssCode(std::string_view s) {
    if (s.size() != 9 || !std::isupper(static_cast<unsigned char>(s[0])))
        return false;
    return AllDigits(s.substr(1));
}

std::optional<int> ParseSmallInt(std::string_view s) {
    int v = 0;
    if (!AllDigits(s) || s.size() > 6)
        return std::nullopt;
    std::from_chars(s.data(), s.data() + s.size(), v);
    return v;
}

std::optional<double> ParseNumber(std::string_view s) {
    std::string plain;
    if (s.find(',') != std::string_view::npos) {
        std::string_view body = s;
        if (!body.empty() && (body.front() == '-' || body.front() == '+'))
            body.remove_prefix(1);
        std::string_view int_part = body.substr(0, body.find('.'));
        std::size_t first = int_part.find(',');
        if (first == 0 || first > 3)
            return std::nullopt;
        for (std::size_t pos = first; pos != std::string_view::npos;) {
            std::size_t next = int_part.find(',', pos + 1);
            std::size_t len = (next == std::string_view::npos ? int_part.size() : next) - pos - 1;
            if (len != 3)
                return std::nullopt;
            pos = next;
        }
        for (char c : s)
            if (c != ',')
                plain += c;
        s = plain;
    }
    if (!s.empty() && s.front() == '+')
        s.remove_prefix(1);
    if (s.empty())
        return std::nullopt;
    double v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size() || !std::isfinite(v))
        return std::nullopt;
    return v;
}


std::string LevelOfCode(std::string_view code) {
    if (code.size() < 3)
        return "";
    std::string_view p = code.substr(0, 3);
    if (p == "E02" || p == "W02")
        return "msoa";
    if (p == "E05" || p == "W05")
        return "ward";
    if (p == "E06" || p == "E07" || p == "E08" || p == "E09" || p == "W06")
        return "borough";
    return "";
}

bool UsableRow(BatchRun& run, const io::CsvRecord& rec, const Header& header) {
    if (!rec.problem.empty()) {
        run.Reject(rec.line, header.Name(rec.problem_column - 1), "", "malformed CSV: " + rec.problem,
                   std::string(rec.raw));
        return false;
    }
    if (rec.fields.size() != header.size()) {
        run.Reject(rec.line, "", "",
                   "wrong number of fields: expected " + std::to_string(header.size()) + ", found " +
                       std::to_string(rec.fields.size()),
                   std::string(rec.raw));
        return false;
    }
    for (std::size_t i = 0; i < rec.fields.size(); ++i)
        if (!io::IsValidUtf8(rec.fields[i])) {
            run.Reject(rec.line, header.Name(static_cast<int>(i)), "", "the value is not valid UTF-8",
                       "<withheld: not valid UTF-8>");
            return false;
        }
    return true;
}


std::vector<std::string> UnusedColumns(const Header& header, const std::set<int>& used) {
    std::vector<std::string> out;
    for (std::size_t i = 0; i < header.size(); ++i)
        if (used.count(static_cast<int>(i)) == 0)
            out.push_back(header.names()[i]);
    return out;
}

} // namespace vigil::ingest
