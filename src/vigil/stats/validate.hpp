#pragma once
// Argument checks and small helpers shared by the stats kernels (internal to src/vigil/stats).
#include <string>

namespace vigil::stats {

// "0.95", "nan", "-3": a value as it appears in an error message.
std::string FormatValue(double value);

// Throw vigil::Error kInvalidInput naming `where` unless confidence is in (0, 1) / count is finite and >= 0.
void CheckConfidence(const char* where, double confidence);
void CheckCount(const char* where, double count);

// Φ⁻¹(p) of the standard normal.
double NormalQuantile(double p);

} // namespace vigil::stats
