#include "vigil/geo/gdal_support.hpp"

#include <mutex>

#include <cpl_error.h>
#include <gdal.h>

namespace vigil::geo::detail {

void EnsureGdalRegistered() {
    static std::once_flag once;
    std::call_once(once, [] { GDALAllRegister(); });
}

QuietGdalErrors::QuietGdalErrors() {
    CPLPushErrorHandler(CPLQuietErrorHandler);
    CPLErrorReset();
}

QuietGdalErrors::~QuietGdalErrors() {
    CPLPopErrorHandler();
}

std::string QuietGdalErrors::LastMessage() {
    const char* m = CPLGetLastErrorMsg();
    return (m != nullptr && *m != '\0') ? std::string(m) : std::string("no detail from GDAL");
}

} // namespace vigil::geo::detail
