// Aggregate counts: vigil's plain long format and the Met Police wide borough and ward files as published on
// the London Datastore. A cell's identity is (source, area, period, the source's own category label); a later
// vintage of the same cell (a file whose latest period is later) replaces the earlier value, an earlier
// vintage never overwrites a later one.
#include <algorithm>
#include <charconv>
#include <map>

#include "vigil/core/error.hpp"
#include "vigil/ingest/batch_run.hpp"
#include "vigil/ingest/ingest.hpp"
#include "vigil/ingest/reference_support.hpp"

namespace vigil::ingest {
namespace {

// Met MinorText (and a few MajorText) labels onto the category tree; docs/CATEGORIES.md.
const std::map<std::string, std::string>& MetCategoryMap() {
    static const std::map<std::string, std::string> m = {
        {"ARSON", "criminal_damage_and_arson"},
        {"CRIMINAL DAMAGE", "criminal_damage_and_arson"},
        {"BURGLARY BUSINESS AND COMMUNITY", "burglary"},
        {"BURGLARY IN A DWELLING", "burglary"},
        {"BURGLARY NON-DWELLING", "burglary"},
        {"BURGLARY - RESIDENTIAL", "burglary"},
        {"RES BURGLARY OF A HOME", "burglary"},
        {"RES BURGLARY OF UNCONNECTED BUILDING", "burglary"},
        {"POSSESSION OF DRUGS", "drugs"},
        {"TRAFFICKING OF DRUGS", "drugs"},
        {"FRAUD AND FORGERY", "other_crime"},
        {"NFIB", "other_crime"},
        {"MISC CRIMES AGAINST SOCIETY", "other_crime"},
        {"POSSESSION OF WEAPONS", "possession_of_weapons"},
        {"OTHER OFFENCES PUBLIC ORDER", "public_order"},
        {"PUBLIC FEAR ALARM OR DISTRESS", "public_order"},
        {"RACE OR RELIGIOUS AGG PUBLIC FEAR", "public_order"},
        {"VIOLENT DISORDER", "public_order"},
        {"ROBBERY OF BUSINESS PROPERTY", "robbery"},
        {"ROBBERY OF PERSONAL PROPERTY", "robbery"},
        {"OTHER SEXUAL OFFENCES", "other_sexual_offences"},
        {"RAPE", "rape"},
        {"BICYCLE THEFT", "bicycle_theft"},
        {"OTHER THEFT", "other_theft"},
        {"SHOPLIFTING", "shoplifting"},
        {"THEFT FROM THE PERSON", "theft_from_the_person"},
        {"AGGRAVATED VEHICLE TAKING", "vehicle_crime"},
        {"INTERFERING WITH A MOTOR VEHICLE", "vehicle_crime"},
        {"THEFT FROM A VEHICLE", "vehicle_crime"},
        {"THEFT OR UNAUTH TAKING OF A MOTOR VEH", "vehicle_crime"},
        {"HOMICIDE", "homicide"},
        {"VIOLENCE WITH INJURY", "violence_with_injury"},
        {"VIOLENCE WITHOUT INJURY", "violence_without_injury"},
        {"STALKING AND HARASSMENT", "stalking_and_harassment"},
        // Not a node of its own: stored at the most specific node known.
        {"DEATH SERIOUS INJURY ILLEGAL DRIVING", "violence_against_the_person"},
    };
    return m;
}

bool ParseCount(std::string_view s, std::int64_t& out) {
    if (s.empty()) return false;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    if (ec == std::errc() && p == s.data() + s.size()) return out >= 0;
    // "12.0" as some spreadsheets write integers
    double d = 0;
    auto [q, ec2] = std::from_chars(s.data(), s.data() + s.size(), d);
    if (ec2 != std::errc() || q != s.data() + s.size() || d < 0 || d != static_cast<double>(static_cast<std::int64_t>(d)))
        return false;
    out = static_cast<std::int64_t>(d);
    return true;
}

// The level of a counts file's area code: LSOA, the higher levels, or London as a whole.
std::string CountAreaLevel(std::string_view code) {
    if (code.rfind("E01", 0) == 0 || code.rfind("W01", 0) == 0) return "lsoa";
    if (code == "E12000007" || code == "all") return "all";
    return LevelOfCode(code);
}

} // namespace

std::optional<std::string> LondonBoroughCode(const std::string& name) {
    static const std::map<std::string, std::string> codes = {
        {"City of London", "E09000001"}, {"Barking and Dagenham", "E09000002"}, {"Barnet", "E09000003"},
        {"Bexley", "E09000004"}, {"Brent", "E09000005"}, {"Bromley", "E09000006"}, {"Camden", "E09000007"},
        {"Croydon", "E09000008"}, {"Ealing", "E09000009"}, {"Enfield", "E09000010"}, {"Greenwich", "E09000011"},
        {"Hackney", "E09000012"}, {"Hammersmith and Fulham", "E09000013"}, {"Haringey", "E09000014"},
        {"Harrow", "E09000015"}, {"Havering", "E09000016"}, {"Hillingdon", "E09000017"}, {"Hounslow", "E09000018"},
        {"Islington", "E09000019"}, {"Kensington and Chelsea", "E09000020"}, {"Kingston upon Thames", "E09000021"},
        {"Lambeth", "E09000022"}, {"Lewisham", "E09000023"}, {"Merton", "E09000024"}, {"Newham", "E09000025"},
        {"Redbridge", "E09000026"}, {"Richmond upon Thames", "E09000027"}, {"Southwark", "E09000028"},
        {"Sutton", "E09000029"}, {"Tower Hamlets", "E09000030"}, {"Waltham Forest", "E09000031"},
        {"Wandsworth", "E09000032"}, {"Westminster", "E09000033"},
    };
    auto it = codes.find(name);
    if (it == codes.end()) return std::nullopt;
    return it->second;
}

IngestResult IngestCounts(store::Store& store, const std::string& path, const IngestOptions& options,
                          Progress& progress) {
    io::CsvReader reader(path);
    io::CsvRecord rec;
    if (!reader.Next(rec)) ThrowData(path + ": the file is empty (no header)");
    Header header(rec, path);
    const bool wide = header.Find("MinorText") >= 0;
    const CategoryTree& tree = CategoryTree::Standard();
    if (!wide) header.Require({"area_code", "period", "category", "source", "count"}, "a counts file (long format)");

    // Wide: the period columns, and the vintage = the latest of them.
    std::vector<std::pair<int, std::int32_t>> period_cols;
    int ward_code_col = header.Find("WardCode"), borough_col = header.Find("BoroughName");
    int minor_col = header.Find("MinorText"), major_col = header.Find("MajorText");
    std::int32_t vintage = 0;
    if (wide) {
        header.Require({"MajorText", "MinorText"}, "a Met Police wide counts file");
        if (ward_code_col < 0) header.Require({"BoroughName"}, "a Met Police borough file");
        for (std::size_t i = 0; i < header.size(); ++i) {
            const std::string& n = header.names()[i];
            if (n.size() == 6 && std::all_of(n.begin(), n.end(), [](char c) { return c >= '0' && c <= '9'; })) {
                auto pp = ParsePeriodLabel(n);
                if (!pp) ThrowData(path + ": line 1: column '" + n + "' is not a month YYYYMM");
                period_cols.push_back({static_cast<int>(i), pp->key});
                vintage = std::max(vintage, pp->key);
            }
        }
        if (period_cols.empty()) ThrowData(path + ": line 1: no month columns (YYYYMM) in the header");
    }
    const std::string source = wide ? "met" : "counts";
    BatchRun run(store, path, source, "counts", wide ? "met_wide" : "counts_long", options.force);
    if (run.skipped()) return run.result();
    if (wide) {
        run.notes()["vintage"] = PeriodLabel(PeriodKind::kMonth, vintage);
        run.notes()["periods"] = period_cols.size();
    }
    std::map<std::string, std::int64_t> unmapped_areas;
    progress.Start("ingest counts", reader.file_size());
    std::int64_t n_rows = 0;
    while (reader.Next(rec)) {
        run.RowRead();
        if ((++n_rows & 0xFFF) == 0) progress.Advance(reader.compressed_position());
        if (!UsableRow(run, rec, header)) continue;
        auto field = [&](int i) { return std::string(io::Trim(rec.fields[static_cast<std::size_t>(i)])); };
        if (!wide) {
            store::CountRecord c;
            c.area_code = field(header.Find("area_code"));
            c.area_level = CountAreaLevel(c.area_code);
            std::string period = field(header.Find("period"));
            std::string cat = field(header.Find("category"));
            c.source = field(header.Find("source"));
            std::string count = field(header.Find("count"));
            auto pp = ParsePeriodLabel(period);
            auto cid = tree.Find(cat);
            if (c.area_code.empty()) {
                run.Reject(rec.line, "area_code", "", "blank area code", std::string(rec.raw));
                continue;
            }
            if (!pp) {
                run.Reject(rec.line, "period", period, "not a period: expected YYYY, YYYY-Qn, YYYY-MM, YYYY-Www or YYYY-MM-DD",
                           std::string(rec.raw));
                continue;
            }
            if (!cid) {
                run.Reject(rec.line, "category", cat, "unknown category; expected a node of the category tree",
                           std::string(rec.raw));
                continue;
            }
            if (c.source.empty()) {
                run.Reject(rec.line, "source", "", "blank source", std::string(rec.raw));
                continue;
            }
            if (!ParseCount(count, c.count)) {
                run.Reject(rec.line, "count", count, "expected a whole number of 0 or more", std::string(rec.raw));
                continue;
            }
            c.period_kind = pp->kind;
            c.period_key = pp->key;
            c.category = *cid;
            c.source_category = cat;
            c.vintage = 0;
            run.Count(run.writer().PutCount(c));
            continue;
        }
        // Met wide row: MajorText, MinorText, area, then one count per month.
        std::string minor = field(minor_col), major = field(major_col);
        auto mit = MetCategoryMap().find(minor);
        if (mit == MetCategoryMap().end()) {
            run.Reject(rec.line, "MinorText", minor, "unknown Met minor category (docs/CATEGORIES.md lists the mapping)",
                       std::string(rec.raw));
            continue;
        }
        std::string area_code, level;
        if (ward_code_col >= 0) {
            area_code = field(ward_code_col);
            level = "ward";
        } else {
            std::string name = field(borough_col);
            auto code = LondonBoroughCode(name);
            if (!code) {
                // The Met's own pseudo-areas ("Unknown", the airports) are kept under a vigil code so London
                // totals still add up; they have no population.
                if (name == "London Heathrow and London City Airports") code = "VIGIL-MPS-AIRPORTS";
                else if (name == "Unknown") code = "VIGIL-MPS-UNKNOWN";
                else {
                    run.Reject(rec.line, "BoroughName", name, "not a London borough name", std::string(rec.raw));
                    continue;
                }
                ++unmapped_areas[name];
            }
            area_code = *code;
            level = "borough";
        }
        store::CountRecord c;
        c.source = "met";
        c.area_level = level;
        c.area_code = area_code;
        c.period_kind = PeriodKind::kMonth;
        c.source_category = major + "/" + minor;
        c.category = tree.Require(mit->second);
        c.vintage = vintage;
        bool any_new = false, any_changed = false, bad = false;
        std::vector<store::CountRecord> cells;
        for (auto [ci, key] : period_cols) {
            std::string v = field(ci);
            if (v.empty()) continue; // the Met leaves months before a category existed blank
            std::int64_t n = 0;
            if (!ParseCount(v, n)) {
                run.Reject(rec.line, header.Name(ci), v, "expected a whole number of 0 or more", std::string(rec.raw));
                bad = true;
                break;
            }
            c.period_key = key;
            c.count = n;
            cells.push_back(c);
        }
        if (bad) continue;
        for (const auto& cell : cells) {
            auto r = run.writer().PutCount(cell);
            any_new = any_new || r == store::PutResult::kAccepted;
            any_changed = any_changed || r == store::PutResult::kUpdated;
        }
        run.Count(any_new ? store::PutResult::kAccepted
                          : (any_changed ? store::PutResult::kUpdated : store::PutResult::kDuplicate));
    }
    progress.Finish();
    if (!unmapped_areas.empty()) run.notes()["met_pseudo_areas"] = unmapped_areas;
    return run.Finish();
}

} // namespace vigil::ingest
