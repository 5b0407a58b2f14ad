#include "vigil/geo/crs.hpp"

#include <cmath>
#include <limits>
#include <mutex>
#include <vector>

#include <proj.h>

#include "vigil/core/error.hpp"

namespace vigil::geo {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// PROJ marks failed coordinates with HUGE_VAL; some operations return other non-finite values.
double Clean(double v) {
    return std::isfinite(v) ? v : kNaN;
}

} // namespace

struct CrsTransform::Impl {
    std::string from;
    std::string to;
    PJ_CONTEXT* ctx = nullptr;
    PJ* pj = nullptr;

    ~Impl() {
        if (pj != nullptr)
            proj_destroy(pj);
        if (ctx != nullptr)
            proj_context_destroy(ctx);
    }
};

CrsTransform::CrsTransform(const std::string& from, const std::string& to) : impl_(std::make_unique<Impl>()) {
    impl_->from = from;
    impl_->to = to;
    impl_->ctx = proj_context_create();
    if (impl_->ctx == nullptr)
        ThrowInternal("PROJ: cannot create a context");
    proj_log_level(impl_->ctx, PJ_LOG_NONE);

    // Check each CRS on its own first, so the message says which one is unknown.
    for (const std::string* def : {&from, &to}) {
        PJ* crs = proj_create(impl_->ctx, def->c_str());
        const bool ok = crs != nullptr && proj_is_crs(crs);
        if (crs != nullptr)
            proj_destroy(crs);
        if (!ok) {
            ThrowInvalidInput("unknown coordinate reference system '" + *def +
                              "' (expected e.g. EPSG:4326, EPSG:27700 or a WKT definition)");
        }
    }
    PJ* raw = proj_create_crs_to_crs(impl_->ctx, from.c_str(), to.c_str(), nullptr);
    if (raw == nullptr) {
        const int err = proj_context_errno(impl_->ctx);
        ThrowInvalidInput("no coordinate operation from '" + from + "' to '" + to +
                          "': " + proj_context_errno_string(impl_->ctx, err));
    }
    impl_->pj = proj_normalize_for_visualization(impl_->ctx, raw);
    proj_destroy(raw);
    if (impl_->pj == nullptr) {
        ThrowInvalidInput("cannot put the transform from '" + from + "' to '" + to +
                          "' into longitude/easting-first axis order");
    }
}

CrsTransform::~CrsTransform() = default;
CrsTransform::CrsTransform(CrsTransform&& other) noexcept = default;
CrsTransform& CrsTransform::operator=(CrsTransform&& other) noexcept = default;

const std::string& CrsTransform::from() const {
    return impl_->from;
}
const std::string& CrsTransform::to() const {
    return impl_->to;
}

Point CrsTransform::Apply(Point p) const {
    if (!std::isfinite(p.x) || !std::isfinite(p.y))
        return {kNaN, kNaN};
    PJ_COORD in = proj_coord(p.x, p.y, 0, 0);
    PJ_COORD out = proj_trans(impl_->pj, PJ_FWD, in);
    proj_errno_reset(impl_->pj);
    const double x = Clean(out.xy.x);
    const double y = Clean(out.xy.y);
    if (std::isnan(x) || std::isnan(y))
        return {kNaN, kNaN};
    return {x, y};
}

void CrsTransform::ApplyInPlace(std::span<double> xs, std::span<double> ys) const {
    if (xs.size() != ys.size()) {
        ThrowInvalidInput("CrsTransform::ApplyInPlace: " + std::to_string(xs.size()) + " x values but " +
                          std::to_string(ys.size()) + " y values (expected equal lengths)");
    }
    if (xs.empty())
        return;
    // Non-finite inputs are set aside first: PROJ would turn some of them into finite garbage.
    for (std::size_t i = 0; i < xs.size(); ++i) {
        if (!std::isfinite(xs[i]) || !std::isfinite(ys[i]))
            xs[i] = ys[i] = HUGE_VAL;
    }
    proj_trans_generic(impl_->pj, PJ_FWD, xs.data(), sizeof(double), xs.size(), ys.data(), sizeof(double),
                       ys.size(), nullptr, 0, 0, nullptr, 0, 0);
    proj_errno_reset(impl_->pj);
    for (std::size_t i = 0; i < xs.size(); ++i) {
        xs[i] = Clean(xs[i]);
        ys[i] = Clean(ys[i]);
        if (std::isnan(xs[i]) || std::isnan(ys[i]))
            xs[i] = ys[i] = kNaN;
    }
}

namespace {

// Building a transform costs tens of milliseconds (PROJ searches its database for operations), and ingest
// starts a reader thread per file, so transforms outlive their threads: a thread borrows one from this pool
// on first use and gives it back when it exits. The pool itself is never destroyed (threads may exit during
// static destruction); it stays reachable, so leak checkers do not report it.
class TransformPool {
  public:
    TransformPool(const char* from, const char* to) : from_(from), to_(to) {}
    std::unique_ptr<CrsTransform> Take() {
        {
            std::lock_guard lock(mutex_);
            if (!free_.empty()) {
                auto t = std::move(free_.back());
                free_.pop_back();
                return t;
            }
        }
        return std::make_unique<CrsTransform>(from_, to_);
    }
    void Give(std::unique_ptr<CrsTransform> t) {
        std::lock_guard lock(mutex_);
        free_.push_back(std::move(t));
    }

  private:
    const char* from_;
    const char* to_;
    std::mutex mutex_;
    std::vector<std::unique_ptr<CrsTransform>> free_;
};

class Borrowed {
  public:
    explicit Borrowed(TransformPool& pool) : pool_(pool), t_(pool.Take()) {}
    ~Borrowed() { pool_.Give(std::move(t_)); }
    Borrowed(const Borrowed&) = delete;
    Borrowed& operator=(const Borrowed&) = delete;
    const CrsTransform& get() const { return *t_; }

  private:
    TransformPool& pool_;
    std::unique_ptr<CrsTransform> t_;
};

TransformPool& ToBngPool() {
    static auto* pool = new TransformPool("EPSG:4326", "EPSG:27700");
    return *pool;
}

TransformPool& ToLonLatPool() {
    static auto* pool = new TransformPool("EPSG:27700", "EPSG:4326");
    return *pool;
}

} // namespace

Point LonLatToBng(double lon, double lat) {
    thread_local const Borrowed t(ToBngPool());
    return t.get().Apply({lon, lat});
}

Point BngToLonLat(double easting, double northing) {
    thread_local const Borrowed t(ToLonLatPool());
    return t.get().Apply({easting, northing});
}

} // namespace vigil::geo
