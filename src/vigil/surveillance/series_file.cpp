#include "vigil/surveillance/series_file.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <unordered_map>

#include "vigil/core/error.hpp"
#include "vigil/io/csv_reader.hpp"

namespace vigil::surveillance {
namespace {

std::optional<long long> WholeNumber(std::string_view s) {
    long long v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec == std::errc() && p == s.data() + s.size() && !s.empty()) return v;
    // "12.0" as spreadsheets write whole numbers
    double d = 0;
    auto [q, ec2] = std::from_chars(s.data(), s.data() + s.size(), d);
    if (ec2 == std::errc() && q == s.data() + s.size() && !s.empty() && std::isfinite(d) && d == std::floor(d) &&
        std::abs(d) < 9e15)
        return static_cast<long long>(d);
    return std::nullopt;
}

} // namespace

std::vector<CountSeries> ReadSeriesCsv(const std::string& path) {
    io::CsvReader reader(path);
    io::CsvRecord rec;
    if (!reader.Next(rec)) ThrowData(path + ": the file is empty (expected a header series_id,t,count)");
    std::map<std::string, int> col;
    for (std::size_t i = 0; i < rec.fields.size(); ++i) col[std::string(io::Trim(rec.fields[i]))] = static_cast<int>(i);
    auto find = [&](const char* name) { auto it = col.find(name); return it == col.end() ? -1 : it->second; };
    const int c_id = find("series_id"), c_t = find("t"), c_count = find("count"), c_pop = find("population"),
              c_year = find("year"), c_week = find("week"), c_period = find("period");
    if (c_id < 0 || c_t < 0 || c_count < 0)
        ThrowData(path + ": line 1: the header needs the columns series_id, t and count (found: " +
                  std::string(rec.raw) + ")");
    const std::size_t width = rec.fields.size();
    struct Point {
        long long t;
        double count, population;
        std::string label;
        std::optional<int> week;
        std::int64_t line;
    };
    std::vector<std::string> order;
    std::unordered_map<std::string, std::vector<Point>> points;
    while (reader.Next(rec)) {
        const std::string where = path + ": line " + std::to_string(rec.line);
        if (!rec.problem.empty()) ThrowData(where + ": malformed CSV: " + rec.problem);
        if (rec.fields.size() != width)
            ThrowData(where + ": expected " + std::to_string(width) + " fields, found " + std::to_string(rec.fields.size()));
        auto field = [&](int c) { return io::Trim(rec.fields[static_cast<std::size_t>(c)]); };
        Point p{};
        p.line = rec.line;
        std::string id(field(c_id));
        if (id.empty()) ThrowData(where + ": column series_id: blank series id");
        auto t = WholeNumber(field(c_t));
        if (!t || *t < 1) ThrowData(where + ": column t: '" + std::string(field(c_t)) + "' is not a time point 1, 2, ...");
        p.t = *t;
        auto n = WholeNumber(field(c_count));
        if (!n || *n < 0)
            ThrowData(where + ": column count: '" + std::string(field(c_count)) +
                      "' is not a count (a whole number of 0 or more)");
        p.count = static_cast<double>(*n);
        p.population = std::nan("");
        if (c_pop >= 0) {
            std::string_view v = field(c_pop);
            double d = 0;
            auto [q, ec] = std::from_chars(v.data(), v.data() + v.size(), d);
            if (ec != std::errc() || q != v.data() + v.size() || !(d > 0) || !std::isfinite(d))
                ThrowData(where + ": column population: '" + std::string(v) + "' is not a positive number");
            p.population = d;
        }
        if (c_period >= 0) p.label = std::string(field(c_period));
        if (c_year >= 0 && c_week >= 0) {
            auto y = WholeNumber(field(c_year)), w = WholeNumber(field(c_week));
            if (!y || !w || *w < 1 || *w > 53)
                ThrowData(where + ": columns year, week: '" + std::string(field(c_year)) + "', '" +
                          std::string(field(c_week)) + "' are not a year and a week 1-53");
            char buf[32];
            std::snprintf(buf, sizeof buf, "%lld-W%02lld", *y, *w);
            if (p.label.empty()) p.label = buf;
            p.week = static_cast<int>(*w);
        }
        auto [it, added] = points.try_emplace(id);
        if (added) order.push_back(id);
        it->second.push_back(std::move(p));
    }
    std::vector<CountSeries> out;
    for (const auto& id : order) {
        auto& pts = points[id];
        std::stable_sort(pts.begin(), pts.end(), [](const Point& a, const Point& b) { return a.t < b.t; });
        CountSeries s;
        s.id = id;
        for (std::size_t i = 0; i < pts.size(); ++i) {
            const Point& p = pts[i];
            const long long want = static_cast<long long>(i) + 1;
            if (p.t != want) {
                if (p.t < want)
                    ThrowData(path + ": line " + std::to_string(p.line) + ": series '" + id + "' has t = " +
                              std::to_string(p.t) + " twice (each period once)");
                ThrowData(path + ": series '" + id + "': t jumps from " + std::to_string(want - 1) + " to " +
                          std::to_string(p.t) + " (line " + std::to_string(p.line) +
                          "); give every period from 1, with count 0 where there were no cases");
            }
            s.counts.push_back(p.count);
            if (c_pop >= 0) s.population.push_back(p.population);
            if (!p.label.empty()) s.labels.push_back(p.label);
        }
        if (!s.labels.empty() && s.labels.size() != s.counts.size()) s.labels.clear();
        if (!pts.empty() && pts.front().week) s.start_week = pts.front().week;
        out.push_back(std::move(s));
    }
    if (out.empty()) ThrowData(path + ": no series (the file has a header only)");
    return out;
}

} // namespace vigil::surveillance
