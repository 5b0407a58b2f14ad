#pragma once
// Test-only helpers for the geo suite, written independently of the code under test: a minimal ISO WKB
// (little-endian, 2D Polygon / MultiPolygon) reader and writer, shoelace area and centroid, an even-odd
// ray-casting point-in-polygon test, and readers for the .shp / .dbf headers.
#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace vigil::geo::test {

using Ring = std::vector<std::array<double, 2>>;
using Polygon = std::vector<Ring>; // outer ring then holes
using MultiPolygon = std::vector<Polygon>;

inline void PutU32(std::vector<std::uint8_t>& b, std::uint32_t v) {
    for (int i = 0; i < 4; ++i)
        b.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}
inline void PutF64(std::vector<std::uint8_t>& b, double v) {
    std::uint64_t u;
    std::memcpy(&u, &v, 8);
    for (int i = 0; i < 8; ++i)
        b.push_back(static_cast<std::uint8_t>(u >> (8 * i)));
}
inline void PutPolygonBody(std::vector<std::uint8_t>& b, const Polygon& p) {
    PutU32(b, static_cast<std::uint32_t>(p.size()));
    for (const Ring& r : p) {
        PutU32(b, static_cast<std::uint32_t>(r.size()));
        for (const auto& xy : r) {
            PutF64(b, xy[0]);
            PutF64(b, xy[1]);
        }
    }
}
inline std::vector<std::uint8_t> PolygonWkb(const Polygon& p) {
    std::vector<std::uint8_t> b{1};
    PutU32(b, 3);
    PutPolygonBody(b, p);
    return b;
}
inline std::vector<std::uint8_t> MultiPolygonWkb(const MultiPolygon& m) {
    std::vector<std::uint8_t> b{1};
    PutU32(b, 6);
    PutU32(b, static_cast<std::uint32_t>(m.size()));
    for (const Polygon& p : m) {
        b.push_back(1);
        PutU32(b, 3);
        PutPolygonBody(b, p);
    }
    return b;
}
// Closed axis-aligned rectangle ring.
inline Ring Rect(double x0, double y0, double x1, double y1) {
    return {{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}};
}

class WkbReader {
  public:
    explicit WkbReader(const std::vector<std::uint8_t>& b) : b_(b) {}
    MultiPolygon Read() {
        if (U8() != 1)
            throw std::runtime_error("test WKB reader: big-endian not supported");
        const std::uint32_t type = U32();
        if (type == 3)
            return {ReadPolygonBody()};
        if (type != 6)
            throw std::runtime_error("test WKB reader: type " + std::to_string(type));
        MultiPolygon m(U32());
        for (auto& p : m) {
            U8();
            if (U32() != 3)
                throw std::runtime_error("test WKB reader: multipolygon part not a polygon");
            p = ReadPolygonBody();
        }
        return m;
    }

  private:
    Polygon ReadPolygonBody() {
        Polygon p(U32());
        for (auto& r : p) {
            r.resize(U32());
            for (auto& xy : r) {
                xy[0] = F64();
                xy[1] = F64();
            }
        }
        return p;
    }
    std::uint8_t U8() { return b_.at(pos_++); }
    std::uint32_t U32() {
        std::uint32_t v = 0;
        for (int i = 0; i < 4; ++i)
            v |= static_cast<std::uint32_t>(b_.at(pos_++)) << (8 * i);
        return v;
    }
    double F64() {
        std::uint64_t u = 0;
        for (int i = 0; i < 8; ++i)
            u |= static_cast<std::uint64_t>(b_.at(pos_++)) << (8 * i);
        double v;
        std::memcpy(&v, &u, 8);
        return v;
    }
    const std::vector<std::uint8_t>& b_;
    std::size_t pos_ = 0;
};

// Area and area centroid by the shoelace formula; holes subtract whatever their orientation.
struct AreaMoments {
    double area = 0, cx = 0, cy = 0;
};
inline AreaMoments Moments(const MultiPolygon& m) {
    double a_sum = 0, mx = 0, my = 0;
    for (const Polygon& p : m) {
        for (std::size_t r = 0; r < p.size(); ++r) {
            double a = 0, sx = 0, sy = 0;
            const Ring& ring = p[r];
            for (std::size_t i = 0; i + 1 < ring.size(); ++i) {
                // Relative to the first vertex to keep the cross products small (BNG values are ~1e5).
                const double x0 = ring[i][0] - ring[0][0], y0 = ring[i][1] - ring[0][1];
                const double x1 = ring[i + 1][0] - ring[0][0], y1 = ring[i + 1][1] - ring[0][1];
                const double c = x0 * y1 - x1 * y0;
                a += c;
                sx += (x0 + x1) * c;
                sy += (y0 + y1) * c;
            }
            a /= 2;
            const double sign = (r == 0 ? 1.0 : -1.0) * (a < 0 ? -1.0 : 1.0);
            if (a == 0)
                continue;
            const double cx = sx / (6 * a) + ring[0][0], cy = sy / (6 * a) + ring[0][1];
            a_sum += sign * a;
            mx += sign * a * cx;
            my += sign * a * cy;
        }
    }
    return {a_sum, mx / a_sum, my / a_sum};
}

// Even-odd ray casting; `near_edge` is set when the point lies within `eps` of an edge (ambiguous cases
// that a brute-force comparison should skip).
inline bool RayCastContains(const MultiPolygon& m, double x, double y, double eps, bool& near_edge) {
    bool inside = false;
    near_edge = false;
    for (const Polygon& p : m) {
        for (const Ring& ring : p) {
            for (std::size_t i = 0; i + 1 < ring.size(); ++i) {
                const double x0 = ring[i][0], y0 = ring[i][1], x1 = ring[i + 1][0], y1 = ring[i + 1][1];
                const double dx = x1 - x0, dy = y1 - y0, len2 = dx * dx + dy * dy;
                double t = len2 > 0 ? ((x - x0) * dx + (y - y0) * dy) / len2 : 0;
                t = t < 0 ? 0 : (t > 1 ? 1 : t);
                if (std::hypot(x - (x0 + t * dx), y - (y0 + t * dy)) <= eps)
                    near_edge = true;
                if ((y0 > y) != (y1 > y) && x < x0 + (y - y0) * dx / dy)
                    inside = !inside;
            }
        }
    }
    return inside;
}

// Bounding box from an ESRI .shp header (bytes 36..67, little-endian doubles), per the ESRI whitepaper.
inline std::array<double, 4> ShpHeaderBox(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    char h[100];
    in.read(h, 100);
    std::array<double, 4> box{};
    std::memcpy(box.data(), h + 36, 32);
    return box;
}

// Number of records in a dBASE .dbf header (bytes 4..7, little-endian).
inline std::uint32_t DbfRecordCount(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    unsigned char h[8];
    in.read(reinterpret_cast<char*>(h), 8);
    return h[4] | (h[5] << 8) | (h[6] << 16) | (static_cast<std::uint32_t>(h[7]) << 24);
}

inline void WriteText(const std::string& path, const std::string& text) {
    std::ofstream(path, std::ios::binary) << text;
}

} // namespace vigil::geo::test
