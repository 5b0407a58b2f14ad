// vigil rates: counts and rates per area and period, with intervals, harm weights and age standardisation.
#include <CLI/CLI.hpp>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>

#include "output.hpp"
#include "vigil/core/error.hpp"
#include "vigil/geo/area_index.hpp"
#include "vigil/surveillance/rates_query.hpp"

namespace vigil::cli {
namespace {

struct RatesArgs {
    std::string level = "borough", period = "year", category = "violence_and_sexual_offences", source, age, from, to;
    bool sex = false, harm = false;
    std::string harm_weights, standardise, standard_population;
    OutputOptions output;
};

std::int32_t KeyFor(PeriodKind kind, const std::string& label, bool end, const char* option) {
    auto p = ParsePeriodLabel(label);
    if (!p)
        ThrowInvalidInput(std::string(option) + " '" + label +
                          "': expected a period such as 2024, 2024-Q1, 2024-03, 2024-W09 or 2024-03-01");
    Date d = end ? PeriodEnd(p->kind, p->key) : PeriodStart(p->kind, p->key);
    return PeriodKeyOf(kind, d);
}

void WriteGeoJson(const Context& ctx, const RatesArgs& a, const surveillance::RatesResult& res,
                  const surveillance::RatesRequest& rq, store::Store& store) {
    if (a.level == "all") ThrowInvalidInput("--format geojson needs areas: choose --level lsoa, msoa, ward or borough");
    auto areas = store.Areas(a.level, true);
    if (areas.empty())
        ThrowData("no " + a.level + " boundaries are loaded, so there is no geometry to write; "
                  "load them with 'vigil ingest areas FILE --level " + a.level + "'");
    std::map<std::string, std::string> geometry;
    for (const auto& ar : areas) {
        geo::AreaFeature f;
        f.code = ar.code;
        f.wkb = ar.geometry;
        if (!f.wkb.empty()) geometry[ar.code] = geo::FeatureToGeoJsonGeometry(f);
    }
    io::Table t = surveillance::RatesTable(res, rq);
    Destination d(ctx, a.output.out);
    std::ostream& o = d.stream();
    o << "{\"type\": \"FeatureCollection\", \"name\": \"vigil_rates\", \"features\": [\n";
    bool first = true;
    for (const auto& row : t.rows) {
        const std::string& code = std::get<std::string>(row[0]);
        nlohmann::ordered_json props;
        for (std::size_t i = 0; i < t.columns.size(); ++i) {
            const io::Cell& c = row[i];
            if (std::holds_alternative<std::int64_t>(c)) props[t.columns[i]] = std::get<std::int64_t>(c);
            else if (std::holds_alternative<double>(c) && std::isfinite(std::get<double>(c)))
                props[t.columns[i]] = std::get<double>(c);
            else if (std::holds_alternative<std::string>(c)) props[t.columns[i]] = std::get<std::string>(c);
            else props[t.columns[i]] = nullptr;
        }
        auto g = geometry.find(code);
        o << (first ? "" : ",\n") << "{\"type\": \"Feature\", \"properties\": " << props.dump()
          << ", \"geometry\": " << (g == geometry.end() ? std::string("null") : g->second) << "}";
        first = false;
    }
    o << "\n]}\n";
    d.Close();
}

} // namespace

void AddRatesCommand(CLI::App& app, Context& ctx) {
    auto a = std::make_shared<RatesArgs>();
    auto* c = app.add_subcommand("rates", "Counts and rates per 100,000 by area and period, with exact 95% intervals");
    c->add_option("--level", a->level, "lsoa, msoa, ward, borough or all")
        ->check(CLI::IsMember({"lsoa", "msoa", "ward", "borough", "all"}))
        ->capture_default_str();
    c->add_option("--period", a->period, "week (ISO), month, quarter or year")
        ->check(CLI::IsMember({"day", "week", "month", "quarter", "year"}))
        ->capture_default_str();
    c->add_option("--category", a->category, "A node of the category tree; its descendants are included "
                                              "('vigil categories' lists them)")
        ->capture_default_str();
    c->add_option("--source", a->source, "The source to count (police, ae, ambulance, met, ...); required when "
                                          "several sources hold records");
    c->add_option("--age", a->age, "Victims aged A-B (inclusive) or A+; must be made of the population's bands");
    c->add_flag("--sex", a->sex, "One row per sex (male, female, unknown)");
    c->add_option("--from", a->from, "First period, e.g. 2023, 2023-Q2, 2023-04 or 2023-W14");
    c->add_option("--to", a->to, "Last period (inclusive)");
    c->add_flag("--harm", a->harm, "Add harm-weighted counts (crime harm days, docs/HARM.md)");
    c->add_option("--harm-weights", a->harm_weights, "Replace the harm weights: CSV category,weight")
        ->check(CLI::ExistingFile);
    c->add_option("--standardise", a->standardise, "direct: directly age-standardised rates")
        ->check(CLI::IsMember({"direct"}));
    c->add_option("--standard-population", a->standard_population, "Standard population: CSV age_band,population")
        ->check(CLI::ExistingFile);
    a->output.Add(c, true);
    c->footer("\nExample: vigil rates --level borough --period year --category violence_against_the_person "
              "--source ae --age 15-24 --format csv\nColumns: area_code,area_name,period,count,population,"
              "rate_per_100k,ci_low,ci_high (exact Poisson 95%).");
    c->callback([&ctx, a] {
        surveillance::RatesRequest rq;
        rq.level = a->level;
        rq.period = *ParsePeriodKind(a->period);
        rq.category = CategoryTree::Standard().Require(a->category);
        if (!a->age.empty()) {
            auto r = surveillance::ParseAgeRange(a->age);
            if (!r) ThrowInvalidInput("--age '" + a->age + "': expected A-B (e.g. 15-24) or A+ (e.g. 25+)");
            rq.age = r;
        }
        rq.by_sex = a->sex;
        if (!a->from.empty()) rq.from = KeyFor(rq.period, a->from, false, "--from");
        if (!a->to.empty()) rq.to = KeyFor(rq.period, a->to, true, "--to");
        if (rq.from && rq.to && *rq.from > *rq.to) ThrowInvalidInput("--from is after --to");
        rq.harm = a->harm || !a->harm_weights.empty();
        if (rq.harm)
            rq.harm_weights = a->harm_weights.empty() ? surveillance::DefaultHarmWeights()
                                                      : surveillance::LoadHarmWeights(a->harm_weights);
        if (!a->standardise.empty()) {
            if (a->standard_population.empty())
                ThrowInvalidInput("--standardise direct needs --standard-population FILE (age_band,population)");
            rq.standard = surveillance::LoadStandardPopulation(a->standard_population);
        }
        auto store = ctx.OpenStore();
        std::optional<std::string> source;
        if (!a->source.empty()) source = a->source;
        auto input = surveillance::LoadRatesInput(*store, rq, source);
        auto result = surveillance::ComputeRates(input, rq);
        // The records and populations are summed into the result: give their memory back before the output
        // is built (an LSOA-by-month table over ten years holds several million of them).
        std::vector<store::EventGroup>().swap(input.events);
        std::vector<store::CountRecord>().swap(input.counts);
        std::vector<store::PopulationRecord>().swap(input.population);
        if (a->output.format == "geojson") {
            WriteGeoJson(ctx, *a, result, rq, *store);
        } else {
            nlohmann::json meta;
            meta["source"] = input.source;
            meta["level"] = rq.level;
            meta["period"] = a->period;
            meta["category"] = a->category;
            if (rq.age) meta["age"] = surveillance::AgeRangeLabel(*rq.age);
            meta["notes"] = result.notes;
            WriteTable(ctx, a->output, surveillance::RatesTable(result, rq), &meta);
        }
        if (!ctx.quiet)
            for (const auto& n : result.notes) *ctx.err << "note: " << n << "\n";
    });
}

} // namespace vigil::cli
