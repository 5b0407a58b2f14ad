#include "vigil/stats/rate_ratio.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include <boost/math/distributions/binomial.hpp>
#include <boost/math/special_functions/beta.hpp>

#include "vigil/core/error.hpp"
#include "vigil/stats/validate.hpp"

namespace vigil::stats {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

void CheckExposure(const char* where, double exposure) {
    if (!std::isfinite(exposure) || !(exposure > 0.0))
        ThrowInvalidInput(std::string(where) + ": exposure " + FormatValue(exposure) +
                          " is not a finite number > 0");
}

void CheckArguments(const char* where, double x1, double t1, double x0, double t0, double confidence) {
    CheckCount(where, x1);
    CheckCount(where, x0);
    CheckExposure(where, t1);
    CheckExposure(where, t0);
    CheckConfidence(where, confidence);
}

// Smallest integer i in [lo, hi] with pred(i), or hi + 1; pred must be false then true along the range.
template <class Pred> double FirstTrue(double lo, double hi, Pred pred) {
    while (lo <= hi) {
        const double mid = std::floor(lo + (hi - lo) / 2.0);
        if (pred(mid))
            hi = mid - 1.0;
        else
            lo = mid + 1.0;
    }
    return lo;
}

// Two-sided p-value of the exact binomial test of H0: π = p, as R binom.test: P(x) plus the probability of
// the outcomes on the other side of the mean m = np that are no more likely than x. binom.test counts them
// one by one; the binomial probabilities rise up to floor(m) and fall from ceil(m), so a bisection finds the
// same count in O(log n).
double BinomialTwoSidedP(double x, double n, double p) {
    const boost::math::binomial_distribution<double> dist(n, p);
    const double m = n * p;
    if (x == m)
        return 1.0;
    constexpr double kRelErr = 1.0 + 1e-7; // binom.test's tolerance for "as likely as"
    const double threshold = boost::math::pdf(dist, x) * kRelErr;
    const auto no_more_likely = [&](double i) { return boost::math::pdf(dist, i) <= threshold; };
    double total = 0.0;
    if (x < m) {
        const double first = FirstTrue(std::ceil(m), n, no_more_likely); // upper tail [first, n]
        total = boost::math::cdf(dist, x);
        if (first <= n)
            total += boost::math::cdf(boost::math::complement(dist, first - 1.0));
    } else {
        const double y =
            FirstTrue(0.0, std::floor(m), [&](double i) { return !no_more_likely(i); }); // [0, y)
        total = boost::math::cdf(boost::math::complement(dist, x - 1.0));
        if (y > 0.0)
            total += boost::math::cdf(dist, y - 1.0);
    }
    return std::min(1.0, total);
}

} // namespace

RateRatio ExactRateRatio(double count1, double exposure1, double count0, double exposure0,
                         double confidence) {
    constexpr const char* kWhere = "ExactRateRatio";
    CheckArguments(kWhere, count1, exposure1, count0, exposure0, confidence);
    if (count1 != std::floor(count1) || count0 != std::floor(count0))
        ThrowInvalidInput(std::string(kWhere) + ": counts " + FormatValue(count1) + " and " +
                          FormatValue(count0) + " must be whole numbers for the exact conditional test");
    const double n = count1 + count0;
    if (n == 0.0)
        return {kNaN, 0.0, kInf, 1.0};

    const double half_alpha = (1.0 - confidence) / 2.0;
    const double pi_lower =
        count1 == 0.0 ? 0.0 : boost::math::ibeta_inv(count1, n - count1 + 1.0, half_alpha);
    const double pi_upper =
        count1 == n ? 1.0 : boost::math::ibeta_inv(count1 + 1.0, n - count1, 1.0 - half_alpha);
    const double exposure_ratio = exposure0 / exposure1;
    RateRatio rr;
    rr.estimate = count0 == 0.0 ? kInf : (count1 / exposure1) / (count0 / exposure0);
    rr.lower = pi_lower / (1.0 - pi_lower) * exposure_ratio;
    rr.upper = pi_upper == 1.0 ? kInf : pi_upper / (1.0 - pi_upper) * exposure_ratio;
    rr.p_value = BinomialTwoSidedP(count1, n, exposure1 / (exposure1 + exposure0));
    return rr;
}

RateRatio WaldRateRatio(double count1, double exposure1, double count0, double exposure0, double confidence) {
    CheckArguments("WaldRateRatio", count1, exposure1, count0, exposure0, confidence);
    const double n = count1 + count0;
    RateRatio rr;
    rr.estimate = (count1 / exposure1) / (count0 / exposure0);
    if (count1 == 0.0 || count0 == 0.0) {
        rr.lower = rr.upper = kNaN;
    } else {
        const double z = NormalQuantile(1.0 - (1.0 - confidence) / 2.0);
        const double half_width = z * std::sqrt(1.0 / count1 + 1.0 / count0);
        rr.lower = rr.estimate * std::exp(-half_width);
        rr.upper = rr.estimate * std::exp(half_width);
    }
    if (n == 0.0) {
        rr.p_value = 1.0;
        return rr;
    }
    const double pi0 = exposure1 / (exposure1 + exposure0);
    const double expected = n * pi0;
    const double score = (count1 - expected) / std::sqrt(expected * (1.0 - pi0));
    rr.p_value = std::erfc(std::fabs(score) / std::sqrt(2.0));
    return rr;
}

} // namespace vigil::stats
