// police.uk street-level crime files of the synthetic city: one file per month, all 14 crime types.
#include <algorithm>
#include <array>
#include <cmath>

#include "vigil/synth/model.hpp"
#include "vigil/synth/rng.hpp"
#include "vigil/synth/sources.hpp"
#include "vigil/synth/text_out.hpp"

namespace vigil::synth {
namespace {

constexpr double kTwoPi = 6.283185307179586;
constexpr std::string_view kForce = "Synthshire Police";

void AppendCrimeId(std::string& out, Rng& rng) {
    static constexpr char kHex[] = "0123456789abcdef";
    for (int w = 0; w < 4; ++w) {
        std::uint64_t x = rng.Next();
        for (int k = 0; k < 16; ++k) {
            out.push_back(kHex[x >> 60]);
            x <<= 4;
        }
    }
}

struct PendingRow {
    std::uint8_t type;
    std::uint16_t point;
    int incident; // -1 for police-only crime
};

} // namespace

PoliceSummary WritePolice(const std::filesystem::path& dir, const CityOptions& options, const Geography& geography,
                          const AreaAttributes& areas, const Planted& planted, const IncidentSet& set,
                          std::vector<Observation>& obs, Tally& tally, Progress& progress, std::uint64_t progress_base) {
    std::filesystem::create_directories(dir);
    const int months = options.years * 12;
    const auto n = geography.lsoas().size();
    PoliceSummary summary;
    summary.rows_by_type.assign(kCrimeTypes, 0);

    // Injury incidents the police recorded, bucketed by month and LSOA (incidents are in time order).
    std::vector<std::vector<int>> linked(static_cast<std::size_t>(months));
    const CivilDate first = ToCivil(set.start);
    for (std::size_t i = 0; i < set.incidents.size(); ++i) {
        if (!obs[i].police) continue;
        const CivilDate c = ToCivil(set.start + static_cast<Date>(std::floor(set.incidents[i].t)));
        const int m = (c.year - first.year) * 12 + (c.month - first.month);
        if (m < 0 || m >= months) continue;
        obs[i].police_month = m;
        linked[static_cast<std::size_t>(m)].push_back(static_cast<int>(i));
    }

    std::vector<double> outcome_weights;
    for (const auto& o : kOutcomes) outcome_weights.push_back(o.weight);
    const Discrete outcome(outcome_weights);
    std::vector<double> other_type_weights;
    for (const auto& t : kCrimeTypeTable) other_type_weights.push_back(t.base_rate);
    other_type_weights[kAsbType] = 0.0;
    const Discrete other_type(other_type_weights);

    // Per-LSOA rate multipliers that do not change by month.
    std::vector<std::array<double, kCrimeTypes>> multiplier(n);
    for (std::size_t l = 0; l < n; ++l) {
        for (int t = 0; t < kCrimeTypes; ++t) {
            const CrimeType& type = kCrimeTypeTable[static_cast<std::size_t>(t)];
            double m = std::exp(type.deprivation_coefficient * areas.dep_z[l]) * options.police_rate_scale;
            if (planted.town_centre[l]) m *= type.centre_relative_risk;
            if (planted.hotspot[l] && t == kViolenceType) m *= options.hotspot_relative_risk;
            multiplier[l][static_cast<std::size_t>(t)] = m;
        }
    }

    std::vector<PendingRow> rows;
    std::vector<std::uint16_t> asb_points;
    std::string line;
    for (int m = 0; m < months; ++m) {
        const int year = first.year + m / 12;
        const int month = m % 12 + 1;
        const int year_idx = m / 12;
        const Date month_start = *MakeDate(year, month, 1);
        const Date month_end = month == 12 ? *MakeDate(year + 1, 1, 1) : *MakeDate(year, month + 1, 1);
        const double days = static_cast<double>(month_end - month_start);
        const double mid_doy = static_cast<double>(month_start - *MakeDate(year, 1, 1)) + 0.5 * days;
        const double season_cos = std::cos(kTwoPi * (mid_doy - kSeasonPeakDay) / 365.25);
        std::string label = std::to_string(year) + "-";
        AppendPadded(label, month, 2);
        const std::string relative = "police/" + label + "-synth-street.csv";
        const std::string row_prefix = "," + label + "," + std::string(kForce) + "," + std::string(kForce) + ",";
        const bool recent = m >= months - 2;

        TextFile out(dir / (label + "-synth-street.csv"));
        out.Put("Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,"
                "Last outcome category,Context");
        out.EndRow();

        auto& month_linked = linked[static_cast<std::size_t>(m)];
        std::stable_sort(month_linked.begin(), month_linked.end(), [&](int a, int b) {
            return set.incidents[static_cast<std::size_t>(a)].lsoa < set.incidents[static_cast<std::size_t>(b)].lsoa;
        });
        std::size_t next_linked = 0;
        std::uint64_t month_rows = 0;

        auto write_row = [&](Rng& rng, int type, const std::string* fragment, int incident) {
            line.clear();
            if (type != kAsbType) AppendCrimeId(line, rng);
            if (incident >= 0) obs[static_cast<std::size_t>(incident)].police_crime_id = line;
            line += row_prefix;
            if (fragment != nullptr) {
                line += *fragment;
            } else {
                line += ",,No Location,,";
            }
            line += ',';
            line += kCrimeTypeTable[static_cast<std::size_t>(type)].label;
            line += ',';
            if (type != kAsbType) {
                line += recent && rng.Bernoulli(0.5) ? std::string_view("Under investigation")
                                                     : kOutcomes[outcome.Sample(rng)].value;
            }
            line += ',';
            out.Put(line);
            out.EndRow();
            ++month_rows;
            ++summary.rows_by_type[static_cast<std::size_t>(type)];
        };

        for (std::size_t l = 0; l < n; ++l) {
            const LsoaArea& lsoa = geography.lsoas()[l];
            Rng rng(options.seed, Stream::kPolice, static_cast<std::uint64_t>(m), l);
            const double people = static_cast<double>(areas.TotalPopulation(static_cast<int>(l), year_idx));
            rows.clear();
            for (int t = 0; t < kCrimeTypes; ++t) {
                const CrimeType& type = kCrimeTypeTable[static_cast<std::size_t>(t)];
                const double season =
                    1.0 + (type.seasonal_like_violence ? kViolenceSeasonAmplitude : kOtherSeasonAmplitude) * season_cos;
                const double mean = type.base_rate * people / 1000.0 * multiplier[l][static_cast<std::size_t>(t)] *
                                    season * days / 365.25;
                const std::uint64_t count = rng.Poisson(mean);
                for (std::uint64_t k = 0; k < count; ++k) {
                    rows.push_back({static_cast<std::uint8_t>(t), static_cast<std::uint16_t>(lsoa.point_choice.Sample(rng)), -1});
                }
            }
            while (next_linked < month_linked.size() &&
                   set.incidents[static_cast<std::size_t>(month_linked[next_linked])].lsoa == static_cast<int>(l)) {
                const int i = month_linked[next_linked++];
                const Incident& inc = set.incidents[static_cast<std::size_t>(i)];
                rows.push_back({static_cast<std::uint8_t>(kViolenceType),
                                static_cast<std::uint16_t>(geography.NearestMapPoint(inc.lsoa, inc.easting, inc.northing)), i});
            }
            // Shuffle (Fisher-Yates) so crime types interleave within an LSOA as in published files.
            for (std::size_t k = rows.size(); k > 1; --k) std::swap(rows[k - 1], rows[rng.UniformInt(k)]);
            asb_points.clear();
            for (const PendingRow& row : rows) {
                write_row(rng, row.type, &lsoa.points[row.point].fragment, row.incident);
                if (row.type == kAsbType) asb_points.push_back(row.point);
                if (row.type == kViolenceType) {
                    tally.Add(lsoa.borough, year_idx, true);
                    if (row.incident >= 0) ++summary.violence_from_incidents;
                }
            }
            // ASB rows carry no Crime ID: two at the same map point in a month are identical lines.
            std::sort(asb_points.begin(), asb_points.end());
            for (std::size_t k = 1; k < asb_points.size(); ++k) {
                if (asb_points[k] == asb_points[k - 1]) ++summary.identical_asb_rows;
            }
        }

        // A few rows with no location at all, as published files have.
        Rng rng(options.seed, Stream::kNoLocation, static_cast<std::uint64_t>(m));
        const std::uint64_t no_location = rng.Poisson(options.police_no_location_share * static_cast<double>(month_rows));
        std::uint64_t asb_no_location = 0;
        for (std::uint64_t k = 0; k < no_location; ++k) {
            const int type = rng.Bernoulli(0.6) ? kAsbType : static_cast<int>(other_type.Sample(rng));
            write_row(rng, type, nullptr, -1);
            if (type == kAsbType) ++asb_no_location;
        }
        if (asb_no_location > 1) summary.identical_asb_rows += asb_no_location - 1;
        summary.no_location += no_location;

        out.Close();
        summary.rows_per_file[relative] = month_rows;
        summary.rows += month_rows;
        progress.Advance(progress_base + static_cast<std::uint64_t>(m) + 1);
    }
    return summary;
}

} // namespace vigil::synth
