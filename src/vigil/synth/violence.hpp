#pragma once
// The assault-injury incidents of the synthetic city (the latent truth that A&E, ambulance and police
// each record part of) and the planted structure they carry.
//
// Background: for LSOA l, year y, sex s, age band a, a Poisson count with mean
//     pop[l,y,s,a] x base x RR_age[a] x RR_sex[s] x exp(beta z_l) x RR_hot[l] x scale x days_y / 365.25 / 1000,
// spread over the days of year y in proportion to season(day) x weekday(day) (mean 1 over the year) and over
// the hours by the hour profile. The outbreak adds, in every LSOA of the outbreak borough, a Poisson count
// with mean (RR_outbreak - 1) times the background mean of the outbreak weeks, spread over those weeks.
// Triggering: Hawkes (1971) cluster representation as in Mohler et al. (2011): every incident (background,
// outbreak or offspring) has Poisson(branching_ratio) offspring at time t + Exp(mean decay_days) and
// position x + N(0, decay_metres^2 I). Offspring after the study period or outside the city are dropped
// (counted in the manifest), so the realised branching ratio is slightly below the planted one.
#include <cstdint>
#include <vector>

#include "vigil/core/period.hpp"
#include "vigil/synth/areas.hpp"
#include "vigil/synth/city.hpp"
#include "vigil/synth/geography.hpp"

namespace vigil::synth {

struct Planted {
    std::vector<char> hotspot;     // per LSOA
    std::vector<int> hotspot_lsoas;
    std::vector<char> town_centre; // per LSOA
    std::vector<int> centre_lsoas;
    int outbreak_borough = 0;
    int outbreak_year_idx = 0;
    Date outbreak_start = 0; // Monday
    Date outbreak_end = 0;   // Sunday, inclusive
};

Planted ChoosePlanted(const CityOptions& options, const Geography& geography, const AreaAttributes& areas);

enum class Component : std::uint8_t { kBackground = 0, kOutbreak = 1, kOffspring = 2 };
const char* ComponentName(Component c);

struct Incident {
    double t = 0;        // days since 1 January of the first year; the fraction is the time of day
    double easting = 0;  // whole metres
    double northing = 0;
    int lsoa = 0;
    int parent = -1;     // index of the parent incident (offspring only)
    Component component = Component::kBackground;
    std::uint8_t generation = 0;
    std::uint8_t age = 0;
    std::uint8_t sex = 0; // 0 male, 1 female
};

struct IncidentSet {
    Date start = 0; // 1 January of the first year
    Date end = 0;   // 1 January after the last year (exclusive)
    std::vector<Incident> incidents; // sorted by time
    std::uint64_t background = 0;
    std::uint64_t outbreak = 0;
    std::uint64_t offspring = 0;
    std::uint64_t offspring_dropped_outside = 0;
    std::uint64_t offspring_dropped_after_end = 0;
};

IncidentSet SimulateIncidents(const CityOptions& options, const Geography& geography, const AreaAttributes& areas,
                              const Planted& planted);

// Relative day weights over [start, end): season x weekday, normalised to mean 1 within each calendar year.
std::vector<double> DayWeights(Date start, Date end);

} // namespace vigil::synth
