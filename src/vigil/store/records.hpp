#pragma once
// The records the store keeps, as plain structs: what ingest writes and what analyses read.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "vigil/core/period.hpp"
#include "vigil/model/category.hpp"

namespace vigil::store {

struct BatchInfo {
    std::string source;  // police, ae, ambulance, counts, areas, ...
    std::string kind;    // events | counts | areas | population | deprivation
    std::string profile; // the ingest profile that read the file
    std::string path;
    std::string sha256;
    std::string started_at;
};

struct BatchStats {
    std::int64_t rows_read = 0, accepted = 0, updated = 0, duplicates = 0, rejected = 0;
};

struct BatchRecord {
    std::int64_t id = 0;
    BatchInfo info;
    BatchStats stats;
    std::string finished_at;
    std::string notes; // JSON
};

struct RejectRecord {
    std::int64_t batch_id = 0;
    std::string file;
    std::int64_t line = 0;
    std::string column;
    std::string value;
    std::string reason;
    std::string raw;
};

enum class PutResult { kAccepted, kUpdated, kDuplicate };

using RecordKey = std::array<std::uint8_t, 16>;

struct EventRecord {
    std::string source;
    RecordKey record_key{}; // unique within the source
    std::string record_id;
    std::uint64_t content_hash = 0;
    Date date = 0;
    DatePrecision precision = DatePrecision::kDay;
    std::optional<int> minute;
    std::optional<double> x, y, lon, lat;
    std::string loc_precision; // exact | snapped | area | none
    std::string lsoa, msoa, ward, borough;
    CategoryId category = 0;
    std::string source_category;
    Weapon weapon = Weapon::kUnknown;
    std::optional<int> age;
    Sex sex = Sex::kUnknown;
    std::optional<bool> domestic;
    std::string site;
    std::string person_ids;
    std::string attrs; // JSON object or empty
};

struct CountRecord {
    std::string source;
    std::string area_level;
    std::string area_code;
    PeriodKind period_kind = PeriodKind::kMonth;
    std::int32_t period_key = 0;
    std::string source_category;
    CategoryId category = 0;
    std::int64_t count = 0;
    std::int32_t vintage = 0;
};

struct AreaRecord {
    std::string level; // lsoa | msoa | ward | borough
    std::string code;
    std::string name;
    std::string parent_code;
    std::vector<std::uint8_t> geometry; // WKB, EPSG:27700
    double centroid_x = 0, centroid_y = 0, area_m2 = 0;
    double min_x = 0, min_y = 0, max_x = 0, max_y = 0;
};

// The higher-level area an LSOA lies in (msoa, ward or borough).
struct AreaLookup {
    std::string lsoa_code;
    std::string level;
    std::string code;
    std::string method; // attribute | centroid
};

inline constexpr int kOpenAge = 999; // age_hi of an open band (85+) and of "all ages"

struct PopulationRecord {
    std::string area_code;
    int year = 0;
    int sex = 0; // 0 all, 1 male, 2 female
    int age_lo = 0;
    int age_hi = kOpenAge;
    double population = 0;
};

struct DeprivationRecord {
    std::string lsoa_code;
    std::string edition;
    std::optional<double> imd_score;
    std::optional<std::int64_t> imd_rank;
    std::optional<int> imd_decile;
};

// Analyses read events already counted: rows of (area, date, precision, category, age, sex) with a count. The same
// key may come in several rows (their counts add up).
struct EventGroup {
    std::string lsoa;       // the event's LSOA (may be empty)
    std::string area_code;  // the event's code at the requested level (empty at the LSOA level, which is lsoa, and
                            // when the event has none: resolve through lsoa)
    Date date = 0;
    DatePrecision precision = DatePrecision::kDay;
    CategoryId category = 0;
    std::optional<int> age;
    Sex sex = Sex::kUnknown;
    std::int64_t count = 0;
};

// An alarm raised by `vigil alerts` on the store's series.
struct AlertRecord {
    std::string signature; // method, options and series request: alarms are "new" per signature
    std::string series_id, period;
    std::int64_t observed = 0;
    double upperbound = 0;
};

struct EventQuery {
    std::string level;                 // lsoa | msoa | ward | borough | all
    CategoryId category = 0;           // a node; descendants included
    std::optional<std::string> source; // one source, or all
    std::optional<Date> from, to;      // inclusive, on the stored date
    std::optional<std::string> site;   // records of one treatment site only (read from the events, not the cube)
};

struct SourceSummary {
    std::string source;
    std::string kind; // events | counts
    std::int64_t records = 0;
};

struct CountQuery {
    CategoryId category = 0;
    std::optional<std::string> source;
    std::optional<PeriodKind> period_kind;
};

} // namespace vigil::store
