// FeatureToGeoJsonGeometry (declared in area_index.hpp): BNG WKB -> WGS84 GeoJSON geometry text via OGR.
#include <memory>

#include <cpl_string.h>
#include <ogr_api.h>
#include <ogr_geometry.h>
#include <ogr_spatialref.h>

#include "vigil/core/error.hpp"
#include "vigil/geo/area_index.hpp"
#include "vigil/geo/gdal_support.hpp"

namespace vigil::geo {
namespace {

// One transformation per thread: OGRCoordinateTransformation objects are not safe to share.
struct BngToWgs84 {
    OGRSpatialReference bng, wgs84;
    std::unique_ptr<OGRCoordinateTransformation> ct;
    BngToWgs84() {
        bng.importFromEPSG(27700);
        wgs84.importFromEPSG(4326);
        bng.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
        wgs84.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
        ct.reset(OGRCreateCoordinateTransformation(&bng, &wgs84));
        if (!ct)
            ThrowInternal("GDAL: no transformation from EPSG:27700 to EPSG:4326");
    }
};

} // namespace

std::string FeatureToGeoJsonGeometry(const AreaFeature& f, int decimals) {
    if (decimals < 0 || decimals > 15) {
        ThrowInvalidInput("GeoJSON coordinate decimals " + std::to_string(decimals) +
                          " out of range (expected 0..15)");
    }
    detail::EnsureGdalRegistered();
    detail::QuietGdalErrors quiet;
    OGRGeometry* raw = nullptr;
    if (f.wkb.empty() || OGRGeometryFactory::createFromWkb(f.wkb.data(), nullptr, &raw, f.wkb.size(),
                                                           wkbVariantIso) != OGRERR_NONE) {
        ThrowData("area '" + f.code + "': geometry is not readable WKB");
    }
    std::unique_ptr<OGRGeometry> geom(raw);
    thread_local const BngToWgs84 transform;
    if (geom->transform(transform.ct.get()) != OGRERR_NONE) {
        ThrowData("area '" + f.code +
                  "': cannot transform from EPSG:27700 to WGS84: " + detail::QuietGdalErrors::LastMessage());
    }
    char** opts = CSLSetNameValue(nullptr, "COORDINATE_PRECISION", std::to_string(decimals).c_str());
    char* json = OGR_G_ExportToJsonEx(OGRGeometry::ToHandle(geom.get()), opts);
    CSLDestroy(opts);
    if (json == nullptr)
        ThrowInternal("GDAL: cannot export area '" + f.code + "' as GeoJSON");
    std::string out(json);
    CPLFree(json);
    return out;
}

} // namespace vigil::geo
