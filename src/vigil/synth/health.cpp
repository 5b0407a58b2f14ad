// A&E attendances, ambulance call-outs and the incident truth file of the synthetic city.
#include <algorithm>
#include <array>
#include <cmath>
#include <numeric>
#include <string_view>

#include "vigil/synth/model.hpp"
#include "vigil/synth/rng.hpp"
#include "vigil/synth/sources.hpp"
#include "vigil/synth/text_out.hpp"

namespace vigil::synth {
namespace {

constexpr std::array<std::array<std::string_view, 4>, 7> kMethodText = {{
    {"punched", "kicked", "punched and kicked", "assaulted by group"},
    {"stabbed", "stab wound to abdomen", "slashed with knife", "cut with broken glass"},
    {"hit with bat", "struck with bottle", "hit with brick", "hit with hammer"},
    {"pushed down stairs", "bitten", "strangled", "hit by thrown object"},
    {"", "assault", "alleged assault", "n/k"},
    {"gunshot wound", "shot", "gunshot wound to leg", "shot at"},
    {"acid thrown", "corrosive substance to face", "noxious liquid thrown", "acid attack"},
}};

std::string LocationText(Rng& rng, std::string_view type, const std::string& street) {
    const auto pick = rng.UniformInt(4);
    if (type == "street") {
        const std::array<std::string, 4> v = {"on " + street, "outside shop on " + street, "bus stop, " + street,
                                              "street near home"};
        return v[pick];
    }
    if (type == "home") {
        const std::array<std::string_view, 4> v = {"Patient's home", "home", "at home - partner", "friend's house"};
        return std::string(v[pick]);
    }
    if (type == "licensed_premises") {
        const std::array<std::string, 4> v = {"The Red Lion pub", "\"The Crown\", " + street, "nightclub in town centre",
                                              "bar on " + street};
        return v[pick];
    }
    if (type == "public_transport") {
        const std::array<std::string_view, 4> v = {"bus", "train station", "on the bus, route 27", "tube platform"};
        return std::string(v[pick]);
    }
    if (type == "school") {
        const std::array<std::string_view, 4> v = {"school", "school playground", "outside school gates", "college"};
        return std::string(v[pick]);
    }
    const std::array<std::string_view, 4> v = {"park", "shopping centre", "n/k", ""};
    return std::string(v[pick]);
}

Discrete WeightsOf(const auto& table) {
    std::vector<double> w;
    for (const auto& entry : table) w.push_back(entry.weight);
    return Discrete(w);
}

void AppendTime(std::string& out, int minute_of_day) {
    AppendPadded(out, minute_of_day / 60, 2);
    out.push_back(':');
    AppendPadded(out, minute_of_day % 60, 2);
}

int MinuteOfDay(double t) {
    const double frac = t - std::floor(t);
    return std::clamp(static_cast<int>(std::lround(frac * 1440.0)), 0, 1439);
}

Date DayOf(Date start, double t) {
    // Times are whole minutes; round to the minute before splitting into day and time of day.
    const double minutes = std::round(t * 1440.0);
    return start + static_cast<Date>(std::floor(minutes / 1440.0));
}

int AgeOn(Date dob, Date on) {
    const CivilDate b = ToCivil(dob);
    const CivilDate d = ToCivil(on);
    int age = d.year - b.year;
    if (d.month < b.month || (d.month == b.month && d.day < b.day)) --age;
    return age;
}

} // namespace

std::string FormatDateTime(Date start, double t) {
    const double minutes = std::round(t * 1440.0);
    const auto day = static_cast<Date>(std::floor(minutes / 1440.0));
    std::string s = FormatDate(start + day);
    s.push_back(' ');
    AppendTime(s, static_cast<int>(minutes - 1440.0 * day));
    return s;
}

int NhsCheckDigit(const char* nine_digits) {
    int sum = 0;
    for (int i = 0; i < 9; ++i) sum += (nine_digits[i] - '0') * (10 - i);
    const int check = 11 - sum % 11;
    if (check == 11) return 0;
    if (check == 10) return -1;
    return check;
}

std::vector<Observation> Observe(const CityOptions& options, const IncidentSet& set) {
    std::vector<Observation> obs(set.incidents.size());
    Rng rng(options.seed, Stream::kHealth, 0);
    const Discrete method = WeightsOf(kAssaultMethods);
    const Discrete location = WeightsOf(kLocationTypes);
    for (Observation& o : obs) {
        o.ae = rng.Bernoulli(options.p_ae);
        o.ambulance = rng.Bernoulli(options.p_ambulance);
        o.police = rng.Bernoulli(options.p_police);
        o.method = static_cast<std::uint8_t>(method.Sample(rng));
        o.location_type = static_cast<std::uint8_t>(location.Sample(rng));
    }
    return obs;
}

std::vector<Site> PlaceSites(const CityOptions& options, const Geography& geography) {
    double min_e = 0, max_e = 0, min_n = 0, max_n = 0;
    geography.CityBox(min_e, max_e, min_n, max_n);
    const std::array<std::array<double, 2>, 4> spots = {{{0.3, 0.3}, {0.7, 0.7}, {0.7, 0.3}, {0.3, 0.7}}};
    const std::array<std::string_view, 4> names = {"Synthshire General Hospital", "St Aldhelm's Hospital",
                                                   "Eastwold Royal Infirmary", "Northfield Urgent Treatment Centre"};
    std::vector<Site> sites;
    const int n = std::clamp(options.ae_sites, 1, 4);
    for (int k = 0; k < n; ++k) {
        const double e = min_e + spots[static_cast<std::size_t>(k)][0] * (max_e - min_e);
        const double nn = min_n + spots[static_cast<std::size_t>(k)][1] * (max_n - min_n);
        // Put the hospital at the centre of the nearest LSOA (the grid may have empty corners).
        int best = 0;
        double best_d = 1e300;
        for (std::size_t l = 0; l < geography.lsoas().size(); ++l) {
            const double dx = geography.CentreEasting(static_cast<int>(l)) - e;
            const double dy = geography.CentreNorthing(static_cast<int>(l)) - nn;
            if (dx * dx + dy * dy < best_d) {
                best_d = dx * dx + dy * dy;
                best = static_cast<int>(l);
            }
        }
        Site s;
        s.code = "SYN0" + std::to_string(k + 1);
        s.name = std::string(names[static_cast<std::size_t>(k)]);
        s.easting = std::round(geography.CentreEasting(best));
        s.northing = std::round(geography.CentreNorthing(best));
        sites.push_back(std::move(s));
    }
    return sites;
}

AeSummary WriteAe(const std::filesystem::path& file, const CityOptions& options, const Geography& geography,
                  const IncidentSet& set, const std::vector<Site>& sites, std::vector<Observation>& obs, Tally& tally) {
    Rng rng(options.seed, Stream::kHealth, 1);
    // Arrival after the assault, then rows in order of arrival as a department's extract is.
    std::vector<std::size_t> rows;
    std::vector<double> arrival(set.incidents.size(), 0.0);
    for (std::size_t i = 0; i < set.incidents.size(); ++i) {
        if (!obs[i].ae) continue;
        const double delay_minutes = std::min(24.0 * 60.0, 10.0 + std::round(rng.Exponential(80.0)));
        arrival[i] = set.incidents[i].t + delay_minutes / 1440.0;
        rows.push_back(i);
    }
    std::stable_sort(rows.begin(), rows.end(), [&](std::size_t a, std::size_t b) { return arrival[a] < arrival[b]; });

    struct Patient {
        std::string nhs;
        Date dob;
    };
    std::vector<Patient> patients;
    std::vector<std::vector<int>> pool(kCells); // patients by sex and age band at first attendance
    std::vector<std::int64_t> site_counter(sites.size(), 0);
    std::uint64_t nhs_counter = 0;
    const std::uint64_t nhs_offset = Mix64(options.seed) % 100000000ULL;

    TextFile out(file);
    out.Put("attendance_id,site_code,arrival_datetime,assault_datetime,assault_method,method_description,"
            "location_type,location_description,age,sex,easting,northing,lsoa_code,nhs_number,date_of_birth");
    out.EndRow();
    AeSummary summary;
    std::string line;
    for (std::size_t i : rows) {
        const Incident& inc = set.incidents[i];
        Observation& o = obs[i];
        int site = 0;
        double best = 1e300;
        for (std::size_t s = 0; s < sites.size(); ++s) {
            const double d = std::hypot(sites[s].easting - inc.easting, sites[s].northing - inc.northing);
            if (d < best) {
                best = d;
                site = static_cast<int>(s);
            }
        }
        o.ae_site = site;
        o.ae_attendance = (site + 1) * 100000000LL + (++site_counter[static_cast<std::size_t>(site)]);
        const Date arrival_day = DayOf(set.start, arrival[i]);
        // Site 3 (SYN03) writes day-first dates, site 2 (SYN02) ECDS-style M/F: real extracts differ by site.
        auto datetime = [&](double t) {
            std::string s = FormatDateTime(set.start, t);
            if (site != 2) return s;
            return s.substr(8, 2) + "/" + s.substr(5, 2) + "/" + s.substr(0, 4) + s.substr(10);
        };
        const bool assault_known = rng.Bernoulli(options.ae_assault_date_share);
        const Date event_day = assault_known ? DayOf(set.start, inc.t) : arrival_day;
        o.ae_event_day = event_day;

        // Identity: a returning patient of the same sex and age band, or a new one.
        const int band = std::min(kAgeBands - 1, inc.age / 5);
        auto& candidates = pool[static_cast<std::size_t>(inc.sex * kAgeBands + band)];
        int patient = -1;
        if (!candidates.empty() && rng.Bernoulli(options.repeat_patient_share)) {
            patient = candidates[rng.UniformInt(candidates.size())];
            ++summary.repeat_attendances;
        } else {
            Patient p;
            for (;;) {
                const std::uint64_t body = 900000000ULL + (nhs_counter++ * 48271ULL + nhs_offset) % 100000000ULL;
                std::string digits = std::to_string(body);
                const int check = NhsCheckDigit(digits.c_str());
                if (check < 0) continue;
                digits.push_back(static_cast<char>('0' + check));
                p.nhs = std::move(digits);
                break;
            }
            p.dob = arrival_day - static_cast<Date>(std::floor(inc.age * 365.2425)) -
                    static_cast<Date>(rng.UniformInt(365)) - 1;
            patient = static_cast<int>(patients.size());
            patients.push_back(std::move(p));
            candidates.push_back(patient);
        }
        const Patient& person = patients[static_cast<std::size_t>(patient)];
        const int age = AgeOn(person.dob, arrival_day);

        line.clear();
        AppendInt(line, o.ae_attendance);
        line += ',';
        line += sites[static_cast<std::size_t>(site)].code;
        line += ',';
        line += datetime(arrival[i]);
        line += ',';
        if (assault_known) line += datetime(inc.t);
        line += ',';
        line += kAssaultMethods[o.method].value;
        line += ',';
        AppendField(line, kMethodText[o.method][rng.UniformInt(4)]);
        line += ',';
        line += kLocationTypes[o.location_type].value;
        line += ',';
        const auto& points = geography.lsoas()[static_cast<std::size_t>(inc.lsoa)].points;
        AppendField(line, LocationText(rng, kLocationTypes[o.location_type].value,
                                       points[static_cast<std::size_t>(geography.NearestMapPoint(inc.lsoa, inc.easting, inc.northing))].street));
        line += ',';
        if (!rng.Bernoulli(0.02)) AppendInt(line, age);
        line += ',';
        const bool sex_unknown = rng.Bernoulli(0.01);
        if (sex_unknown) {
            line += "unknown";
        } else if (site == 1) {
            line += inc.sex == 0 ? "M" : "F";
        } else {
            line += kSexLabels[inc.sex];
        }
        line += ',';
        const double u = rng.Uniform01();
        const bool geocoded = u < options.ae_geocoded_share;
        const bool lsoa_only = !geocoded && u < options.ae_geocoded_share + options.ae_lsoa_only_share;
        if (geocoded) {
            AppendInt(line, static_cast<std::int64_t>(inc.easting));
            line += ',';
            AppendInt(line, static_cast<std::int64_t>(inc.northing));
            line += ',';
            ++summary.geocoded;
        } else {
            line += ",,";
        }
        if (lsoa_only) {
            line += geography.lsoas()[static_cast<std::size_t>(inc.lsoa)].code;
            ++summary.lsoa_only;
        }
        line += ',';
        line += person.nhs;
        line += ',';
        line += FormatDate(person.dob);
        out.Put(line);
        out.EndRow();
        ++summary.rows;
        if (o.police) ++summary.with_police;
        const int year_idx = ToCivil(event_day).year - options.first_year;
        if (year_idx >= 0 && year_idx < options.years) {
            tally.Add(geography.lsoas()[static_cast<std::size_t>(inc.lsoa)].borough, year_idx, geocoded || lsoa_only);
        }
    }
    out.Close();
    summary.patients = patients.size();
    return summary;
}

std::uint64_t WriteAmbulance(const std::filesystem::path& file, const CityOptions& options, const Geography& geography,
                             const IncidentSet& set, std::vector<Observation>& obs, Tally& tally) {
    Rng rng(options.seed, Stream::kHealth, 2);
    std::vector<std::size_t> rows;
    std::vector<double> call(set.incidents.size(), 0.0);
    for (std::size_t i = 0; i < set.incidents.size(); ++i) {
        if (!obs[i].ambulance) continue;
        call[i] = set.incidents[i].t + (2.0 + std::round(rng.Exponential(6.0))) / 1440.0;
        rows.push_back(i);
    }
    std::stable_sort(rows.begin(), rows.end(), [&](std::size_t a, std::size_t b) { return call[a] < call[b]; });
    TextFile out(file);
    out.Put("source,record_id,date,time,category,weapon,easting,northing,victim_age,victim_sex");
    out.EndRow();
    std::string line;
    std::int64_t counter = 0;
    for (std::size_t i : rows) {
        const Incident& inc = set.incidents[i];
        Observation& o = obs[i];
        o.ambulance_record = ++counter;
        const Date day = DayOf(set.start, call[i]);
        line = "ambulance,AMB";
        AppendPadded(line, o.ambulance_record, 9);
        line += ',';
        line += FormatDate(day);
        line += ',';
        AppendTime(line, MinuteOfDay(call[i]));
        line += rng.Bernoulli(0.85) ? ",violence_with_injury," : ",violence_against_the_person,";
        line += kAssaultMethods[o.method].value;
        line += ',';
        AppendInt(line, static_cast<std::int64_t>(inc.easting));
        line += ',';
        AppendInt(line, static_cast<std::int64_t>(inc.northing));
        line += ',';
        if (!rng.Bernoulli(0.05)) AppendInt(line, inc.age);
        line += ',';
        line += rng.Bernoulli(0.02) ? "unknown" : std::string(kSexLabels[inc.sex]);
        out.Put(line);
        out.EndRow();
        const int year_idx = ToCivil(day).year - options.first_year;
        if (year_idx >= 0 && year_idx < options.years) {
            tally.Add(geography.lsoas()[static_cast<std::size_t>(inc.lsoa)].borough, year_idx, true);
        }
    }
    const auto n = out.rows() - 1;
    out.Close();
    return n;
}

std::uint64_t WriteIncidentTruth(const std::filesystem::path& file, const Geography& geography,
                                 const IncidentSet& set, const std::vector<Site>& sites,
                                 const std::vector<Observation>& obs) {
    TextFile out(file);
    out.Put("incident_id,datetime,easting,northing,lsoa_code,borough_code,component,generation,parent_id,"
            "victim_age,victim_sex,weapon,ae_site_code,ae_attendance_id,ambulance_record_id,police_crime_id,"
            "police_month");
    out.EndRow();
    std::string line;
    for (std::size_t i = 0; i < set.incidents.size(); ++i) {
        const Incident& inc = set.incidents[i];
        const Observation& o = obs[i];
        const LsoaArea& lsoa = geography.lsoas()[static_cast<std::size_t>(inc.lsoa)];
        line.clear();
        AppendInt(line, static_cast<std::int64_t>(i) + 1);
        line += ',';
        line += FormatDateTime(set.start, inc.t);
        line += ',';
        AppendInt(line, static_cast<std::int64_t>(inc.easting));
        line += ',';
        AppendInt(line, static_cast<std::int64_t>(inc.northing));
        line += ',';
        line += lsoa.code;
        line += ',';
        line += geography.boroughs()[static_cast<std::size_t>(lsoa.borough)].code;
        line += ',';
        line += ComponentName(inc.component);
        line += ',';
        AppendInt(line, inc.generation);
        line += ',';
        if (inc.parent >= 0) AppendInt(line, inc.parent + 1);
        line += ',';
        AppendInt(line, inc.age);
        line += ',';
        line += kSexLabels[inc.sex];
        line += ',';
        line += kAssaultMethods[o.method].value;
        line += ',';
        if (o.ae_site >= 0) {
            line += sites[static_cast<std::size_t>(o.ae_site)].code;
            line += ',';
            AppendInt(line, o.ae_attendance);
        } else {
            line += ',';
        }
        line += ',';
        if (o.ambulance_record > 0) {
            line += "AMB";
            AppendPadded(line, o.ambulance_record, 9);
        }
        line += ',';
        line += o.police_crime_id;
        line += ',';
        if (o.police_month >= 0) {
            const CivilDate c = ToCivil(set.start);
            const int months = c.month - 1 + o.police_month;
            AppendInt(line, c.year + months / 12);
            line += '-';
            AppendPadded(line, months % 12 + 1, 2);
        }
        out.Put(line);
        out.EndRow();
    }
    const auto n = out.rows() - 1;
    out.Close();
    return n;
}

} // namespace vigil::synth
