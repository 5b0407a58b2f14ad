#pragma once
// The synthetic city's geography: a jittered square grid of LSOA cells in British National Grid,
// grouped into MSOAs and boroughs, with police.uk-style anonymous "map points" in each LSOA, and the
// GeoJSON boundary files (WGS84, converted with PROJ through vigil::geo::CrsTransform).
//
// Cells share their jittered corner vertices, so the LSOAs tile the city exactly (queen/rook contiguity
// holds) and each cell is a convex quadrilateral. Borough b occupies a block of the grid filled row by
// row in a snake order; an MSOA is a run of consecutive LSOAs in that order, so both are contiguous.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "vigil/synth/city.hpp"
#include "vigil/synth/rng.hpp"

namespace vigil::synth {

struct MapPoint {
    double easting = 0;
    double northing = 0;
    std::string street;   // street or place name, as in "On or near <street>"
    std::string fragment; // "lon,lat,On or near <street>,<LSOA code>,<LSOA name>" as police.uk writes it
};

struct LsoaArea {
    std::string code;
    std::string name;
    int msoa = 0;
    int borough = 0;
    int col = 0;
    int row = 0;
    std::vector<MapPoint> points;
    Discrete point_choice; // how often crime is placed at each map point (some streets are busier)
};

struct MsoaArea {
    std::string code;
    std::string name;
    int borough = 0;
    std::vector<int> lsoas;
};

struct BoroughArea {
    std::string code;
    std::string name;
    std::vector<int> lsoas;
    double min_e = 0, max_e = 0, min_n = 0, max_n = 0;            // BNG bounding box
    double min_lon = 0, max_lon = 0, min_lat = 0, max_lat = 0;    // WGS84 bounding box
};

class Geography {
public:
    explicit Geography(const CityOptions& options);

    const std::vector<LsoaArea>& lsoas() const { return lsoas_; }
    const std::vector<MsoaArea>& msoas() const { return msoas_; }
    const std::vector<BoroughArea>& boroughs() const { return boroughs_; }

    // Point of an LSOA cell at bilinear coordinates (u, v) in [0, 1]^2 (0,0 = south-west corner).
    void CellPoint(int lsoa, double u, double v, double& easting, double& northing) const;
    double CentreEasting(int lsoa) const;
    double CentreNorthing(int lsoa) const;
    // The LSOA whose cell contains the point, or -1 outside the city.
    int Locate(double easting, double northing) const;
    // Distance from a point inside the LSOA's cell to the cell's nearest edge (metres).
    double EdgeDistance(int lsoa, double easting, double northing) const;
    // Nearest map point of an LSOA to a location (police.uk snapping).
    int NearestMapPoint(int lsoa, double easting, double northing) const;

    void CityBox(double& min_e, double& max_e, double& min_n, double& max_n) const;

    // Writes boundaries/lsoa.geojson, msoa.geojson and borough.geojson (one feature per area).
    void WriteBoundaries(const std::filesystem::path& dir) const;

private:
    int Vertex(int i, int j) const { return j * (cols_ + 1) + i; }
    void Corners(int lsoa, int out[4]) const; // SW, SE, NE, NW vertex indices (counter-clockwise)
    std::vector<std::vector<int>> Outline(const std::vector<int>& lsoa_members) const; // vertex rings

    double side_ = 0;
    double x0_ = 0;
    double y0_ = 0;
    int cols_ = 0;
    int rows_ = 0;
    std::vector<double> vx_, vy_;     // vertices, BNG
    std::vector<double> vlon_, vlat_; // the same vertices, WGS84
    std::vector<int> cell_lsoa_;      // cols_ x rows_, -1 where the grid has no LSOA
    std::vector<LsoaArea> lsoas_;
    std::vector<MsoaArea> msoas_;
    std::vector<BoroughArea> boroughs_;
};

} // namespace vigil::synth
