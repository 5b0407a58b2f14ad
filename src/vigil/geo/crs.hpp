#pragma once
// Coordinate reference system transforms, a thin wrapper over PROJ (proj.h, PROJ >= 6).
//
// Both CRSs are given as anything proj_create accepts ("EPSG:4326", "EPSG:27700", WKT, PROJJSON). The
// operation is chosen by proj_create_crs_to_crs (best available for the point's area of use) and then
// normalised with proj_normalize_for_visualization, so axes are ALWAYS in traditional GIS order: x =
// longitude / easting, y = latitude / northing, even though EPSG:4326 officially lists latitude first.
//
// WGS84 <-> British National Grid: without the OSTN15 grid installed (Debian's proj-data does not ship
// it) PROJ uses the EPSG:1314 Helmert transformation, accurate to about 2-5 m across Great Britain. The
// projection itself (OSGB36 lon/lat <-> E/N) is exact to the millimetre; see docs/methods/geography.md.
//
// Points that cannot be transformed (outside the domain, non-finite input) come back as NaN; they
// never throw. Unknown CRS strings throw vigil::Error of kind kInvalidInput.
//
// Thread-safety: each CrsTransform owns its own PJ_CONTEXT, but one object must not be used from two
// threads at the same time (PROJ keeps per-call state in the PJ). Use one object per thread, or the
// thread_local convenience functions below.
#include <memory>
#include <span>
#include <string>

#include "vigil/geo/point.hpp"

namespace vigil::geo {

class CrsTransform {
  public:
    CrsTransform(const std::string& from, const std::string& to);
    ~CrsTransform();
    CrsTransform(CrsTransform&& other) noexcept;
    CrsTransform& operator=(CrsTransform&& other) noexcept;
    CrsTransform(const CrsTransform&) = delete;
    CrsTransform& operator=(const CrsTransform&) = delete;

    // One point; NaN coordinates when it cannot be transformed.
    Point Apply(Point p) const;
    // Many points in place (proj_trans_generic). xs and ys must have the same length (kInvalidInput
    // otherwise); points that fail become NaN.
    void ApplyInPlace(std::span<double> xs, std::span<double> ys) const;

    const std::string& from() const;
    const std::string& to() const;

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// WGS84 lon/lat (degrees) -> British National Grid easting/northing (metres), and back. Each thread
// borrows a transform from a process-wide pool on first use and returns it when the thread exits, so
// short-lived threads do not rebuild one each.
Point LonLatToBng(double lon, double lat);
Point BngToLonLat(double easting, double northing);

} // namespace vigil::geo
