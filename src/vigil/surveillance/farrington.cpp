// farringtonFlexible (surveillance 1.20.3) step by step; docs/methods/alerts.md explains each step and the
// quirks kept for parity. The quasi-Poisson GLM reproduces R's glm.fit iteration (start, stopping rule, which
// weights the returned QR, hat values and dispersion use) because the references are matched to about 1e-6.
#include <algorithm>
#include <cfloat>
#include <cmath>
#include <limits>
#include <map>

#include <Eigen/Dense>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/special_functions/beta.hpp>
#include <boost/math/special_functions/gamma.hpp>

#include "vigil/core/error.hpp"
#include "vigil/surveillance/aberration.hpp"
#include "vigil/surveillance/glm.hpp"

namespace vigil::surveillance {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// One point's data: the weeks the model sees, their block (season group) and the design.
struct PointData {
    Eigen::VectorXd y, wtime, population;
    std::vector<int> group;
    std::vector<int> levels; // distinct groups, ascending (R's factor levels); the first is the baseline
};

struct Model {
    PoissonIrls glm;
    bool has_trend = false;
    double phi = 1;
    // The dispersion that summary() and predict() see later. R's fitFun replaces the refitted model's working
    // weights by the prior weights omega, so for a reweighted model that is sum(omega r^2) / df with working
    // residuals r = (y - mu) / mu, not the Pearson estimate phi was taken from. Kept for parity
    // (docs/methods/alerts.md).
    double later_dispersion = kNaN;
};

Eigen::MatrixXd Design(const PointData& d, bool trend, bool groups) {
    const Eigen::Index n = d.y.size();
    Eigen::Index cols = 1 + (trend ? 1 : 0) + (groups ? static_cast<Eigen::Index>(d.levels.size()) - 1 : 0);
    Eigen::MatrixXd X = Eigen::MatrixXd::Zero(n, cols);
    for (Eigen::Index i = 0; i < n; ++i) {
        Eigen::Index c = 0;
        X(i, c++) = 1;
        if (trend)
            X(i, c++) = d.wtime(i);
        if (groups)
            for (std::size_t l = 1; l < d.levels.size(); ++l, ++c)
                X(i, c) = d.group[static_cast<std::size_t>(i)] == d.levels[l] ? 1.0 : 0.0;
    }
    return X;
}

Eigen::VectorXd Row(const PointData& d, bool trend, bool groups, double wtime, int group) {
    Eigen::VectorXd x = Eigen::VectorXd::Zero(1 + (trend ? 1 : 0) +
                                              (groups ? static_cast<Eigen::Index>(d.levels.size()) - 1 : 0));
    Eigen::Index c = 0;
    x(c++) = 1;
    if (trend)
        x(c++) = wtime;
    if (groups)
        for (std::size_t l = 1; l < d.levels.size(); ++l, ++c)
            x(c) = group == d.levels[l] ? 1.0 : 0.0;
    return x;
}

// R's fitFun: fit (dropping the trend when it does not converge; nullopt when nothing converges), then
// down-weight past outbreaks by their Anscombe residuals and refit.
std::optional<Model> FitFun(const PointData& d, bool trend, const FarringtonOptions& o) {
    const bool groups = o.no_periods != 1;
    const Eigen::Index n = d.y.size();
    Eigen::VectorXd offset = Eigen::VectorXd::Zero(n);
    if (o.population_offset)
        offset = d.population.array().log().matrix();
    Eigen::VectorXd ones = Eigen::VectorXd::Ones(n);
    Model m;
    m.has_trend = trend;
    try {
        m.glm = FitPoissonIrls(Design(d, trend, groups), d.y, ones, offset);
    } catch (const Error&) {
        m.glm.converged = false;
    }
    if (!m.glm.converged) {
        if (trend) {
            m.has_trend = false;
            try {
                m.glm = FitPoissonIrls(Design(d, false, groups), d.y, ones, offset);
            } catch (const Error&) {
                m.glm.converged = false;
            }
        }
        if (!m.glm.converged)
            return std::nullopt;
    }
    m.phi = std::max(m.glm.dispersion, 1.0);
    if (o.reweight) {
        const Eigen::MatrixXd X = Design(d, m.has_trend, groups);
        Eigen::VectorXd s(n);
        for (Eigen::Index i = 0; i < n; ++i) {
            const double mu = m.glm.mu(i);
            const double h = m.glm.work_w(i) * X.row(i).dot(m.glm.cov_unscaled * X.row(i).transpose());
            s(i) = 1.5 * (std::pow(d.y(i), 2.0 / 3) * std::pow(mu, -1.0 / 6) - std::sqrt(mu)) /
                   std::sqrt(m.phi * (1 - h));
        }
        double denom = 0;
        for (Eigen::Index i = 0; i < n; ++i)
            denom += s(i) > o.weights_threshold ? 1 / (s(i) * s(i)) : 1.0;
        const double gamma = static_cast<double>(n) / denom;
        Eigen::VectorXd omega(n);
        for (Eigen::Index i = 0; i < n; ++i)
            omega(i) = s(i) > o.weights_threshold ? gamma / (s(i) * s(i)) : gamma;
        try {
            m.glm = FitPoissonIrls(X, d.y, omega, offset); // R does not check this refit's convergence
        } catch (const Error&) {
            return std::nullopt;
        }
        m.phi = std::max(m.glm.dispersion, 1.0);
        double sum = 0;
        for (Eigen::Index i = 0; i < n; ++i) {
            const double r = (d.y(i) - m.glm.mu(i)) / PoissonMean(m.glm.eta(i));
            if (omega(i) > 0)
                sum += omega(i) * r * r;
        }
        m.later_dispersion = m.glm.df_residual > 0 ? sum / m.glm.df_residual : kNaN;
    } else {
        m.later_dispersion = m.glm.dispersion;
    }
    return m;
}

struct Prediction {
    double fit, se; // on the scale asked for
};
Prediction Predict(const Model& m, const PointData& d, const FarringtonOptions& o, int k,
                   double population_now, bool response) {
    const bool groups = o.no_periods != 1;
    const Eigen::VectorXd x = Row(d, m.has_trend, groups, k, o.no_periods);
    double eta = x.dot(m.glm.beta) + (o.population_offset ? std::log(population_now) : 0.0);
    // predict.glm scales by summary()'s dispersion (not phi: R passes phi inside newdata, where it is
    // unused).
    const double se_link = std::sqrt(x.dot(m.glm.cov_unscaled * x) * m.later_dispersion);
    if (!response)
        return {eta, se_link};
    const double mu = PoissonMean(eta);
    return {mu, se_link * mu};
}

// R's discrete quantiles: the smallest x with P(X <= x) >= p (1 - 64 eps).
template <class Cdf> double DiscreteQuantile(double p, double start, Cdf cdf) {
    const double target = p * (1 - 64 * DBL_EPSILON);
    double x = std::max(0.0, std::floor(start));
    while (cdf(x) < target)
        x += 1;
    while (x > 0 && cdf(x - 1) >= target)
        x -= 1;
    return x;
}

struct Bounds {
    double upper = kNaN, prob = kNaN, score = kNaN;
};

Bounds ThresholdDelta(double fit, double se_fit, double phi, double power, double alpha, double y) {
    const double mu0 = fit, tau = phi + se_fit * se_fit / mu0;
    double se = 0;
    if (power == 1)
        se = std::sqrt(mu0 * tau);
    else if (power == 0.5)
        se = std::sqrt(0.25 * tau);
    else
        se = std::sqrt(4.0 / 9 * std::pow(mu0, 1.0 / 3) * tau);
    const double z = boost::math::quantile(boost::math::normal(), 1 - alpha);
    const double a = std::pow(std::pow(mu0, power) - z * se, 1 / power);
    const double b = std::pow(std::pow(mu0, power) + z * se, 1 / power);
    Bounds out;
    // R: sort(c(a, b), na.last = FALSE)[2]: the larger, or the only one that is a number.
    out.upper = std::isnan(a) ? b : std::isnan(b) ? a : std::max(a, b);
    out.prob = boost::math::cdf(
        boost::math::complement(boost::math::normal(std::pow(mu0, power), se), std::pow(y, power)));
    if (!std::isnan(out.upper))
        out.score = (y - fit) / (out.upper - fit);
    return out;
}

Bounds ThresholdNbPlugin(double eta0, double phi, double alpha, double y) {
    const double mu0 = std::exp(eta0);
    Bounds out;
    if (std::isinf(mu0))
        return out;
    if (phi > 1) {
        const double size = mu0 / (phi - 1), prob = 1 / phi;
        auto cdf = [&](double x) { return boost::math::ibeta(size, x + 1, prob); };
        const double sd = std::sqrt(mu0 * phi);
        const double z = boost::math::quantile(boost::math::normal(), 1 - alpha);
        out.upper = DiscreteQuantile(1 - alpha, mu0 + z * sd, cdf);
    } else {
        auto cdf = [&](double x) { return boost::math::gamma_q(x + 1, mu0); };
        const double z = boost::math::quantile(boost::math::normal(), 1 - alpha);
        out.upper = DiscreteQuantile(1 - alpha, mu0 + z * std::sqrt(mu0), cdf);
    }
    if (phi != 1) {
        const double size = mu0 / (phi - 1), prob = 1 / phi;
        out.prob = y <= 0 ? 1.0 : boost::math::ibetac(size, y, prob); // P(Y >= y) = 1 - P(Y <= y - 1)
    } else {
        out.prob = y <= 0 ? 1.0 : boost::math::gamma_p(y, mu0);
    }
    out.score =
        (y - eta0) / (out.upper - eta0); // on the link scale, as R (the alarm is y > upper either way)
    return out;
}

} // namespace

FarringtonOptions FarringtonOptions::Farrington1996() {
    FarringtonOptions o;
    o.weights_threshold = 1;
    o.p_threshold_trend = 0.05;
    o.no_periods = 1;
    o.past_weeks_not_included = 3;
    o.threshold = FarringtonThreshold::kDelta;
    return o;
}

FarringtonOptions FarringtonOptions::Noufaily2013() {
    FarringtonOptions o;
    o.weights_threshold = 2.58;
    o.p_threshold_trend = 1;
    o.no_periods = 10;
    o.past_weeks_not_included = 26;
    o.threshold = FarringtonThreshold::kNbPlugin;
    return o;
}

std::vector<AberrationRow> Farrington(std::span<const double> obs, std::span<const double> population,
                                      TimeRange range, const FarringtonOptions& o) {
    const int n = static_cast<int>(obs.size());
    if (n == 0)
        ThrowInvalidInput("the series is empty");
    if (range.first < 1 || range.last > n || range.first > range.last)
        ThrowInvalidInput("the range " + std::to_string(range.first) + ":" + std::to_string(range.last) +
                          " is not within the series' time points 1:" + std::to_string(n));
    if (o.b < 1 || o.w < 0 || o.freq < 1)
        ThrowInvalidInput("b must be at least 1, w at least 0");
    if (!(o.alpha > 0 && o.alpha < 1))
        ThrowInvalidInput("alpha must be between 0 and 1");
    if (o.limit54_cases < 0 || o.limit54_periods < 1)
        ThrowInvalidInput("limit54: cases >= 0 and periods > 0");
    if (o.no_periods < 1)
        ThrowInvalidInput("no-periods must be at least 1");
    if (o.no_periods != 1 && o.freq - 2 * o.w - 1 < o.no_periods - 1)
        ThrowInvalidInput("no-periods is too large: each year has " + std::to_string(o.freq - 2 * o.w - 1) +
                          " periods outside the windows to split into " + std::to_string(o.no_periods - 1) +
                          " blocks");
    if (!(o.power == 1 || o.power == 0.5 || std::abs(o.power - 2.0 / 3) < 1e-12))
        ThrowInvalidInput("the power transformation must be none, 1/2 or 2/3");
    if (o.population_offset && population.size() != obs.size())
        ThrowInvalidInput("a population offset needs a population for every period (a population column)");
    const int past = o.past_weeks_not_included.value_or(o.w);
    const int need = o.b * o.freq + o.w; // periods of history before the judged point
    std::vector<AberrationRow> out;
    for (int k = range.first; k <= range.last; ++k) {
        AberrationRow r;
        r.t = k;
        r.observed = obs[static_cast<std::size_t>(k - 1)];
        if (k - need < 1) {
            r.reason =
                "too few periods of history (needs b x freq + w = " + std::to_string(need) + " before it)";
            out.push_back(std::move(r));
            continue;
        }
        // Season groups of the periods 1..k (0 = not used): the windows around k and its reference weeks are
        // group no_periods; with no_periods > 1 the rest of each year is split into no_periods - 1 blocks.
        std::vector<int> group(static_cast<std::size_t>(k + 1), 0);
        auto set = [&](int from, int to, int v) {
            for (int i = std::max(from, 1); i <= std::min(to, k); ++i)
                group[static_cast<std::size_t>(i)] = v;
        };
        set(k - o.w, k, o.no_periods);
        for (int i = 1; i <= o.b; ++i) {
            const int ref = k - i * o.freq;
            set(ref - o.w, ref + o.w, o.no_periods);
            if (o.no_periods != 1) {
                const int period = o.freq - 2 * o.w - 1, blocks = o.no_periods - 1;
                int start = ref + o.w + 1;
                for (int j = 1; j <= blocks; ++j) {
                    const int len = period / blocks + (j <= period % blocks ? 1 : 0);
                    set(start, start + len - 1, j);
                    start += len;
                }
            }
        }
        set(k - past, k, 0); // the recent past is left out of the model
        PointData d;
        std::vector<double> y, wt, pop;
        std::map<int, int> level_seen;
        for (int i = 1; i <= k; ++i) {
            if (group[static_cast<std::size_t>(i)] == 0)
                continue;
            y.push_back(obs[static_cast<std::size_t>(i - 1)]);
            wt.push_back(i);
            pop.push_back(o.population_offset ? population[static_cast<std::size_t>(i - 1)] : 1.0);
            d.group.push_back(group[static_cast<std::size_t>(i)]);
            level_seen[group[static_cast<std::size_t>(i)]] = 1;
        }
        for (const auto& [g, _] : level_seen)
            d.levels.push_back(g);
        d.y = Eigen::Map<Eigen::VectorXd>(y.data(), static_cast<Eigen::Index>(y.size()));
        d.wtime = Eigen::Map<Eigen::VectorXd>(wt.data(), static_cast<Eigen::Index>(wt.size()));
        d.population = Eigen::Map<Eigen::VectorXd>(pop.data(), static_cast<Eigen::Index>(pop.size()));
        const double pop_now = o.population_offset ? population[static_cast<std::size_t>(k - 1)] : 1.0;

        auto model = FitFun(d, o.trend, o);
        bool do_trend = false;
        if (model && model->has_trend) {
            const Prediction pr = Predict(*model, d, o, k, pop_now, true);
            const double t_value =
                model->glm.beta(1) / std::sqrt(model->later_dispersion * model->glm.cov_unscaled(1, 1));
            double p_value = kNaN;
            if (model->glm.df_residual > 0 && std::isfinite(t_value)) {
                // Two-sided t-test p-value through the incomplete beta function as R's pt() computes it, so
                // that a coefficient that is zero up to rounding gives p just below 1 as in R
                // (pThresholdTrend = 1).
                const double df = model->glm.df_residual, t2 = t_value * t_value;
                p_value = df > t2 ? boost::math::ibetac(0.5, df / 2, t2 / (df + t2))
                                  : boost::math::ibeta(df / 2, 0.5, df / (df + t2));
            }
            const bool significant = p_value < o.p_threshold_trend;
            const bool no_extrapolation = pr.fit <= d.y.maxCoeff();
            do_trend = o.b >= 3 && significant && no_extrapolation;
            if (!do_trend)
                model = FitFun(d, false, o);
        }
        if (!model) {
            r.reason = "the model did not converge, with or without the time trend";
            out.push_back(std::move(r));
            continue;
        }
        const bool response = o.threshold == FarringtonThreshold::kDelta;
        const Prediction pr = Predict(*model, d, o, k, pop_now, response);
        const Bounds lu = response ? ThresholdDelta(pr.fit, pr.se, model->phi, o.power, o.alpha, r.observed)
                                   : ThresholdNbPlugin(pr.fit, model->phi, o.alpha, r.observed);
        double recent = 0;
        for (int i = std::max(1, k - o.limit54_periods + 1); i <= k; ++i)
            recent += obs[static_cast<std::size_t>(i - 1)];
        const bool enough = recent >= o.limit54_cases;
        if (!enough)
            r.reason = "too few cases: fewer than " + std::to_string(o.limit54_cases) + " in the last " +
                       std::to_string(o.limit54_periods) + " periods, so no bound and no alarm (limit54)";
        r.upperbound = enough ? lu.upper : kNaN;
        r.alarm = enough && !std::isnan(lu.score) && lu.score > 1 && r.observed != 0;
        if (enough && !std::isnan(lu.upper))
            r.expected = response ? pr.fit : std::exp(pr.fit);
        r.score = lu.score;
        r.pvalue = lu.prob;
        r.phi = model->phi;
        r.mu0 = o.threshold == FarringtonThreshold::kNbPlugin
                    ? std::exp(pr.fit)
                    : std::exp(boost::math::quantile(boost::math::normal(pr.fit, pr.se), 1 - o.alpha));
        r.trend_used = do_trend;
        if (do_trend)
            r.trend_coef = model->glm.beta(1);
        out.push_back(std::move(r));
    }
    return out;
}

} // namespace vigil::surveillance
