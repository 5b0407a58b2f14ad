#include "vigil/stats/standardise.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <string>

#include <boost/math/special_functions/gamma.hpp>

#include "vigil/core/error.hpp"
#include "vigil/stats/validate.hpp"

namespace vigil::stats {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

void CheckStratumValues(const char* where, const char* what, std::span<const double> values) {
    for (std::size_t i = 0; i < values.size(); ++i)
        if (!std::isfinite(values[i]) || values[i] < 0.0)
            ThrowInvalidInput(std::string(where) + ": " + what + " of stratum index " + std::to_string(i) +
                              " is " + FormatValue(values[i]) + "; expected a finite number >= 0");
}

// Quantile of the gamma distribution with the given shape and scale.
double GammaQuantile(double p, double shape, double scale) {
    return scale * boost::math::gamma_p_inv(shape, p);
}

} // namespace

DirectRate DirectlyStandardise(std::span<const double> counts, std::span<const double> populations,
                               std::span<const double> standard_population, double confidence) {
    constexpr const char* kWhere = "DirectlyStandardise";
    CheckConfidence(kWhere, confidence);
    if (counts.empty())
        ThrowInvalidInput(std::string(kWhere) + ": no strata");
    if (populations.size() != counts.size() || standard_population.size() != counts.size())
        ThrowInvalidInput(std::string(kWhere) + ": " + std::to_string(counts.size()) + " counts, " +
                          std::to_string(populations.size()) + " populations and " +
                          std::to_string(standard_population.size()) +
                          " standard populations; expected one of each per stratum");
    CheckStratumValues(kWhere, "count", counts);
    CheckStratumValues(kWhere, "population", populations);
    CheckStratumValues(kWhere, "standard population", standard_population);

    double standard_total = 0.0;
    for (double s : standard_population)
        standard_total += s;
    if (!(standard_total > 0.0))
        ThrowInvalidInput(std::string(kWhere) + ": the standard population sums to 0");

    double count_total = 0.0;
    double population_total = 0.0;
    double rate = 0.0;           // y
    double variance = 0.0;       // v
    double w_max = 0.0;          // w_M
    double covered_weight = 0.0; // Σ w_i over strata with population
    for (std::size_t i = 0; i < counts.size(); ++i) {
        const double x = counts[i];
        const double n = populations[i];
        count_total += x;
        population_total += n;
        if (n == 0.0) {
            if (x > 0.0)
                ThrowData(std::string(kWhere) + ": stratum index " + std::to_string(i) + " has count " +
                          FormatValue(x) +
                          " but population 0; expected a population for every stratum with events");
            continue;
        }
        const double w = standard_population[i] / standard_total;
        // Same operation order as ageadjust.direct so that the rounding matches R's.
        rate += w * (x / n);
        variance += (w * w) * (x / (n * n));
        w_max = std::max(w_max, w / n);
        covered_weight += w;
    }

    DirectRate result;
    result.crude_rate = population_total > 0.0 ? count_total / population_total : kNaN;
    if (!(covered_weight > 0.0)) {
        result.adjusted_rate = result.lower = result.upper = kNaN;
        return result;
    }
    const double half_alpha = (1.0 - confidence) / 2.0;
    result.adjusted_rate = rate;
    result.lower = rate > 0.0 ? GammaQuantile(half_alpha, rate * rate / variance, variance / rate) : 0.0;
    const double rate_m = rate + w_max;                 // y + w_M
    const double variance_m = variance + w_max * w_max; // v + w_M²
    result.upper = GammaQuantile(1.0 - half_alpha, rate_m * rate_m / variance_m, variance_m / rate_m);
    return result;
}

IndirectRatio IndirectlyStandardise(double observed, std::span<const double> populations,
                                    std::span<const double> standard_rates, double confidence) {
    constexpr const char* kWhere = "IndirectlyStandardise";
    CheckCount(kWhere, observed);
    CheckConfidence(kWhere, confidence);
    if (populations.empty())
        ThrowInvalidInput(std::string(kWhere) + ": no strata");
    if (standard_rates.size() != populations.size())
        ThrowInvalidInput(std::string(kWhere) + ": " + std::to_string(populations.size()) +
                          " populations and " + std::to_string(standard_rates.size()) +
                          " standard rates; expected one of each per stratum");
    CheckStratumValues(kWhere, "population", populations);
    CheckStratumValues(kWhere, "standard rate", standard_rates);

    IndirectRatio result;
    result.observed = observed;
    for (std::size_t i = 0; i < populations.size(); ++i)
        result.expected += standard_rates[i] * populations[i];
    const Interval ci = PoissonRateInterval(observed, result.expected, confidence);
    result.ratio = result.expected > 0.0 ? observed / result.expected : kNaN;
    result.lower = ci.lower;
    result.upper = ci.upper;
    return result;
}

} // namespace vigil::stats
