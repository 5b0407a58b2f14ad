#include "vigil/geo/area_index.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <deque>
#include <limits>

#include <geos_c.h>

#include "vigil/core/error.hpp"

namespace vigil::geo {
namespace {

void StoreGeosMessage(const char* message, void* userdata) {
    *static_cast<std::string*>(userdata) = message;
}

void CollectCandidate(void* item, void* userdata) {
    static_cast<std::vector<std::size_t>*>(userdata)->push_back(*static_cast<const std::size_t*>(item));
}

// Cell states of the acceleration grid (any other value is the index of the area owning the cell).
constexpr std::uint32_t kMixed = std::numeric_limits<std::uint32_t>::max();     // a boundary touches it
constexpr std::uint32_t kEmpty = std::numeric_limits<std::uint32_t>::max() - 1; // in no area
constexpr std::uint32_t kUnset = std::numeric_limits<std::uint32_t>::max() - 2; // during construction

// Uniform grid over the areas' joint bounding box. A cell that no polygon edge touches (with a margin) lies
// wholly inside or wholly outside every area, so all its points share one answer, computed once; only
// cells crossed by a boundary ("mixed") go to the STR-tree and prepared geometries. Cell lookup uses one
// monotone formula everywhere, so a point on an edge always falls in a cell that edge marked.
struct Grid {
    double x0 = 0, y0 = 0, x1 = 0, y1 = 0; // joint bounding box of all areas
    double inv_cs = 0;                     // 1 / cell size
    std::int64_t nx = 0, ny = 0;
    std::vector<std::uint32_t> state;

    std::int64_t CellX(double x) const { return Clamp(std::floor((x - x0) * inv_cs), nx); }
    std::int64_t CellY(double y) const { return Clamp(std::floor((y - y0) * inv_cs), ny); }
    static std::int64_t Clamp(double v, std::int64_t n) {
        if (!(v > 0))
            return 0;
        return v >= static_cast<double>(n - 1) ? n - 1 : static_cast<std::int64_t>(v);
    }
    void MarkBox(double ax, double ay, double bx, double by, double eps) {
        const std::int64_t cx0 = CellX(std::min(ax, bx) - eps), cx1 = CellX(std::max(ax, bx) + eps);
        const std::int64_t cy0 = CellY(std::min(ay, by) - eps), cy1 = CellY(std::max(ay, by) + eps);
        for (std::int64_t cy = cy0; cy <= cy1; ++cy) {
            for (std::int64_t cx = cx0; cx <= cx1; ++cx)
                state[static_cast<std::size_t>(cy * nx + cx)] = kMixed;
        }
    }
    // Marks every cell within eps of the segment: pieces at most one cell long, each marking its box.
    void MarkSegment(double ax, double ay, double bx, double by, double cs, double eps) {
        const double cells = std::max(std::abs(bx - ax), std::abs(by - ay)) / cs;
        const auto pieces = static_cast<std::int64_t>(std::min(std::ceil(cells), 1e7)) + 1;
        double px = ax, py = ay;
        for (std::int64_t k = 1; k <= pieces; ++k) {
            const double t = static_cast<double>(k) / static_cast<double>(pieces);
            const double qx = k == pieces ? bx : ax + t * (bx - ax);
            const double qy = k == pieces ? by : ay + t * (by - ay);
            MarkBox(px, py, qx, qy, eps);
            px = qx;
            py = qy;
        }
    }
};

// Every ring of a polygon or multipolygon, as coordinate sequences.
template <class Fn> void ForEachRing(GEOSContextHandle_t ctx, const GEOSGeometry* g, Fn&& fn) {
    const int parts = GEOSGetNumGeometries_r(ctx, g);
    for (int p = 0; p < parts; ++p) {
        const GEOSGeometry* poly = GEOSGetGeometryN_r(ctx, g, p);
        fn(GEOSGeom_getCoordSeq_r(ctx, GEOSGetExteriorRing_r(ctx, poly)));
        const int holes = GEOSGetNumInteriorRings_r(ctx, poly);
        for (int h = 0; h < holes; ++h)
            fn(GEOSGeom_getCoordSeq_r(ctx, GEOSGetInteriorRingN_r(ctx, poly, h)));
    }
}

} // namespace

struct AreaIndex::Impl {
    GEOSContextHandle_t ctx = nullptr;
    std::string last_message;
    std::vector<GEOSGeometry*> geoms;
    std::vector<const GEOSPreparedGeometry*> prepared;
    std::vector<std::size_t> ids; // tree items point here; never resized after insertion
    GEOSSTRtree* tree = nullptr;
    std::vector<std::size_t> candidates; // scratch for Locate
    Grid grid;

    std::optional<std::size_t> LocateExact(double x, double y);
    void BuildGrid();

    ~Impl() {
        if (ctx == nullptr)
            return;
        if (tree != nullptr)
            GEOSSTRtree_destroy_r(ctx, tree);
        for (const auto* p : prepared)
            GEOSPreparedGeom_destroy_r(ctx, p);
        for (auto* g : geoms)
            GEOSGeom_destroy_r(ctx, g);
        GEOS_finish_r(ctx);
    }
};

AreaIndex::AreaIndex(const std::vector<AreaFeature>& features) : impl_(std::make_unique<Impl>()) {
    Impl& m = *impl_;
    m.ctx = GEOS_init_r();
    if (m.ctx == nullptr)
        ThrowInternal("GEOS: cannot create a context");
    GEOSContext_setErrorMessageHandler_r(m.ctx, StoreGeosMessage, &m.last_message);
    GEOSContext_setNoticeMessageHandler_r(m.ctx, StoreGeosMessage, &m.last_message);

    if (features.size() >= kUnset)
        ThrowInvalidInput("AreaIndex: too many areas (" + std::to_string(features.size()) + ")");
    GEOSWKBReader* reader = GEOSWKBReader_create_r(m.ctx);
    m.geoms.reserve(features.size());
    for (std::size_t i = 0; i < features.size(); ++i) {
        const AreaFeature& f = features[i];
        GEOSGeometry* g =
            f.wkb.empty() ? nullptr : GEOSWKBReader_read_r(m.ctx, reader, f.wkb.data(), f.wkb.size());
        const int type = g != nullptr ? GEOSGeomTypeId_r(m.ctx, g) : -1;
        if (g == nullptr || (type != GEOS_POLYGON && type != GEOS_MULTIPOLYGON)) {
            if (g != nullptr)
                GEOSGeom_destroy_r(m.ctx, g);
            GEOSWKBReader_destroy_r(m.ctx, reader);
            ThrowData("area " + std::to_string(i) + " (code '" + f.code +
                      "'): geometry is not a readable WKB polygon or multipolygon" +
                      (m.last_message.empty() ? std::string() : ": " + m.last_message));
        }
        m.geoms.push_back(g);
    }
    GEOSWKBReader_destroy_r(m.ctx, reader);

    m.prepared.reserve(m.geoms.size());
    for (auto* g : m.geoms)
        m.prepared.push_back(GEOSPrepare_r(m.ctx, g));
    m.ids.resize(m.geoms.size());
    m.tree = GEOSSTRtree_create_r(m.ctx, 10);
    for (std::size_t i = 0; i < m.geoms.size(); ++i) {
        m.ids[i] = i;
        GEOSSTRtree_insert_r(m.ctx, m.tree, m.geoms[i], &m.ids[i]);
    }
    if (!m.geoms.empty())
        m.BuildGrid();
}

void AreaIndex::Impl::BuildGrid() {
    Grid& g = grid;
    g.x0 = g.y0 = std::numeric_limits<double>::infinity();
    g.x1 = g.y1 = -std::numeric_limits<double>::infinity();
    for (const auto* geom : geoms) {
        double a, b, c, d;
        GEOSGeom_getXMin_r(ctx, geom, &a);
        GEOSGeom_getYMin_r(ctx, geom, &b);
        GEOSGeom_getXMax_r(ctx, geom, &c);
        GEOSGeom_getYMax_r(ctx, geom, &d);
        g.x0 = std::min(g.x0, a);
        g.y0 = std::min(g.y0, b);
        g.x1 = std::max(g.x1, c);
        g.y1 = std::max(g.y1, d);
    }
    // About 1024 cells per area (a London LSOA spans ~20 x 20 cells of 25 m), at most 4M cells (16 MB).
    const double target = std::clamp(1024.0 * static_cast<double>(geoms.size()), 4096.0, 4194304.0);
    const double w = g.x1 - g.x0, h = g.y1 - g.y0;
    double cs = std::max({std::sqrt(w * h / target), std::max(w, h) / target, 1e-9});
    g.inv_cs = 1.0 / cs;
    g.nx = static_cast<std::int64_t>(std::floor(w * g.inv_cs)) + 1;
    g.ny = static_cast<std::int64_t>(std::floor(h * g.inv_cs)) + 1;
    g.state.assign(static_cast<std::size_t>(g.nx * g.ny), kUnset);

    const double scale = std::max({std::abs(g.x0), std::abs(g.y0), std::abs(g.x1), std::abs(g.y1), 1.0});
    const double eps = cs * 1e-6 + scale * 1e-9; // far above rounding error of the cell formula
    std::vector<double> xy;
    for (const auto* geom : geoms) {
        ForEachRing(ctx, geom, [&](const GEOSCoordSequence* seq) {
            unsigned int n = 0;
            GEOSCoordSeq_getSize_r(ctx, seq, &n);
            xy.resize(2 * static_cast<std::size_t>(n));
            if (n == 0 || GEOSCoordSeq_copyToBuffer_r(ctx, seq, xy.data(), 0, 0) == 0)
                return;
            for (unsigned int i = 0; i + 1 < n; ++i) {
                g.MarkSegment(xy[2 * i], xy[2 * i + 1], xy[2 * i + 2], xy[2 * i + 3], cs, eps);
            }
            if (n == 1)
                g.MarkBox(xy[0], xy[1], xy[0], xy[1], eps);
        });
    }

    // Cells untouched by any edge form connected regions with one answer each: locate one cell centre
    // exactly and flood the region.
    std::deque<std::int64_t> queue;
    for (std::int64_t start = 0; start < g.nx * g.ny; ++start) {
        if (g.state[static_cast<std::size_t>(start)] != kUnset)
            continue;
        const double cx = g.x0 + (static_cast<double>(start % g.nx) + 0.5) * cs;
        const double cy = g.y0 + (static_cast<double>(start / g.nx) + 0.5) * cs;
        const auto owner = LocateExact(cx, cy);
        const std::uint32_t value = owner ? static_cast<std::uint32_t>(*owner) : kEmpty;
        g.state[static_cast<std::size_t>(start)] = value;
        queue.push_back(start);
        while (!queue.empty()) {
            const std::int64_t c = queue.front();
            queue.pop_front();
            const std::int64_t ix = c % g.nx, iy = c / g.nx;
            const std::int64_t next[4] = {ix > 0 ? c - 1 : -1, ix + 1 < g.nx ? c + 1 : -1,
                                          iy > 0 ? c - g.nx : -1, iy + 1 < g.ny ? c + g.nx : -1};
            for (std::int64_t d : next) {
                if (d >= 0 && g.state[static_cast<std::size_t>(d)] == kUnset) {
                    g.state[static_cast<std::size_t>(d)] = value;
                    queue.push_back(d);
                }
            }
        }
    }
}

AreaIndex::~AreaIndex() = default;
AreaIndex::AreaIndex(AreaIndex&& other) noexcept = default;
AreaIndex& AreaIndex::operator=(AreaIndex&& other) noexcept = default;

std::size_t AreaIndex::size() const {
    return impl_->geoms.size();
}

std::optional<std::size_t> AreaIndex::Locate(double x, double y) const {
    Impl& m = *impl_;
    if (m.geoms.empty() || !std::isfinite(x) || !std::isfinite(y))
        return std::nullopt;
    const Grid& g = m.grid;
    if (x < g.x0 || x > g.x1 || y < g.y0 || y > g.y1)
        return std::nullopt;
    const std::uint32_t s = g.state[static_cast<std::size_t>(g.CellY(y) * g.nx + g.CellX(x))];
    if (s == kEmpty)
        return std::nullopt;
    if (s != kMixed)
        return s;
    return m.LocateExact(x, y);
}

std::optional<std::size_t> AreaIndex::Impl::LocateExact(double x, double y) {
    Impl& m = *this;
    GEOSGeometry* pt = GEOSGeom_createPointFromXY_r(m.ctx, x, y);
    if (pt == nullptr)
        return std::nullopt;
    m.candidates.clear();
    GEOSSTRtree_query_r(m.ctx, m.tree, pt, CollectCandidate, &m.candidates);
    // Lowest index first, so a point on a shared boundary goes to the first area (see header).
    std::sort(m.candidates.begin(), m.candidates.end());
    std::optional<std::size_t> found;
    for (std::size_t idx : m.candidates) {
        if (GEOSPreparedIntersects_r(m.ctx, m.prepared[idx], pt) == 1) {
            found = idx;
            break;
        }
    }
    GEOSGeom_destroy_r(m.ctx, pt);
    return found;
}

} // namespace vigil::geo
