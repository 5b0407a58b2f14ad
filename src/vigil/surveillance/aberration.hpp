#pragma once
// Aberration detection on one count series: EARS C1/C2/C3 and CUSUM, with the semantics of the R package
// surveillance 1.20.3 (earsC, algo.cusum) so that results can be compared line by line
// (docs/methods/alerts.md).
//
// A series is the counts at time points t = 1..n (1-based, as in R). A range [first, last] names the points
// to judge; everything before `first` is history. The kernels are pure: no I/O, no store.
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace vigil::surveillance {

struct TimeRange {
    int first = 0, last = 0; // 1-based, inclusive
};

// One judged (or unjudged) time point. Doubles are NaN where the method has no such value; `alarm` is empty
// when the point could not be judged (then `reason` says why) or the method's arithmetic gives no answer
// (R's NA, e.g. a C3 bound from a baseline with no variation).
struct AberrationRow {
    int t = 0;
    double observed = 0;
    double upperbound;
    std::optional<bool> alarm;
    double expected; // the baseline mean (EARS) or target mean m (CUSUM)
    double
        score; // EARS: (observed - mean) / sd; CUSUM: the cumulative sum; Farrington: (y - fit) / (U - fit)
    double pvalue; // Farrington: P(Y >= observed) under the threshold's distribution
    // Farrington only: R's mu0 column, the overdispersion phi, whether the time trend was kept and its
    // coefficient.
    double mu0, phi, trend_coef;
    bool trend_used = false;
    std::string reason;
    AberrationRow();
};

enum class EarsMethod { kC1, kC2, kC3 };

struct EarsOptions {
    EarsMethod method = EarsMethod::kC1;
    int baseline = 7;            // periods in the reference window (>= 3)
    double min_sigma = 0;        // floor on the reference standard deviation
    std::optional<double> alpha; // default 0.001 for C1 and C2, 0.025 for C3
};

// Periods of history a method needs before the first judged point (C1: baseline, C2: baseline + 2,
// C3: baseline + 4).
int EarsLag(const EarsOptions& o);
// The default range: from the first point with enough history to the end (R's default).
TimeRange EarsDefaultRange(const EarsOptions& o, int n);

// Points in `range` without enough history are returned unjudged with a reason. Throws kInvalidInput for a
// baseline below 3, a negative min_sigma, alpha outside (0, 1) or a range outside 1..n.
std::vector<AberrationRow> EarsC(std::span<const double> observed, TimeRange range, const EarsOptions& o);

enum class CusumTrans { kStandard, kRossi, kAnscombe };
enum class CusumTarget { kMean, kGlm, kValue };

struct CusumOptions {
    double k = 1.04, h = 2.26;
    CusumTarget target =
        CusumTarget::kMean; // mean of the history, a Poisson GLM with one seasonal wave, or a value
    double m = 0;           // the value, for kValue
    CusumTrans trans = CusumTrans::kStandard;
    int freq = 52;      // periods per year, for the GLM's seasonal wave
    int start_week = 1; // the period-of-year of t = 1 (R's start[2]), for the GLM's seasonal wave
};

// Judges every point of `range`; the history is 1..first-1 (at least one point, kInvalidInput otherwise).
std::vector<AberrationRow> Cusum(std::span<const double> observed, TimeRange range, const CusumOptions& o);

// The Poisson GLR detector of a change in the intercept (surveillance::glrpois with its defaults: theta
// estimated, no window, Mtilde burn-in) against in-control means from a Poisson GLM with one yearly wave
// fitted to the history 1..first-1 (t = the time point, as R). Alarm when the GLR statistic reaches c_arl,
// after which the detector restarts on the points that follow. The upper bound is the statistic (kValue) or
// the smallest count that would have raised an alarm (kCases); `score` always holds the statistic and
// `expected` the in-control mean.
enum class GlrReturn { kValue, kCases };
struct GlrOptions {
    double c_arl = 5;
    int mtilde = 1;
    bool increase = true; // dir = "inc"; false for "dec"
    GlrReturn ret = GlrReturn::kValue;
    int freq = 52;
};
std::vector<AberrationRow> GlrPois(std::span<const double> observed, TimeRange range, const GlrOptions& o);

// The improved Farrington method as surveillance::farringtonFlexible computes it (Farrington et al. 1996;
// Noufaily et al. 2013): for each judged point, a quasi-Poisson GLM on the same weeks of b earlier years
// (windows of +-w, optionally the rest of each year in noPeriods - 1 blocks), with a trend kept only when
// significant, past outbreaks down-weighted, and an upper bound from the 2/3-power transformation (delta) or
// a negative-binomial plug-in quantile (nbPlugin). docs/methods/alerts.md gives every step.
enum class FarringtonThreshold { kDelta, kNbPlugin };
struct FarringtonOptions {
    int b = 5, w = 3;
    bool reweight = true;
    double weights_threshold = 2.58;
    double alpha = 0.05;
    bool trend = true;
    double p_threshold_trend = 0.05;
    int limit54_cases = 5, limit54_periods = 4; // no alarm with fewer than 5 cases in the last 4 periods
    double power = 2.0 / 3;                     // the power transformation (1, 1/2 or 2/3), for kDelta
    bool population_offset = false;
    int no_periods = 1;
    std::optional<int> past_weeks_not_included; // default w
    FarringtonThreshold threshold = FarringtonThreshold::kDelta;
    int freq = 52;
    // The two settings of the surveillance vignette "monitoringCounts" (Salmon, Schumacher and Hoehle 2016).
    static FarringtonOptions Farrington1996();
    static FarringtonOptions Noufaily2013();
};
// `population` (empty, or one value per point) is needed with population_offset.
std::vector<AberrationRow> Farrington(std::span<const double> observed, std::span<const double> population,
                                      TimeRange range, const FarringtonOptions& o);

// Poisson regression of y on the columns of x (each of length y.size(), an intercept included by the caller),
// fitted by iteratively reweighted least squares as R's glm.fit does: start mu = y + 0.1, stop when the
// relative change in deviance is below 1e-8, at most 25 iterations (then converged is false and, as in R, the
// last iterate is returned), means floored at the machine epsilon as R's poisson()$linkinv does. Throws kData
// when the design is singular or the deviance is not finite.
struct PoissonGlmFit {
    std::vector<double> coefficients;
    bool converged = false;
    int iterations = 0;
};
PoissonGlmFit FitPoissonGlm(const std::vector<std::vector<double>>& x, std::span<const double> y);
// The mean for a linear predictor under the log link: max(exp(eta), machine epsilon), as R.
double PoissonMean(double eta);

} // namespace vigil::surveillance
