#pragma once
// Age (or any stratum) standardisation of a rate.
//
// Direct method with the gamma interval of Fay & Feuer (1997), "Confidence intervals for directly
// standardized rates: a method based on the gamma distribution", Statistics in Medicine 16:791-801; computed
// as epitools::ageadjust.direct (and epiR::epi.directadj). For strata i with counts x_i, populations n_i and
// a standard population s_i:
//   w_i  = s_i / Σ s                      standard weights
//   y    = Σ w_i x_i / n_i                directly standardised rate
//   v    = Σ w_i² x_i / n_i²              its variance (Poisson counts)
//   w_M  = max_i w_i / n_i                Fay & Feuer's w_M
//   lower = Q_gamma(α/2;     shape y²/v,               scale v/y)
//   upper = Q_gamma(1 − α/2; shape (y+w_M)²/(v+w_M²), scale (v+w_M²)/(y+w_M))
// Rates are per person (per unit of the population); multiply by 100000 for rates per 100,000.
// Deliberate differences from ageadjust.direct, where R would return NaN or Inf:
//   * a stratum with population 0 and count 0 contributes nothing to y and v and is left out of w_M (its
//     standard weight is kept, i.e. the weights are not renormalised: the stratum counts as rate 0);
//   * when every count is 0, y = v = 0 and the lower shape 0/0 is undefined: lower = 0, and the upper limit
//     comes from the w_M term alone (shape 1, scale w_M): −w_M ln(α/2), the analogue of the Garwood limit;
//   * when no stratum with a positive standard weight has population (nothing to standardise), the adjusted
//     rate and its limits are NaN (the crude rate too when the total population is 0): "no population".
// A stratum with population 0 but a positive count throws vigil::Error kData. Negative or non-finite values,
// spans of different lengths, no strata, or a standard population that sums to 0 throw kInvalidInput.
//
// Indirect method: standardised incidence (mortality) ratio SIR = O / E with E = Σ r_i n_i from standard
// rates r_i, and the exact Garwood interval for O divided by E (Breslow & Day 1987, vol. II, ch. 2).
#include <span>

#include "vigil/stats/poisson.hpp"

namespace vigil::stats {

struct DirectRate {
    double crude_rate = 0.0;    // Σ x / Σ n
    double adjusted_rate = 0.0; // y
    double lower = 0.0;
    double upper = 0.0;
};

DirectRate DirectlyStandardise(std::span<const double> counts, std::span<const double> populations,
                               std::span<const double> standard_population, double confidence = 0.95);

struct IndirectRatio {
    double observed = 0.0; // O = Σ x
    double expected = 0.0; // E = Σ r_i n_i
    double ratio = 0.0;    // O / E (NaN when E = 0)
    double lower = 0.0;
    double upper = 0.0;
};

// `observed` is the total count of the study population, `populations` its population per stratum and
// `standard_rates` the standard's rate per person in the same strata.
IndirectRatio IndirectlyStandardise(double observed, std::span<const double> populations,
                                    std::span<const double> standard_rates, double confidence = 0.95);

} // namespace vigil::stats
