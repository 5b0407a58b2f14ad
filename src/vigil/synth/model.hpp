#pragma once
// The fixed tables of the synthetic city's generative model: age bands and the base age pyramid, the
// relative risk of assault injury by age band and sex, the police.uk crime types with their base rates
// and deprivation coefficients, outcome mixes, time-of-day and day-of-week profiles. Every number here is
// copied into manifest.json so an analyst can check an estimate against the value that produced it.
// The magnitudes are chosen to resemble London 2015-2024 (Met Police recorded crime per 1,000 residents,
// ONS age structure, NHS England A&E assault attendances); they are plausible, not estimates.
#include <array>
#include <string_view>

namespace vigil::synth {

constexpr int kAgeBands = 18; // 0-4, 5-9, ..., 80-84, 85+
constexpr int kSexes = 2;     // 0 = male, 1 = female
constexpr int kCells = kAgeBands * kSexes;

constexpr std::array<std::string_view, kAgeBands> kAgeBandLabels = {
    "0-4",   "5-9",   "10-14", "15-19", "20-24", "25-29", "30-34", "35-39", "40-44",
    "45-49", "50-54", "55-59", "60-64", "65-69", "70-74", "75-79", "80-84", "85+"};
constexpr std::array<std::string_view, kSexes> kSexLabels = {"male", "female"};

// Share of residents by band (London-like, per cent; normalised where used).
constexpr std::array<double, kAgeBands> kBasePyramid = {6.5, 6.2, 6.0, 5.5, 6.5, 8.5, 9.0, 8.3, 7.3,
                                                        6.7, 6.3, 5.6, 4.5, 3.5, 3.0, 2.2, 1.5, 1.4};
// How a deprived (young) LSOA tilts its pyramid: log share change per unit of the tilt.
constexpr std::array<double, kAgeBands> kYouthTilt = {0.5, 0.3, 0.2, 0.5, 1.0, 1.0, 1.0, 0.6, 0.2,
                                                      0.0, -0.2, -0.4, -0.6, -0.8, -1.0, -1.0, -1.0, -1.0};
// Share of males by band.
constexpr std::array<double, kAgeBands> kMaleShare = {0.512, 0.512, 0.512, 0.512, 0.5,  0.5,  0.5,  0.5,  0.5,
                                                      0.5,   0.5,   0.49,  0.48,  0.48, 0.47, 0.44, 0.42, 0.36};

// Relative risk of an assault injury by age band (reference 40-44 = 1): peaks at 15-24.
constexpr std::array<double, kAgeBands> kAgeRelativeRisk = {0.08, 0.08, 0.6, 3.5, 3.5, 2.0, 1.5, 1.2, 1.0,
                                                            0.8,  0.6,  0.4, 0.25, 0.15, 0.1, 0.08, 0.06, 0.05};
constexpr std::array<double, kSexes> kSexRelativeRisk = {1.0, 0.55};
// Assault injuries per 1,000 person-years among males aged 40-44 at mean deprivation outside the hotspot.
constexpr double kInjuryBaseRate = 6.0;

// Violence by hour of day (relative weights, 00:00 .. 23:00) and by ISO weekday (Monday .. Sunday).
constexpr std::array<double, 24> kHourWeights = {7.0, 7.0, 6.0, 4.5, 3.0, 2.0, 1.5, 1.5, 2.0, 2.5, 3.0, 3.3,
                                                 3.6, 3.8, 4.0, 4.5, 4.8, 5.0, 5.2, 5.5, 5.8, 6.2, 6.8, 7.2};
constexpr std::array<double, 7> kWeekdayWeights = {0.85, 0.85, 0.9, 0.95, 1.15, 1.35, 1.2};
// Seasonal amplitude of violence and ASB (1 + a cos(2 pi (day of year - 196) / 365.25)), peak mid July.
constexpr double kViolenceSeasonAmplitude = 0.12;
constexpr double kOtherSeasonAmplitude = 0.05;
constexpr double kSeasonPeakDay = 196.0;

struct CrimeType {
    std::string_view label;         // police.uk "Crime type"
    double base_rate;               // per 1,000 residents per year at mean deprivation (z = 0)
    double deprivation_coefficient; // log rate ratio per standard deviation of the IMD score
    double centre_relative_risk;    // multiplier in town-centre LSOAs
    bool seasonal_like_violence;
};
constexpr int kCrimeTypes = 14;
constexpr int kAsbType = 0;
constexpr int kViolenceType = 13;
// Police-only rates: "Violence and sexual offences" here excludes the injury incidents that also reach
// the police (those are added from the simulated incidents).
constexpr std::array<CrimeType, kCrimeTypes> kCrimeTypeTable = {{
    {"Anti-social behaviour", 32.0, 0.30, 1.5, true},
    {"Bicycle theft", 2.3, -0.10, 2.0, false},
    {"Burglary", 7.5, 0.10, 1.0, false},
    {"Criminal damage and arson", 6.5, 0.35, 1.0, false},
    {"Drugs", 4.5, 0.45, 1.5, false},
    {"Other crime", 1.8, 0.25, 1.0, false},
    {"Other theft", 14.0, 0.05, 2.5, false},
    {"Possession of weapons", 0.6, 0.50, 1.5, false},
    {"Public order", 5.5, 0.35, 1.5, true},
    {"Robbery", 3.2, 0.40, 2.0, false},
    {"Shoplifting", 5.0, 0.15, 6.0, false},
    {"Theft from the person", 4.5, 0.05, 5.0, false},
    {"Vehicle crime", 12.0, 0.10, 1.0, false},
    {"Violence and sexual offences", 24.0, 0.35, 1.0, true},
}};

struct Weighted {
    std::string_view value;
    double weight;
};

// "Last outcome category" for crimes (ASB rows have none).
constexpr std::array<Weighted, 9> kOutcomes = {{
    {"Investigation complete; no suspect identified", 42.0},
    {"Status update unavailable", 26.0},
    {"Unable to prosecute suspect", 14.0},
    {"Court result unavailable", 6.0},
    {"Under investigation", 4.0},
    {"Offender given a caution", 2.5},
    {"Local resolution", 2.5},
    {"Awaiting court outcome", 1.5},
    {"Further investigation is not in the public interest", 1.5},
}};

// Weapon / assault method of an injury incident (vigil weapon codes) with A&E free-text variants.
constexpr std::array<Weighted, 7> kAssaultMethods = {{
    {"body", 55.0}, {"knife_or_sharp", 12.0}, {"blunt", 10.0}, {"other", 6.5},
    {"unknown", 15.0}, {"gun", 0.7}, {"corrosive", 0.8},
}};
// Where the assault happened (A&E location_type).
constexpr std::array<Weighted, 6> kLocationTypes = {{
    {"street", 45.0}, {"home", 25.0}, {"licensed_premises", 12.0},
    {"public_transport", 5.0}, {"school", 2.0}, {"other", 11.0},
}};

} // namespace vigil::synth
