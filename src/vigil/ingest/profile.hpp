#pragma once
// Declarative ingest profiles: how one source's CSV maps onto vigil's event record (which columns, how dates
// and locations are written, how the source's categories and weapons map onto vigil's vocabularies, which
// columns are identifiers to pseudonymise, and how a record's identity is formed). A new partner's extract
// needs a profile (JSON, docs/PROFILES.md), not new C++. The built-in profiles live in profiles/*.json.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "vigil/model/category.hpp"

namespace vigil::ingest {

enum class DateFormat { kAuto, kYearMonth, kDate, kDateTime };

struct EventProfile {
    std::string name;
    std::string description;
    std::string source;        // fixed source name, or empty when source_column is set
    std::string source_column; // the source named per row
    std::vector<std::string> required;
    std::vector<std::string> identity_columns; // the record's identity; empty = content identity
    bool identity_content_when_blank = false;   // blank identity columns -> content identity
    std::vector<std::string> identity_content_columns; // content identity: these columns (empty = content_columns)
    std::vector<std::string> content_columns;   // columns whose change is an update; empty = all
    std::vector<std::string> date_columns;      // first non-blank wins
    DateFormat date_format = DateFormat::kAuto;
    std::string time_column;
    std::string x_column, y_column, lon_column, lat_column, lsoa_column;
    std::string location_precision = "exact";
    std::string category_column;
    bool category_codes = false; // the column holds vigil category codes
    std::optional<CategoryId> category_fixed;
    std::optional<CategoryId> category_default; // for labels the map does not know; else reject
    std::map<std::string, CategoryId> category_map;
    std::string weapon_column;
    std::map<std::string, Weapon> weapon_map; // lower-case keys; vigil codes always accepted
    std::string age_column, sex_column, domestic_column, site_column;
    std::vector<std::string> identifier_columns;
    std::vector<std::string> person_key_columns;
    std::vector<std::string> attr_columns;
};

// Parses a profile (JSON text); `origin` names it in error messages.
EventProfile ParseEventProfile(const std::string& json_text, const std::string& origin);
EventProfile LoadEventProfile(const std::string& path);

// The built-in profiles by name: police_uk_street, police_uk_stop_search, ae_istv, vigil_events.
const EventProfile& BuiltinProfile(const std::string& name);
std::vector<std::string> BuiltinProfileNames();

} // namespace vigil::ingest
