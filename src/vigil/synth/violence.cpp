#include "vigil/synth/violence.hpp"

#include <algorithm>
#include <cmath>
#include <deque>
#include <numeric>

#include "vigil/core/error.hpp"
#include "vigil/synth/model.hpp"
#include "vigil/synth/rng.hpp"

namespace vigil::synth {
namespace {

constexpr double kTwoPi = 6.283185307179586;

Date YearStart(int year) { return *MakeDate(year, 1, 1); }

// Monday of ISO week `week` of ISO year `year` (week 1 holds 4 January).
Date IsoWeekMonday(int year, int week) {
    const Date jan4 = *MakeDate(year, 1, 4);
    return jan4 - (Weekday(jan4) - 1) + 7 * (week - 1);
}

int AgeInBand(Rng& rng, int band) {
    if (band == kAgeBands - 1) return 85 + static_cast<int>(rng.UniformInt(15));
    return band * 5 + static_cast<int>(rng.UniformInt(5));
}

} // namespace

const char* ComponentName(Component c) {
    switch (c) {
    case Component::kBackground: return "background";
    case Component::kOutbreak: return "outbreak";
    case Component::kOffspring: return "offspring";
    }
    return "background";
}

std::vector<double> DayWeights(Date start, Date end) {
    std::vector<double> w(static_cast<std::size_t>(end - start));
    for (Date d = start; d < end; ++d) {
        const CivilDate c = ToCivil(d);
        const double doy = static_cast<double>(d - YearStart(c.year));
        const double season = 1.0 + kViolenceSeasonAmplitude * std::cos(kTwoPi * (doy - kSeasonPeakDay) / 365.25);
        w[static_cast<std::size_t>(d - start)] = season * kWeekdayWeights[static_cast<std::size_t>(Weekday(d) - 1)];
    }
    // Normalise each calendar year to mean 1, so a year's expected count is rate x days / 365.25.
    for (Date y0 = start; y0 < end;) {
        const Date y1 = std::min(end, YearStart(ToCivil(y0).year + 1));
        double sum = 0;
        for (Date d = y0; d < y1; ++d) sum += w[static_cast<std::size_t>(d - start)];
        const double scale = static_cast<double>(y1 - y0) / sum;
        for (Date d = y0; d < y1; ++d) w[static_cast<std::size_t>(d - start)] *= scale;
        y0 = y1;
    }
    return w;
}

Planted ChoosePlanted(const CityOptions& options, const Geography& geography, const AreaAttributes& areas) {
    Planted p;
    const auto& lsoas = geography.lsoas();
    const auto& boroughs = geography.boroughs();
    const auto n = lsoas.size();
    Rng rng(options.seed, Stream::kPlanted);
    p.hotspot.assign(n, 0);
    p.town_centre.assign(n, 0);

    // Hotspot: a seed LSOA among the more deprived half, grown by rook adjacency inside its borough.
    std::vector<int> candidates;
    for (std::size_t l = 0; l < n; ++l) {
        if (areas.imd_decile[l] <= 5) candidates.push_back(static_cast<int>(l));
    }
    if (candidates.empty()) candidates.push_back(0);
    const int seed_lsoa = candidates[rng.UniformInt(candidates.size())];
    const int hotspot_borough = lsoas[static_cast<std::size_t>(seed_lsoa)].borough;
    std::deque<int> frontier{seed_lsoa};
    p.hotspot[static_cast<std::size_t>(seed_lsoa)] = 1;
    p.hotspot_lsoas.push_back(seed_lsoa);
    while (!frontier.empty() && static_cast<int>(p.hotspot_lsoas.size()) < options.hotspot_lsoas) {
        const LsoaArea& a = lsoas[static_cast<std::size_t>(frontier.front())];
        frontier.pop_front();
        for (int l : boroughs[static_cast<std::size_t>(hotspot_borough)].lsoas) {
            const LsoaArea& b = lsoas[static_cast<std::size_t>(l)];
            const bool rook = std::abs(a.col - b.col) + std::abs(a.row - b.row) == 1;
            if (rook && !p.hotspot[static_cast<std::size_t>(l)] &&
                static_cast<int>(p.hotspot_lsoas.size()) < options.hotspot_lsoas) {
                p.hotspot[static_cast<std::size_t>(l)] = 1;
                p.hotspot_lsoas.push_back(l);
                frontier.push_back(l);
            }
        }
    }
    std::sort(p.hotspot_lsoas.begin(), p.hotspot_lsoas.end());

    for (const BoroughArea& b : boroughs) {
        for (int k = 0; k < options.town_centres_per_borough; ++k) {
            const int l = b.lsoas[rng.UniformInt(b.lsoas.size())];
            if (p.hotspot[static_cast<std::size_t>(l)] || p.town_centre[static_cast<std::size_t>(l)]) continue;
            p.town_centre[static_cast<std::size_t>(l)] = 1;
            p.centre_lsoas.push_back(l);
        }
    }
    std::sort(p.centre_lsoas.begin(), p.centre_lsoas.end());

    // Outbreak: another borough than the hotspot's (when there is one), in the middle year, ISO weeks 10+.
    const auto nb = static_cast<int>(boroughs.size());
    p.outbreak_borough = nb > 1 ? static_cast<int>((hotspot_borough + 1 + rng.UniformInt(static_cast<std::uint64_t>(nb - 1))) % nb)
                                : 0;
    p.outbreak_year_idx = (options.years - 1) / 2;
    const int latest_week = std::max(10, 50 - options.outbreak_weeks);
    const int week = 10 + static_cast<int>(rng.UniformInt(static_cast<std::uint64_t>(latest_week - 10 + 1)));
    p.outbreak_start = IsoWeekMonday(options.first_year + p.outbreak_year_idx, week);
    p.outbreak_end = p.outbreak_start + 7 * options.outbreak_weeks - 1;
    return p;
}

IncidentSet SimulateIncidents(const CityOptions& options, const Geography& geography, const AreaAttributes& areas,
                              const Planted& planted) {
    IncidentSet set;
    set.start = YearStart(options.first_year);
    set.end = YearStart(options.first_year + options.years);
    const std::vector<double> day_weights = DayWeights(set.start, set.end);
    std::vector<Discrete> day_of_year;
    std::vector<Date> year_start;
    for (int y = 0; y < options.years; ++y) {
        const Date y0 = YearStart(options.first_year + y);
        const Date y1 = YearStart(options.first_year + y + 1);
        year_start.push_back(y0);
        day_of_year.emplace_back(std::span<const double>(day_weights.data() + (y0 - set.start),
                                                         static_cast<std::size_t>(y1 - y0)));
    }
    const Discrete hour(kHourWeights);
    const auto n = geography.lsoas().size();

    auto cell_weights = [&](int l, int y, double* w) {
        for (int s = 0; s < kSexes; ++s) {
            for (int a = 0; a < kAgeBands; ++a) {
                w[s * kAgeBands + a] = areas.Population(l, y, s, a) * kAgeRelativeRisk[static_cast<std::size_t>(a)] *
                                       kSexRelativeRisk[static_cast<std::size_t>(s)];
            }
        }
    };
    auto annual_mean = [&](int l, int y) {
        double w[kCells];
        cell_weights(l, y, w);
        const double weighted = std::accumulate(std::begin(w), std::end(w), 0.0);
        const double rr = std::exp(options.deprivation_coefficient * areas.dep_z[static_cast<std::size_t>(l)]) *
                          (planted.hotspot[static_cast<std::size_t>(l)] ? options.hotspot_relative_risk : 1.0);
        const double days = static_cast<double>(YearStart(options.first_year + y + 1) - year_start[static_cast<std::size_t>(y)]);
        return weighted * kInjuryBaseRate / 1000.0 * rr * options.violence_rate_scale * days / 365.25;
    };
    auto fill_person = [&](Rng& rng, int l, int y, Incident& inc) {
        double w[kCells];
        cell_weights(l, y, w);
        const auto cell = static_cast<int>(Discrete(std::span<const double>(w, kCells)).Sample(rng));
        inc.sex = static_cast<std::uint8_t>(cell / kAgeBands);
        inc.age = static_cast<std::uint8_t>(AgeInBand(rng, cell % kAgeBands));
    };
    auto place = [&](Rng& rng, int l, Date day, Incident& inc) {
        const auto h = static_cast<double>(hour.Sample(rng));
        const auto minute = static_cast<double>(rng.UniformInt(60));
        inc.t = static_cast<double>(day - set.start) + (h * 60.0 + minute) / 1440.0;
        double e = 0, nn = 0;
        geography.CellPoint(l, rng.Uniform(0.03, 0.97), rng.Uniform(0.03, 0.97), e, nn);
        inc.easting = std::round(e);
        inc.northing = std::round(nn);
        inc.lsoa = l;
    };

    for (std::size_t l = 0; l < n; ++l) {
        for (int y = 0; y < options.years; ++y) {
            Rng rng(options.seed, Stream::kBackground, l, static_cast<std::uint64_t>(y));
            const std::uint64_t count = rng.Poisson(annual_mean(static_cast<int>(l), y));
            for (std::uint64_t k = 0; k < count; ++k) {
                Incident inc;
                place(rng, static_cast<int>(l), year_start[static_cast<std::size_t>(y)] +
                                                    static_cast<Date>(day_of_year[static_cast<std::size_t>(y)].Sample(rng)),
                      inc);
                fill_person(rng, static_cast<int>(l), y, inc);
                set.incidents.push_back(inc);
            }
        }
    }
    set.background = set.incidents.size();

    {
        const int y = planted.outbreak_year_idx;
        const Date y0 = year_start[static_cast<std::size_t>(y)];
        const double days_in_year = static_cast<double>(YearStart(options.first_year + y + 1) - y0);
        std::vector<double> window(day_weights.begin() + (planted.outbreak_start - set.start),
                                   day_weights.begin() + (planted.outbreak_end + 1 - set.start));
        const double window_weight = std::accumulate(window.begin(), window.end(), 0.0);
        const Discrete window_day(window);
        for (int l : geography.boroughs()[static_cast<std::size_t>(planted.outbreak_borough)].lsoas) {
            Rng rng(options.seed, Stream::kOutbreak, static_cast<std::uint64_t>(l));
            const double mean = (options.outbreak_relative_risk - 1.0) * annual_mean(l, y) * window_weight / days_in_year;
            const std::uint64_t count = rng.Poisson(mean);
            for (std::uint64_t k = 0; k < count; ++k) {
                Incident inc;
                place(rng, l, planted.outbreak_start + static_cast<Date>(window_day.Sample(rng)), inc);
                fill_person(rng, l, y, inc);
                inc.component = Component::kOutbreak;
                set.incidents.push_back(inc);
            }
        }
        set.outbreak = set.incidents.size() - set.background;
    }

    // Offspring, generation by generation (the vector grows while it is walked).
    Rng rng(options.seed, Stream::kOffspring);
    const double horizon = static_cast<double>(set.end - set.start);
    for (std::size_t i = 0; i < set.incidents.size(); ++i) {
        const std::uint64_t children = rng.Poisson(options.branching_ratio);
        for (std::uint64_t c = 0; c < children; ++c) {
            const Incident parent = set.incidents[i];
            Incident child;
            child.t = parent.t + rng.Exponential(options.decay_days);
            child.lsoa = -1;
            for (int attempt = 0; attempt < 20 && child.lsoa < 0; ++attempt) {
                const double e = std::round(parent.easting + rng.Normal(0.0, options.decay_metres));
                const double nn = std::round(parent.northing + rng.Normal(0.0, options.decay_metres));
                const int l = geography.Locate(e, nn);
                if (l < 0) break;
                // Keep points a metre inside their LSOA so any point-in-polygon rule agrees on the area.
                if (geography.EdgeDistance(l, e, nn) < 1.0) continue;
                child.easting = e;
                child.northing = nn;
                child.lsoa = l;
            }
            if (child.t >= horizon) {
                ++set.offspring_dropped_after_end;
                continue;
            }
            if (child.lsoa < 0) {
                ++set.offspring_dropped_outside;
                continue;
            }
            // Offspring times keep minute resolution like every other incident.
            child.t = std::floor(child.t * 1440.0) / 1440.0;
            const int y = ToCivil(set.start + static_cast<Date>(std::floor(child.t))).year - options.first_year;
            fill_person(rng, child.lsoa, y, child);
            child.component = Component::kOffspring;
            child.parent = static_cast<int>(i);
            child.generation = static_cast<std::uint8_t>(std::min(255, parent.generation + 1));
            set.incidents.push_back(child);
        }
    }
    set.offspring = set.incidents.size() - set.background - set.outbreak;

    std::vector<int> order(set.incidents.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
        return set.incidents[static_cast<std::size_t>(a)].t < set.incidents[static_cast<std::size_t>(b)].t;
    });
    std::vector<int> new_index(order.size());
    for (std::size_t k = 0; k < order.size(); ++k) new_index[static_cast<std::size_t>(order[k])] = static_cast<int>(k);
    std::vector<Incident> sorted(order.size());
    for (std::size_t k = 0; k < order.size(); ++k) {
        sorted[k] = set.incidents[static_cast<std::size_t>(order[k])];
        if (sorted[k].parent >= 0) sorted[k].parent = new_index[static_cast<std::size_t>(sorted[k].parent)];
    }
    set.incidents = std::move(sorted);
    return set;
}

} // namespace vigil::synth
