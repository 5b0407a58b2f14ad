#pragma once
// Internal to the geo module: one-time GDAL driver registration and a scoped quiet CPL error handler,
// so GDAL/GEOS diagnostics become our error messages instead of text on stderr. No GDAL types here.
#include <string>

namespace vigil::geo::detail {

void EnsureGdalRegistered(); // GDALAllRegister exactly once per process (std::call_once)

// While alive, GDAL errors on this thread are not printed; LastMessage() gives the latest one.
class QuietGdalErrors {
  public:
    QuietGdalErrors();
    ~QuietGdalErrors();
    QuietGdalErrors(const QuietGdalErrors&) = delete;
    QuietGdalErrors& operator=(const QuietGdalErrors&) = delete;
    static std::string LastMessage();
};

} // namespace vigil::geo::detail
