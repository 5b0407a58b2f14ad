#pragma once
// The vigil command line: one subcommand per capability, each a thin translation of arguments into a
// library call. Errors become messages on stderr and distinct exit codes (vigil::ExitCode), never traces.
#include <iosfwd>
#include <string>
#include <vector>

namespace vigil::cli {

int Main(int argc, char** argv);
// Runs with the given arguments (without the program name), writing to out/err; used by tests.
int Run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

} // namespace vigil::cli
