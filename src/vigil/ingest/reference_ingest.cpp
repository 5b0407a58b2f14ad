// Reference data: area boundaries (and the LSOA -> MSOA / ward / borough lookups built from them), population
// denominators and deprivation indices. Formats are in docs/FORMATS.md; the population layouts are detected
// from the header (plain long, Census 2021 TS007A, ONS mid-year LSOA broad bands, London borough totals by
// year). Every CSV row (or boundary feature) read ends accepted / updated / duplicate / rejected; a row that
// yields several population records is accepted if any record was new, else updated if any changed, else
// duplicate.
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
#include "vigil/store/store.hpp"

namespace vigil::ingest {
namespace {

constexpr int kMaxAge = 130;
// Larger than the population of the world: such a value is a typing or unit error, not a count of people.
constexpr double kMaxPopulation = 1e10;

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

// A decimal number as spreadsheets write it: "1234", "-3", "12.5", or with thousands separators "1,234,567"
// (only when every group after the first has three digits, so "1,5" is not silently read as 15).
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

// Rejects a record that is not a well-formed row of the header's width in UTF-8; true when it can be used.
bool UsableRow(BatchRun& run, const io::CsvRecord& rec, const Header& header) {
    auto column_name = [&](int i) {
        return i >= 0 && static_cast<std::size_t>(i) < header.size()
                   ? header.names()[static_cast<std::size_t>(i)]
                   : std::string();
    };
    if (!rec.problem.empty()) {
        run.Reject(rec.line, column_name(rec.problem_column - 1), "", "malformed CSV: " + rec.problem,
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
            run.Reject(rec.line, column_name(static_cast<int>(i)), "", "the value is not valid UTF-8",
                       "<withheld: not valid UTF-8>");
            return false;
        }
    return true;
}

struct RowError {
    std::string column, value, reason;
};

// Column names of `header` that are not in `used`, for the batch notes.
std::vector<std::string> UnusedColumns(const Header& header, const std::set<int>& used) {
    std::vector<std::string> out;
    for (std::size_t i = 0; i < header.size(); ++i)
        if (used.count(static_cast<int>(i)) == 0)
            out.push_back(header.names()[i]);
    return out;
}

// ---------------------------------------------------------------------------------------------- areas

// The level of a higher area from its GSS code prefix; empty when the prefix does not say.
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

struct SkippedFeature {
    std::int64_t fid = 0;
    std::string code, reason;
};

// LoadBoundaries words a skipped feature as "'<path>' feature <fid> (code '<code>'): <reason>" where the
// reason ends in "skipped" or starts "duplicate code"; a repaired feature is kept and is not a reject.
std::optional<SkippedFeature> ParseSkipWarning(const std::string& warning, const std::string& path) {
    const std::string head = "'" + path + "' feature ";
    if (!StartsWith(warning, head))
        return std::nullopt;
    std::size_t pos = head.size();
    std::size_t end = warning.find(' ', pos);
    if (end == std::string::npos)
        return std::nullopt;
    SkippedFeature s;
    std::string_view fid(warning.data() + pos, end - pos);
    bool negative = !fid.empty() && fid.front() == '-';
    if (negative)
        fid.remove_prefix(1);
    if (!AllDigits(fid))
        return std::nullopt;
    std::from_chars(fid.data(), fid.data() + fid.size(), s.fid);
    if (negative)
        s.fid = -s.fid;
    const std::string code_head = " (code '";
    if (warning.compare(end, code_head.size(), code_head) != 0)
        return std::nullopt;
    std::size_t code_start = end + code_head.size();
    std::size_t code_end = warning.find("'): ", code_start);
    if (code_end == std::string::npos)
        return std::nullopt;
    s.code = warning.substr(code_start, code_end - code_start);
    s.reason = warning.substr(code_end + 4);
    bool skipped = StartsWith(s.reason, "duplicate code") ||
                   (s.reason.size() >= 7 && s.reason.compare(s.reason.size() - 7, 7, "skipped") == 0);
    if (!skipped)
        return std::nullopt;
    return s;
}

} // namespace

IngestResult IngestAreas(store::Store& store, const std::string& path, const AreaIngestOptions& options,
                         Progress& progress) {
    static const char* const kHigherLevels[] = {"msoa", "ward", "borough"};
    const std::string& level = options.level;
    if (level != "lsoa" && level != "msoa" && level != "ward" && level != "borough")
        ThrowInvalidInput("area level '" + level + "' for '" + path +
                          "': expected lsoa, msoa, ward or borough");

    BatchRun run(store, path, "areas:" + level, "areas", "areas:" + level, false);
    if (run.skipped())
        return run.result();

    geo::BoundaryOptions bopt{options.code_field, options.name_field, options.parent_field, options.layer,
                              options.assume_crs};
    geo::BoundaryLoad load = geo::LoadBoundaries(path, bopt);
    auto& notes = run.notes();
    notes["code_field"] = load.code_field;
    notes["name_field"] = load.name_field;
    notes["parent_field"] = load.parent_field;
    notes["source_crs"] = load.source_crs;
    if (!load.warnings.empty()) {
        // A badly drawn file can warn for every feature; the rejects table keeps each skipped one anyway.
        constexpr std::size_t kMaxWarningsInNotes = 200;
        std::vector<std::string> shown(
            load.warnings.begin(), load.warnings.begin() + static_cast<std::ptrdiff_t>(std::min(
                                                               load.warnings.size(), kMaxWarningsInNotes)));
        notes["warnings"] = shown;
        notes["warnings_total"] = load.warnings.size();
    }

    progress.Start("ingest areas:" + level, load.features.size());
    for (const std::string& w : load.warnings) {
        auto skipped = ParseSkipWarning(w, path);
        if (!skipped)
            continue;
        run.RowRead();
        run.Reject(skipped->fid, load.code_field, skipped->code, skipped->reason, w);
    }

    std::map<std::string, std::int64_t> attribute_lookups;      // level -> count
    std::set<std::pair<std::string, std::string>> by_attribute; // (lsoa, level) given by the file itself
    std::int64_t parent_level_unknown = 0;
    std::size_t done = 0;
    for (const geo::AreaFeature& f : load.features) {
        run.RowRead();
        store::AreaRecord a;
        a.level = level;
        a.code = f.code;
        a.name = f.name;
        a.parent_code = f.parent_code;
        a.geometry = f.wkb;
        a.centroid_x = f.centroid_x;
        a.centroid_y = f.centroid_y;
        a.area_m2 = f.area_m2;
        a.min_x = f.min_x;
        a.min_y = f.min_y;
        a.max_x = f.max_x;
        a.max_y = f.max_y;
        run.Count(run.writer().PutArea(a));
        if (level == "lsoa" && !f.parent_code.empty()) {
            std::string parent_level = LevelOfCode(f.parent_code);
            if (parent_level.empty()) {
                ++parent_level_unknown;
            } else {
                run.writer().PutAreaLookup({f.code, parent_level, f.parent_code, "attribute"});
                by_attribute.emplace(f.code, parent_level);
                ++attribute_lookups[parent_level];
            }
        }
        if ((++done & 0xFF) == 0)
            progress.Advance(done);
    }

    // Centroid lookups for every LSOA the file itself did not place, against each higher level in the store.
    // Areas() and AreaLookups() see this batch's own rows (same connection, same transaction).
    nlohmann::json lookup_notes = nlohmann::json::object();
    std::vector<store::AreaRecord> lsoas = store.Areas("lsoa", false);
    if (!lsoas.empty()) {
        for (const auto& l : store.AreaLookups())
            if (l.method == "attribute")
                by_attribute.emplace(l.lsoa_code, l.level);
        for (const char* higher_level : kHigherLevels) {
            if (level != "lsoa" && level != higher_level)
                continue;
            std::vector<store::AreaRecord> higher = store.Areas(higher_level, true);
            if (higher.empty())
                continue;
            std::int64_t by_centroid = 0, kept_attribute = 0;
            for (const store::AreaLookup& l : DeriveLookups(lsoas, higher, higher_level)) {
                if (by_attribute.count({l.lsoa_code, l.level}) != 0) {
                    ++kept_attribute;
                    continue;
                }
                run.writer().PutAreaLookup(l);
                ++by_centroid;
            }
            lookup_notes[higher_level] = {{"centroid", by_centroid}, {"attribute_kept", kept_attribute}};
        }
    }
    for (const auto& [lvl, n] : attribute_lookups)
        lookup_notes[lvl]["attribute"] = n;
    if (!lookup_notes.empty())
        notes["lookups"] = lookup_notes;
    if (parent_level_unknown > 0)
        notes["parent_codes_of_unknown_level"] = parent_level_unknown;
    progress.Finish();
    return run.Finish();
}

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

    auto column_name = [&](int i) {
        return i < 0 ? std::string() : header.names()[static_cast<std::size_t>(i)];
    };
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
                err = RowError{column_name(c), std::string(value), std::move(reason)};
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

// ---------------------------------------------------------------------------------------------- deprivation

namespace {

constexpr const char* kDefaultEdition = "IoD2019";

struct DeprivationLayout {
    bool published = false;
    int code = -1, score = -1, rank = -1, decile = -1, edition = -1;
};

DeprivationLayout DetectDeprivationLayout(const Header& h) {
    DeprivationLayout layout;
    const auto& names = h.names();
    auto by_prefix = [&](const std::string& prefix) {
        for (std::size_t i = 0; i < names.size(); ++i)
            if (StartsWith(names[i], prefix))
                return static_cast<int>(i);
        return -1;
    };
    const std::string imd = "Index of Multiple Deprivation (IMD) ";
    if (h.Find("lsoa_code") < 0 && by_prefix(imd) >= 0) {
        layout.published = true;
        for (const char* c : {"geography code", "LSOA code (2011)", "LSOA11CD"})
            if (layout.code < 0)
                layout.code = h.Find(c);
        layout.score = by_prefix(imd + "Score");
        layout.rank = by_prefix(imd + "Rank");
        layout.decile = by_prefix(imd + "Decile");
        std::vector<std::string> missing;
        if (layout.code < 0)
            missing.push_back("geography code (or LSOA code (2011))");
        if (layout.score < 0)
            missing.push_back(imd + "Score");
        if (layout.rank < 0)
            missing.push_back(imd + "Rank ...");
        if (layout.decile < 0)
            missing.push_back(imd + "Decile ...");
        if (!missing.empty())
            h.Require(missing, "an English Indices of Deprivation 2019 file");
        return layout;
    }
    h.Require(
        {"lsoa_code", "imd_score", "imd_rank", "imd_decile"},
        "a deprivation file (lsoa_code,imd_score,imd_rank,imd_decile or the IoD2019 file as published)");
    layout.code = h.Find("lsoa_code");
    layout.score = h.Find("imd_score");
    layout.rank = h.Find("imd_rank");
    layout.decile = h.Find("imd_decile");
    layout.edition = h.Find("edition");
    return layout;
}

} // namespace

IngestResult IngestDeprivation(store::Store& store, const std::string& path, const IngestOptions& options,
                               Progress& progress) {
    io::CsvReader reader(path);
    io::CsvRecord rec;
    if (!reader.Next(rec))
        ThrowData(path + ": the file is empty (no header)");
    Header header(rec, path);
    const DeprivationLayout layout = DetectDeprivationLayout(header);
    const std::string format = layout.published ? "iod2019" : "plain";

    BatchRun run(store, path, "deprivation", "deprivation", "deprivation:" + format, options.force);
    if (run.skipped())
        return run.result();
    auto& notes = run.notes();
    notes["format"] = format;
    if (reader.had_bom())
        notes["byte_order_mark"] = true;
    if (auto unused =
            UnusedColumns(header, {layout.code, layout.score, layout.rank, layout.decile, layout.edition});
        !unused.empty())
        notes["columns_not_used"] = unused;

    auto column_name = [&](int i) {
        return i < 0 ? std::string() : header.names()[static_cast<std::size_t>(i)];
    };
    std::int64_t n_rows = 0;
    progress.Start("ingest deprivation", reader.file_size());
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
                err = RowError{column_name(c), std::string(value), std::move(reason)};
        };
        store::DeprivationRecord d;
        std::string_view code = field(layout.code);
        if (!LooksLikeGssCode(code))
            fail(layout.code, code, "expected an LSOA code such as E01000001");
        d.lsoa_code = std::string(code);
        d.edition = kDefaultEdition;
        if (layout.edition >= 0) {
            std::string_view e = field(layout.edition);
            if (e.empty() || e.size() > 40)
                fail(layout.edition, e, "expected an edition name such as IoD2019");
            d.edition = std::string(e);
        }
        if (std::string_view s = field(layout.score); !s.empty()) {
            if (auto v = ParseNumber(s))
                d.imd_score = *v;
            else
                fail(layout.score, s, "not a number: expected an IMD score");
        }
        if (std::string_view s = field(layout.rank); !s.empty()) {
            auto v = ParseNumber(s);
            if (!v || *v < 1 || *v != std::floor(*v) || *v > 1e9)
                fail(layout.rank, s, "expected a rank: a whole number from 1");
            else
                d.imd_rank = static_cast<std::int64_t>(*v);
        }
        if (std::string_view s = field(layout.decile); !s.empty()) {
            auto v = ParseSmallInt(s);
            if (!v || *v < 1 || *v > 10)
                fail(layout.decile, s, "expected a decile: a whole number 1-10");
            else
                d.imd_decile = *v;
        }
        if (!err && !d.imd_score && !d.imd_rank && !d.imd_decile)
            fail(layout.score, "", "no IMD score, rank or decile");
        if (err) {
            run.Reject(rec.line, err->column, err->value, err->reason, std::string(rec.raw));
            continue;
        }
        run.Count(run.writer().PutDeprivation(d));
    }
    progress.Finish();
    return run.Finish();
}

} // namespace vigil::ingest
