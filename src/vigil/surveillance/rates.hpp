#pragma once
// Counts and rates per area and period with population denominators: crude rates per 100,000 with the exact
// Poisson (Garwood 1936) 95% interval, harm-weighted counts (Cambridge Crime Harm Index style: each record
// weighted by the days of imprisonment its offence would attract; Sherman, Neyroud and Neyroud 2016), and
// directly age-standardised rates with the Fay and Feuer (1997) gamma interval.
// The kernel is pure: RatesInput holds plain rows already read from the store (rates_query.hpp does that).
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "vigil/core/period.hpp"
#include "vigil/io/table.hpp"
#include "vigil/store/records.hpp"

namespace vigil::surveillance {

struct AgeRange {
    int lo = 0;
    int hi = store::kOpenAge; // inclusive; kOpenAge = no upper limit
};
std::optional<AgeRange> ParseAgeRange(const std::string& text); // "15-24", "25+", "0-17"
std::string AgeRangeLabel(const AgeRange& r);

struct StandardBand {
    int age_lo = 0, age_hi = store::kOpenAge;
    double population = 0;
};

struct RatesRequest {
    std::string level = "borough"; // lsoa | msoa | ward | borough | all
    PeriodKind period = PeriodKind::kYear;
    CategoryId category = 0;
    std::optional<AgeRange> age;
    bool by_sex = false;
    std::optional<std::int32_t> from, to; // period keys of kind `period`, inclusive
    std::optional<std::string> site;      // events of one treatment site only
    bool harm = false;
    std::map<CategoryId, double> harm_weights; // days per record; categories absent weigh 0
    std::vector<StandardBand> standard;        // non-empty: direct standardisation
};

struct RatesInput {
    bool from_counts = false;                  // the source shares aggregates
    std::string source;
    std::vector<store::EventGroup> events;     // when !from_counts
    std::vector<store::CountRecord> counts;    // when from_counts
    std::vector<store::AreaRecord> areas;      // areas at the requested level (names; zero rows)
    std::vector<store::AreaLookup> lookups;    // lsoa -> higher areas
    std::vector<store::PopulationRecord> population;
};

struct RatesRow {
    std::string area_code, area_name, period_label;
    std::int32_t period_key = 0;
    std::string sex; // "all", "male", "female", "unknown"
    std::int64_t count = 0;
    std::optional<double> population;
    std::optional<int> population_year;
    double rate = 0, ci_low = 0, ci_high = 0; // per 100,000; NaN without population
    double harm = 0, harm_rate = 0;
    double adj_rate = 0, adj_low = 0, adj_high = 0;
};

struct RatesResult {
    std::vector<RatesRow> rows;
    std::vector<std::string> notes; // what an analyst should know (excluded records, population years used)
    std::int64_t events_without_area = 0, events_without_age = 0;
};

// Throws kData with a helpful message when the request cannot be answered from the input (age bands that do not
// fit the population, month-precision records asked for by week, ages asked of aggregates).
RatesResult ComputeRates(const RatesInput& input, const RatesRequest& request);

io::Table RatesTable(const RatesResult& result, const RatesRequest& request);

// The default harm weights (docs/HARM.md) and a user table `category,weight`.
std::map<CategoryId, double> DefaultHarmWeights();
std::map<CategoryId, double> LoadHarmWeights(const std::string& path);
std::vector<StandardBand> LoadStandardPopulation(const std::string& path);

} // namespace vigil::surveillance
