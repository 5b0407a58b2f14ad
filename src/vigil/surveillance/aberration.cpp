#include "vigil/surveillance/aberration.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <Eigen/Dense>
#include <boost/math/distributions/normal.hpp>

#include "vigil/core/error.hpp"
#include "vigil/surveillance/glm.hpp"

namespace vigil::surveillance {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// R's pmax(a, b) for one pair: NaN (R's NA) propagates, where std::max would drop it.
double RMax(double a, double b) {
    if (std::isnan(a) || std::isnan(b))
        return kNaN;
    return a < b ? b : a;
}

// Mean and sample standard deviation (n - 1) of obs[from..to], 1-based inclusive.
struct MeanSd {
    double mean, sd;
};
MeanSd Window(std::span<const double> obs, int from, int to) {
    const int n = to - from + 1;
    double sum = 0;
    for (int i = from; i <= to; ++i)
        sum += obs[static_cast<std::size_t>(i - 1)];
    const double mean = sum / n;
    double ss = 0;
    for (int i = from; i <= to; ++i) {
        const double d = obs[static_cast<std::size_t>(i - 1)] - mean;
        ss += d * d;
    }
    return {mean, n > 1 ? std::sqrt(ss / (n - 1)) : kNaN};
}

// The in-control means of CUSUM's and GLR's GLM target: log m(t) = b0 + b1 cos(2 pi t'/freq) + b2 sin(2 pi
// t'/freq) fitted to the points 1..first-1 and predicted for first..last, with t' = t + shift (CUSUM: the
// week of t = 1 minus 1, as R's start[2] + t - 1; GLR: 0, R uses the bare index). As R, a fit that has not
// converged after 25 iterations is used as it stands.
std::vector<double> SeasonalMeans(std::span<const double> obs, TimeRange range, int freq, int shift) {
    const double w = 2 * M_PI / freq;
    const auto hist = static_cast<std::size_t>(range.first - 1);
    std::vector<std::vector<double>> x(3, std::vector<double>(hist));
    for (std::size_t i = 0; i < hist; ++i) {
        const double t = static_cast<double>(static_cast<int>(i) + 1 + shift);
        x[0][i] = 1;
        x[1][i] = std::cos(w * t);
        x[2][i] = std::sin(w * t);
    }
    const auto b = FitPoissonGlm(x, obs.subspan(0, hist)).coefficients;
    std::vector<double> m;
    for (int t = range.first; t <= range.last; ++t)
        m.push_back(PoissonMean(b[0] + b[1] * std::cos(w * (t + shift)) + b[2] * std::sin(w * (t + shift))));
    return m;
}

void CheckRange(TimeRange r, int n) {
    if (n == 0)
        ThrowInvalidInput("the series is empty");
    if (r.first < 1 || r.last > n || r.first > r.last)
        ThrowInvalidInput("the range " + std::to_string(r.first) + ":" + std::to_string(r.last) +
                          " is not within the series' time points 1:" + std::to_string(n));
}

} // namespace

AberrationRow::AberrationRow()
    : upperbound(kNaN), expected(kNaN), score(kNaN), pvalue(kNaN), mu0(kNaN), phi(kNaN), trend_coef(kNaN) {}

int EarsLag(const EarsOptions& o) {
    switch (o.method) {
    case EarsMethod::kC1:
        return o.baseline;
    case EarsMethod::kC2:
        return o.baseline + 2;
    case EarsMethod::kC3:
        return o.baseline + 4;
    }
    return o.baseline;
}

TimeRange EarsDefaultRange(const EarsOptions& o, int n) {
    return {EarsLag(o) + 1, n};
}

std::vector<AberrationRow> EarsC(std::span<const double> obs, TimeRange range, const EarsOptions& o) {
    const int n = static_cast<int>(obs.size());
    CheckRange(range, n);
    if (o.baseline < 3)
        ThrowInvalidInput("the EARS baseline must be at least 3 periods (R: 'Minimum baseline to use is 3')");
    if (!(o.min_sigma >= 0))
        ThrowInvalidInput("min-sigma must be 0 or more");
    const double alpha = o.alpha.value_or(o.method == EarsMethod::kC3 ? 0.025 : 0.001);
    if (!(alpha > 0 && alpha < 1))
        ThrowInvalidInput("alpha must be between 0 and 1");
    const double z = boost::math::quantile(boost::math::normal(), 1 - alpha);
    const int lag = EarsLag(o);
    // The reference window of point t: the `baseline` points just before it (C1) or before a gap of two (C2,
    // C3).
    const int gap = o.method == EarsMethod::kC1 ? 0 : 2;
    auto window = [&](int t) { return Window(obs, t - gap - o.baseline, t - gap - 1); };
    auto sigma = [&](const MeanSd& w) { return RMax(w.sd, o.min_sigma); };
    // C3 adds the C2 statistics of the two points before: (obs - mean) / sigma.
    auto c2_stat = [&](int t) {
        const MeanSd w = window(t);
        return (obs[static_cast<std::size_t>(t - 1)] - w.mean) / sigma(w);
    };
    std::vector<AberrationRow> out;
    out.reserve(static_cast<std::size_t>(range.last - range.first + 1));
    for (int t = range.first; t <= range.last; ++t) {
        AberrationRow r;
        r.t = t;
        r.observed = obs[static_cast<std::size_t>(t - 1)];
        if (t - lag < 1) {
            r.reason = "too few baseline periods (needs " + std::to_string(lag) + " before it)";
            out.push_back(std::move(r));
            continue;
        }
        const MeanSd w = window(t);
        const double s = sigma(w);
        r.expected = w.mean;
        r.score = (r.observed - w.mean) / s;
        if (o.method == EarsMethod::kC3) {
            const double lag2 = RMax(0.0, c2_stat(t - 2) - 1), lag1 = RMax(0.0, c2_stat(t - 1) - 1);
            r.upperbound = RMax(0.0, r.observed + s * (z - (lag2 + lag1)));
        } else {
            r.upperbound = w.mean + z * s;
        }
        if (!std::isnan(r.upperbound))
            r.alarm = r.observed > r.upperbound;
        else
            r.reason = "the reference window has no variation (standard deviation 0, min-sigma 0): the bound is "
                       "undefined (R: NaN); give --min-sigma to judge such periods";
        out.push_back(std::move(r));
    }
    return out;
}

PoissonGlmFit FitPoissonGlm(const std::vector<std::vector<double>>& x, std::span<const double> y) {
    const auto n = static_cast<Eigen::Index>(y.size());
    const auto p = static_cast<Eigen::Index>(x.size());
    Eigen::MatrixXd X(n, p);
    for (Eigen::Index j = 0; j < p; ++j)
        for (Eigen::Index i = 0; i < n; ++i)
            X(i, j) = x[static_cast<std::size_t>(j)][static_cast<std::size_t>(i)];
    const Eigen::VectorXd Y = Eigen::Map<const Eigen::VectorXd>(y.data(), n);
    const PoissonIrls g = FitPoissonIrls(X, Y, Eigen::VectorXd::Ones(n), Eigen::VectorXd::Zero(n));
    PoissonGlmFit fit;
    fit.coefficients.assign(g.beta.data(), g.beta.data() + p);
    fit.converged = g.converged;
    fit.iterations = g.iterations;
    return fit;
}

double PoissonMean(double eta) {
    return std::max(std::exp(eta), std::numeric_limits<double>::epsilon());
}

std::vector<AberrationRow> Cusum(std::span<const double> obs, TimeRange range, const CusumOptions& o) {
    const int n = static_cast<int>(obs.size());
    CheckRange(range, n);
    if (range.first < 2)
        ThrowInvalidInput(
            "CUSUM needs at least one period of history before the range (its target mean comes from it)");
    if (!(o.h > 0))
        ThrowInvalidInput("h must be positive");
    if (o.target == CusumTarget::kGlm && o.freq < 1)
        ThrowInvalidInput("freq must be positive");
    const std::size_t len = static_cast<std::size_t>(range.last - range.first + 1);
    std::vector<double> m(len);
    if (o.target == CusumTarget::kValue) {
        std::fill(m.begin(), m.end(), o.m);
    } else if (o.target == CusumTarget::kMean) {
        double sum = 0;
        for (int i = 1; i < range.first; ++i)
            sum += obs[static_cast<std::size_t>(i - 1)];
        std::fill(m.begin(), m.end(), sum / (range.first - 1));
    } else {
        m = SeasonalMeans(obs, range, o.freq, o.start_week - 1);
    }
    std::vector<AberrationRow> out(len);
    double c_prev = 0; // C[t-1]
    for (std::size_t i = 0; i < len; ++i) {
        AberrationRow& r = out[i];
        r.t = range.first + static_cast<int>(i);
        const double x = obs[static_cast<std::size_t>(r.t - 1)], mm = m[i];
        r.observed = x;
        r.expected = mm;
        double z = 0, ub = 0;
        const double h = o.h, k = o.k;
        switch (o.trans) {
        case CusumTrans::kStandard:
            z = (x - mm) / std::sqrt(mm);
            ub = std::ceil(std::sqrt(mm) * (h + k - c_prev) + mm);
            break;
        case CusumTrans::kRossi:
            z = (x - 3 * mm + 2 * std::sqrt(x * mm)) / (2 * std::sqrt(mm));
            ub = 2 * h * std::sqrt(mm) + 2 * k * std::sqrt(mm) - 2 * c_prev * std::sqrt(mm) + 5 * mm -
                 2 * std::sqrt(4 * mm * mm + 2 * std::pow(mm, 1.5) * h + 2 * std::pow(mm, 1.5) * k -
                               2 * std::pow(mm, 1.5) * c_prev);
            break;
        case CusumTrans::kAnscombe: {
            z = 1.5 * (std::pow(x, 2.0 / 3) - std::pow(mm, 2.0 / 3)) / std::pow(mm, 1.0 / 6);
            const double base = 2.0 / 3 * std::pow(mm, 1.0 / 6) * (h + k - c_prev) + std::pow(mm, 2.0 / 3);
            ub = base < 0 ? 0 : std::pow(base, 1.5);
            break;
        }
        }
        // R: upper bounds that are NA or negative become 0.
        if (std::isnan(ub) || ub < 0)
            ub = 0;
        r.upperbound = ub;
        const double c = RMax(0.0, c_prev + (z - k));
        r.score = c;
        if (!std::isnan(c))
            r.alarm = c >= h;
        else
            r.reason = "the target mean is not positive, so the standardised count is undefined";
        c_prev = c;
    }
    return out;
}

namespace {

// max over k <= n of the Poisson log-likelihood ratio of a change of level at k (surveillance's glr()).
double GlrStatistic(std::size_t n, const std::vector<double>& x, const std::vector<double>& mu0, int dir) {
    double max_glr = -1e99, sum_x = 0, sum_mu = 0;
    for (std::size_t k = n + 1; k-- > 0;) {
        sum_x += x[k];
        sum_mu += mu0[k];
        const double kappa = dir * std::max(0.0, dir * std::log(sum_x / sum_mu));
        const double v = kappa * sum_x + (1 - std::exp(kappa)) * sum_mu;
        if (v > max_glr)
            max_glr = v;
    }
    return max_glr;
}

} // namespace

std::vector<AberrationRow> GlrPois(std::span<const double> obs, TimeRange range, const GlrOptions& o) {
    const int n = static_cast<int>(obs.size());
    CheckRange(range, n);
    if (range.first < 4)
        ThrowInvalidInput("glrpois needs at least 3 periods of history before the range for its model");
    if (o.mtilde < 1)
        ThrowInvalidInput("Mtilde must be at least 1");
    if (!(o.c_arl > 0))
        ThrowInvalidInput("c.ARL must be positive");
    const std::size_t len = static_cast<std::size_t>(range.last - range.first + 1);
    const std::vector<double> x(obs.begin() + (range.first - 1), obs.begin() + range.last);
    const std::vector<double> mu0 = SeasonalMeans(obs, range, o.freq, 0);
    const int dir = o.increase ? 1 : -1;
    std::vector<AberrationRow> out(len);
    // The detector runs on segments: from the start, and again after each alarm on the points that follow.
    for (std::size_t start = 0; start < len;) {
        std::vector<double> sx(x.begin() + static_cast<long>(start), x.end()),
            smu(mu0.begin() + static_cast<long>(start), mu0.end());
        std::size_t stop = sx.size(); // the alarm's position in the segment, or its end
        for (std::size_t m = 0; m < sx.size(); ++m) {
            AberrationRow& r = out[start + m];
            r.t = range.first + static_cast<int>(start + m);
            r.observed = sx[m];
            r.expected = smu[m];
            const bool burn_in = static_cast<int>(m) < o.mtilde - 1;
            r.score = burn_in ? 0.0 : GlrStatistic(m, sx, smu, dir);
            r.upperbound = r.score;
            if (o.ret == GlrReturn::kCases) {
                // The smallest count at this point whose statistic reaches c.ARL (as R, 0 during burn-in).
                double cases = 0;
                if (!burn_in) {
                    const double kept = sx[m];
                    for (sx[m] = 0;; sx[m] += 1) {
                        const double g = GlrStatistic(m, sx, smu, dir);
                        if (!(dir * g < dir * o.c_arl))
                            break;
                        if (sx[m] > 1e7)
                            break; // not reached: R would loop on; reported as this bound
                    }
                    cases = sx[m];
                    sx[m] = kept;
                }
                r.upperbound = cases;
            }
            if (std::isnan(r.upperbound) || r.upperbound < 0)
                r.upperbound = 0; // R: NA and negative bounds are 0
            r.alarm = !burn_in && r.score >= o.c_arl;
            if (*r.alarm) {
                stop = m;
                break;
            }
        }
        start += stop + 1;
    }
    return out;
}

} // namespace vigil::surveillance
