#include "vigil/core/error.hpp"

namespace vigil {

int ExitCode(ErrorKind kind) noexcept {
    switch (kind) {
    case ErrorKind::kInvalidInput: return 2;
    case ErrorKind::kData: return 3;
    case ErrorKind::kIo: return 4;
    case ErrorKind::kStorage: return 5;
    case ErrorKind::kConvergence: return 6;
    case ErrorKind::kAccessDenied: return 7;
    case ErrorKind::kInternal: return 70;
    }
    return 70;
}

const char* KindName(ErrorKind kind) noexcept {
    switch (kind) {
    case ErrorKind::kInvalidInput: return "invalid input";
    case ErrorKind::kData: return "data error";
    case ErrorKind::kIo: return "I/O error";
    case ErrorKind::kStorage: return "storage error";
    case ErrorKind::kConvergence: return "convergence failure";
    case ErrorKind::kAccessDenied: return "access denied";
    case ErrorKind::kInternal: return "internal error";
    }
    return "internal error";
}

} // namespace vigil
