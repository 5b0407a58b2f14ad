#pragma once
// Ratio of two Poisson rates, RR = (x1 / T1) / (x0 / T0): group 1 against a reference group 0.
//
// Exact conditional method (as R stats::poisson.test(c(x1, x0), c(T1, T0))): given n = x1 + x0, x1 is
// binomial(n, π) with π = RR·T1 / (RR·T1 + T0) (Lehmann & Romano, Testing Statistical Hypotheses, 4.7).
// The Clopper & Pearson (1934) interval for π,
//   π_L = Q_beta(α/2; x1, n − x1 + 1) (0 when x1 = 0),  π_U = Q_beta(1 − α/2; x1 + 1, n − x1) (1 when x1 =
//   n),
// maps to RR = π/(1 − π) · T0/T1. The two-sided p-value for RR = 1 is binom.test's: the total probability of
// outcomes no more likely than x1 (with R's relative tolerance 1 + 1e-7 on the comparison).
//
// Wald method (as epitools::rateratio(method = "wald")): RR · exp(∓ z √(1/x1 + 1/x0)), with the p-value of
// the normal (score) test of the conditional binomial, z = (x1 − nπ0)/√(nπ0(1 − π0)), π0 = T1/(T1 + T0),
// which is what epitools reports as the "wald" p-value (epitools loses digits below ~1e-8 and prints 0 below
// ~1e-16, apparently from 2·(1 − pnorm(|z|)); we compute the tail directly).
//
// Counts must be finite and >= 0 (integers for the exact method), exposures finite and > 0, confidence in
// (0, 1); otherwise vigil::Error kInvalidInput. Degenerate tables are values, not errors: x1 = x0 = 0 gives
// estimate NaN, interval [0, ∞) and p = 1 (exact) or NaN limits (Wald); x0 = 0 gives an infinite estimate.
#include "vigil/stats/poisson.hpp"

namespace vigil::stats {

struct RateRatio {
    double estimate = 0.0; // (x1/T1) / (x0/T0)
    double lower = 0.0;
    double upper = 0.0;
    double p_value = 1.0; // two-sided, H0: RR = 1
};

RateRatio ExactRateRatio(double count1, double exposure1, double count0, double exposure0,
                         double confidence = 0.95);
RateRatio WaldRateRatio(double count1, double exposure1, double count0, double exposure0,
                        double confidence = 0.95);

} // namespace vigil::stats
