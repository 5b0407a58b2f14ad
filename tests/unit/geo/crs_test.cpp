// CrsTransform: control points with published values, round trips, batches and failures.
#include <cmath>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "vigil/core/error.hpp"
#include "vigil/geo/crs.hpp"

namespace vigil::geo {
namespace {

double Dms(double d, double m, double s) {
    return d + m / 60 + s / 3600;
}

// Ordnance Survey, "A guide to coordinate systems in Great Britain", worked example of the
// Transverse Mercator projection: OSGB36 52°39'27.2531"N 1°43'4.5177"E -> E 651409.903, N 313177.270.
TEST(GeoCrs, OrdnanceSurveyWorkedExampleToTheMillimetre) {
    CrsTransform osgb36_to_bng("EPSG:4277", "EPSG:27700");
    const Point p = osgb36_to_bng.Apply({Dms(1, 43, 4.5177), Dms(52, 39, 27.2531)});
    EXPECT_NEAR(p.x, 651409.903, 0.001);
    EXPECT_NEAR(p.y, 313177.270, 0.001);

    CrsTransform back("EPSG:27700", "EPSG:4277");
    const Point q = back.Apply({651409.903, 313177.270});
    EXPECT_NEAR(q.x, Dms(1, 43, 4.5177), 1e-8); // 1e-8 deg is about 1 mm
    EXPECT_NEAR(q.y, Dms(52, 39, 27.2531), 1e-8);
}

TEST(GeoCrs, AxisOrderIsLongitudeFirstEvenForEpsg4326) {
    // With the official EPSG:4326 order (lat, lon) this input would be a point in the Indian Ocean far
    // outside BNG; in GIS order it is central London.
    const Point p = LonLatToBng(-0.1276, 51.5072);
    // The published 1 km OS grid square of central London (Charing Cross / Trafalgar Square) is TQ 30 80,
    // i.e. E 530000..531000, N 180000..181000.
    EXPECT_GE(p.x, 530000);
    EXPECT_LT(p.x, 531000);
    EXPECT_GE(p.y, 180000);
    EXPECT_LT(p.y, 181000);
}

TEST(GeoCrs, WgsRoundTripWithinMicrodegree) {
    const std::vector<Point> lonlat = {{-0.1276, 51.5072}, {-0.1246, 51.5007}, {-5.7, 50.06},
                                       {1.75, 52.48},      {-3.19, 55.95},     {-1.0, 60.3}};
    for (const Point& ll : lonlat) {
        const Point en = LonLatToBng(ll.x, ll.y);
        ASSERT_TRUE(std::isfinite(en.x) && std::isfinite(en.y));
        const Point back = BngToLonLat(en.x, en.y);
        EXPECT_NEAR(back.x, ll.x, 1e-6);
        EXPECT_NEAR(back.y, ll.y, 1e-6);
    }
}

TEST(GeoCrs, WgsToBngDiffersFromOsgb36ProjectionByTheDatumShift) {
    // Same numeric lon/lat read as WGS84 and as OSGB36 are different places: in London the datum shift
    // is roughly 100 m east and 50 m south (OS guide: up to ~120 m across GB). A transform that ignored
    // the datum would give 0.
    const Point wgs = LonLatToBng(-0.1276, 51.5072);
    const Point osgb = CrsTransform("EPSG:4277", "EPSG:27700").Apply({-0.1276, 51.5072});
    const double shift = std::hypot(wgs.x - osgb.x, wgs.y - osgb.y);
    EXPECT_GT(shift, 80);
    EXPECT_LT(shift, 150);
}

TEST(GeoCrs, BatchEqualsOneByOneAndHandlesFailures) {
    CrsTransform t("EPSG:4326", "EPSG:27700");
    std::vector<double> xs = {-0.1276, -0.1246, NAN, 1.75, -0.2, INFINITY};
    std::vector<double> ys = {51.5072, 51.5007, 51.5, 52.48, 95.0, 51.0};
    const auto x0 = xs, y0 = ys;
    t.ApplyInPlace(xs, ys);
    for (std::size_t i = 0; i < xs.size(); ++i) {
        const Point one = t.Apply({x0[i], y0[i]});
        if (std::isnan(one.x)) {
            EXPECT_TRUE(std::isnan(xs[i]) && std::isnan(ys[i])) << i;
        } else {
            EXPECT_DOUBLE_EQ(xs[i], one.x) << i;
            EXPECT_DOUBLE_EQ(ys[i], one.y) << i;
        }
    }
    EXPECT_TRUE(std::isnan(xs[2])); // NaN input
    EXPECT_TRUE(std::isnan(xs[4])); // latitude 95 degrees
    EXPECT_TRUE(std::isnan(xs[5])); // infinite input
    EXPECT_TRUE(std::isfinite(xs[0]) && std::isfinite(xs[3]));
}

TEST(GeoCrs, ImpossibleLatitudeGivesNaNNotAThrow) {
    const Point p = LonLatToBng(0.0, 95.0);
    EXPECT_TRUE(std::isnan(p.x));
    EXPECT_TRUE(std::isnan(p.y));
    const Point q = LonLatToBng(NAN, 51.5);
    EXPECT_TRUE(std::isnan(q.x) && std::isnan(q.y));
}

TEST(GeoCrs, EmptyBatchAndLengthMismatch) {
    CrsTransform t("EPSG:4326", "EPSG:27700");
    std::vector<double> none;
    EXPECT_NO_THROW(t.ApplyInPlace(none, none));
    std::vector<double> xs = {1, 2}, ys = {1};
    try {
        t.ApplyInPlace(xs, ys);
        FAIL() << "expected a throw";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::kInvalidInput);
    }
    EXPECT_EQ(xs[0], 1); // untouched
}

TEST(GeoCrs, UnknownCrsThrowsInvalidInputNamingIt) {
    for (const char* bad : {"EPSG:999999", "not a crs", ""}) {
        try {
            CrsTransform t(bad, "EPSG:27700");
            FAIL() << "expected a throw for '" << bad << "'";
        } catch (const Error& e) {
            EXPECT_EQ(e.kind(), ErrorKind::kInvalidInput);
            EXPECT_NE(std::string(e.what()).find(std::string("'") + bad + "'"), std::string::npos)
                << e.what();
        }
    }
}

TEST(GeoCrs, MovedTransformStillWorks) {
    CrsTransform a("EPSG:4326", "EPSG:27700");
    const Point expected = a.Apply({-0.1246, 51.5007});
    CrsTransform b(std::move(a));
    const Point p = b.Apply({-0.1246, 51.5007});
    EXPECT_EQ(p.x, expected.x);
    EXPECT_EQ(p.y, expected.y);
    CrsTransform c("EPSG:27700", "EPSG:4326");
    c = std::move(b);
    EXPECT_EQ(c.from(), "EPSG:4326");
    EXPECT_EQ(c.Apply({-0.1246, 51.5007}).x, expected.x);
}

TEST(GeoCrs, ThreadLocalConvenienceAgreesAcrossThreads) {
    const Point main_thread = LonLatToBng(-0.1246, 51.5007);
    std::vector<Point> results(4);
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < results.size(); ++i) {
        threads.emplace_back([&results, i] { results[i] = LonLatToBng(-0.1246, 51.5007); });
    }
    for (auto& t : threads)
        t.join();
    for (const Point& p : results) {
        EXPECT_EQ(p.x, main_thread.x);
        EXPECT_EQ(p.y, main_thread.y);
    }
}

} // namespace
} // namespace vigil::geo
