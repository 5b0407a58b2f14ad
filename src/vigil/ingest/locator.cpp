#include "vigil/ingest/locator.hpp"

#include <cstdlib>
#include <sstream>

#include "vigil/core/error.hpp"
#include "vigil/geo/area_index.hpp"
#include "vigil/store/store.hpp"

namespace vigil::ingest {

namespace {
const char* kLevels[] = {"lsoa", "msoa", "ward", "borough"};

std::vector<geo::AreaFeature> ToFeatures(const std::vector<store::AreaRecord>& areas) {
    std::vector<geo::AreaFeature> out;
    out.reserve(areas.size());
    for (const auto& a : areas) {
        geo::AreaFeature f;
        f.code = a.code;
        f.name = a.name;
        f.parent_code = a.parent_code;
        f.wkb = a.geometry;
        f.centroid_x = a.centroid_x;
        f.centroid_y = a.centroid_y;
        f.area_m2 = a.area_m2;
        f.min_x = a.min_x;
        f.min_y = a.min_y;
        f.max_x = a.max_x;
        f.max_y = a.max_y;
        out.push_back(std::move(f));
    }
    return out;
}
} // namespace

Region ParseRegion(const std::string& text) {
    std::stringstream ss(text);
    std::string part;
    double v[4];
    int n = 0;
    while (std::getline(ss, part, ',') && n < 5) {
        char* end = nullptr;
        double d = std::strtod(part.c_str(), &end);
        if (part.empty() || *end != 0 || n >= 4)
            ThrowInvalidInput("--region '" + text + "': expected XMIN,YMIN,XMAX,YMAX in EPSG:27700 metres");
        v[n++] = d;
    }
    if (n != 4 || v[0] >= v[2] || v[1] >= v[3])
        ThrowInvalidInput("--region '" + text + "': expected XMIN,YMIN,XMAX,YMAX with XMIN < XMAX and YMIN < YMAX");
    return Region{v[0], v[1], v[2], v[3]};
}

struct Locator::Level {
    std::string name;
    std::vector<std::string> codes;
    std::unordered_map<std::string, std::size_t> code_index;
    std::unique_ptr<geo::AreaIndex> index;
};

Locator::Locator(store::Store& store) {
    for (const char* name : kLevels) {
        auto areas = store.Areas(name, true);
        if (areas.empty()) continue;
        auto level = std::make_unique<Level>();
        level->name = name;
        std::vector<store::AreaRecord> with_geometry;
        for (auto& a : areas) {
            level->code_index.emplace(a.code, level->codes.size());
            level->codes.push_back(a.code);
        }
        level->index = std::make_unique<geo::AreaIndex>(ToFeatures(areas));
        levels_.push_back(std::move(level));
    }
    for (auto& l : store.AreaLookups()) lookup_[l.lsoa_code][l.level] = l.code;
}

Locator::~Locator() = default;

bool Locator::has_boundaries() const { return !levels_.empty(); }

void Locator::Locate(store::EventRecord& e, LocateStats& stats) const {
    std::string* slot[] = {&e.lsoa, &e.msoa, &e.ward, &e.borough};
    auto slot_of = [&](const std::string& level) -> std::string* {
        for (int i = 0; i < 4; ++i)
            if (level == kLevels[i]) return slot[i];
        return nullptr;
    };
    bool have_point = e.x && e.y;
    std::string given_lsoa = e.lsoa;
    for (const auto& level : levels_) {
        std::string* s = slot_of(level->name);
        if (level->name == "lsoa" && !given_lsoa.empty()) {
            if (!level->code_index.count(given_lsoa)) ++stats.lsoa_not_loaded;
            else if (have_point) {
                auto hit = level->index->Locate(*e.x, *e.y);
                if (hit && level->codes[*hit] != given_lsoa) ++stats.lsoa_disagrees;
            }
            continue; // the source's own LSOA is kept
        }
        if (!s->empty()) continue;
        // A known LSOA's own higher areas come first: consistent with LSOA roll-ups.
        if (!e.lsoa.empty()) {
            auto it = lookup_.find(e.lsoa);
            if (it != lookup_.end()) {
                auto jt = it->second.find(level->name);
                if (jt != it->second.end()) {
                    *s = jt->second;
                    continue;
                }
            }
        }
        if (have_point) {
            if (auto hit = level->index->Locate(*e.x, *e.y)) *s = level->codes[*hit];
        }
    }
    // Levels without loaded boundaries can still come from the lookup.
    if (!e.lsoa.empty()) {
        auto it = lookup_.find(e.lsoa);
        if (it != lookup_.end())
            for (const auto& [level, code] : it->second)
                if (std::string* s = slot_of(level); s && s->empty()) *s = code;
    }
    if (have_point && !levels_.empty()) ++stats.located_by_point;
    else if (!e.lsoa.empty()) ++stats.located_by_code;
    else ++stats.unlocated;
}

std::vector<store::AreaLookup> DeriveLookups(const std::vector<store::AreaRecord>& lsoas,
                                             const std::vector<store::AreaRecord>& higher, const std::string& level) {
    std::vector<store::AreaLookup> out;
    if (lsoas.empty() || higher.empty()) return out;
    geo::AreaIndex index(ToFeatures(higher));
    for (const auto& l : lsoas) {
        auto hit = index.Locate(l.centroid_x, l.centroid_y);
        if (hit) out.push_back({l.code, level, higher[*hit].code, "centroid"});
    }
    return out;
}

} // namespace vigil::ingest
