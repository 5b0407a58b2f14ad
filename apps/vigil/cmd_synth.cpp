// vigil synth (a synthetic city with planted truth) and vigil demo (synthesise, ingest, first results).
#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>

#include "output.hpp"
#include "vigil/core/error.hpp"
#include "vigil/ingest/ingest.hpp"
#include "vigil/surveillance/rates_query.hpp"
#include "vigil/synth/city.hpp"

namespace vigil::cli {
namespace {

namespace fs = std::filesystem;

struct SynthArgs {
    std::string out = "synth-city";
    std::uint64_t seed = 1;
    std::string scale = "small";
    int areas = 0, years = 0;
};

synth::CityOptions CityFor(const SynthArgs& a) {
    synth::CityOptions o = a.scale == "london" ? synth::LondonCity() : synth::SmallCity();
    o.out_dir = a.out;
    o.seed = a.seed;
    if (a.areas > 0) {
        o.n_lsoas = a.areas;
        o.n_boroughs = std::max(1, std::min(33, a.areas / 150));
    }
    if (a.years > 0) o.years = a.years;
    return o;
}

std::vector<std::string> Sorted(const fs::path& dir, const std::string& suffix) {
    std::vector<std::string> files;
    if (!fs::exists(dir)) return files;
    for (const auto& e : fs::directory_iterator(dir))
        if (e.path().string().size() >= suffix.size() &&
            e.path().string().compare(e.path().string().size() - suffix.size(), suffix.size(), suffix) == 0)
            files.push_back(e.path().string());
    std::sort(files.begin(), files.end());
    return files;
}

} // namespace

void AddSynthCommands(CLI::App& app, Context& ctx) {
    auto a = std::make_shared<SynthArgs>();
    auto* s = app.add_subcommand("synth", "Write a synthetic partnership dataset with planted structure");
    s->add_option("--out", a->out, "Directory to write into")->capture_default_str();
    s->add_option("--seed", a->seed, "Random seed (the same seed gives the same files)")->capture_default_str();
    s->add_option("--scale", a->scale, "small (a few hundred LSOAs) or london (4,835 LSOAs, 10 years)")
        ->check(CLI::IsMember({"small", "london"}))
        ->capture_default_str();
    s->add_option("--areas", a->areas, "Number of LSOAs (overrides the scale)")->check(CLI::Range(10, 20000));
    s->add_option("--years", a->years, "Number of years (overrides the scale)")->check(CLI::Range(1, 30));
    s->footer("\nWrites boundaries/, police/ (police.uk street files), ae.csv, ambulance.csv, population.csv,\n"
              "deprivation.csv and manifest.json (every planted parameter). docs/SYNTHETIC_CITY.md explains them.\n"
              "Example: vigil synth --out city --seed 7");
    s->callback([&ctx, a] {
        auto m = synth::WriteCity(CityFor(*a), *ctx.progress);
        if (!ctx.quiet)
            *ctx.out << "wrote " << a->out << ": " << m.lsoa_codes.size() << " LSOAs in " << m.borough_codes.size()
                     << " boroughs, " << m.police_rows << " police rows, " << m.ae_rows << " A&E attendances, "
                     << m.ambulance_rows << " ambulance call-outs (manifest.json lists the planted truth)\n";
    });

    auto dir = std::make_shared<std::string>("vigil-demo");
    auto* d = app.add_subcommand("demo", "Synthesise a small city, ingest it and show what an analyst looks at first");
    d->add_option("--dir", *dir, "Working directory for the demo's data and store")->capture_default_str();
    d->footer("\nThe demo never touches your own store: it writes DIR/data and DIR/demo.db.\n"
              "Example: vigil demo --dir /tmp/vigil-demo");
    d->callback([&ctx, dir] {
        auto t0 = std::chrono::steady_clock::now();
        fs::path root = *dir;
        fs::create_directories(root);
        fs::path db = root / "demo.db";
        for (const char* ext : {"", "-wal", "-shm"}) fs::remove(db.string() + ext);
        SynthArgs sa;
        sa.out = (root / "data").string();
        sa.seed = 2024;
        *ctx.out << "1. Synthesising a city into " << sa.out << " ...\n";
        auto m = synth::WriteCity(CityFor(sa), *ctx.progress);
        // A key for the demo's own fake identifiers; real deployments keep the key away from the data.
        fs::path key_file = root / "demo.key";
        {
            std::random_device rd;
            std::ofstream k(key_file, std::ios::trunc);
            for (int i = 0; i < 8; ++i) k << std::hex << rd();
        }
        *ctx.out << "2. Ingesting into " << db.string() << " ...\n";
        auto store = store::OpenSqliteStore(db.string());
        ingest::IngestOptions opt;
        opt.pseudonymiser = ingest::Pseudonymiser::FromKeyFile(key_file.string());
        NullProgress quiet;
        Progress& progress = ctx.quiet ? static_cast<Progress&>(quiet) : *ctx.progress;
        fs::path data = sa.out;
        std::int64_t rows = 0, rejected = 0;
        auto tally = [&](const ingest::IngestResult& r) {
            rows += r.stats.rows_read;
            rejected += r.stats.rejected;
        };
        for (const char* level : {"borough", "msoa", "lsoa"}) {
            ingest::AreaIngestOptions ao;
            ao.level = level;
            tally(ingest::IngestAreas(*store, (data / "boundaries" / (std::string(level) + ".geojson")).string(), ao, progress));
        }
        tally(ingest::IngestPopulation(*store, (data / "population.csv").string(), opt, progress));
        tally(ingest::IngestDeprivation(*store, (data / "deprivation.csv").string(), opt, progress));
        opt.locator = std::make_shared<ingest::Locator>(*store);
        for (const auto& f : Sorted(data / "police", ".csv"))
            tally(ingest::IngestEvents(*store, f, ingest::DetectPoliceProfile(f), opt, progress));
        tally(ingest::IngestEvents(*store, (data / "ae.csv").string(), ingest::BuiltinProfile("ae_istv"), opt, progress));
        tally(ingest::IngestEvents(*store, (data / "ambulance.csv").string(), ingest::BuiltinProfile("vigil_events"), opt,
                                   progress));
        *ctx.out << "   " << rows << " rows read, " << rejected << " rejected ('vigil --db " << db.string()
                 << " batches' lists the files)\n\n";

        int last_year = m.json.value("first_year", 2019) + m.json.value("years", 4) - 1;
        surveillance::RatesRequest rq;
        rq.level = "borough";
        rq.period = PeriodKind::kYear;
        rq.category = CategoryTree::Standard().Require("violence_against_the_person");
        rq.age = surveillance::AgeRange{0, 24};
        rq.from = rq.to = last_year;
        auto in = surveillance::LoadRatesInput(*store, rq, std::string("ae"));
        auto res = surveillance::ComputeRates(in, rq);
        std::sort(res.rows.begin(), res.rows.end(), [](const auto& x, const auto& y) { return x.rate > y.rate; });
        *ctx.out << "3. A&E assault attendances among under-25s by borough, " << last_year
                 << " (rate per 100,000 under-25 residents, exact 95% interval):\n";
        OutputOptions o;
        WriteTable(ctx, o, surveillance::RatesTable(res, rq));

        surveillance::RatesRequest lq;
        lq.level = "lsoa";
        lq.period = PeriodKind::kYear;
        lq.category = CategoryTree::Standard().Require("violence_and_sexual_offences");
        lq.from = lq.to = last_year;
        auto lin = surveillance::LoadRatesInput(*store, lq, std::string("police"));
        auto lres = surveillance::ComputeRates(lin, lq);
        std::sort(lres.rows.begin(), lres.rows.end(), [](const auto& x, const auto& y) { return x.count > y.count; });
        if (lres.rows.size() > 10) lres.rows.resize(10);
        *ctx.out << "\n4. LSOAs with the most police-recorded violence and sexual offences, " << last_year << ":\n";
        WriteTable(ctx, o, surveillance::RatesTable(lres, lq));
        std::string planted;
        for (const auto& h : m.hotspot_lsoas) planted += (planted.empty() ? "" : ", ") + h;
        *ctx.out << "\n   The planted persistent hotspot is " << planted << " (manifest.json).\n";
        double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        *ctx.out << "\nDone in " << static_cast<int>(secs + 0.5) << " s. Explore: vigil --db " << db.string()
                 << " rates --help\n";
    });
}

} // namespace vigil::cli
