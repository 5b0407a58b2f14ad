// Population denominators. The layout is detected from the header (plain long, Census 2021 TS007A, ONS
// mid-year LSOA broad bands, London borough totals by year); docs/FORMATS.md. A row that yields several
// population records is accepted if any record was new, else updated if any changed, else duplicate.
#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "vigil/core/error.hpp"
#include "vigil/geo/boundaries.hpp"
#include "vigil/ingest/batch_run.hpp"
#include "vigil/ingest/ingest.hpp"
#include "vigil/ingest/reference_support.hpp"
#include "vigil/store/store.hpp"

namespace vigil::ingest {
namespace {

constexpr int kMaxAge = 130;
// Larger than the population of the world: such a value is a typing or unit error, not a count of people.
constexpr double kMaxPopulation = 1e10;

struct AgeBand {
    int lo = 0, hi = store::kOpenAge;
};

// "all" (also "All-Ages", "All ages"), "A-B" (inclusive whole years) or "A+".
std::optional<AgeBand> ParseAgeBand(std::string_view text) {
    std::string s = Lower(io::Trim(text));
    if (s == "all" || s == "all-ages" || s == "all ages" || s == "all_ages")
        return AgeBand{};
    if (!s.empty() && s.back() == '+') {
        auto lo = ParseSmallInt(std::string_view(s).substr(0, s.size() - 1));
        if (!lo || *lo > kMaxAge)
            return std::nullopt;
        return AgeBand{*lo, store::kOpenAge};
    }
    std::size_t dash = s.find('-');
    if (dash == std::string::npos)
        return std::nullopt;
    auto lo = ParseSmallInt(std::string_view(s).substr(0, dash));
    auto hi = ParseSmallInt(std::string_view(s).substr(dash + 1));
    if (!lo || !hi || *lo > *hi || *hi > kMaxAge)
        return std::nullopt;
    return AgeBand{*lo, *hi};
}

// Census 2021 age labels after "Age: ": "Total", "Aged 4 years and under", "Aged under 1 year", "Aged 5 to 9
// years", "Aged 85 years and over", "Aged 7 years".
std::optional<AgeBand> ParseCensusAge(std::string_view label) {
    std::vector<std::string_view> w;
    for (std::string_view rest = io::Trim(label); !rest.empty();) {
        std::size_t space = rest.find(' ');
        if (space != 0)
            w.push_back(rest.substr(0, space));
        rest = space == std::string_view::npos ? std::string_view() : rest.substr(space + 1);
    }
    if (w.size() == 1 && w[0] == "Total")
        return AgeBand{};
    if (w.size() < 3 || w[0] != "Aged")
        return std::nullopt;
    auto is_year = [](std::string_view s) { return s == "year" || s == "years"; };
    std::optional<AgeBand> band;
    if (w[1] == "under" && w.size() == 4 && is_year(w[3])) {
        if (auto n = ParseSmallInt(w[2]); n && *n > 0)
            band = AgeBand{0, *n - 1};
    } else if (auto a = ParseSmallInt(w[1])) {
        if (w.size() == 3 && is_year(w[2]))
            band = AgeBand{*a, *a};
        else if (w.size() == 5 && is_year(w[2]) && w[3] == "and" && w[4] == "under")
            band = AgeBand{0, *a};
        else if (w.size() == 5 && is_year(w[2]) && w[3] == "and" && w[4] == "over")
            band = AgeBand{*a, store::kOpenAge};
        else if (w.size() == 5 && w[2] == "to" && is_year(w[4]))
            if (auto b = ParseSmallInt(w[3]))
                band = AgeBand{*a, *b};
    }
    if (!band || band->lo > kMaxAge ||
        (band->hi != store::kOpenAge && (band->hi > kMaxAge || band->hi < band->lo)))
        return std::nullopt;
    return band;
}

// The year of an ONS mid-year estimate from the file name ("...mid2019...", "mid-2020"); nullopt when absent.
std::optional<int> MidYearFromFileName(const std::string& path) {
    const std::string name = Lower(std::filesystem::path(path).filename().string());
    for (std::size_t pos = name.find("mid"); pos != std::string::npos; pos = name.find("mid", pos + 1)) {
        std::string_view rest = std::string_view(name).substr(pos + 3);
        if (!rest.empty() && (rest.front() == '-' || rest.front() == '_' || rest.front() == ' '))
            rest.remove_prefix(1);
        if (auto year = ParseSmallInt(rest.substr(0, 4));
            year && rest.size() >= 4 && *year >= 1900 && *year < 2100)
            return year;
    }
    return std::nullopt;
}

// "Persons_0-15" -> (sex 0, "0-15"); Males 1, Females 2; nullopt for other names.
std::optional<std::pair<int, std::string>> SexBandColumn(const std::string& name) {
    const std::size_t underscore = name.find('_');
    if (underscore == std::string::npos || underscore + 1 == name.size())
        return std::nullopt;
    const std::string sex = Lower(std::string_view(name).substr(0, underscore));
    const int code = sex == "persons" ? 0 : sex == "males" ? 1 : sex == "females" ? 2 : -1;
    if (code < 0)
        return std::nullopt;
    return std::make_pair(code, name.substr(underscore + 1));
}

// "2011_Population" or "2011" -> 2011; nullopt for other names.
std::optional<int> YearColumn(const std::string& name) {
    std::string_view s = name;
    if (s.size() == 15 && Lower(s.substr(4)) == "_population")
        s = s.substr(0, 4);
    auto year = s.size() == 4 ? ParseSmallInt(s) : std::nullopt;
    if (!year || *year < 1900 || *year >= 2100)
        return std::nullopt;
    return year;
}

} // namespace

// ---------------------------------------------------------------------------------------------- population

namespace {

enum class PopulationFormat { kLong, kCensusAge, kMidYearBands, kYearColumns };

const char* FormatName(PopulationFormat f) {
    switch (f) {
    case PopulationFormat::kLong:
        return "long";
    case PopulationFormat::kCensusAge:
        return "census2021_age";
    case PopulationFormat::kMidYearBands:
        return "mid_year_lsoa_bands";
    case PopulationFormat::kYearColumns:
        return "totals_by_year";
    }
    return "";
}

// One population cell of a wide row.
struct ValueColumn {
    int index = -1;
    int sex = 0;
    AgeBand band;
    int year = 0; // 0: the row's (or file's) year
};

struct PopulationLayout {
    PopulationFormat format = PopulationFormat::kLong;
    int code = -1, year = -1, sex = -1, band = -1, value = -1; // year: `year` (long) or `date` (census)
    int file_year = 0;                                         // mid-year files: from the file name
    std::vector<ValueColumn> values;
};

const std::vector<std::string> kLongColumns = {"area_code", "year", "sex", "age_band", "population"};

PopulationLayout DetectPopulationLayout(const Header& h, const std::string& path) {
    PopulationLayout layout;
    const auto& names = h.names();
    auto any_column = [&](auto pred) { return std::any_of(names.begin(), names.end(), pred); };

    if (h.Find("area_code") >= 0 && h.Find("population") >= 0) {
        h.Require(kLongColumns,
                  "a population file in the long format (area_code,year,sex,age_band,population)");
        layout.format = PopulationFormat::kLong;
        layout.code = h.Find("area_code");
        layout.year = h.Find("year");
        layout.sex = h.Find("sex");
        layout.band = h.Find("age_band");
        layout.value = h.Find("population");
        return layout;
    }
    if (h.Find("geography code") >= 0 &&
        any_column([](const std::string& n) { return StartsWith(n, "Age: "); })) {
        h.Require({"date", "geography code"}, "a Census 2021 age file (TS007A)");
        layout.format = PopulationFormat::kCensusAge;
        layout.code = h.Find("geography code");
        layout.year = h.Find("date");
        for (std::size_t i = 0; i < names.size(); ++i) {
            if (!StartsWith(names[i], "Age: "))
                continue;
            auto band = ParseCensusAge(std::string_view(names[i]).substr(5));
            if (!band)
                ThrowData(
                    path + ": line 1: column '" + names[i] +
                    "' is not an age band vigil reads (expected 'Age: Total', 'Age: Aged A to B years', "
                    "'Age: Aged A years and under' or 'Age: Aged A years and over')");
            layout.values.push_back({static_cast<int>(i), 0, *band, 0});
        }
        return layout;
    }
    if (any_column([](const std::string& n) { return SexBandColumn(n).has_value(); })) {
        for (const char* c : {"LSOA21CD", "LSOA11CD", "lsoa21cd", "lsoa11cd", "LSOA code", "area_code"})
            if (layout.code < 0)
                layout.code = h.Find(c);
        if (layout.code < 0)
            h.Require({"LSOA11CD"},
                      "an ONS mid-year LSOA population file (Persons_/Males_/Females_ age columns)");
        layout.format = PopulationFormat::kMidYearBands;
        for (std::size_t i = 0; i < names.size(); ++i) {
            auto sex_band = SexBandColumn(names[i]);
            if (!sex_band)
                continue;
            auto band = ParseAgeBand(sex_band->second);
            if (!band)
                ThrowData(
                    path + ": line 1: column '" + names[i] +
                    "' does not name an age band (expected e.g. Persons_All-Ages, Males_0-15, Females_65+)");
            layout.values.push_back({static_cast<int>(i), sex_band->first, *band, 0});
        }
        auto year = MidYearFromFileName(path);
        if (!year)
            ThrowInvalidInput(path +
                              ": an ONS mid-year LSOA population file does not say its year; the file name "
                              "must contain midYYYY (e.g. london_lsoa11_mid2019_pop_ageband.csv)");
        layout.file_year = *year;
        return layout;
    }
    if (h.Find("Code") >= 0 && any_column([](const std::string& n) { return YearColumn(n).has_value(); })) {
        layout.format = PopulationFormat::kYearColumns;
        layout.code = h.Find("Code");
        for (std::size_t i = 0; i < names.size(); ++i) {
            if (auto year = YearColumn(names[i]))
                layout.values.push_back({static_cast<int>(i), 0, AgeBand{}, *year});
        }
        return layout;
    }
    h.Require(
        kLongColumns,
        "a population file: expected the long format area_code,year,sex,age_band,population, a Census 2021 "
        "TS007A file, an ONS mid-year LSOA file or borough totals (Code,YYYY_Population,...)");
    return layout; // not reached: Require throws since area_code or population is missing
}

// Validates one population value; the reason when it cannot be used.
std::optional<std::string> CheckPopulation(std::string_view text, double& out) {
    auto v = ParseNumber(text);
    if (!v)
        return "not a number: expected a count of people";
    if (*v < 0)
        return "negative population";
    if (*v > kMaxPopulation)
        return "implausibly large population (more than 10^10 people)";
    out = *v;
    return std::nullopt;
}

std::optional<int> CheckYear(std::string_view text) {
    auto y = ParseSmallInt(text);
    if (!y || *y < 1900 || *y > 2100)
        return std::nullopt;
    return y;
}

// The Census `date` column: "2021" or an ISO date "2021-03-21".
std::optional<int> CensusYear(std::string_view text) {
    if (text.size() == 4)
        return CheckYear(text);
    if (text.size() == 10 && text[4] == '-' && text[7] == '-' && AllDigits(text.substr(5, 2)) &&
        AllDigits(text.substr(8, 2)))
        return CheckYear(text.substr(0, 4));
    return std::nullopt;
}

} // namespace

IngestResult IngestPopulation(store::Store& store, const std::string& path, const IngestOptions& options,
                              Progress& progress) {
    io::CsvReader reader(path);
    io::CsvRecord rec;
    if (!reader.Next(rec))
        ThrowData(path + ": the file is empty (no header)");
    Header header(rec, path);
    const PopulationLayout layout = DetectPopulationLayout(header, path);
    const std::string format = FormatName(layout.format);

    BatchRun run(store, path, "population", "population", "population:" + format, options.force);
    if (run.skipped())
        return run.result();
    auto& notes = run.notes();
    notes["format"] = format;
    if (layout.file_year)
        notes["year_from_file_name"] = layout.file_year;
    if (reader.had_bom())
        notes["byte_order_mark"] = true;
    std::set<int> used = {layout.code, layout.year, layout.sex, layout.band, layout.value};
    for (const auto& v : layout.values)
        used.insert(v.index);
    if (auto unused = UnusedColumns(header, used); !unused.empty())
        notes["columns_not_used"] = unused;

    std::int64_t blank_cells = 0, bands_not_summing = 0, n_rows = 0;
    std::vector<store::PopulationRecord> records;
    progress.Start("ingest population", reader.file_size());
    while (reader.Next(rec)) {
        run.RowRead();
        if ((++n_rows & 0x3FF) == 0)
            progress.Advance(reader.compressed_position());
        if (!UsableRow(run, rec, header))
            continue;
        auto field = [&](int i) { return io::Trim(rec.fields[static_cast<std::size_t>(i)]); };
        std::optional<RowError> err;
        auto fail = [&](int c, std::string_view value, std::string reason) {
            if (!err)
                err = RowError{header.Name(c), std::string(value), std::move(reason)};
        };
        records.clear();
        store::PopulationRecord base;
        std::string_view code = field(layout.code);
        if (!LooksLikeGssCode(code))
            fail(layout.code, code, "expected an area code such as E01000001");
        base.area_code = std::string(code);
        if (layout.format == PopulationFormat::kLong) {
            std::string_view y = field(layout.year), sex = field(layout.sex), band = field(layout.band),
                             pop = field(layout.value);
            if (auto year = CheckYear(y))
                base.year = *year;
            else
                fail(layout.year, y, "expected a year 1900-2100");
            std::string s = Lower(sex);
            if (s == "all")
                base.sex = 0;
            else if (s == "male")
                base.sex = 1;
            else if (s == "female")
                base.sex = 2;
            else
                fail(layout.sex, sex, "expected all, male or female");
            if (auto b = ParseAgeBand(band)) {
                base.age_lo = b->lo;
                base.age_hi = b->hi;
            } else {
                fail(layout.band, band, "expected an age band: all, A-B (e.g. 15-19) or A+ (e.g. 85+)");
            }
            if (pop.empty())
                fail(layout.value, pop, "no population");
            else if (auto reason = CheckPopulation(pop, base.population))
                fail(layout.value, pop, *reason);
            records.push_back(base);
        } else {
            if (layout.format == PopulationFormat::kCensusAge) {
                std::string_view d = field(layout.year);
                if (auto year = CensusYear(d))
                    base.year = *year;
                else
                    fail(layout.year, d, "expected the census year (YYYY or YYYY-MM-DD)");
            } else {
                base.year = layout.file_year;
            }
            std::int64_t blanks_here = 0;
            for (const ValueColumn& vc : layout.values) {
                std::string_view text = field(vc.index);
                if (text.empty()) {
                    ++blanks_here;
                    continue;
                }
                store::PopulationRecord r = base;
                r.sex = vc.sex;
                r.age_lo = vc.band.lo;
                r.age_hi = vc.band.hi;
                if (vc.year)
                    r.year = vc.year;
                if (auto reason = CheckPopulation(text, r.population))
                    fail(vc.index, text, *reason);
                records.push_back(r);
            }
            if (!err && records.empty())
                fail(layout.values.front().index, "", "no population values in the row");
            if (!err) {
                blank_cells += blanks_here;
                // Bands that do not add up to the row's total are worth a note, not a reject: a file may
                // carry only some bands.
                std::map<std::pair<int, int>, std::pair<double, double>>
                    sums; // (sex, year) -> (total, bands)
                std::set<std::pair<int, int>> has_total;
                for (const auto& r : records) {
                    auto key = std::make_pair(r.sex, r.year);
                    if (r.age_lo == 0 && r.age_hi == store::kOpenAge) {
                        sums[key].first = r.population;
                        has_total.insert(key);
                    } else {
                        sums[key].second += r.population;
                    }
                }
                bool mismatch = false;
                for (const auto& [key, s] : sums)
                    if (has_total.count(key) && s.second > 0 &&
                        std::fabs(s.first - s.second) > 0.5 + 1e-9 * s.first)
                        mismatch = true;
                bands_not_summing += mismatch ? 1 : 0;
            }
        }
        if (err) {
            run.Reject(rec.line, err->column, err->value, err->reason, std::string(rec.raw));
            continue;
        }
        bool any_new = false, any_changed = false;
        for (const auto& r : records) {
            store::PutResult p = run.writer().PutPopulation(r);
            any_new = any_new || p == store::PutResult::kAccepted;
            any_changed = any_changed || p == store::PutResult::kUpdated;
        }
        run.Count(any_new ? store::PutResult::kAccepted
                          : (any_changed ? store::PutResult::kUpdated : store::PutResult::kDuplicate));
    }
    progress.Finish();
    if (blank_cells)
        notes["blank_cells"] = blank_cells;
    if (bands_not_summing)
        notes["rows_bands_not_summing_to_total"] = bands_not_summing;
    return run.Finish();
}

} // namespace vigil::ingest
