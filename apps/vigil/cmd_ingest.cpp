// vigil ingest police|ae|events|counts|areas|population|deprivation FILE...
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <ostream>

#include "output.hpp"
#include "vigil/core/error.hpp"
#include "vigil/ingest/ingest.hpp"
#include "vigil/store/store.hpp"

namespace vigil::cli {
namespace {

struct IngestArgs {
    std::vector<std::string> files;
    std::string region;
    std::string key_file;
    std::string profile;
    bool force = false;
    OutputOptions output;
    ingest::AreaIngestOptions areas;
};

ingest::IngestOptions Options(const IngestArgs& a) {
    ingest::IngestOptions o;
    if (!a.region.empty()) o.region = ingest::ParseRegion(a.region);
    if (!a.key_file.empty()) o.pseudonymiser = ingest::Pseudonymiser::FromKeyFile(a.key_file);
    else o.pseudonymiser = ingest::Pseudonymiser::FromEnvironment();
    o.force = a.force;
    return o;
}

io::Table SummaryTable(const std::vector<ingest::IngestResult>& results) {
    io::Table t;
    t.name = "batches";
    t.columns = {"id", "source", "path", "rows_read", "accepted", "updated", "duplicates", "rejected", "status"};
    for (const auto& r : results)
        t.AddRow({r.batch_id, r.source, r.path, r.stats.rows_read, r.stats.accepted, r.stats.updated,
                  r.stats.duplicates, r.stats.rejected,
                  r.skipped ? "already ingested as batch " + std::to_string(r.skipped_as) : std::string("ingested")});
    return t;
}

void Report(Context& ctx, const IngestArgs& a, const std::vector<ingest::IngestResult>& results) {
    if (a.output.format != "table" || !a.output.out.empty()) {
        WriteTable(ctx, a.output, SummaryTable(results));
        return;
    }
    if (ctx.quiet) return;
    std::int64_t read = 0, acc = 0, upd = 0, dup = 0, rej = 0;
    for (const auto& r : results) {
        if (r.skipped) {
            *ctx.out << r.path << ": already ingested as batch " << r.skipped_as << "; nothing changed\n";
            continue;
        }
        const auto& s = r.stats;
        *ctx.out << r.path << ": batch " << r.batch_id << ": " << s.rows_read << " rows read, " << s.accepted
                 << " accepted, " << s.updated << " updated, " << s.duplicates << " duplicates, " << s.rejected
                 << " rejected" << (s.rejected ? " (vigil rejects --batch " + std::to_string(r.batch_id) + ")" : "")
                 << "\n";
        read += s.rows_read, acc += s.accepted, upd += s.updated, dup += s.duplicates, rej += s.rejected;
    }
    if (results.size() > 1)
        *ctx.out << "total: " << results.size() << " files, " << read << " rows read, " << acc << " accepted, " << upd
                 << " updated, " << dup << " duplicates, " << rej << " rejected\n";
}

CLI::App* Sub(CLI::App* ingest, const char* name, const char* help, IngestArgs& a, bool events) {
    auto* c = ingest->add_subcommand(name, help);
    c->add_option("files", a.files, "Files to ingest (CSV, .csv.gz)")->required()->check(CLI::ExistingFile);
    c->add_flag("--force", a.force, "Read a file again even if the same file (SHA-256) was ingested before");
    if (events) {
        c->add_option("--region", a.region,
                      "Reject coordinates outside this box, EPSG:27700 metres: XMIN,YMIN,XMAX,YMAX "
                      "(default: Great Britain)");
        c->add_option("--key-file", a.key_file,
                      "Pseudonymisation key file (default $VIGIL_PSEUDONYM_KEY_FILE or $VIGIL_PSEUDONYM_KEY)");
    }
    a.output.format = "table";
    a.output.Add(c);
    return c;
}

} // namespace

void AddIngestCommands(CLI::App& app, Context& ctx) {
    auto* ingest = app.add_subcommand("ingest", "Load partner data into the store, one batch per file");
    ingest->require_subcommand(1);
    ingest->footer("\nEvery row ends accepted, updated, duplicate or rejected (see 'vigil batches' and 'vigil rejects').\n"
                   "A file ingested before (same SHA-256) is skipped. docs/FORMATS.md describes each format.\n"
                   "Example: vigil ingest police 2024-01-metropolitan-street.csv.gz && vigil batches");
    auto args = std::make_shared<IngestArgs>();

    auto run_events = [&ctx, args](auto choose_profile) {
        auto store = ctx.OpenStore();
        auto options = Options(*args);
        options.locator = std::make_shared<ingest::Locator>(*store);
        std::vector<ingest::IngestResult> results;
        for (const auto& f : args->files)
            results.push_back(ingest::IngestEvents(*store, f, choose_profile(f), options, *ctx.progress));
        Report(ctx, *args, results);
    };

    Sub(ingest, "police", "data.police.uk street-level crime or stop-and-search CSVs (.csv or .csv.gz)", *args, true)
        ->footer("\nExample: vigil ingest police 2024-*-metropolitan-street.csv.gz")
        ->callback([run_events] { run_events([](const std::string& f) -> const ingest::EventProfile& {
            return ingest::DetectPoliceProfile(f);
        }); });
    Sub(ingest, "ae", "A&E assault attendances (ISTV / ISB 1594 minimum dataset with ECDS fields)", *args, true)
        ->footer("\nIdentifiers (NHS number, date of birth, ...) are pseudonymised with the key; without one the\n"
                 "file is refused.\nExample: VIGIL_PSEUDONYM_KEY_FILE=/secure/key vigil ingest ae ae_2024.csv")
        ->callback([run_events] { run_events([](const std::string&) -> const ingest::EventProfile& {
            return ingest::BuiltinProfile("ae_istv");
        }); });
    auto* ev = Sub(ingest, "events", "vigil's events CSV for any other source (ambulance, admissions, ...)", *args, true);
    ev->add_option("--profile", args->profile, "A profile JSON describing another format (docs/PROFILES.md)");
    ev->footer("\nExample: vigil ingest events ambulance_2024.csv");
    ev->callback([run_events, args] {
        if (args->profile.empty())
            run_events([](const std::string&) -> const ingest::EventProfile& { return ingest::BuiltinProfile("vigil_events"); });
        else {
            auto profile = std::make_shared<ingest::EventProfile>(ingest::LoadEventProfile(args->profile));
            run_events([profile](const std::string&) -> const ingest::EventProfile& { return *profile; });
        }
    });
    Sub(ingest, "counts", "Aggregates: area_code,period,category,source,count or the Met borough/ward wide files",
        *args, false)
        ->footer("\nExample: vigil ingest counts MPS_Borough_Level_Crime_Historical.csv")
        ->callback([&ctx, args] {
            auto store = ctx.OpenStore();
            auto options = Options(*args);
            std::vector<ingest::IngestResult> results;
            for (const auto& f : args->files) results.push_back(ingest::IngestCounts(*store, f, options, *ctx.progress));
            Report(ctx, *args, results);
        });
    auto* areas = Sub(ingest, "areas", "Boundaries (GeoJSON, Shapefile, GeoPackage; any CRS)", *args, false);
    areas->add_option("--level", args->areas.level, "lsoa, msoa, ward or borough")
        ->required()
        ->check(CLI::IsMember({"lsoa", "msoa", "ward", "borough"}));
    areas->add_option("--code-field", args->areas.code_field, "Field holding the area code (default: detected)");
    areas->add_option("--name-field", args->areas.name_field, "Field holding the area name (default: detected)");
    areas->add_option("--parent-field", args->areas.parent_field, "Field holding the parent area's code");
    areas->add_option("--layer", args->areas.layer, "Layer to read (default: the first)");
    areas->add_option("--assume-crs", args->areas.assume_crs, "CRS for a file that declares none, e.g. EPSG:27700");
    areas->footer("\nExample: vigil ingest areas London_Borough_Excluding_MHW.shp --level borough");
    areas->callback([&ctx, args] {
        auto store = ctx.OpenStore();
        std::vector<ingest::IngestResult> results;
        for (const auto& f : args->files) results.push_back(ingest::IngestAreas(*store, f, args->areas, *ctx.progress));
        Report(ctx, *args, results);
    });
    Sub(ingest, "population", "Population: long format, Census 2021 TS007A, ONS mid-year LSOA bands, borough totals",
        *args, false)
        ->footer("\nExample: vigil ingest population census2021-ts007a-lsoa.csv")
        ->callback([&ctx, args] {
            auto store = ctx.OpenStore();
            auto options = Options(*args);
            std::vector<ingest::IngestResult> results;
            for (const auto& f : args->files)
                results.push_back(ingest::IngestPopulation(*store, f, options, *ctx.progress));
            Report(ctx, *args, results);
        });
    Sub(ingest, "deprivation", "English Indices of Deprivation by LSOA (plain or as published)", *args, false)
        ->footer("\nExample: vigil ingest deprivation IMD2019forLondon.csv")
        ->callback([&ctx, args] {
            auto store = ctx.OpenStore();
            auto options = Options(*args);
            std::vector<ingest::IngestResult> results;
            for (const auto& f : args->files)
                results.push_back(ingest::IngestDeprivation(*store, f, options, *ctx.progress));
            Report(ctx, *args, results);
        });
}

} // namespace vigil::cli
