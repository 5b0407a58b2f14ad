#include "vigil/ingest/profile.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "vigil/core/error.hpp"
#include "vigil/ingest/builtin_profiles.hpp"

namespace vigil::ingest {
namespace {

using nlohmann::json;

std::vector<std::string> Strings(const json& j, const char* key) {
    std::vector<std::string> out;
    if (!j.contains(key)) return out;
    for (const auto& v : j.at(key)) out.push_back(v.get<std::string>());
    return out;
}

std::string Str(const json& j, const char* key) { return j.contains(key) ? j.at(key).get<std::string>() : ""; }

std::string Lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

} // namespace

EventProfile ParseEventProfile(const std::string& text, const std::string& origin) {
    json j;
    try {
        j = json::parse(text);
    } catch (const json::exception& e) {
        ThrowInvalidInput(origin + ": not valid JSON: " + e.what());
    }
    const CategoryTree& tree = CategoryTree::Standard();
    auto category = [&](const std::string& code, const std::string& where) {
        auto id = tree.Find(code);
        if (!id) ThrowInvalidInput(origin + ": " + where + " names unknown category '" + code + "'");
        return *id;
    };
    try {
        EventProfile p;
        p.name = Str(j, "name");
        if (p.name.empty()) ThrowInvalidInput(origin + ": a profile needs a \"name\"");
        if (Str(j, "kind") != "events") ThrowInvalidInput(origin + ": \"kind\" must be \"events\"");
        p.description = Str(j, "description");
        p.source = Str(j, "source");
        p.source_column = Str(j, "source_column");
        if (p.source.empty() == p.source_column.empty())
            ThrowInvalidInput(origin + ": give exactly one of \"source\" and \"source_column\"");
        p.required = Strings(j, "required");
        if (j.contains("identity")) {
            p.identity_columns = Strings(j.at("identity"), "columns");
            p.identity_content_when_blank = Str(j.at("identity"), "when_blank") == "content";
            p.identity_content_columns = Strings(j.at("identity"), "content_columns");
        }
        p.content_columns = Strings(j, "content");
        const json& d = j.at("date");
        p.date_columns = Strings(d, "columns");
        if (p.date_columns.empty()) ThrowInvalidInput(origin + ": \"date\" needs \"columns\"");
        std::string fmt = Str(d, "format");
        if (fmt == "year-month") p.date_format = DateFormat::kYearMonth;
        else if (fmt == "date") p.date_format = DateFormat::kDate;
        else if (fmt == "datetime") p.date_format = DateFormat::kDateTime;
        else if (fmt.empty() || fmt == "auto") p.date_format = DateFormat::kAuto;
        else ThrowInvalidInput(origin + ": unknown date format '" + fmt + "' (year-month, date, datetime, auto)");
        p.time_column = Str(d, "time");
        if (j.contains("location")) {
            const json& l = j.at("location");
            p.x_column = Str(l, "x");
            p.y_column = Str(l, "y");
            p.lon_column = Str(l, "lon");
            p.lat_column = Str(l, "lat");
            p.lsoa_column = Str(l, "lsoa");
            if (l.contains("precision")) p.location_precision = Str(l, "precision");
        }
        const json& c = j.at("category");
        if (c.contains("fixed")) p.category_fixed = category(Str(c, "fixed"), "category.fixed");
        p.category_column = Str(c, "column");
        p.category_codes = c.value("codes", false);
        if (c.contains("default")) p.category_default = category(Str(c, "default"), "category.default");
        if (c.contains("map"))
            for (auto it = c.at("map").begin(); it != c.at("map").end(); ++it)
                p.category_map[it.key()] = category(it.value().get<std::string>(), "category.map");
        if (!p.category_fixed && p.category_column.empty())
            ThrowInvalidInput(origin + ": \"category\" needs \"fixed\" or \"column\"");
        if (j.contains("weapon")) {
            const json& w = j.at("weapon");
            p.weapon_column = Str(w, "column");
            if (w.contains("map"))
                for (auto it = w.at("map").begin(); it != w.at("map").end(); ++it) {
                    auto code = ParseWeaponCode(it.value().get<std::string>());
                    if (!code) ThrowInvalidInput(origin + ": weapon.map names unknown weapon '" +
                                                 it.value().get<std::string>() + "'");
                    p.weapon_map[Lower(it.key())] = *code;
                }
        }
        auto column_of = [&](const char* key) { return j.contains(key) ? Str(j.at(key), "column") : std::string(); };
        p.age_column = column_of("age");
        p.sex_column = column_of("sex");
        p.domestic_column = column_of("domestic");
        p.site_column = column_of("site");
        p.identifier_columns = Strings(j, "identifiers");
        p.person_key_columns = Strings(j, "person_key");
        p.attr_columns = Strings(j, "attrs");
        return p;
    } catch (const json::exception& e) {
        ThrowInvalidInput(origin + ": malformed profile: " + e.what());
    }
}

EventProfile LoadEventProfile(const std::string& path) {
    std::ifstream in(path);
    if (!in) ThrowIo(path + ": cannot read the profile");
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return ParseEventProfile(text, path);
}

const EventProfile& BuiltinProfile(const std::string& name) {
    static const std::map<std::string, EventProfile> profiles = [] {
        std::map<std::string, EventProfile> m;
        for (const auto& [file, text] : BuiltinProfileTexts()) {
            EventProfile p = ParseEventProfile(text, "built-in profile " + file);
            m.emplace(p.name, std::move(p));
        }
        return m;
    }();
    auto it = profiles.find(name);
    if (it == profiles.end()) ThrowInvalidInput("unknown profile '" + name + "'");
    return it->second;
}

std::vector<std::string> BuiltinProfileNames() {
    std::vector<std::string> names;
    for (const auto& [file, text] : BuiltinProfileTexts()) names.push_back(ParseEventProfile(text, file).name);
    return names;
}

} // namespace vigil::ingest
