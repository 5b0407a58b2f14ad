#include "cli.hpp"

#include <CLI/CLI.hpp>
#include <iostream>
#include <new>
#include <sstream>

#include "output.hpp"
#include "vigil/core/error.hpp"

namespace vigil::cli {
namespace {

constexpr const char* kDescription =
    "vigil: violence surveillance for a Violence Reduction Unit.\n"
    "Ingest partner data (police.uk, A&E under the Cardiff Model, ambulance, Met aggregates, boundaries,\n"
    "population, deprivation) into a local store, then count, rate and map violence.\n\n"
    "Start here:  vigil demo            (synthesise a city, ingest it, show first results)\n"
    "             vigil COMMAND --help  (every option, with an example)";

constexpr const char* kFooter =
    "\nExit codes: 0 ok, 2 invalid input, 3 data error, 4 I/O error, 5 storage error, 70 internal error.\n"
    "The store is --db PATH, else $VIGIL_DB, else ./vigil.db. Documentation: README.md and docs/.";

} // namespace

int Run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    Context ctx;
    ctx.out = &out;
    ctx.err = &err;
    CLI::App app(kDescription, "vigil");
    app.footer(kFooter);
    app.require_subcommand(1);
    app.fallthrough();
    app.set_version_flag("--version", "vigil 0.1.0");
    app.add_option("--db", ctx.db, "The store (SQLite file); default $VIGIL_DB or ./vigil.db");
    app.add_flag("-q,--quiet", ctx.quiet, "No progress bars or summaries on stderr");
    AddIngestCommands(app, ctx);
    AddBatchCommands(app, ctx);
    AddRatesCommand(app, ctx);
    AddAlertsCommand(app, ctx);
    AddSynthCommands(app, ctx);

    std::vector<std::string> reversed(args.rbegin(), args.rend());
    try {
        if (!ctx.quiet) ctx.progress = std::make_unique<TerminalProgress>();
        else ctx.progress = std::make_unique<NullProgress>();
        app.parse(reversed);
    } catch (const CLI::CallForHelp&) {
        out << app.help();
        return 0;
    } catch (const CLI::CallForAllHelp&) {
        out << app.help("", CLI::AppFormatMode::All);
        return 0;
    } catch (const CLI::CallForVersion&) {
        out << "vigil 0.1.0\n";
        return 0;
    } catch (const CLI::ParseError& e) {
        err << "vigil: " << e.what() << "\n";
        if (e.get_name() == "RequiredError" && app.get_subcommands().empty())
            err << "Run 'vigil --help' for the commands.\n";
        else
            err << "Run 'vigil " << (app.get_subcommands().empty() ? "" : app.get_subcommands().back()->get_name() + " ")
                << "--help' for the options.\n";
        return ExitCode(ErrorKind::kInvalidInput);
    } catch (const Error& e) {
        err << "vigil: " << KindName(e.kind()) << ": " << e.what() << "\n";
        return ExitCode(e.kind());
    } catch (const std::bad_alloc&) {
        err << "vigil: out of memory\n";
        return ExitCode(ErrorKind::kInternal);
    } catch (const std::exception& e) {
        err << "vigil: internal error: " << e.what() << "\n";
        return ExitCode(ErrorKind::kInternal);
    }
    return 0;
}

int Main(int argc, char** argv) {
    std::vector<std::string> args;
    for (int i = 1; i < argc; ++i) args.emplace_back(argv[i]);
    return Run(args, std::cout, std::cerr);
}

} // namespace vigil::cli
