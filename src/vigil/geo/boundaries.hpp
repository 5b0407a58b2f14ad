#pragma once
// Loading area boundaries (LSOAs, MSOAs, wards, boroughs) from any vector format GDAL/OGR reads
// (GeoJSON, ESRI Shapefile, GeoPackage, ...) into plain structs in British National Grid.
//
// Every geometry is reprojected to EPSG:27700 (OGRCoordinateTransformation, traditional GIS axis
// order: x = easting, y = northing), flattened to 2D and stored as ISO WKB. Area code / name / parent
// fields are auto-detected from the ONS naming conventions unless named in BoundaryOptions (the rules
// are listed in docs/methods/geography.md). Problems with single features are warnings, not errors:
//   - empty or missing geometry, empty code, non-polygonal geometry: the feature is skipped;
//   - a code seen before: the first feature with that code is kept;
//   - invalid geometry (self-intersection, bow-tie): repaired with OGRGeometry::MakeValid (GEOS) and kept.
// Errors: the file cannot be opened -> kIo; no code field, no CRS (and no assume_crs), no usable
// feature -> kData; a named field, layer or assume_crs that does not exist -> kInvalidInput.
#include <cstdint>
#include <string>
#include <vector>

namespace vigil::geo {

struct AreaFeature {
    std::string code;              // e.g. E01000001
    std::string name;              // may be empty when the file has no name field
    std::string parent_code;       // e.g. the borough of an LSOA; empty when not known
    std::vector<std::uint8_t> wkb; // ISO WKB, little-endian, 2D Polygon or MultiPolygon, EPSG:27700
    double centroid_x = 0;         // area centroid (may lie outside a concave polygon), metres
    double centroid_y = 0;
    double area_m2 = 0;                                // planar area in the BNG plane
    double min_x = 0, min_y = 0, max_x = 0, max_y = 0; // bounding box, metres
};

struct BoundaryOptions {
    std::string code_field;   // empty = auto-detect
    std::string name_field;   // empty = auto-detect (may stay empty)
    std::string parent_field; // empty = auto-detect (may stay empty)
    std::string layer;        // empty = first layer
    std::string assume_crs;   // CRS used when the file declares none; empty = refuse such a file
};

struct BoundaryLoad {
    std::vector<AreaFeature> features;                // in file order, first of each code
    std::string code_field, name_field, parent_field; // the fields actually used ("" = none)
    std::string source_crs;            // "EPSG:27700", "EPSG:4326", or the CRS name when unidentified
    std::vector<std::string> warnings; // one line per skipped or repaired feature
};

BoundaryLoad LoadBoundaries(const std::string& path, const BoundaryOptions& options = {});

// Case-insensitive match of a field name against a detection pattern in which '*' stands for one or
// more digits ("WD*CD" matches "WD22CD", "wd14cd"). Exposed for tests.
bool FieldNameMatches(const std::string& field, const std::string& pattern);

} // namespace vigil::geo
