#include "vigil/io/table.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "vigil/core/error.hpp"

namespace vigil::io {

Format ParseFormat(const std::string& name) {
    if (name == "table") return Format::kTable;
    if (name == "csv") return Format::kCsv;
    if (name == "json") return Format::kJson;
    if (name == "geojson") return Format::kGeoJson;
    ThrowInvalidInput("unknown format '" + name + "'; expected table, csv, json or geojson");
}

std::string FormatDouble(double v) {
    if (!std::isfinite(v)) return {};
    char buf[32];
    auto [p, ec] = std::to_chars(buf, buf + sizeof buf, v);
    if (ec != std::errc()) return {};
    return std::string(buf, p);
}

std::string CsvEscape(const std::string& s) {
    if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
    std::string out = "\"";
    for (char c : s) {
        if (c == '"') out += '"';
        out += c;
    }
    out += '"';
    return out;
}

namespace {

std::string CellText(const Cell& c) {
    if (std::holds_alternative<std::int64_t>(c)) return std::to_string(std::get<std::int64_t>(c));
    if (std::holds_alternative<double>(c)) return FormatDouble(std::get<double>(c));
    if (std::holds_alternative<std::string>(c)) return std::get<std::string>(c);
    return {};
}

std::string CellDisplay(const Cell& c, int decimals) {
    if (std::holds_alternative<double>(c)) {
        double v = std::get<double>(c);
        if (!std::isfinite(v)) return std::isnan(v) ? "" : (v > 0 ? "inf" : "-inf");
        char buf[64];
        std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
        return buf;
    }
    if (std::holds_alternative<std::monostate>(c)) return "";
    return CellText(c);
}

} // namespace

// Appends one CSV field, quoting only when it must.
static void AppendCsvField(std::string& buf, std::string_view s) {
    if (s.find_first_of(",\"\r\n") == std::string_view::npos) {
        buf.append(s);
        return;
    }
    buf.push_back('"');
    for (char c : s) {
        if (c == '"') buf.push_back('"');
        buf.push_back(c);
    }
    buf.push_back('"');
}

void WriteCsv(const Table& t, std::ostream& out) {
    std::string buf;
    buf.reserve(1 << 20);
    for (std::size_t i = 0; i < t.columns.size(); ++i) {
        if (i) buf.push_back(',');
        AppendCsvField(buf, t.columns[i]);
    }
    buf.push_back('\n');
    char num[32];
    for (const auto& row : t.rows) {
        for (std::size_t i = 0; i < row.size(); ++i) {
            if (i) buf.push_back(',');
            const Cell& c = row[i];
            if (const auto* v = std::get_if<std::int64_t>(&c)) {
                auto [p, ec] = std::to_chars(num, num + sizeof num, *v);
                buf.append(num, p);
            } else if (const auto* d = std::get_if<double>(&c)) {
                if (std::isfinite(*d)) {
                    auto [p, ec] = std::to_chars(num, num + sizeof num, *d);
                    if (ec == std::errc()) buf.append(num, p);
                }
            } else if (const auto* str = std::get_if<std::string>(&c)) {
                AppendCsvField(buf, *str);
            }
        }
        buf.push_back('\n');
        if (buf.size() > (1 << 20) - 4096) {
            out.write(buf.data(), static_cast<std::streamsize>(buf.size()));
            buf.clear();
        }
    }
    out.write(buf.data(), static_cast<std::streamsize>(buf.size()));
}

void WriteTableText(const Table& t, std::ostream& out) {
    std::vector<std::size_t> width(t.columns.size());
    std::vector<std::vector<std::string>> text;
    text.reserve(t.rows.size());
    for (std::size_t i = 0; i < t.columns.size(); ++i) width[i] = t.columns[i].size();
    std::vector<bool> numeric(t.columns.size(), true);
    for (const auto& row : t.rows) {
        std::vector<std::string> r;
        for (std::size_t i = 0; i < row.size() && i < width.size(); ++i) {
            r.push_back(CellDisplay(row[i], t.decimals));
            width[i] = std::max(width[i], r.back().size());
            if (std::holds_alternative<std::string>(row[i])) numeric[i] = false;
        }
        text.push_back(std::move(r));
    }
    auto put = [&](const std::string& s, std::size_t i) {
        std::size_t pad = width[i] - std::min(width[i], s.size());
        if (numeric[i]) out << std::string(pad, ' ') << s;
        else out << s << std::string(pad, ' ');
    };
    for (std::size_t i = 0; i < t.columns.size(); ++i) {
        if (i) out << "  ";
        put(t.columns[i], i);
    }
    out << '\n';
    for (std::size_t i = 0; i < t.columns.size(); ++i) out << (i ? "  " : "") << std::string(width[i], '-');
    out << '\n';
    for (const auto& r : text) {
        for (std::size_t i = 0; i < r.size(); ++i) {
            if (i) out << "  ";
            put(r[i], i);
        }
        out << '\n';
    }
}

void WriteJson(const Table& t, std::ostream& out, const nlohmann::json* metadata) {
    nlohmann::ordered_json doc;
    if (metadata)
        for (auto it = metadata->begin(); it != metadata->end(); ++it) doc[it.key()] = *it;
    nlohmann::ordered_json rows = nlohmann::ordered_json::array();
    for (const auto& row : t.rows) {
        nlohmann::ordered_json o;
        for (std::size_t i = 0; i < row.size() && i < t.columns.size(); ++i) {
            const Cell& c = row[i];
            if (std::holds_alternative<std::int64_t>(c)) o[t.columns[i]] = std::get<std::int64_t>(c);
            else if (std::holds_alternative<double>(c)) {
                double v = std::get<double>(c);
                if (std::isfinite(v)) o[t.columns[i]] = v;
                else o[t.columns[i]] = nullptr;
            } else if (std::holds_alternative<std::string>(c)) o[t.columns[i]] = std::get<std::string>(c);
            else o[t.columns[i]] = nullptr;
        }
        rows.push_back(std::move(o));
    }
    doc[t.name.empty() ? "rows" : t.name] = std::move(rows);
    out << doc.dump(2) << '\n';
}

void Write(const Table& t, Format f, std::ostream& out, const nlohmann::json* metadata) {
    switch (f) {
    case Format::kCsv: WriteCsv(t, out); return;
    case Format::kJson: WriteJson(t, out, metadata); return;
    case Format::kTable: WriteTableText(t, out); return;
    case Format::kGeoJson: ThrowInvalidInput("this output has no geometry; use --format table, csv or json");
    }
}

} // namespace vigil::io
