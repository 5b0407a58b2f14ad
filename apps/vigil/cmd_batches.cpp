// vigil batches | rejects | categories
#include <CLI/CLI.hpp>
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
