#pragma once
// Confidence intervals for a Poisson count and for a rate = count / exposure (person-years, residents).
//
// Exact interval (Garwood 1936, "Fiducial limits for the Poisson distribution", Biometrika 28:437-442):
//   lower = Q_gamma(α/2; shape x)          (0 when x = 0)
//   upper = Q_gamma(1 − α/2; shape x + 1)
// with α = 1 − confidence and Q_gamma the quantile of the gamma distribution with scale 1, i.e. the usual
// chi-square form χ²(α/2; 2x)/2 and χ²(1 − α/2; 2x + 2)/2. This is what R stats::poisson.test and
// epitools::pois.daly return (pois.daly alone switches to a one-sided upper limit when x = 0; we keep the
// two-sided limit of poisson.test, −ln(α/2) = 3.6889 for 95 %). The interval is derived for integer counts;
// a non-integer count (e.g. a harm-weighted sum) is passed to the gamma quantiles as it is, which gives a
// smooth interpolation between the integer intervals but no exact coverage guarantee.
//
// Byar's approximation (Rothman & Boice 1979; as epitools::pois.byar, which uses a' = x + 0.5 for both
// limits):
//   limit = a' (1 − 1/(9a') ∓ z/(3√a'))³,  z = Φ⁻¹(1 − α/2).
// It can be slightly negative when x = 0; returned as computed so that it can be compared with epitools.
//
// Normal approximation (epitools::pois.approx): x ∓ z √x. Symmetric, may be negative for small x; use it only
// to explain why the exact interval is preferred.
//
// Invalid arguments (negative or non-finite count, confidence outside (0, 1), negative or non-finite
// exposure) throw vigil::Error kInvalidInput. An exposure of 0 (no population) gives NaN bounds: the caller
// reports it.

namespace vigil::stats {

struct Interval {
    double lower = 0.0;
    double upper = 0.0;
};

enum class PoissonCiMethod {
    kExact,  // Garwood, gamma quantiles
    kByar,   // Byar's approximation (epitools pois.byar)
    kNormal, // normal approximation (epitools pois.approx)
};

// Intervals for the expected count λ given the observed count.
Interval PoissonExactInterval(double count, double confidence = 0.95);
Interval PoissonByarInterval(double count, double confidence = 0.95);
Interval PoissonNormalInterval(double count, double confidence = 0.95);

// Interval for the rate λ / exposure: the count interval divided by the exposure (rates per unit of exposure;
// multiply by 100000 for rates per 100,000).
Interval PoissonRateInterval(double count, double exposure, double confidence = 0.95,
                             PoissonCiMethod method = PoissonCiMethod::kExact);

} // namespace vigil::stats
