// AreaIndex: planted squares for the boundary rule, real London boroughs and LSOAs against known
// places and a brute-force ray-casting check; FeatureToGeoJsonGeometry against the ogr2ogr copy.
#include <algorithm>
#include <array>
#include <cmath>
#include <fstream>
#include <map>
#include <random>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "geo_test_util.hpp"
#include "test_support.hpp"
#include "vigil/core/error.hpp"
#include "vigil/geo/area_index.hpp"
#include "vigil/geo/crs.hpp"

namespace vigil::geo {
namespace {

using vigil::test::SharedDir;

const char* const kBoroughJson = "data/boundaries/geojson_wgs84/London_Borough_Excluding_MHW.geojson";
const char* const kBoroughShp = "data/boundaries/boroughs_statgis/London_Borough_Excluding_MHW.shp";
const char* const kLsoaShp = "data/boundaries/lsoa2011_gen20/london-2011-lsoa-gen20.shp";

std::string Path(const char* rel) {
    return (SharedDir() / rel).string();
}

AreaFeature Planted(const std::string& code, const test::MultiPolygon& mp) {
    AreaFeature f;
    f.code = code;
    f.wkb = mp.size() == 1 ? test::PolygonWkb(mp[0]) : test::MultiPolygonWkb(mp);
    return f;
}

const AreaFeature* ByCode(const std::vector<AreaFeature>& fs, const std::string& code) {
    for (const auto& f : fs) {
        if (f.code == code)
            return &f;
    }
    return nullptr;
}

TEST(GeoAreaIndex, SharedEdgeGoesToTheLowestIndex) {
    const auto left = Planted("L", {{test::Rect(0, 0, 10, 10)}});
    const auto right = Planted("R", {{test::Rect(10, 0, 20, 10)}});
    AreaIndex lr({left, right});
    EXPECT_EQ(lr.size(), 2u);
    EXPECT_EQ(lr.Locate(5, 5), 0u);
    EXPECT_EQ(lr.Locate(15, 5), 1u);
    EXPECT_EQ(lr.Locate(10, 5), 0u);  // on the shared edge
    EXPECT_EQ(lr.Locate(10, 10), 0u); // shared corner
    EXPECT_EQ(lr.Locate(20, 10), 1u); // outer corner still located
    EXPECT_EQ(lr.Locate(0, 3), 0u);   // outer edge still located
    EXPECT_EQ(lr.Locate(20.000001, 5), std::nullopt);
    EXPECT_EQ(lr.Locate(-1, 5), std::nullopt);

    AreaIndex rl({right, left}); // same geometry, other order: the edge follows the order
    EXPECT_EQ(rl.Locate(10, 5), 0u);
    EXPECT_EQ(rl.Locate(5, 5), 1u);
}

TEST(GeoAreaIndex, LatticeOfSquaresFollowsTheLowestIndexRuleEverywhere) {
    // 5 x 5 squares of side 2 in a shuffled order; points on a 0.25 lattice hit interiors, shared edges,
    // shared corners and the outside. Expected: the lowest index whose closed square holds the point.
    std::vector<std::array<int, 2>> origin;
    for (int i = 0; i < 5; ++i)
        for (int j = 0; j < 5; ++j)
            origin.push_back({2 * i, 2 * j});
    std::shuffle(origin.begin(), origin.end(), std::mt19937(7));
    std::vector<AreaFeature> fs;
    for (const auto& o : origin)
        fs.push_back(Planted("Q", {{test::Rect(o[0], o[1], o[0] + 2, o[1] + 2)}}));
    AreaIndex idx(fs);
    int on_edges = 0;
    for (double x = -1; x <= 11; x += 0.25) {
        for (double y = -1; y <= 11; y += 0.25) {
            std::optional<std::size_t> expected;
            int holders = 0;
            for (std::size_t k = 0; k < origin.size(); ++k) {
                if (x >= origin[k][0] && x <= origin[k][0] + 2 && y >= origin[k][1] &&
                    y <= origin[k][1] + 2) {
                    if (!expected)
                        expected = k;
                    ++holders;
                }
            }
            if (holders > 1)
                ++on_edges;
            ASSERT_EQ(idx.Locate(x, y), expected) << x << " " << y;
        }
    }
    EXPECT_GT(on_edges, 100);
}

TEST(GeoAreaIndex, OverlapsHolesAndMultiPolygons) {
    const auto holed = Planted("H", {{test::Rect(0, 0, 20, 20), test::Rect(5, 5, 15, 15)}});
    const auto islands = Planted("I", {{test::Rect(100, 0, 110, 10)}, {test::Rect(200, 0, 210, 10)}});
    const auto overlap = Planted("O", {{test::Rect(18, 18, 30, 30)}});
    const auto inner = Planted("N", {{test::Rect(6, 6, 8, 8)}}); // an island inside the hole
    AreaIndex idx({holed, islands, overlap, inner});
    EXPECT_EQ(idx.Locate(2, 2), 0u);
    EXPECT_EQ(idx.Locate(10, 10), std::nullopt); // in the hole
    EXPECT_EQ(idx.Locate(7, 7), 3u);             // island in the hole
    EXPECT_EQ(idx.Locate(5, 10), 0u);            // on the hole's edge: still the holed area
    EXPECT_EQ(idx.Locate(205, 5), 1u);           // second part of the multipolygon
    EXPECT_EQ(idx.Locate(150, 5), std::nullopt); // between the parts, inside the box
    EXPECT_EQ(idx.Locate(19, 19), 0u);           // overlap: lowest index
    EXPECT_EQ(idx.Locate(25, 25), 2u);
}

TEST(GeoAreaIndex, CornerCases) {
    AreaIndex empty(std::vector<AreaFeature>{});
    EXPECT_EQ(empty.size(), 0u);
    EXPECT_EQ(empty.Locate(0, 0), std::nullopt);

    AreaIndex one({Planted("A", {{test::Rect(0, 0, 1, 1)}})});
    EXPECT_EQ(one.Locate(NAN, 0.5), std::nullopt);
    EXPECT_EQ(one.Locate(0.5, INFINITY), std::nullopt);
    EXPECT_EQ(one.Locate(1e300, -1e300), std::nullopt);
    EXPECT_EQ(one.Locate(0.5, 0.5), 0u);

    AreaIndex moved(std::move(one));
    EXPECT_EQ(moved.Locate(0.5, 0.5), 0u);

    AreaFeature bad;
    bad.code = "BROKEN";
    bad.wkb = {1, 3, 0, 0};
    try {
        AreaIndex idx({Planted("A", {{test::Rect(0, 0, 1, 1)}}), bad});
        FAIL() << "expected a throw";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::kData);
        EXPECT_NE(std::string(e.what()).find("BROKEN"), std::string::npos);
    }
    AreaFeature nothing;
    nothing.code = "EMPTY";
    EXPECT_THROW(AreaIndex({nothing}), Error);
}

TEST(GeoAreaIndex, BigBenIsInWestminsterAndFarPointsAreNowhere) {
    VIGIL_REQUIRE_SHARED(kBoroughJson);
    const BoundaryLoad load = LoadBoundaries(Path(kBoroughJson));
    AreaIndex idx(load.features);
    ASSERT_EQ(idx.size(), 33u);
    auto code_at = [&](double lon, double lat) -> std::string {
        const Point p = LonLatToBng(lon, lat);
        const auto i = idx.Locate(p.x, p.y);
        return i ? load.features[*i].code : "none";
    };
    EXPECT_EQ(code_at(-0.1246, 51.5007), "E09000033"); // Palace of Westminster
    EXPECT_EQ(code_at(-0.0922, 51.5133), "E09000001"); // Guildhall, City of London
    EXPECT_EQ(code_at(-0.0761, 51.5081), "E09000030"); // Tower of London, Tower Hamlets
    EXPECT_EQ(code_at(-0.0098, 51.4769), "E09000011"); // Royal Observatory, Greenwich
    EXPECT_EQ(code_at(-0.4543, 51.4700), "E09000017"); // Heathrow Airport, Hillingdon
    EXPECT_EQ(code_at(-0.2795, 51.5560), "E09000005"); // Wembley Stadium, Brent
    EXPECT_EQ(code_at(-1.8904, 52.4862), "none");      // Birmingham
    EXPECT_EQ(code_at(0.1218, 52.2053), "none");       // Cambridge
    EXPECT_EQ(code_at(-0.1246, 51.4990), "E09000033"); // Westminster Abbey
}

TEST(GeoAreaIndex, EachBoroughCentroidLocatesToItself) {
    VIGIL_REQUIRE_SHARED(kBoroughShp);
    const BoundaryLoad load = LoadBoundaries(Path(kBoroughShp));
    AreaIndex idx(load.features);
    for (std::size_t i = 0; i < load.features.size(); ++i) {
        // Centroid recomputed here from the WKB, independently of the loader.
        const test::AreaMoments m = test::Moments(test::WkbReader(load.features[i].wkb).Read());
        EXPECT_EQ(idx.Locate(m.cx, m.cy), i) << load.features[i].code << " " << load.features[i].name;
    }
}

TEST(GeoAreaIndex, AgreesWithBruteForceRayCastingOnLsoas) {
    VIGIL_REQUIRE_SHARED(kLsoaShp);
    const BoundaryLoad load = LoadBoundaries(Path(kLsoaShp));
    AreaIndex idx(load.features);
    std::vector<test::MultiPolygon> polys;
    for (const auto& f : load.features)
        polys.push_back(test::WkbReader(f.wkb).Read());

    std::mt19937_64 rng(20240611);
    std::uniform_real_distribution<double> ux(500000, 565000), uy(154000, 203000);
    int compared = 0, inside = 0;
    for (int k = 0; k < 4000; ++k) {
        const double x = ux(rng), y = uy(rng);
        std::optional<std::size_t> expected;
        bool ambiguous = false;
        for (std::size_t i = 0; i < polys.size() && !expected; ++i) {
            const auto& f = load.features[i];
            if (x < f.min_x || x > f.max_x || y < f.min_y || y > f.max_y)
                continue;
            bool near = false;
            if (test::RayCastContains(polys[i], x, y, 1e-6, near))
                expected = i;
            ambiguous = ambiguous || near;
        }
        if (ambiguous)
            continue;
        ++compared;
        if (expected)
            ++inside;
        ASSERT_EQ(idx.Locate(x, y), expected) << x << " " << y;
    }
    EXPECT_GT(compared, 3990);
    EXPECT_GT(inside, 1500); // London fills about half of its box
}

TEST(GeoAreaIndex, LsoasSitInTheBoroughTheirFileNames) {
    // The LSOA file's LAD11CD column and the GLA borough polygons are independent sources: an LSOA's
    // interior point should fall in the borough the LSOA file names as its parent.
    VIGIL_REQUIRE_SHARED(kLsoaShp);
    VIGIL_REQUIRE_SHARED(kBoroughShp);
    const BoundaryLoad lsoas = LoadBoundaries(Path(kLsoaShp));
    const BoundaryLoad boroughs = LoadBoundaries(Path(kBoroughShp));
    AreaIndex lsoa_idx(lsoas.features);
    AreaIndex borough_idx(boroughs.features);
    int checked = 0, agree = 0;
    for (std::size_t i = 0; i < lsoas.features.size(); ++i) {
        const AreaFeature& f = lsoas.features[i];
        if (lsoa_idx.Locate(f.centroid_x, f.centroid_y) != i)
            continue; // concave LSOA: centroid outside
        ++checked;
        const auto b = borough_idx.Locate(f.centroid_x, f.centroid_y);
        if (b && boroughs.features[*b].code == f.parent_code)
            ++agree;
    }
    EXPECT_GT(checked, 4500);
    EXPECT_EQ(agree, checked); // all 4673 agree

    // Big Ben's LSOA is in Westminster.
    const Point p = LonLatToBng(-0.1246, 51.5007);
    const auto i = lsoa_idx.Locate(p.x, p.y);
    ASSERT_TRUE(i.has_value());
    EXPECT_EQ(lsoas.features[*i].parent_code, "E09000033");
    EXPECT_EQ(lsoas.features[*i].name.rfind("Westminster", 0), 0u) << lsoas.features[*i].name;
}

TEST(GeoGeoJson, BoroughGeometryMatchesTheOgr2ogrCopy) {
    VIGIL_REQUIRE_SHARED(kBoroughShp);
    VIGIL_REQUIRE_SHARED(kBoroughJson);
    const BoundaryLoad load = LoadBoundaries(Path(kBoroughShp));
    std::ifstream in(Path(kBoroughJson));
    const auto ref = nlohmann::json::parse(in);
    for (const char* code : {"E09000001", "E09000033"}) {
        const AreaFeature* f = ByCode(load.features, code);
        ASSERT_NE(f, nullptr);
        const auto got = nlohmann::json::parse(FeatureToGeoJsonGeometry(*f));
        nlohmann::json want;
        for (const auto& feat : ref["features"]) {
            if (feat["properties"]["GSS_CODE"] == code)
                want = feat["geometry"];
        }
        ASSERT_EQ(got["type"], want["type"]) << code;
        // Compare vertex sets (ogr2ogr's RFC 7946 mode may have reversed ring orientation).
        std::vector<std::array<double, 2>> a, b;
        auto collect = [](const nlohmann::json& geom, std::vector<std::array<double, 2>>& out) {
            auto rings = geom["type"] == "Polygon" ? nlohmann::json::array({geom["coordinates"]})
                                                   : geom["coordinates"];
            for (const auto& poly : rings)
                for (const auto& ring : poly)
                    for (const auto& c : ring)
                        out.push_back({c[0].get<double>(), c[1].get<double>()});
        };
        collect(got, a);
        collect(want, b);
        ASSERT_EQ(a.size(), b.size()) << code;
        std::sort(a.begin(), a.end());
        std::sort(b.begin(), b.end());
        std::size_t close = 0;
        for (std::size_t k = 0; k < a.size(); ++k) {
            EXPECT_GE(a[k][0], -0.6);
            EXPECT_LE(a[k][0], 0.4);
            EXPECT_GE(a[k][1], 51.2);
            EXPECT_LE(a[k][1], 51.75);
            if (std::abs(a[k][0] - b[k][0]) <= 1.01e-6 && std::abs(a[k][1] - b[k][1]) <= 1.01e-6)
                ++close;
        }
        // Sorting pairs that differ by a last-digit rounding can misalign a few; nearly all must match.
        EXPECT_GE(close, a.size() * 99 / 100) << code;
    }
}

TEST(GeoGeoJson, DecimalsAndErrors) {
    const AreaFeature sq = Planted("S", {{test::Rect(530000, 180000, 530100, 180100)}});
    const auto g2 = nlohmann::json::parse(FeatureToGeoJsonGeometry(sq, 2));
    EXPECT_EQ(g2["type"], "Polygon");
    const auto g9 = nlohmann::json::parse(FeatureToGeoJsonGeometry(sq, 9));
    const auto c2 = g2["coordinates"][0][0];
    const auto c9 = g9["coordinates"][0][0];
    const Point ll = BngToLonLat(530000, 180000);
    EXPECT_NEAR(c9[0].get<double>(), ll.x, 1e-9);
    EXPECT_NEAR(c9[1].get<double>(), ll.y, 1e-9);
    EXPECT_NEAR(c2[0].get<double>(), std::round(ll.x * 100) / 100, 1e-12);
    EXPECT_NEAR(c2[1].get<double>(), std::round(ll.y * 100) / 100, 1e-12);

    EXPECT_THROW(FeatureToGeoJsonGeometry(sq, -1), Error);
    EXPECT_THROW(FeatureToGeoJsonGeometry(sq, 16), Error);
    AreaFeature none;
    none.code = "X";
    try {
        FeatureToGeoJsonGeometry(none);
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::kData);
    }
}

} // namespace
} // namespace vigil::geo
