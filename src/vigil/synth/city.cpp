#include "vigil/synth/city.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "vigil/core/error.hpp"
#include "vigil/synth/areas.hpp"
#include "vigil/synth/geography.hpp"
#include "vigil/synth/model.hpp"
#include "vigil/synth/sources.hpp"
#include "vigil/synth/text_out.hpp"
#include "vigil/synth/violence.hpp"

namespace vigil::synth {
namespace {

void Require(bool ok, const std::string& what) {
    if (!ok) ThrowInvalidInput("synth: " + what);
}

void Validate(const CityOptions& o) {
    Require(!o.out_dir.empty(), "an output directory is required");
    Require(o.n_lsoas >= 1 && o.n_lsoas <= 99999, "--areas must be 1..99999, got " + std::to_string(o.n_lsoas));
    Require(o.n_boroughs >= 1 && o.n_boroughs <= o.n_lsoas,
            "boroughs must be 1..areas (" + std::to_string(o.n_lsoas) + "), got " + std::to_string(o.n_boroughs));
    Require(o.years >= 1 && o.years <= 50, "--years must be 1..50, got " + std::to_string(o.years));
    Require(o.first_year >= 1900 && o.first_year <= 2200, "first year must be 1900..2200, got " + std::to_string(o.first_year));
    auto finite_nonneg = [](double v) { return std::isfinite(v) && v >= 0.0; };
    auto probability = [](double v) { return std::isfinite(v) && v >= 0.0 && v <= 1.0; };
    Require(finite_nonneg(o.police_rate_scale) && finite_nonneg(o.violence_rate_scale), "rate scales must be >= 0");
    Require(std::isfinite(o.lsoa_side_m) && o.lsoa_side_m >= 50.0 && o.lsoa_side_m <= 20000.0,
            "LSOA side must be 50..20000 m");
    Require(o.lsoas_per_msoa >= 1 && o.lsoas_per_msoa <= 26, "LSOAs per MSOA must be 1..26");
    Require(std::isfinite(o.deprivation_coefficient) && std::fabs(o.deprivation_coefficient) <= 3.0,
            "deprivation coefficient must be within -3..3");
    Require(o.hotspot_lsoas >= 1, "the hotspot needs at least one LSOA");
    Require(finite_nonneg(o.hotspot_relative_risk) && finite_nonneg(o.outbreak_relative_risk) &&
                o.outbreak_relative_risk >= 1.0,
            "relative risks must be >= 0 (outbreak >= 1)");
    Require(o.outbreak_weeks >= 1 && o.outbreak_weeks <= 26, "outbreak weeks must be 1..26");
    Require(std::isfinite(o.branching_ratio) && o.branching_ratio >= 0.0 && o.branching_ratio <= 0.95,
            "branching ratio must be 0..0.95 (the process explodes at 1)");
    Require(std::isfinite(o.decay_days) && o.decay_days > 0 && std::isfinite(o.decay_metres) && o.decay_metres > 0,
            "decay in days and metres must be > 0");
    Require(o.town_centres_per_borough >= 0, "town centres per borough must be >= 0");
    Require(probability(o.p_ae) && probability(o.p_ambulance) && probability(o.p_police) &&
                probability(o.ae_geocoded_share) && probability(o.ae_lsoa_only_share) &&
                probability(o.ae_assault_date_share) && probability(o.repeat_patient_share) &&
                probability(o.police_no_location_share),
            "probabilities and shares must be within 0..1");
    Require(o.ae_geocoded_share + o.ae_lsoa_only_share <= 1.0, "A&E geocoded + LSOA-only shares exceed 1");
    Require(o.ae_sites >= 1 && o.ae_sites <= 4, "A&E sites must be 1..4");
}

nlohmann::json Box(double a, double b, double c, double d, const char* x0, const char* x1, const char* y0,
                   const char* y1) {
    return {{x0, a}, {x1, b}, {y0, c}, {y1, d}};
}

std::string IsoWeekLabel(Date d) { return PeriodLabel(PeriodKind::kWeek, PeriodKeyOf(PeriodKind::kWeek, d)); }

} // namespace

CityOptions SmallCity() { return CityOptions{}; }

CityOptions LondonCity() {
    CityOptions o;
    o.n_lsoas = 4835;
    o.n_boroughs = 33;
    o.years = 10;
    o.first_year = 2015;
    return o;
}

CityManifest WriteCity(const CityOptions& options, Progress& progress) {
    Validate(options);
    const int months = options.years * 12;
    progress.Start("synth: writing the synthetic city", 4 + static_cast<std::uint64_t>(months));
    const auto& dir = options.out_dir;
    std::filesystem::create_directories(dir);
    CityManifest manifest;
    nlohmann::json& j = manifest.json;

    const Geography geography(options);
    geography.WriteBoundaries(dir / "boundaries");
    manifest.rows_per_file["boundaries/lsoa.geojson"] = geography.lsoas().size();
    manifest.rows_per_file["boundaries/msoa.geojson"] = geography.msoas().size();
    manifest.rows_per_file["boundaries/borough.geojson"] = geography.boroughs().size();
    progress.Advance(1);

    const AreaAttributes areas = BuildAreaAttributes(options, geography);
    manifest.rows_per_file["population.csv"] = WritePopulation(dir / "population.csv", geography, areas);
    manifest.rows_per_file["deprivation.csv"] = WriteDeprivation(dir / "deprivation.csv", geography, areas);
    progress.Advance(2);

    const Planted planted = ChoosePlanted(options, geography, areas);
    const IncidentSet set = SimulateIncidents(options, geography, areas, planted);
    std::vector<Observation> obs = Observe(options, set);
    progress.Advance(3);

    const auto nb = geography.boroughs().size();
    Tally ae_tally(nb, options.years), amb_tally(nb, options.years), police_tally(nb, options.years);
    const std::vector<Site> sites = PlaceSites(options, geography);
    const AeSummary ae = WriteAe(dir / "ae.csv", options, geography, set, sites, obs, ae_tally);
    const std::uint64_t ambulance_rows = WriteAmbulance(dir / "ambulance.csv", options, geography, set, obs, amb_tally);
    manifest.rows_per_file["ae.csv"] = ae.rows;
    manifest.rows_per_file["ambulance.csv"] = ambulance_rows;
    progress.Advance(4);

    const PoliceSummary police =
        WritePolice(dir / "police", options, geography, areas, planted, set, obs, police_tally, progress, 4);
    for (const auto& [file, rows] : police.rows_per_file) manifest.rows_per_file[file] = rows;
    std::filesystem::create_directories(dir / "truth");
    manifest.rows_per_file["truth/incidents.csv"] =
        WriteIncidentTruth(dir / "truth" / "incidents.csv", geography, set, sites, obs);

    // Typed fields.
    for (const auto& a : geography.lsoas()) manifest.lsoa_codes.push_back(a.code);
    for (const auto& b : geography.boroughs()) manifest.borough_codes.push_back(b.code);
    for (int l : planted.hotspot_lsoas) manifest.hotspot_lsoas.push_back(geography.lsoas()[static_cast<std::size_t>(l)].code);
    const BoroughArea& outbreak_borough = geography.boroughs()[static_cast<std::size_t>(planted.outbreak_borough)];
    manifest.outbreak_borough = outbreak_borough.code;
    manifest.outbreak_start = planted.outbreak_start;
    manifest.outbreak_end = planted.outbreak_end;
    manifest.outbreak_first_week = IsoWeekLabel(planted.outbreak_start);
    manifest.outbreak_last_week = IsoWeekLabel(planted.outbreak_end);
    manifest.police_rows = police.rows;
    manifest.ae_rows = ae.rows;
    manifest.ambulance_rows = ambulance_rows;
    manifest.incidents = set.incidents.size();
    const std::pair<const char*, const Tally*> tallies[] = {{"police", &police_tally}, {"ae", &ae_tally}, {"ambulance", &amb_tally}};
    for (std::size_t b = 0; b < nb; ++b) {
        for (int y = 0; y < options.years; ++y) {
            for (const auto& [source, tally] : tallies) {
                const auto k = b * static_cast<std::size_t>(options.years) + static_cast<std::size_t>(y);
                manifest.violence_by_borough_year.push_back(
                    {geography.boroughs()[b].code, options.first_year + y, source, tally->records[k], tally->located[k]});
            }
        }
    }

    // manifest.json: options, model, planted structure, truth, files.
    j["generator"] = "vigil synth";
    j["format_version"] = 1;
    j["seed"] = options.seed;
    j["rng"] = "xoshiro256** seeded by SplitMix64 per stream; own distributions (src/vigil/synth/rng.hpp)";
    j["period"] = {{"first_year", options.first_year},
                   {"years", options.years},
                   {"start", FormatDate(set.start)},
                   {"end_exclusive", FormatDate(set.end)}};

    double min_e = 0, max_e = 0, min_n = 0, max_n = 0;
    geography.CityBox(min_e, max_e, min_n, max_n);
    nlohmann::json boroughs = nlohmann::json::array();
    for (const BoroughArea& b : geography.boroughs()) {
        boroughs.push_back({{"code", b.code},
                            {"name", b.name},
                            {"lsoas", b.lsoas.size()},
                            {"bbox_bng", Box(b.min_e, b.max_e, b.min_n, b.max_n, "min_easting", "max_easting",
                                             "min_northing", "max_northing")},
                            {"bbox_wgs84", Box(b.min_lon, b.max_lon, b.min_lat, b.max_lat, "min_lon", "max_lon",
                                               "min_lat", "max_lat")}});
    }
    double min_lon = 1e300, max_lon = -1e300, min_lat = 1e300, max_lat = -1e300;
    for (const BoroughArea& b : geography.boroughs()) {
        min_lon = std::min(min_lon, b.min_lon);
        max_lon = std::max(max_lon, b.max_lon);
        min_lat = std::min(min_lat, b.min_lat);
        max_lat = std::max(max_lat, b.max_lat);
    }
    j["geography"] = {
        {"lsoas", geography.lsoas().size()},
        {"msoas", geography.msoas().size()},
        {"boroughs", boroughs},
        {"layout_crs", "EPSG:27700"},
        {"output_crs", "EPSG:4326 (longitude, latitude)"},
        {"lsoa_side_m", options.lsoa_side_m},
        {"centre", {{"easting", options.centre_easting}, {"northing", options.centre_northing}}},
        {"bbox_bng", Box(min_e, max_e, min_n, max_n, "min_easting", "max_easting", "min_northing", "max_northing")},
        {"bbox_wgs84", Box(min_lon, max_lon, min_lat, max_lat, "min_lon", "max_lon", "min_lat", "max_lat")},
        {"code_ranges", {{"lsoa", "E019xxxxx"}, {"msoa", "E029xxxxx"}, {"borough", "E099xxxxx"}}},
    };
    j["deprivation"] = {{"score_mean", areas.imd_mean},
                        {"score_sd", areas.imd_sd},
                        {"field", "8 + 22 x west-east gradient + 3 Gaussian bumps (height 10-20) + N(0, 4^2), clamped 1..85"},
                        {"rank_1_is", "most deprived"},
                        {"decile_1_is", "most deprived tenth"}};

    nlohmann::json age_rr = nlohmann::json::object();
    for (int a = 0; a < kAgeBands; ++a) age_rr[std::string(kAgeBandLabels[static_cast<std::size_t>(a)])] = kAgeRelativeRisk[static_cast<std::size_t>(a)];
    nlohmann::json police_types = nlohmann::json::array();
    for (const CrimeType& t : kCrimeTypeTable) {
        police_types.push_back({{"crime_type", t.label},
                                {"base_rate_per_1000_per_year", t.base_rate},
                                {"deprivation_coefficient", t.deprivation_coefficient},
                                {"town_centre_relative_risk", t.centre_relative_risk},
                                {"seasonal_amplitude", t.seasonal_like_violence ? kViolenceSeasonAmplitude : kOtherSeasonAmplitude}});
    }
    j["model"] = {
        {"injury",
         {{"base_rate_per_1000_per_year", kInjuryBaseRate},
          {"reference_group", "male, 40-44, deprivation z = 0, outside the hotspot"},
          {"age_relative_risk", age_rr},
          {"sex_relative_risk", {{"male", kSexRelativeRisk[0]}, {"female", kSexRelativeRisk[1]}}},
          {"deprivation_coefficient", options.deprivation_coefficient},
          {"deprivation_covariate", "z = (imd_score - score_mean) / score_sd"},
          {"violence_rate_scale", options.violence_rate_scale},
          {"season_amplitude", kViolenceSeasonAmplitude},
          {"season_peak_day_of_year", kSeasonPeakDay},
          {"weekday_weights_monday_first", kWeekdayWeights},
          {"hour_weights", kHourWeights}}},
        {"police", {{"police_rate_scale", options.police_rate_scale}, {"types", police_types},
                    {"note", "Violence and sexual offences rate is police-only; injury incidents recorded by police are added"}}},
        {"observation",
         {{"p_ae", options.p_ae},
          {"p_ambulance", options.p_ambulance},
          {"p_police", options.p_police},
          {"ae_geocoded_share", options.ae_geocoded_share},
          {"ae_lsoa_only_share", options.ae_lsoa_only_share},
          {"ae_assault_date_share", options.ae_assault_date_share},
          {"repeat_patient_share", options.repeat_patient_share},
          {"police_no_location_share", options.police_no_location_share}}},
    };

    nlohmann::json hotspot_codes = manifest.hotspot_lsoas;
    nlohmann::json centre_codes = nlohmann::json::array();
    for (int l : planted.centre_lsoas) centre_codes.push_back(geography.lsoas()[static_cast<std::size_t>(l)].code);
    const double total = static_cast<double>(set.incidents.size());
    j["planted"] = {
        {"hotspot",
         {{"lsoas", hotspot_codes},
          {"borough", geography.boroughs()[static_cast<std::size_t>(geography.lsoas()[static_cast<std::size_t>(planted.hotspot_lsoas.front())].borough)].code},
          {"relative_risk", options.hotspot_relative_risk},
          {"applies_to", {"injury incidents (ae, ambulance, police)", "police Violence and sexual offences"}}}},
        {"town_centres",
         {{"lsoas", centre_codes}, {"applies_to", "police acquisitive types, see model.police.types"}}},
        {"outbreak",
         {{"borough", outbreak_borough.code},
          {"borough_name", outbreak_borough.name},
          {"first_week", manifest.outbreak_first_week},
          {"last_week", manifest.outbreak_last_week},
          {"start", FormatDate(planted.outbreak_start)},
          {"end", FormatDate(planted.outbreak_end)},
          {"weeks", options.outbreak_weeks},
          {"relative_risk", options.outbreak_relative_risk},
          {"category", "violence_with_injury"},
          {"sources", {"ae", "ambulance", "police"}},
          {"applies_to", "background injury incidents (offspring of outbreak incidents follow)"}}},
        {"self_exciting",
         {{"model", "Hawkes cluster process (Mohler et al. 2011)"},
          {"branching_ratio", options.branching_ratio},
          {"background_share", 1.0 - options.branching_ratio},
          {"temporal_kernel", "exponential"},
          {"decay_days", options.decay_days},
          {"spatial_kernel", "isotropic Gaussian"},
          {"decay_metres", options.decay_metres}}},
        {"ae_to_police_fraction", options.p_police},
    };

    nlohmann::json by_type = nlohmann::json::object();
    for (int t = 0; t < kCrimeTypes; ++t) by_type[std::string(kCrimeTypeTable[static_cast<std::size_t>(t)].label)] = police.rows_by_type[static_cast<std::size_t>(t)];
    nlohmann::json violence = nlohmann::json::array();
    for (const SourceCount& c : manifest.violence_by_borough_year) {
        violence.push_back({{"borough", c.borough_code}, {"year", c.year}, {"source", c.source},
                            {"records", c.records}, {"located", c.located}});
    }
    nlohmann::json population = nlohmann::json::array();
    for (std::size_t b = 0; b < nb; ++b) {
        for (int y = 0; y < options.years; ++y) {
            std::int64_t people = 0;
            for (int l : geography.boroughs()[b].lsoas) people += areas.TotalPopulation(l, y);
            population.push_back({{"borough", geography.boroughs()[b].code}, {"year", options.first_year + y}, {"population", people}});
        }
    }
    // A&E attendances in the outbreak borough by event date: the outbreak weeks and the same span either side.
    std::uint64_t in_window = 0, before = 0, after = 0;
    const Date span = planted.outbreak_end - planted.outbreak_start + 1;
    for (std::size_t i = 0; i < set.incidents.size(); ++i) {
        if (!obs[i].ae) continue;
        if (geography.lsoas()[static_cast<std::size_t>(set.incidents[i].lsoa)].borough != planted.outbreak_borough) continue;
        const Date d = obs[i].ae_event_day;
        if (d >= planted.outbreak_start && d <= planted.outbreak_end) ++in_window;
        if (d >= planted.outbreak_start - span && d < planted.outbreak_start) ++before;
        if (d > planted.outbreak_end && d <= planted.outbreak_end + span) ++after;
    }
    std::uint64_t offspring_children = 0;
    for (const Incident& inc : set.incidents) offspring_children += inc.parent >= 0 ? 1 : 0;
    j["truth"] = {
        {"incidents",
         {{"total", set.incidents.size()},
          {"background", set.background},
          {"outbreak", set.outbreak},
          {"offspring", set.offspring},
          {"offspring_dropped_outside_city", set.offspring_dropped_outside},
          {"offspring_dropped_after_end", set.offspring_dropped_after_end},
          {"realised_offspring_share", total > 0 ? static_cast<double>(offspring_children) / total : 0.0}}},
        {"ae",
         {{"rows", ae.rows},
          {"patients", ae.patients},
          {"repeat_attendances", ae.repeat_attendances},
          {"geocoded", ae.geocoded},
          {"lsoa_only", ae.lsoa_only},
          {"unlocated", ae.rows - ae.geocoded - ae.lsoa_only},
          {"with_police_record", ae.with_police},
          {"with_police_fraction", ae.rows > 0 ? static_cast<double>(ae.with_police) / static_cast<double>(ae.rows) : 0.0},
          {"site_formats", {{"SYN02", "sex written M/F"}, {"SYN03", "datetimes written DD/MM/YYYY HH:MM"}}},
          {"outbreak_borough_attendances", {{"outbreak_weeks", in_window}, {"same_span_before", before}, {"same_span_after", after}}}}},
        {"ambulance", {{"rows", ambulance_rows}}},
        {"police",
         {{"rows", police.rows},
          {"rows_by_type", by_type},
          {"violence_from_incidents", police.violence_from_incidents},
          {"no_location", police.no_location},
          {"identical_asb_rows", police.identical_asb_rows}}},
        {"violence_by_borough_year", violence},
        {"violence_by_borough_year_note",
         "records by true borough and event year (police: Month; ae: assault date else arrival; ambulance: date); "
         "police counts Violence and sexual offences rows with an LSOA"},
        {"population_by_borough_year", population},
    };
    nlohmann::json site_list = nlohmann::json::array();
    for (const Site& s : sites) site_list.push_back({{"code", s.code}, {"name", s.name}, {"easting", s.easting}, {"northing", s.northing}});
    j["ae_sites"] = site_list;
    j["files"] = manifest.rows_per_file;
    j["files_note"] = "data rows per CSV (header excluded); features per GeoJSON";
    j["rows_per_source"] = {{"police", police.rows}, {"ae", ae.rows}, {"ambulance", ambulance_rows}};

    TextFile out(dir / "manifest.json");
    out.Put(j.dump(2));
    out.Put("\n");
    out.Close();
    progress.Finish();
    return manifest;
}

} // namespace vigil::synth
