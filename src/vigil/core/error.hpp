#pragma once
// The one exception hierarchy of vigil. Each error carries a kind; the command-line tool maps kinds to
// distinct process exit codes (see ExitCode) and later the HTTP server maps them to status codes.
#include <stdexcept>
#include <string>

namespace vigil {

enum class ErrorKind {
    kInvalidInput, // bad arguments or options: the request itself is wrong
    kData,         // the data cannot be used as asked (wrong header, no population for an age band, ...)
    kIo,           // a file or stream cannot be read or written
    kStorage,      // the store failed (locked, corrupt, schema too new)
    kConvergence,  // a numerical method did not converge
    kAccessDenied, // the access policy refused the request
    kInternal,     // a bug in vigil
};

class Error : public std::runtime_error {
public:
    Error(ErrorKind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
    ErrorKind kind() const noexcept { return kind_; }

private:
    ErrorKind kind_;
};

// Process exit codes: 0 success, 1 is left to "ran, but found problems" (e.g. rows rejected with --strict).
int ExitCode(ErrorKind kind) noexcept;
const char* KindName(ErrorKind kind) noexcept;

[[noreturn]] inline void ThrowInvalidInput(const std::string& m) { throw Error(ErrorKind::kInvalidInput, m); }
[[noreturn]] inline void ThrowData(const std::string& m) { throw Error(ErrorKind::kData, m); }
[[noreturn]] inline void ThrowIo(const std::string& m) { throw Error(ErrorKind::kIo, m); }
[[noreturn]] inline void ThrowStorage(const std::string& m) { throw Error(ErrorKind::kStorage, m); }
[[noreturn]] inline void ThrowInternal(const std::string& m) { throw Error(ErrorKind::kInternal, m); }

} // namespace vigil
