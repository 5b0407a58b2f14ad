// vigil batches | rejects | status | categories
#include <CLI/CLI.hpp>
#include <algorithm>
#include <nlohmann/json.hpp>

#include "output.hpp"
#include "vigil/model/category.hpp"

namespace vigil::cli {

void AddBatchCommands(CLI::App& app, Context& ctx) {
    auto output = std::make_shared<OutputOptions>();
    auto* batches = app.add_subcommand("batches", "List ingested files: rows read, accepted, updated, duplicates, rejected");
    output->Add(batches);
    batches->footer("\nFields: id,source,path,sha256,rows_read,accepted,updated,duplicates,rejected (JSON: {\"batches\": [...]}).\n"
                    "Example: vigil batches --format csv --out batches.csv");
    batches->callback([&ctx, output] {
        auto store = ctx.OpenStore();
        io::Table t;
        t.name = "batches";
        t.columns = {"id", "source", "path", "sha256", "rows_read", "accepted", "updated", "duplicates", "rejected",
                     "kind", "profile", "started_at", "finished_at"};
        for (const auto& b : store->Batches())
            t.AddRow({b.id, b.info.source, b.info.path, b.info.sha256, b.stats.rows_read, b.stats.accepted,
                      b.stats.updated, b.stats.duplicates, b.stats.rejected, b.info.kind, b.info.profile,
                      b.info.started_at, b.finished_at});
        if (output->format == "table") { // the hash is long; the terminal shows its start
            for (auto& row : t.rows) std::get<std::string>(row[3]).resize(12);
        }
        WriteTable(ctx, *output, t);
    });

    auto routput = std::make_shared<OutputOptions>();
    auto batch = std::make_shared<std::int64_t>(0);
    auto limit = std::make_shared<std::int64_t>(1000);
    auto* rejects = app.add_subcommand("rejects", "List rejected rows with file, line, column, value and reason");
    rejects->add_option("--batch", *batch, "Only this batch");
    rejects->add_option("--limit", *limit, "At most this many rows")->capture_default_str();
    routput->Add(rejects);
    rejects->footer("\nFields: batch,file,line,column,value,reason (line is the physical line in the file, header = 1).\n"
                    "Example: vigil rejects --batch 3 --format csv");
    rejects->callback([&ctx, routput, batch, limit] {
        auto store = ctx.OpenStore();
        io::Table t;
        t.name = "rejects";
        t.columns = {"batch", "file", "line", "column", "value", "reason"};
        std::optional<std::int64_t> b;
        if (*batch > 0) b = *batch;
        for (const auto& r : store->Rejects(b, *limit)) t.AddRow({r.batch_id, r.file, r.line, r.column, r.value, r.reason});
        WriteTable(ctx, *routput, t);
    });

    auto soutput = std::make_shared<OutputOptions>();
    auto* status = app.add_subcommand("status", "What the store holds: sources and their date ranges, areas, population years");
    soutput->Add(status);
    status->footer("\nDates are as stored: a month-precision record (police.uk) carries the first day of its month.\n"
                   "Example: vigil --db vru.db status --format json");
    status->callback([&ctx, soutput] {
        auto store = ctx.OpenStore();
        io::Table t;
        t.name = "status";
        t.columns = {"what", "name", "records", "first", "last"};
        const CategoryTree& tree = CategoryTree::Standard();
        for (const auto& s : store->Sources()) {
            std::string first, last;
            if (s.kind == "events") {
                store::EventQuery q;
                q.category = tree.Require("all_crime");
                q.source = s.source;
                if (auto r = store->EventDateRange(q)) {
                    first = FormatDate(r->first);
                    last = FormatDate(r->second);
                }
            } else if (auto r = store->CountDateRange(s.source)) {
                first = FormatDate(r->first);
                last = FormatDate(r->second);
            }
            t.AddRow({"source:" + s.kind, s.source, s.records, first, last});
        }
        for (const char* level : {"lsoa", "msoa", "ward", "borough"}) {
            auto n = static_cast<std::int64_t>(store->Areas(level, false).size());
            if (n > 0) t.AddRow({"areas", std::string(level), n, std::string(), std::string()});
        }
        auto years = store->PopulationYears();
        if (!years.empty())
            t.AddRow({"population", std::string("years"), static_cast<std::int64_t>(years.size()),
                      std::to_string(years.front()), std::to_string(years.back())});
        auto batches = store->Batches();
        std::int64_t rejected = 0;
        for (const auto& b : batches) rejected += b.stats.rejected;
        t.AddRow({"batches", std::string("files ingested"), static_cast<std::int64_t>(batches.size()), std::string(),
                  std::string()});
        t.AddRow({"rejects", std::string("rows rejected"), rejected, std::string(), std::string()});
        WriteTable(ctx, *soutput, t);
    });

    auto coutput = std::make_shared<OutputOptions>();
    auto* cats = app.add_subcommand("categories", "The crime category tree (a filter on a node includes its descendants)");
    coutput->Add(cats);
    cats->footer("\nExample: vigil categories --format csv");
    cats->callback([&ctx, coutput] {
        const auto& tree = CategoryTree::Standard();
        io::Table t;
        t.name = "categories";
        t.columns = {"code", "label", "parent", "depth"};
        for (const auto& c : tree.All()) {
            std::int64_t depth = 0;
            for (auto p = c.parent; p; p = tree.Get(*p).parent) ++depth;
            std::string indent(static_cast<std::size_t>(coutput->format == "table" ? depth * 2 : 0), ' ');
            t.AddRow({indent + c.code, c.label, c.parent ? tree.Get(*c.parent).code : std::string(), depth});
        }
        WriteTable(ctx, *coutput, t);
    });
}

} // namespace vigil::cli
