#include "output.hpp"

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "vigil/core/error.hpp"

namespace vigil::cli {

std::string Context::DbPath() const {
    if (!db.empty()) return db;
    if (const char* env = std::getenv("VIGIL_DB"); env && *env) return env;
    return "vigil.db";
}

std::unique_ptr<store::Store> Context::OpenStore() const { return store::OpenSqliteStore(DbPath()); }

void OutputOptions::Add(CLI::App* cmd, bool geojson) {
    cmd->add_option("--format", format,
                    geojson ? "Output format: table, csv, json or geojson" : "Output format: table, csv or json")
        ->check(geojson ? CLI::IsMember({"table", "csv", "json", "geojson"}) : CLI::IsMember({"table", "csv", "json"}))
        ->capture_default_str();
    cmd->add_option("--out", out, "Write to this file instead of standard output");
}

Destination::Destination(const Context& ctx, const std::string& path) : path_(path), out_(ctx.out) {
    if (!path.empty()) {
        file_ = std::make_unique<std::ofstream>(path, std::ios::binary | std::ios::trunc);
        if (!*file_) ThrowIo(path + ": cannot write");
    }
}

void Destination::Close() {
    stream().flush();
    if (!stream()) ThrowIo((path_.empty() ? std::string("standard output") : path_) + ": write failed");
    if (file_) file_->close();
}

void WriteTable(const Context& ctx, const OutputOptions& o, const io::Table& t, const nlohmann::json* meta) {
    Destination d(ctx, o.out);
    io::Write(t, io::ParseFormat(o.format), d.stream(), meta);
    d.Close();
}

} // namespace vigil::cli
