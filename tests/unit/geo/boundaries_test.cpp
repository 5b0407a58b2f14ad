// LoadBoundaries on the real London files (counts and boxes checked against the files' own headers and
// attributes) and on small planted files for each failure and warning path.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <set>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "geo_test_util.hpp"
#include "test_support.hpp"
#include "vigil/core/error.hpp"
#include "vigil/geo/boundaries.hpp"
#include "vigil/geo/crs.hpp"

namespace vigil::geo {
namespace {

using vigil::test::ScratchDir;
using vigil::test::SharedDir;
namespace fs = std::filesystem;

const char* const kBoroughJson = "data/boundaries/geojson_wgs84/London_Borough_Excluding_MHW.geojson";
const char* const kBoroughShp = "data/boundaries/boroughs_statgis/London_Borough_Excluding_MHW.shp";
const char* const kLsoaShp = "data/boundaries/lsoa2011_gen20/london-2011-lsoa-gen20.shp";
const char* const kLsoaDbf = "data/boundaries/lsoa2011_gen20/london-2011-lsoa-gen20.dbf";

std::string Path(const char* rel) {
    return (SharedDir() / rel).string();
}

ErrorKind KindOf(const std::function<void()>& f, std::string* message = nullptr) {
    try {
        f();
    } catch (const Error& e) {
        if (message != nullptr)
            *message = e.what();
        return e.kind();
    }
    ADD_FAILURE() << "expected vigil::Error";
    return ErrorKind::kInternal;
}

std::string BngFeatureCollection(const std::string& features) {
    return R"({"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::27700"}},)"
           R"("features":[)" +
           features + "]}";
}

TEST(GeoBoundaries, BoroughGeoJsonIsReprojectedIntoLondon) {
    VIGIL_REQUIRE_SHARED(kBoroughJson);
    const BoundaryLoad load = LoadBoundaries(Path(kBoroughJson));
    EXPECT_EQ(load.source_crs, "EPSG:4326");
    EXPECT_EQ(load.code_field, "GSS_CODE");
    EXPECT_EQ(load.name_field, "NAME");
    EXPECT_EQ(load.parent_field, "");
    EXPECT_TRUE(load.warnings.empty());
    ASSERT_EQ(load.features.size(), 33u);
    std::set<std::string> codes;
    for (const AreaFeature& f : load.features) {
        codes.insert(f.code);
        EXPECT_FALSE(f.name.empty());
        EXPECT_GE(f.min_x, 500000);
        EXPECT_LE(f.max_x, 565000);
        EXPECT_GE(f.min_y, 155000);
        EXPECT_LE(f.max_y, 205000);
        EXPECT_LT(f.min_x, f.max_x);
        EXPECT_GT(f.area_m2, 2.5e6); // the City of London, the smallest, is 2.9 km2
    }
    std::set<std::string> expected;
    for (int i = 1; i <= 33; ++i) {
        expected.insert(std::string("E090000") + (i < 10 ? "0" : "") + std::to_string(i));
    }
    EXPECT_EQ(codes, expected);
    const auto westminster = std::find_if(load.features.begin(), load.features.end(),
                                          [](const AreaFeature& f) { return f.code == "E09000033"; });
    ASSERT_NE(westminster, load.features.end());
    EXPECT_EQ(westminster->name, "Westminster");
}

TEST(GeoBoundaries, AreaAndCentroidAgreeWithShoelaceOnTheWkb) {
    VIGIL_REQUIRE_SHARED(kBoroughShp);
    const BoundaryLoad load = LoadBoundaries(Path(kBoroughShp));
    for (const AreaFeature& f : load.features) {
        const test::MultiPolygon mp = test::WkbReader(f.wkb).Read();
        const test::AreaMoments m = test::Moments(mp);
        EXPECT_NEAR(f.area_m2, m.area, 1e-6 * m.area) << f.code;
        EXPECT_NEAR(f.centroid_x, m.cx, 0.01) << f.code;
        EXPECT_NEAR(f.centroid_y, m.cy, 0.01) << f.code;
    }
}

TEST(GeoBoundaries, BoroughAreasMatchTheFilesOwnHectares) {
    // The GLA file carries HECTARES (whole borough) and NONLD_AREA (water); the polygons exclude the
    // Thames below mean high water, so their area should be HECTARES - NONLD_AREA.
    VIGIL_REQUIRE_SHARED(kBoroughShp);
    VIGIL_REQUIRE_SHARED(kBoroughJson);
    std::ifstream in(Path(kBoroughJson));
    const auto json = nlohmann::json::parse(in);
    std::map<std::string, double> land_ha;
    for (const auto& f : json["features"]) {
        const auto& p = f["properties"];
        land_ha[p["GSS_CODE"].get<std::string>()] =
            p["HECTARES"].get<double>() - p["NONLD_AREA"].get<double>();
    }
    const BoundaryLoad load = LoadBoundaries(Path(kBoroughShp));
    ASSERT_EQ(load.features.size(), land_ha.size());
    int within_200_m2 = 0;
    for (const AreaFeature& f : load.features) {
        const double ha = f.area_m2 / 1e4;
        EXPECT_NEAR(ha, land_ha.at(f.code), 0.002 * land_ha.at(f.code)) << f.code;
        if (std::abs(ha - land_ha.at(f.code)) < 0.02)
            ++within_200_m2;
    }
    // Two boroughs (Hounslow, Richmond) differ by ~5 ha, islands in the river; the rest to 0.02 ha.
    EXPECT_GE(within_200_m2, 31);
}

TEST(GeoBoundaries, GeoJsonAndShapefileCopiesAgreeToHalfAMetre) {
    // The GeoJSON was made from the shapefile with ogr2ogr (Helmert, 6 decimals), so our WGS84 -> BNG of
    // it must land back on the shapefile's native BNG boxes.
    VIGIL_REQUIRE_SHARED(kBoroughShp);
    VIGIL_REQUIRE_SHARED(kBoroughJson);
    const BoundaryLoad shp = LoadBoundaries(Path(kBoroughShp));
    const BoundaryLoad js = LoadBoundaries(Path(kBoroughJson));
    std::map<std::string, const AreaFeature*> by_code;
    for (const auto& f : shp.features)
        by_code[f.code] = &f;
    ASSERT_EQ(js.features.size(), shp.features.size());
    for (const AreaFeature& f : js.features) {
        const AreaFeature& g = *by_code.at(f.code);
        EXPECT_NEAR(f.min_x, g.min_x, 0.5) << f.code;
        EXPECT_NEAR(f.min_y, g.min_y, 0.5) << f.code;
        EXPECT_NEAR(f.max_x, g.max_x, 0.5) << f.code;
        EXPECT_NEAR(f.max_y, g.max_y, 0.5) << f.code;
        EXPECT_NEAR(f.area_m2, g.area_m2, 1e-5 * g.area_m2) << f.code;
        EXPECT_EQ(f.name, g.name);
    }
}

TEST(GeoBoundaries, Lsoa2011ShapefileCountFieldsAndBox) {
    VIGIL_REQUIRE_SHARED(kLsoaShp);
    const BoundaryLoad load = LoadBoundaries(Path(kLsoaShp));
    const std::uint32_t records = test::DbfRecordCount(Path(kLsoaDbf)); // 4835 per SOURCE.md
    EXPECT_EQ(records, 4835u);
    EXPECT_EQ(load.features.size(), records);
    EXPECT_EQ(load.code_field, "LSOA11CD");
    EXPECT_EQ(load.name_field, "LSOA11NM");
    EXPECT_EQ(load.parent_field, "LAD11CD");
    EXPECT_EQ(load.source_crs, "EPSG:27700");
    EXPECT_TRUE(load.warnings.empty());

    std::set<std::string> codes, parents;
    double min_x = INFINITY, min_y = INFINITY, max_x = -INFINITY, max_y = -INFINITY;
    for (const AreaFeature& f : load.features) {
        codes.insert(f.code);
        parents.insert(f.parent_code);
        EXPECT_EQ(f.code.rfind("E01", 0), 0u) << f.code;
        min_x = std::min(min_x, f.min_x);
        min_y = std::min(min_y, f.min_y);
        max_x = std::max(max_x, f.max_x);
        max_y = std::max(max_y, f.max_y);
    }
    EXPECT_EQ(codes.size(), load.features.size());
    EXPECT_EQ(parents.size(), 33u);
    EXPECT_EQ(*parents.begin(), "E09000001");
    EXPECT_EQ(*parents.rbegin(), "E09000033");
    // Native BNG: the union of the boxes is the box in the .shp header, untouched by any transform.
    const auto box = test::ShpHeaderBox(Path(kLsoaShp));
    EXPECT_NEAR(min_x, box[0], 1e-6);
    EXPECT_NEAR(min_y, box[1], 1e-6);
    EXPECT_NEAR(max_x, box[2], 1e-6);
    EXPECT_NEAR(max_y, box[3], 1e-6);
    EXPECT_EQ(load.features.front().code, "E01000001");
    EXPECT_EQ(load.features.front().name, "City of London 001A");
    EXPECT_EQ(load.features.front().parent_code, "E09000001");
}

TEST(GeoBoundaries, ExplicitFieldsOverrideDetection) {
    VIGIL_REQUIRE_SHARED(kLsoaShp);
    BoundaryOptions opt;
    opt.code_field = "msoa11cd"; // case-insensitive
    opt.name_field = "MSOA11NM";
    opt.parent_field = "LAD11CD";
    const BoundaryLoad load = LoadBoundaries(Path(kLsoaShp), opt);
    EXPECT_EQ(load.code_field, "MSOA11CD");
    // 983 MSOAs in London (2011); each LSOA after the first in its MSOA is a duplicate-code warning.
    EXPECT_EQ(load.features.size(), 983u);
    EXPECT_EQ(load.warnings.size(), 4835u - 983u);
    EXPECT_NE(load.warnings.front().find("duplicate code"), std::string::npos);

    opt.code_field = "NO_SUCH";
    std::string msg;
    EXPECT_EQ(KindOf([&] { LoadBoundaries(Path(kLsoaShp), opt); }, &msg), ErrorKind::kInvalidInput);
    EXPECT_NE(msg.find("NO_SUCH"), std::string::npos);
    EXPECT_NE(msg.find("LSOA11CD"), std::string::npos); // lists the fields present
}

TEST(GeoBoundaries, ShapefileWithoutCrsNeedsAssumeCrs) {
    VIGIL_REQUIRE_SHARED(kLsoaShp);
    ScratchDir dir("geo-noprj");
    for (const char* ext : {".shp", ".shx", ".dbf", ".cpg"}) {
        fs::copy_file(SharedDir() / "data/boundaries/lsoa2011_gen20" /
                          (std::string("london-2011-lsoa-gen20") + ext),
                      dir / (std::string("lsoa") + ext));
    }
    const std::string shp = (dir / "lsoa.shp").string();
    std::string msg;
    EXPECT_EQ(KindOf([&] { LoadBoundaries(shp); }, &msg), ErrorKind::kData);
    EXPECT_NE(msg.find("assume_crs"), std::string::npos);

    BoundaryOptions opt;
    opt.assume_crs = "EPSG:27700";
    const BoundaryLoad load = LoadBoundaries(shp, opt);
    EXPECT_EQ(load.features.size(), 4835u);
    EXPECT_EQ(load.source_crs, "EPSG:27700");
    ASSERT_EQ(load.warnings.size(), 1u);

    opt.assume_crs = "EPSG:0";
    EXPECT_EQ(KindOf([&] { LoadBoundaries(shp, opt); }), ErrorKind::kInvalidInput);
}

TEST(GeoBoundaries, MissingOrUnreadableFileIsIo) {
    ScratchDir dir("geo-io");
    std::string msg;
    EXPECT_EQ(KindOf([&] { LoadBoundaries((dir / "nope.geojson").string()); }, &msg), ErrorKind::kIo);
    EXPECT_NE(msg.find("nope.geojson"), std::string::npos);
    test::WriteText((dir / "garbage.geojson").string(), "this is not { a vector file");
    EXPECT_EQ(KindOf([&] { LoadBoundaries((dir / "garbage.geojson").string()); }), ErrorKind::kIo);
}

TEST(GeoBoundaries, NoCodeFieldIsDataAndNamesTheFields) {
    ScratchDir dir("geo-nocode");
    const std::string path = (dir / "x.geojson").string();
    test::WriteText(path, BngFeatureCollection(
                              R"({"type":"Feature","properties":{"colour":"red","height":3},)"
                              R"("geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}})"));
    std::string msg;
    EXPECT_EQ(KindOf([&] { LoadBoundaries(path); }, &msg), ErrorKind::kData);
    EXPECT_NE(msg.find("colour"), std::string::npos) << msg;
    EXPECT_NE(msg.find("height"), std::string::npos) << msg;
}

TEST(GeoBoundaries, EmptyLayerIsData) {
    ScratchDir dir("geo-empty");
    const std::string path = (dir / "empty.geojson").string();
    test::WriteText(path, BngFeatureCollection(""));
    EXPECT_EQ(KindOf([&] { LoadBoundaries(path); }), ErrorKind::kData);
    BoundaryOptions opt;
    opt.layer = "no_such_layer";
    EXPECT_EQ(KindOf([&] { LoadBoundaries(path, opt); }), ErrorKind::kInvalidInput);
}

TEST(GeoBoundaries, BadFeaturesBecomeWarnings) {
    ScratchDir dir("geo-warn");
    const std::string path = (dir / "w.geojson").string();
    const std::string square = R"({"type":"Polygon","coordinates":[[[0,0],[10,0],[10,10],[0,10],[0,0]]]})";
    const std::string far_square =
        R"({"type":"Polygon","coordinates":[[[100,100],[110,100],[110,110],[100,110],[100,100]]]})";
    const std::string bowtie = R"({"type":"Polygon","coordinates":[[[20,0],[30,10],[30,0],[20,10],[20,0]]]})";
    test::WriteText(
        path,
        BngFeatureCollection(
            R"({"type":"Feature","properties":{"area_code":"A","area_name":"Ward \"one\" – Ŵ"},"geometry":)" +
            square + "}," +
            R"({"type":"Feature","properties":{"area_code":"A","area_name":"dup"},"geometry":)" + far_square +
            "}," +
            R"({"type":"Feature","properties":{"area_code":"B","area_name":"no geometry"},"geometry":null},)" +
            R"({"type":"Feature","properties":{"area_code":"  ","area_name":"blank"},"geometry":)" + square +
            "}," +
            R"({"type":"Feature","properties":{"area_code":"C","area_name":"a point"},)"
            R"("geometry":{"type":"Point","coordinates":[1,1]}},)" +
            R"({"type":"Feature","properties":{"area_code":"D","area_name":"bow tie"},"geometry":)" + bowtie +
            "}"));
    const BoundaryLoad load = LoadBoundaries(path);
    EXPECT_EQ(load.code_field, "area_code");
    EXPECT_EQ(load.name_field, "area_name");
    EXPECT_EQ(load.source_crs, "EPSG:27700");
    ASSERT_EQ(load.features.size(), 2u);
    EXPECT_EQ(load.features[0].code, "A");
    EXPECT_EQ(load.features[0].name, "Ward \"one\" – Ŵ");
    EXPECT_DOUBLE_EQ(load.features[0].area_m2, 100.0); // the first A, not the far duplicate
    EXPECT_DOUBLE_EQ(load.features[0].max_x, 10.0);
    EXPECT_DOUBLE_EQ(load.features[0].centroid_x, 5.0);
    EXPECT_DOUBLE_EQ(load.features[0].centroid_y, 5.0);
    // The bow tie is repaired into its two triangles, 25 m2 each.
    EXPECT_EQ(load.features[1].code, "D");
    EXPECT_NEAR(load.features[1].area_m2, 50.0, 1e-9);
    EXPECT_NEAR(test::Moments(test::WkbReader(load.features[1].wkb).Read()).area, 50.0, 1e-9);
    ASSERT_EQ(load.warnings.size(), 5u);
    auto has = [&](const std::string& needle) {
        return std::any_of(load.warnings.begin(), load.warnings.end(),
                           [&](const std::string& w) { return w.find(needle) != std::string::npos; });
    };
    EXPECT_TRUE(has("duplicate code"));
    EXPECT_TRUE(has("empty geometry"));
    EXPECT_TRUE(has("empty area_code"));
    EXPECT_TRUE(has("not a polygon"));
    EXPECT_TRUE(has("repaired with MakeValid"));
}

TEST(GeoBoundaries, SmallWgsSquareLandsWhereCrsTransformPutsIt) {
    ScratchDir dir("geo-wgs");
    const std::string path = (dir / "sq.geojson").string();
    test::WriteText(
        path,
        R"({"type":"FeatureCollection","features":[{"type":"Feature","properties":{"LAD22CD":"E09000033",)"
        R"("LAD22NM":"Westminster"},"geometry":{"type":"Polygon","coordinates":)"
        R"([[[-0.13,51.50],[-0.12,51.50],[-0.12,51.51],[-0.13,51.51],[-0.13,51.50]]]}}]})");
    const BoundaryLoad load = LoadBoundaries(path);
    ASSERT_EQ(load.features.size(), 1u);
    EXPECT_EQ(load.code_field, "LAD22CD");
    EXPECT_EQ(load.name_field, "LAD22NM");
    EXPECT_EQ(load.parent_field, ""); // a borough's own code is not its parent
    const test::MultiPolygon mp = test::WkbReader(load.features[0].wkb).Read();
    ASSERT_EQ(mp.size(), 1u);
    ASSERT_EQ(mp[0][0].size(), 5u);
    const double lon[] = {-0.13, -0.12, -0.12, -0.13}, lat[] = {51.50, 51.50, 51.51, 51.51};
    for (int i = 0; i < 4; ++i) {
        const Point p = LonLatToBng(lon[i], lat[i]);
        EXPECT_NEAR(mp[0][0][static_cast<std::size_t>(i)][0], p.x, 1e-3);
        EXPECT_NEAR(mp[0][0][static_cast<std::size_t>(i)][1], p.y, 1e-3);
    }
}

TEST(GeoBoundaries, FieldPatternMatching) {
    EXPECT_TRUE(FieldNameMatches("WD22CD", "WD*CD"));
    EXPECT_TRUE(FieldNameMatches("wd14cd", "WD*CD"));
    EXPECT_TRUE(FieldNameMatches("LSOA11CD", "LSOA*CD"));
    EXPECT_FALSE(FieldNameMatches("WDCD", "WD*CD"));
    EXPECT_FALSE(FieldNameMatches("WD22CDX", "WD*CD"));
    EXPECT_FALSE(FieldNameMatches("WDxxCD", "WD*CD"));
    EXPECT_FALSE(FieldNameMatches("LSOA11CD", "OA*CD"));
    EXPECT_TRUE(FieldNameMatches("Gss_Code", "GSS_CODE"));
    EXPECT_FALSE(FieldNameMatches("", "CODE"));
    EXPECT_TRUE(FieldNameMatches("", ""));
}

} // namespace
} // namespace vigil::geo
