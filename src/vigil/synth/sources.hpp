#pragma once
// What each agency records of the synthetic city, written in vigil's input formats (docs/FORMATS.md):
// A&E assault attendances (ISTV minimum dataset with identifiers), ambulance call-outs (vigil events),
// police.uk street-level crime (one file per month) and the truth file linking them to the incidents.
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "vigil/core/progress.hpp"
#include "vigil/synth/areas.hpp"
#include "vigil/synth/city.hpp"
#include "vigil/synth/geography.hpp"
#include "vigil/synth/violence.hpp"

namespace vigil::synth {

// Which agencies saw an incident, and the identifiers they gave it (filled in by the writers).
struct Observation {
    bool ae = false;
    bool ambulance = false;
    bool police = false;
    std::uint8_t method = 0;        // index into kAssaultMethods
    std::uint8_t location_type = 0; // index into kLocationTypes
    int ae_site = -1;
    std::int64_t ae_attendance = 0;
    Date ae_event_day = 0; // the date vigil takes for the attendance: assault date if written, else arrival
    std::int64_t ambulance_record = 0;
    int police_month = -1; // index from the first month
    std::string police_crime_id;
};

std::vector<Observation> Observe(const CityOptions& options, const IncidentSet& incidents);

struct Site {
    std::string code;
    std::string name;
    double easting = 0;
    double northing = 0;
};
std::vector<Site> PlaceSites(const CityOptions& options, const Geography& geography);

// Violence records by (borough, year): records = all, located = with coordinates or an LSOA code.
struct Tally {
    int years = 0;
    std::vector<std::uint64_t> records;
    std::vector<std::uint64_t> located;
    Tally(std::size_t boroughs, int years_)
        : years(years_), records(boroughs * static_cast<std::size_t>(years_)), located(records.size()) {}
    void Add(int borough, int year_idx, bool is_located) {
        const auto k = static_cast<std::size_t>(borough * years + year_idx);
        ++records[k];
        if (is_located) ++located[k];
    }
};

struct AeSummary {
    std::uint64_t rows = 0;
    std::uint64_t patients = 0;        // distinct NHS numbers
    std::uint64_t repeat_attendances = 0;
    std::uint64_t geocoded = 0;
    std::uint64_t lsoa_only = 0;
    std::uint64_t with_police = 0;     // attendances whose incident also has a police record
};
AeSummary WriteAe(const std::filesystem::path& file, const CityOptions& options, const Geography& geography,
                  const IncidentSet& set, const std::vector<Site>& sites, std::vector<Observation>& obs, Tally& tally);

std::uint64_t WriteAmbulance(const std::filesystem::path& file, const CityOptions& options, const Geography& geography,
                             const IncidentSet& set, std::vector<Observation>& obs, Tally& tally);

struct PoliceSummary {
    std::uint64_t rows = 0;
    std::vector<std::uint64_t> rows_by_type; // kCrimeTypeTable order
    std::uint64_t violence_from_incidents = 0;
    std::uint64_t no_location = 0;
    std::uint64_t identical_asb_rows = 0; // rows identical to an earlier row of the same file
    std::map<std::string, std::uint64_t> rows_per_file;
};
PoliceSummary WritePolice(const std::filesystem::path& dir, const CityOptions& options, const Geography& geography,
                          const AreaAttributes& areas, const Planted& planted, const IncidentSet& set,
                          std::vector<Observation>& obs, Tally& tally, Progress& progress, std::uint64_t progress_base);

std::uint64_t WriteIncidentTruth(const std::filesystem::path& file, const Geography& geography,
                                 const IncidentSet& set, const std::vector<Site>& sites,
                                 const std::vector<Observation>& obs);

// "YYYY-MM-DD HH:MM" for a time in days since `start`.
std::string FormatDateTime(Date start, double t);

} // namespace vigil::synth
