#pragma once
// Gives events their areas: point-in-polygon against every loaded boundary level (through geo::AreaIndex),
// or, for records that carry only an LSOA code, the LSOA's higher areas from the lookup built when
// boundaries were loaded. Also converts between WGS84 and British National Grid and checks the region.
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "vigil/store/records.hpp"

namespace vigil::store {
class Store;
}
namespace vigil::geo {
class AreaIndex;
}

namespace vigil::ingest {

// The region events must fall in, as a box in EPSG:27700 metres. The default is Great Britain's National
// Grid extent; `vigil ingest --region XMIN,YMIN,XMAX,YMAX` narrows it.
struct Region {
    double min_x = 0, min_y = 0, max_x = 700000, max_y = 1300000;
    bool Contains(double x, double y) const { return x >= min_x && x <= max_x && y >= min_y && y <= max_y; }
};
Region ParseRegion(const std::string& text);

struct LocateStats {
    std::int64_t located_by_point = 0, located_by_code = 0, unlocated = 0;
    std::int64_t lsoa_not_loaded = 0;  // a given LSOA code that is not among loaded boundaries
    std::int64_t lsoa_disagrees = 0;   // the point lies in another LSOA than the one given
};

class Locator {
public:
    explicit Locator(store::Store& store);
    ~Locator();
    // Fills lsoa/msoa/ward/borough of `e` from its coordinates (x, y set) or its given LSOA code.
    void Locate(store::EventRecord& e, LocateStats& stats) const;
    bool has_boundaries() const;

private:
    struct Level;
    std::vector<std::unique_ptr<Level>> levels_; // lsoa, msoa, ward, borough (those loaded)
    std::unordered_map<std::string, std::map<std::string, std::string>> lookup_; // lsoa -> level -> code
};

// Rebuilds area_lookup-style rows for the loaded LSOAs: for each higher level loaded, the area containing the
// LSOA's centroid. Used after boundaries are ingested.
std::vector<store::AreaLookup> DeriveLookups(const std::vector<store::AreaRecord>& lsoas,
                                     const std::vector<store::AreaRecord>& higher, const std::string& level);

} // namespace vigil::ingest
