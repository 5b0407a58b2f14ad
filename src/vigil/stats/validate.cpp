#include "vigil/stats/validate.hpp"

#include <cmath>
#include <cstdio>

#include <boost/math/distributions/normal.hpp>

#include "vigil/core/error.hpp"

namespace vigil::stats {

std::string FormatValue(double value) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.17g", value);
    return buf;
}

void CheckConfidence(const char* where, double confidence) {
    if (!(confidence > 0.0 && confidence < 1.0))
        ThrowInvalidInput(std::string(where) + ": confidence " + FormatValue(confidence) +
                          " is not strictly between 0 and 1 (e.g. 0.95)");
}

void CheckCount(const char* where, double count) {
    if (!std::isfinite(count) || count < 0.0)
        ThrowInvalidInput(std::string(where) + ": count " + FormatValue(count) +
                          " is not a finite number >= 0");
}

double NormalQuantile(double p) {
    return boost::math::quantile(boost::math::normal_distribution<double>(), p);
}

} // namespace vigil::stats
