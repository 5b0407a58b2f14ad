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
    if (ec == std::errc() && p == s.data() + s.size() && !s.empty())
        return v;
    // "12.0" as spreadsheets write whole numbers
    double d = 0;
    auto [q, ec2] = std::from_chars(s.data(), s.data() + s.size(), d);
    if (ec2 == std::errc() && q == s.data() + s.size() && !s.empty() && std::isfinite(d) &&
        d == std::floor(d) && std::abs(d) < 9e15)
        return static_cast<long long>(d);
    return std::nullopt;
}

} // namespace

std::vector<CountSeries> ReadSeriesCsv(const std::string& path) {
    io::CsvReader reader(path);
    io::CsvRecord rec;
    if (!reader.Next(rec))
        ThrowData(path + ": the file is empty (expected a header series_id,t,count)");
    std::map<std::string, int> col;
    for (std::size_t i = 0; i < rec.fields.size(); ++i)
        col[std::string(io::Trim(rec.fields[i]))] = static_cast<int>(i);
    auto find = [&](const char* name) {
        auto it = col.find(name);
        return it == col.end() ? -1 : it->second;
    };
    const int c_id = find("series_id"), c_t = find("t"), c_count = find("count"), c_pop = find("population"),
              c_year = find("year"), c_week = find("week"), c_period = find("period");
    if (c_id < 0 || c_t < 0 || c_count < 0)
        ThrowData(path + ": line 1: the header needs the columns series_id, t and count (found: " +
                  std::string(rec.raw) + ")");
    const std::size_t width = rec.fields.size();
    const bool has_labels = c_period >= 0 || (c_year >= 0 && c_week >= 0);
    // Columns per series as read; sorted by t only when a file lists a series out of order.
    struct Raw {
        std::vector<long long> t;
        std::vector<double> count, population;
        std::vector<std::string> labels;
        std::vector<std::int64_t> lines;
        std::optional<int> first_week;
        bool sorted = true;
    };
    std::vector<std::string> order;
    std::unordered_map<std::string, Raw> raw;
    std::string id;
    while (reader.Next(rec)) {
        auto where = [&] { return path + ": line " + std::to_string(rec.line); };
        if (!rec.problem.empty())
            ThrowData(where() + ": malformed CSV: " + rec.problem);
        if (rec.fields.size() != width)
            ThrowData(where() + ": expected " + std::to_string(width) + " fields, found " +
                      std::to_string(rec.fields.size()));
        auto field = [&](int c) { return io::Trim(rec.fields[static_cast<std::size_t>(c)]); };
        id.assign(field(c_id));
        if (id.empty())
            ThrowData(where() + ": column series_id: blank series id");
        auto t = WholeNumber(field(c_t));
        if (!t || *t < 1)
            ThrowData(where() + ": column t: '" + std::string(field(c_t)) +
                      "' is not a time point 1, 2, ...");
        auto n = WholeNumber(field(c_count));
        if (!n || *n < 0)
            ThrowData(where() + ": column count: '" + std::string(field(c_count)) +
                      "' is not a count (a whole number of 0 or more)");
        auto [it, added] = raw.try_emplace(id);
        if (added)
            order.push_back(id);
        Raw& r = it->second;
        if (!r.t.empty() && *t <= r.t.back())
            r.sorted = false;
        r.t.push_back(*t);
        r.count.push_back(static_cast<double>(*n));
        r.lines.push_back(rec.line);
        if (c_pop >= 0) {
            std::string_view v = field(c_pop);
            double d = 0;
            auto [q, ec] = std::from_chars(v.data(), v.data() + v.size(), d);
            if (ec != std::errc() || q != v.data() + v.size() || !(d > 0) || !std::isfinite(d))
                ThrowData(where() + ": column population: '" + std::string(v) + "' is not a positive number");
            r.population.push_back(d);
        }
        if (has_labels) {
            std::string label = c_period >= 0 ? std::string(field(c_period)) : std::string();
            if (c_year >= 0 && c_week >= 0) {
                auto y = WholeNumber(field(c_year)), w = WholeNumber(field(c_week));
                if (!y || !w || *w < 1 || *w > 53)
                    ThrowData(where() + ": columns year, week: '" + std::string(field(c_year)) + "', '" +
                              std::string(field(c_week)) + "' are not a year and a week 1-53");
                if (label.empty()) {
                    char buf[32];
                    std::snprintf(buf, sizeof buf, "%lld-W%02lld", *y, *w);
                    label = buf;
                }
                if (*t == 1)
                    r.first_week = static_cast<int>(*w);
            }
            r.labels.push_back(std::move(label));
        }
    }
    std::vector<CountSeries> out;
    out.reserve(order.size());
    for (const auto& sid : order) {
        Raw& r = raw[sid];
        std::vector<std::size_t> idx(r.t.size());
        for (std::size_t i = 0; i < idx.size(); ++i)
            idx[i] = i;
        if (!r.sorted)
            std::stable_sort(idx.begin(), idx.end(),
                             [&](std::size_t a, std::size_t b) { return r.t[a] < r.t[b]; });
        CountSeries s;
        s.id = sid;
        s.counts.reserve(idx.size());
        for (std::size_t i = 0; i < idx.size(); ++i) {
            const std::size_t k = idx[i];
            const long long want = static_cast<long long>(i) + 1;
            if (r.t[k] != want) {
                const std::string line = std::to_string(r.lines[k]);
                if (r.t[k] < want)
                    ThrowData(path + ": line " + line + ": series '" + sid +
                              "' has t = " + std::to_string(r.t[k]) + " twice (each period once)");
                ThrowData(path + ": series '" + sid + "': t jumps from " + std::to_string(want - 1) + " to " +
                          std::to_string(r.t[k]) + " (line " + line +
                          "); give every period from 1, with count 0 where there were no cases");
            }
            s.counts.push_back(r.count[k]);
            if (!r.population.empty())
                s.population.push_back(r.population[k]);
            if (!r.labels.empty())
                s.labels.push_back(std::move(r.labels[k]));
        }
        if (std::all_of(s.labels.begin(), s.labels.end(), [](const std::string& l) { return l.empty(); }))
            s.labels.clear();
        s.start_week = r.first_week;
        r = Raw(); // release its memory as we go
        out.push_back(std::move(s));
    }
    if (out.empty())
        ThrowData(path + ": no series (the file has a header only)");
    return out;
}

} // namespace vigil::surveillance
