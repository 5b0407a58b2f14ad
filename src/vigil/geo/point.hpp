#pragma once
// A planar or geographic coordinate pair in traditional GIS axis order: x = longitude or easting,
// y = latitude or northing (whatever the CRS's own axis order says).
namespace vigil::geo {

struct Point {
    double x = 0;
    double y = 0;
};

} // namespace vigil::geo
