#pragma once
// What every command shares: the store location, the output format and destination, progress.
#include <fstream>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>

#include "vigil/core/progress.hpp"
#include "vigil/io/table.hpp"
#include "vigil/store/store.hpp"

namespace CLI {
class App;
}

namespace vigil::cli {

struct Context {
    std::ostream* out = nullptr;
    std::ostream* err = nullptr;
    std::string db;          // --db, else $VIGIL_DB, else vigil.db
    bool quiet = false;
    std::unique_ptr<Progress> progress;

    std::unique_ptr<store::Store> OpenStore() const;
    std::string DbPath() const;
};

// --format and --out for a command that writes a table.
struct OutputOptions {
    std::string format = "table";
    std::string out; // empty = stdout
    void Add(CLI::App* cmd, bool geojson = false);
};

// Opens the destination (file or the context's out); throws kIo when it cannot be written.
class Destination {
public:
    Destination(const Context& ctx, const std::string& path);
    std::ostream& stream() { return file_ ? *file_ : *out_; }
    void Close(); // flushes, and reports a failed write as kIo

private:
    std::string path_;
    std::ostream* out_;
    std::unique_ptr<std::ofstream> file_;
};

void WriteTable(const Context& ctx, const OutputOptions& o, const io::Table& t, const nlohmann::json* meta = nullptr);

void AddIngestCommands(CLI::App& app, Context& ctx);
void AddBatchCommands(CLI::App& app, Context& ctx);
void AddRatesCommand(CLI::App& app, Context& ctx);
void AddAlertsCommand(CLI::App& app, Context& ctx);
void AddSynthCommands(CLI::App& app, Context& ctx);

} // namespace vigil::cli
