#include "vigil/stats/poisson.hpp"

#include <cmath>
#include <limits>

#include <boost/math/special_functions/gamma.hpp>

#include "vigil/core/error.hpp"
#include "vigil/stats/validate.hpp"

namespace vigil::stats {

Interval PoissonExactInterval(double count, double confidence) {
    CheckCount("PoissonExactInterval", count);
    CheckConfidence("PoissonExactInterval", confidence);
    // Same arithmetic as poisson.test, so that p rounds identically: alpha = (1 - conf) / 2, 1 - alpha.
    const double half_alpha = (1.0 - confidence) / 2.0;
    Interval ci;
    ci.lower = count == 0.0 ? 0.0 : boost::math::gamma_p_inv(count, half_alpha);
    ci.upper = boost::math::gamma_p_inv(count + 1.0, 1.0 - half_alpha);
    return ci;
}

Interval PoissonByarInterval(double count, double confidence) {
    CheckCount("PoissonByarInterval", count);
    CheckConfidence("PoissonByarInterval", confidence);
    const double z = NormalQuantile(1.0 - (1.0 - confidence) / 2.0);
    const double a = count + 0.5; // a' of epitools pois.byar
    const double centre = 1.0 - 1.0 / (9.0 * a);
    const double spread = z / (3.0 * std::sqrt(a));
    return {a * std::pow(centre - spread, 3), a * std::pow(centre + spread, 3)};
}

Interval PoissonNormalInterval(double count, double confidence) {
    CheckCount("PoissonNormalInterval", count);
    CheckConfidence("PoissonNormalInterval", confidence);
    const double z = NormalQuantile(1.0 - (1.0 - confidence) / 2.0);
    const double half_width = z * std::sqrt(count);
    return {count - half_width, count + half_width};
}

Interval PoissonRateInterval(double count, double exposure, double confidence, PoissonCiMethod method) {
    if (!std::isfinite(exposure) || exposure < 0.0)
        ThrowInvalidInput("PoissonRateInterval: exposure " + FormatValue(exposure) +
                          " is not a finite number >= 0");
    Interval ci;
    switch (method) {
    case PoissonCiMethod::kExact:
        ci = PoissonExactInterval(count, confidence);
        break;
    case PoissonCiMethod::kByar:
        ci = PoissonByarInterval(count, confidence);
        break;
    case PoissonCiMethod::kNormal:
        ci = PoissonNormalInterval(count, confidence);
        break;
    }
    if (exposure == 0.0) {
        const double nan = std::numeric_limits<double>::quiet_NaN();
        return {nan, nan};
    }
    return {ci.lower / exposure, ci.upper / exposure};
}

} // namespace vigil::stats
