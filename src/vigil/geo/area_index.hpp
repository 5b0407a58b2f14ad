#pragma once
// Point-in-polygon lookup of many points against a fixed set of areas (LSOAs, wards, boroughs), built on
// the GEOS C API (reentrant _r functions): an STR-tree (Leutenegger, Lopez and Edgington 1997,
// "STR: a simple and efficient algorithm for R-tree packing") over the areas' bounding boxes, and each
// area as a GEOS prepared geometry (indexed point-in-area test; ring crossings, Hormann and Agathos 2001).
// In front of them sits a uniform grid (~1024 cells per area, at most 16 MB): a cell that no polygon edge
// touches lies wholly inside one area (or none), so its answer is computed once at construction by
// flood-filling the untouched cells; only points in cells crossed by a boundary reach GEOS. The grid changes
// speed, never the answer (the edge marking is conservative, with a margin far above rounding error).
//
// Rule for a point on a boundary: a point ON an area's boundary belongs to it (closed polygons, the
// "intersects" predicate), so no point on the edge of the covered region is lost. A point on the shared
// edge of several areas goes to the one with the lowest index (first in the input order), deterministic
// and independent of the tree layout. A point in no area (or non-finite) gives nullopt.
//
// Coordinates are those of the features' WKB: EPSG:27700 easting/northing in metres for features from
// LoadBoundaries. Convert lon/lat first with LonLatToBng.
//
// Thread-safety: each AreaIndex owns its own GEOS context handle, and GEOS builds the prepared geometries'
// internal indexes lazily on first use, so Locate (const) must be called from ONE thread at a time per
// object. For parallel locating, build one AreaIndex per thread from the same features.
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "vigil/geo/boundaries.hpp"

namespace vigil::geo {

class AreaIndex {
  public:
    // Throws kData when a feature's WKB cannot be read as a polygon (naming the feature's code).
    explicit AreaIndex(const std::vector<AreaFeature>& features);
    ~AreaIndex();
    AreaIndex(AreaIndex&& other) noexcept;
    AreaIndex& operator=(AreaIndex&& other) noexcept;
    AreaIndex(const AreaIndex&) = delete;
    AreaIndex& operator=(const AreaIndex&) = delete;

    // Index (into the constructor's features) of the area containing (x, y), boundary included.
    std::optional<std::size_t> Locate(double x, double y) const;
    std::size_t size() const;

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// The GeoJSON geometry object (Polygon or MultiPolygon, "coordinates" in WGS84 lon/lat, RFC 7946 axis
// order) of a feature from LoadBoundaries, with `decimals` digits after the point (0..15; 6 is ~0.1 m).
// Uses GDAL/OGR (the same PROJ transformation as CrsTransform). Throws kInvalidInput for decimals out of
// range and kData for unreadable WKB.
std::string FeatureToGeoJsonGeometry(const AreaFeature& f, int decimals = 6);

} // namespace vigil::geo
