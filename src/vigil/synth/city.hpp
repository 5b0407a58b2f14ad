#pragma once
// The synthetic city: a made-up urban area ("Synthshire") written in exactly the input formats vigil
// reads (docs/FORMATS.md), with known structure planted in it so every method can be tested against the
// truth. docs/SYNTHETIC_CITY.md describes the files and every planted parameter.
//
// Geography: LSOAs are cells of a jittered square grid laid out in British National Grid (EPSG:27700)
// around a made-up centre, grouped into MSOAs (runs of ~5) and boroughs (contiguous blocks), written as
// WGS84 GeoJSON. Codes never collide with real GSS codes: E01900001.., E02900001.., E09900001...
//
// Violence model (assault injuries, the incidents that A&E, ambulance and police each see part of):
//   background  Poisson, per LSOA, age band and sex: rate = base x RR_age x RR_sex x exp(beta z_dep)
//               x RR_hotspot x season(day) x weekday(day), times RR_outbreak in the outbreak borough and
//               weeks;
//   triggering  Hawkes (1971) cluster process in the form of Mohler et al. (2011, JASA 106:100-108):
//               each incident has Poisson(branching_ratio) offspring, delayed Exp(mean decay_days) and
//               displaced N(0, decay_metres^2) per axis; offspring have offspring in turn;
//   observation each incident independently reaches A&E (p_ae), the ambulance service (p_ambulance) and
//               the police (p_police): so the share of A&E assaults that reach the police is p_police.
// Police.uk rows add police-only crime of all 14 types: Poisson per LSOA-month with type-specific rates,
// deprivation gradients, town-centre multipliers (acquisitive crime) and the hotspot (violence).
//
// Randomness: vigil::synth::Rng (xoshiro256**, own distributions, see rng.hpp): the same options and seed
// give byte-identical files on any standard library.
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "vigil/core/period.hpp"
#include "vigil/core/progress.hpp"

namespace vigil::synth {

struct CityOptions {
    std::filesystem::path out_dir;
    std::uint64_t seed = 1;
    int n_lsoas = 300;
    int n_boroughs = 4;
    int years = 4;
    int first_year = 2019;
    double police_rate_scale = 1.0;   // multiplies every police-only crime rate
    double violence_rate_scale = 1.0; // multiplies the background rate of assault injuries

    // Layout (British National Grid metres).
    double centre_easting = 430000.0;
    double centre_northing = 560000.0;
    double lsoa_side_m = 550.0;
    int lsoas_per_msoa = 5;

    // Planted structure.
    double deprivation_coefficient = 0.35; // beta: log rate ratio of injury per SD of IMD score
    int hotspot_lsoas = 4;                 // adjacent LSOAs in one borough
    double hotspot_relative_risk = 3.0;    // violence (injuries and police violence) in the hotspot
    int outbreak_weeks = 4;
    double outbreak_relative_risk = 2.0; // injury background in the outbreak borough during those weeks
    double branching_ratio = 0.25;       // mean offspring per incident (Hawkes)
    double decay_days = 5.0;             // mean delay parent -> offspring
    double decay_metres = 200.0;         // sd of the offspring displacement per axis
    int town_centres_per_borough = 1;

    // Observation by source.
    double p_ae = 0.55;
    double p_ambulance = 0.35;
    double p_police = 0.4; // share of injury incidents (hence of A&E assaults) recorded by police
    double ae_geocoded_share = 0.7;    // A&E rows with easting/northing
    double ae_lsoa_only_share = 0.2;   // A&E rows with an LSOA code only (the rest unlocated)
    double ae_assault_date_share = 0.85;
    double repeat_patient_share = 0.05; // A&E attendances by a person seen before (same NHS number)
    int ae_sites = 4;
    double police_no_location_share = 0.002; // police rows with no coordinates and no LSOA
};

// A few hundred LSOAs in 4 boroughs over 4 years (2019-2022): ingests in seconds.
CityOptions SmallCity();
// London-sized: 4,835 LSOAs in 33 boroughs over 10 years (2015-2024), about 11 million police.uk rows.
CityOptions LondonCity();

struct SourceCount {
    std::string borough_code;
    int year = 0;
    std::string source; // police | ae | ambulance
    std::uint64_t records = 0; // violence records whose true location is in the borough, by event year
    std::uint64_t located = 0; // of which carry coordinates or an LSOA code
};

struct CityManifest {
    nlohmann::json json; // everything below and more, as written to manifest.json
    std::map<std::string, std::uint64_t> rows_per_file; // relative path -> data rows (features for GeoJSON)
    std::vector<std::string> lsoa_codes;
    std::vector<std::string> borough_codes;
    std::vector<std::string> hotspot_lsoas;
    std::string outbreak_borough;
    Date outbreak_start = 0; // Monday of the first outbreak week
    Date outbreak_end = 0;   // Sunday of the last outbreak week
    std::string outbreak_first_week; // ISO label YYYY-Www
    std::string outbreak_last_week;
    std::uint64_t police_rows = 0;
    std::uint64_t ae_rows = 0;
    std::uint64_t ambulance_rows = 0;
    std::uint64_t incidents = 0; // simulated assault injuries (all, seen or not)
    std::vector<SourceCount> violence_by_borough_year;
};

// Writes the city into options.out_dir (created if missing; files of the same names are replaced) and
// returns its manifest (also written as manifest.json). Throws vigil::Error kInvalidInput for impossible
// options and kIo when a file cannot be written.
CityManifest WriteCity(const CityOptions& options, Progress& progress);

// The NHS number check digit (modulus 11, weights 10..2 over the first nine digits); -1 when the nine
// digits have no valid check digit (remainder 10).
int NhsCheckDigit(const char* nine_digits);

} // namespace vigil::synth
