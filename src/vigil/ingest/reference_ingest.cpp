// Reference data: area boundaries (and the LSOA -> MSOA / ward / borough lookups built from them) and
// deprivation indices. Formats are in docs/FORMATS.md. Every boundary feature or CSV row read ends accepted /
// updated / duplicate / rejected. Population denominators are in population_ingest.cpp.
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
                err = RowError{header.Name(c), std::string(value), std::move(reason)};
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
