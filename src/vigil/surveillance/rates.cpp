#include "vigil/surveillance/rates.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "vigil/core/error.hpp"
#include "vigil/io/csv_reader.hpp"
#include "vigil/stats/poisson.hpp"
#include "vigil/stats/standardise.hpp"

namespace vigil::surveillance {
namespace {

constexpr double kPer = 100000.0;
const double kNaN = std::numeric_limits<double>::quiet_NaN();

bool ParseIntStrict(std::string_view s, int& out) {
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return !s.empty() && ec == std::errc() && p == s.data() + s.size();
}

std::string BandLabel(int lo, int hi) {
    if (lo == 0 && hi == store::kOpenAge) return "all";
    if (hi == store::kOpenAge) return std::to_string(lo) + "+";
    return std::to_string(lo) + "-" + std::to_string(hi);
}

struct Band {
    int lo, hi;
    double pop;
};

// Population by year -> (area, sex) -> bands.
using PopIndex = std::map<int, std::unordered_map<std::uint64_t, std::vector<Band>>>; // (area id << 2 | sex)

// Sums the bands that tile [lo, hi] exactly; nullopt when they do not. The bands are sorted by (lo, hi).
std::optional<double> Tile(const std::vector<Band>& bands, int lo, int hi) {
    if (lo == 0 && hi == store::kOpenAge)
        for (const Band& b : bands)
            if (b.lo == 0 && b.hi == store::kOpenAge) return b.pop;
    // Walk from lo: the band starting where the last ended (population systems rarely mix band widths).
    int at = lo;
    double sum = 0;
    for (const Band& b : bands) {
        if (b.lo < at || b.hi > hi || (b.lo == 0 && b.hi == store::kOpenAge)) continue;
        if (b.lo != at) return std::nullopt;
        sum += b.pop;
        if (b.hi == hi) return sum;
        if (b.hi == store::kOpenAge) return std::nullopt;
        at = b.hi + 1;
    }
    return std::nullopt;
}

std::string BandsList(const std::vector<Band>& bands) {
    std::set<std::pair<int, int>> seen;
    for (const Band& b : bands) seen.insert({b.lo, b.hi});
    std::string out;
    for (auto [lo, hi] : seen) out += (out.empty() ? "" : ", ") + BandLabel(lo, hi);
    return out;
}

const char* SexLabel(int s) { return s == 1 ? "male" : s == 2 ? "female" : s == 3 ? "unknown" : "all"; }

} // namespace

std::optional<AgeRange> ParseAgeRange(const std::string& text) {
    AgeRange r;
    if (text.empty()) return std::nullopt;
    if (text.back() == '+') {
        if (!ParseIntStrict(std::string_view(text).substr(0, text.size() - 1), r.lo)) return std::nullopt;
        r.hi = store::kOpenAge;
        return r.lo >= 0 && r.lo <= 130 ? std::optional(r) : std::nullopt;
    }
    auto dash = text.find('-');
    if (dash == std::string::npos) return std::nullopt;
    if (!ParseIntStrict(std::string_view(text).substr(0, dash), r.lo) ||
        !ParseIntStrict(std::string_view(text).substr(dash + 1), r.hi))
        return std::nullopt;
    if (r.lo < 0 || r.hi < r.lo || r.hi > 130) return std::nullopt;
    return r;
}

std::string AgeRangeLabel(const AgeRange& r) { return BandLabel(r.lo, r.hi); }

RatesResult ComputeRates(const RatesInput& in, const RatesRequest& rq) {
    RatesResult result;
    const AgeRange age = rq.age.value_or(AgeRange{});
    const bool all_level = rq.level == "all";
    // lsoa -> code at the requested level
    std::unordered_map<std::string, std::string> up;
    if (!all_level && rq.level != "lsoa")
        for (const auto& l : in.lookups)
            if (l.level == rq.level) up[l.lsoa_code] = l.code;
    static const std::string kAll = "all", kNone;
    auto area_of = [&](const std::string& lsoa, const std::string& direct) -> const std::string& {
        if (all_level) return kAll;
        if (rq.level == "lsoa") return lsoa;
        if (!direct.empty()) return direct;
        auto it = up.find(lsoa);
        return it == up.end() ? kNone : it->second;
    };
    // Areas are numbered as met, so that cells are keyed by integers.
    std::unordered_map<std::string, std::uint32_t> area_ids;
    std::vector<std::string> area_codes;
    auto area_id = [&](const std::string& code) {
        auto [it, added] = area_ids.try_emplace(code, static_cast<std::uint32_t>(area_codes.size()));
        if (added) area_codes.push_back(code);
        return it->second;
    };
    auto cell_key = [](std::uint32_t area, std::int32_t key, int sex) {
        return (static_cast<std::uint64_t>(area) << 34) | (static_cast<std::uint64_t>(static_cast<std::uint32_t>(key)) << 2) |
               static_cast<std::uint64_t>(sex);
    };

    // Counts per (area, period, sex) and, for standardisation, per age band.
    struct Cell {
        std::int64_t count = 0;
        double harm = 0;
        std::vector<double> by_band;
    };
    std::unordered_map<std::uint64_t, Cell> cells;
    std::optional<std::int32_t> lo_key, hi_key;
    auto in_range = [&](std::int32_t k) { return (!rq.from || k >= *rq.from) && (!rq.to || k <= *rq.to); };
    auto band_of = [&](int a) -> int {
        for (std::size_t b = 0; b < rq.standard.size(); ++b)
            if (a >= rq.standard[b].age_lo && a <= rq.standard[b].age_hi) return static_cast<int>(b);
        return -1;
    };
    auto harm_of = [&](CategoryId c) {
        auto it = rq.harm_weights.find(c);
        return it == rq.harm_weights.end() ? 0.0 : it->second;
    };
    auto add = [&](const std::string& area, std::int32_t key, int sex, std::int64_t n, CategoryId cat,
                   std::optional<int> a) {
        lo_key = lo_key ? std::min(*lo_key, key) : key;
        hi_key = hi_key ? std::max(*hi_key, key) : key;
        if (!in_range(key)) return;
        {
            int s = rq.by_sex ? sex : 0;
            Cell& c = cells[cell_key(area_id(area), key, s)];
            c.count += n;
            c.harm += harm_of(cat) * static_cast<double>(n);
            if (!rq.standard.empty() && a) {
                c.by_band.resize(rq.standard.size(), 0.0);
                if (int b = band_of(*a); b >= 0) c.by_band[static_cast<std::size_t>(b)] += static_cast<double>(n);
            }
        }
    };

    if (!in.from_counts) {
        bool warned_precision = false;
        for (const auto& g : in.events) {
            if (!PrecisionSupports(g.precision, rq.period)) {
                if (!warned_precision)
                    ThrowData("records from source '" + in.source + "' are dated to the " + PrecisionName(g.precision) +
                              " only, so they cannot be counted by " + PeriodKindName(rq.period) +
                              "; use --period month, quarter or year, or a source with exact dates");
            }
            if (rq.age || !rq.standard.empty()) {
                if (!g.age) {
                    result.events_without_age += g.count;
                    continue;
                }
                if (*g.age < age.lo || *g.age > age.hi) continue;
            }
            const std::string& area = area_of(g.lsoa, g.area_code);
            if (area.empty()) {
                result.events_without_area += g.count;
                continue;
            }
            int sex = g.sex == Sex::kMale ? 1 : g.sex == Sex::kFemale ? 2 : 3;
            add(area, PeriodKeyOf(rq.period, g.date), sex, g.count, g.category, g.age);
        }
    } else {
        if (rq.age || !rq.standard.empty())
            ThrowData("source '" + in.source + "' shares aggregate counts without ages; an age filter or age "
                      "standardisation needs records with ages");
        if (rq.by_sex) ThrowData("source '" + in.source + "' shares aggregate counts without sex; drop --sex");
        for (const auto& c : in.counts) {
            Date start = PeriodStart(c.period_kind, c.period_key), end = PeriodEnd(c.period_kind, c.period_key);
            if (PeriodKeyOf(rq.period, start) != PeriodKeyOf(rq.period, end))
                ThrowData("source '" + in.source + "' counts by " + PeriodKindName(c.period_kind) +
                          ", which cannot be split into " + PeriodKindName(rq.period) + "s; choose a longer --period");
            std::string area;
            if (all_level) area = "all";
            else if (c.area_level == rq.level) area = c.area_code;
            else if (c.area_level == "lsoa") area = area_of(c.area_code, "");
            if (area.empty()) {
                result.events_without_area += c.count;
                continue;
            }
            add(area, PeriodKeyOf(rq.period, start), 0, c.count, c.category, std::nullopt);
        }
    }

    // Population index at the requested level.
    std::unordered_set<std::string> level_codes;
    for (const auto& a : in.areas) level_codes.insert(a.code);
    bool direct = false;
    if (!all_level)
        for (const auto& p : in.population)
            if (level_codes.count(p.area_code)) {
                direct = true;
                break;
            }
    PopIndex pops;
    {
        // (year, area, sex, band) packed in 64 bits: year - 1800 (10 bits), area id (24), sex (2), lo (8), hi (10).
        auto pack = [](int year, std::uint32_t area, int sex, int lo, int hi) {
            return (static_cast<std::uint64_t>(year - 1800) << 44) | (static_cast<std::uint64_t>(area) << 20) |
                   (static_cast<std::uint64_t>(sex) << 18) | (static_cast<std::uint64_t>(lo) << 10) |
                   static_cast<std::uint64_t>(hi);
        };
        auto pack_ok = [](const store::PopulationRecord& p) {
            return p.year >= 1800 && p.year < 2800 && p.sex >= 0 && p.sex <= 2 && p.age_lo >= 0 && p.age_lo < 256 &&
                   p.age_hi >= 0 && p.age_hi < 1024;
        };
        // Packed keys sorted and merged: (year, area, sex) groups come out contiguous with their bands in order.
        std::vector<std::pair<std::uint64_t, double>> sums;
        sums.reserve(in.population.size());
        for (const auto& p : in.population) {
            if (!pack_ok(p)) continue;
            const std::string* area;
            if (direct) {
                if (!level_codes.count(p.area_code)) continue;
                area = &p.area_code;
            } else {
                bool is_lsoa = p.area_code.size() == 9 && (p.area_code.rfind("E01", 0) == 0 || p.area_code.rfind("W01", 0) == 0);
                if (!is_lsoa) continue;
                area = &area_of(p.area_code, kNone);
                if (area->empty()) continue;
            }
            sums.push_back({pack(p.year, area_id(*area), p.sex, p.age_lo, p.age_hi), p.population});
        }
        if (all_level && sums.empty()) // no LSOA population: London-wide from boroughs
            for (const auto& p : in.population)
                if (pack_ok(p) && p.area_code.rfind("E09", 0) == 0)
                    sums.push_back({pack(p.year, area_id(kAll), p.sex, p.age_lo, p.age_hi), p.population});
        auto merge = [&sums] {
            std::sort(sums.begin(), sums.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
            std::size_t out = 0;
            for (std::size_t i = 0; i < sums.size(); ++i) {
                if (out > 0 && sums[out - 1].first == sums[i].first) sums[out - 1].second += sums[i].second;
                else sums[out++] = sums[i];
            }
            sums.resize(out);
        };
        merge();
        auto find = [&sums](std::uint64_t key) -> const double* {
            auto it = std::lower_bound(sums.begin(), sums.end(), key,
                                       [](const auto& e, std::uint64_t k) { return e.first < k; });
            return it != sums.end() && it->first == key ? &it->second : nullptr;
        };
        // Populations given only by sex: both sexes together make the all-persons figure.
        std::vector<std::pair<std::uint64_t, double>> derived;
        for (const auto& [k, v] : sums) {
            if (((k >> 18) & 3) != 1) continue;
            std::uint64_t all_key = k & ~(std::uint64_t{3} << 18), female = all_key | (std::uint64_t{2} << 18);
            if (find(all_key)) continue;
            if (const double* f = find(female)) derived.push_back({all_key, v + *f});
        }
        if (!derived.empty()) {
            sums.insert(sums.end(), derived.begin(), derived.end());
            merge();
        }
        for (std::size_t i = 0; i < sums.size();) {
            const std::uint64_t group = sums[i].first >> 18; // year, area, sex
            int year = static_cast<int>(sums[i].first >> 44) + 1800;
            auto area = static_cast<std::uint32_t>((sums[i].first >> 20) & 0xFFFFFF);
            auto sex = static_cast<std::uint64_t>((sums[i].first >> 18) & 3);
            std::vector<Band> bands;
            for (; i < sums.size() && (sums[i].first >> 18) == group; ++i)
                bands.push_back({static_cast<int>((sums[i].first >> 10) & 0xFF), static_cast<int>(sums[i].first & 0x3FF),
                                 sums[i].second});
            pops[year][(static_cast<std::uint64_t>(area) << 2) | sex] = std::move(bands);
        }
    }
    std::vector<int> years;
    for (const auto& [y, m] : pops) years.push_back(y);
    auto nearest_year = [&](int y) -> std::optional<int> {
        if (years.empty()) return std::nullopt;
        int best = years.front();
        for (int v : years)
            if (std::abs(v - y) < std::abs(best - y)) best = v;
        return best;
    };
    // Check once that the age range fits the bands, with a message listing them.
    if (!pops.empty() && (rq.age || !rq.standard.empty())) {
        for (const auto& [y, m] : pops) {
            for (const auto& [key, bands] : m) {
                if (rq.age && !Tile(bands, age.lo, age.hi))
                    ThrowData("the age range " + AgeRangeLabel(age) + " does not fit the population's age bands for " +
                              std::to_string(y) + " (" + BandsList(bands) + "); choose a range made of whole bands");
                for (const auto& sb : rq.standard)
                    if (sb.age_lo >= age.lo && sb.age_hi <= age.hi && !Tile(bands, sb.age_lo, sb.age_hi))
                        ThrowData("the standard population's band " + BandLabel(sb.age_lo, sb.age_hi) +
                                  " does not fit the population's age bands (" + BandsList(bands) + ")");
                break;
            }
        }
    }
    auto pop_for = [&](const std::string& area, int year, int sex, int lo, int hi) -> std::optional<double> {
        auto y = pops.find(year);
        auto id = area_ids.find(area);
        if (y == pops.end() || id == area_ids.end() || sex == 3) return std::nullopt;
        auto it = y->second.find((static_cast<std::uint64_t>(id->second) << 2) | static_cast<std::uint64_t>(sex));
        if (it == y->second.end()) return std::nullopt;
        return Tile(it->second, lo, hi);
    };

    // Rows: every area x period x sex, zero counts included.
    std::set<std::string> area_set(level_codes.begin(), level_codes.end());
    if (all_level) area_set = {"all"};
    for (const auto& code : area_codes) area_set.insert(code);
    std::map<std::string, std::string> names;
    for (const auto& a : in.areas) names[a.code] = a.name;
    names["all"] = "All areas";
    std::int32_t first = rq.from.value_or(lo_key.value_or(0)), last = rq.to.value_or(hi_key.value_or(-1));
    if (!rq.from && !rq.to && !lo_key) first = 0, last = -1;
    // The exact interval depends on the count alone; counts repeat a great deal across areas and periods, and
    // each interval costs two gamma quantiles, so they are computed once per distinct count.
    std::unordered_map<std::int64_t, stats::Interval> intervals;
    auto interval_of = [&intervals](std::int64_t count) -> const stats::Interval& {
        auto it = intervals.find(count);
        if (it == intervals.end())
            it = intervals.emplace(count, stats::PoissonExactInterval(static_cast<double>(count))).first;
        return it->second;
    };
    std::vector<int> sexes = rq.by_sex ? std::vector<int>{1, 2, 3} : std::vector<int>{0};
    std::set<int> years_used;
    // Periods and their population years, the same for every area.
    struct PeriodInfo {
        std::int32_t key;
        std::string label;
        std::optional<int> pop_year;
    };
    std::vector<PeriodInfo> periods;
    for (std::int32_t key = first; key <= last; key = (rq.period == PeriodKind::kWeek ? key + 7 : key + 1))
        periods.push_back({key, PeriodLabel(rq.period, key), nearest_year(ToCivil(PeriodStart(rq.period, key)).year)});
    result.rows.reserve(area_set.size() * periods.size() * sexes.size());
    for (const auto& area : area_set) {
        auto name_it = names.find(area);
        const std::string& area_name = name_it == names.end() ? kNone : name_it->second;
        auto id = area_ids.find(area);
        // The population changes with the year only: remembered per sex for consecutive periods.
        std::optional<int> memo_year[4];
        std::optional<double> memo_pop[4];
        for (const PeriodInfo& period : periods) {
            const std::int32_t key = period.key;
            const auto& py = period.pop_year;
            for (int sex : sexes) {
                RatesRow r;
                r.area_code = area;
                r.area_name = area_name;
                r.period_key = key;
                r.period_label = period.label;
                r.sex = SexLabel(sex);
                auto it = id == area_ids.end() ? cells.end() : cells.find(cell_key(id->second, key, sex));
                if (it != cells.end()) {
                    r.count = it->second.count;
                    r.harm = it->second.harm;
                }
                if (py && sex != 3) {
                    if (memo_year[sex] != py) {
                        memo_year[sex] = py;
                        memo_pop[sex] = pop_for(area, *py, sex, age.lo, age.hi);
                    }
                    r.population = memo_pop[sex];
                    if (r.population) {
                        r.population_year = *py;
                        years_used.insert(*py);
                    }
                }
                if (r.population && *r.population > 0) {
                    const stats::Interval& ci = interval_of(r.count);
                    r.rate = static_cast<double>(r.count) / *r.population * kPer;
                    r.ci_low = ci.lower / *r.population * kPer;
                    r.ci_high = ci.upper / *r.population * kPer;
                    r.harm_rate = r.harm / *r.population * kPer;
                } else {
                    r.rate = r.ci_low = r.ci_high = r.harm_rate = kNaN;
                }
                r.adj_rate = r.adj_low = r.adj_high = kNaN;
                if (!rq.standard.empty() && py && sex != 3) {
                    std::vector<double> x, n, s;
                    bool ok = true;
                    for (std::size_t b = 0; b < rq.standard.size(); ++b) {
                        const auto& sb = rq.standard[b];
                        if (sb.age_lo < age.lo || sb.age_hi > age.hi) continue;
                        auto p = pop_for(area, *py, sex, sb.age_lo, sb.age_hi);
                        if (!p) {
                            ok = false;
                            break;
                        }
                        double cnt = (it != cells.end() && !it->second.by_band.empty()) ? it->second.by_band[b] : 0.0;
                        if (*p == 0 && cnt > 0) {
                            ok = false;
                            break;
                        }
                        x.push_back(cnt);
                        n.push_back(*p);
                        s.push_back(sb.population);
                    }
                    if (ok && !x.empty()) {
                        auto d = stats::DirectlyStandardise(x, n, s);
                        r.adj_rate = d.adjusted_rate * kPer;
                        r.adj_low = d.lower * kPer;
                        r.adj_high = d.upper * kPer;
                    }
                }
                result.rows.push_back(std::move(r));
            }
        }
    }
    if (result.events_without_area)
        result.notes.push_back(std::to_string(result.events_without_area) +
                               " records have no area at this level and are counted in no area's row");
    if (result.events_without_age)
        result.notes.push_back(std::to_string(result.events_without_age) +
                               " records have no age and are left out of the age-filtered counts");
    if (pops.empty()) result.notes.push_back("no population is loaded for these areas: rates are blank");
    for (int y : years_used) result.notes.push_back("population year used: " + std::to_string(y));
    return result;
}

io::Table RatesTable(const RatesResult& res, const RatesRequest& rq) {
    io::Table t;
    t.name = "rates";
    t.decimals = 2;
    t.columns = {"area_code", "area_name", "period"};
    if (rq.by_sex) t.columns.push_back("sex");
    for (const char* c : {"count", "population", "rate_per_100k", "ci_low", "ci_high"}) t.columns.push_back(c);
    if (rq.harm) {
        t.columns.push_back("harm");
        t.columns.push_back("harm_per_100k");
    }
    if (!rq.standard.empty())
        for (const char* c : {"adj_rate_per_100k", "adj_ci_low", "adj_ci_high"}) t.columns.push_back(c);
    for (const auto& r : res.rows) {
        std::vector<io::Cell> row = {r.area_code, r.area_name, r.period_label};
        if (rq.by_sex) row.push_back(r.sex);
        row.push_back(r.count);
        if (r.population) row.push_back(*r.population);
        else row.push_back(std::monostate{});
        row.push_back(r.rate);
        row.push_back(r.ci_low);
        row.push_back(r.ci_high);
        if (rq.harm) {
            row.push_back(r.harm);
            row.push_back(r.harm_rate);
        }
        if (!rq.standard.empty()) {
            row.push_back(r.adj_rate);
            row.push_back(r.adj_low);
            row.push_back(r.adj_high);
        }
        t.AddRow(std::move(row));
    }
    return t;
}

std::map<CategoryId, double> DefaultHarmWeights() {
    // docs/HARM.md: derived CCHI days (../shared/data/harm, a third-party aggregation of the Cambridge Crime Harm
    // Index to Home Office groups); group nodes use the national-count-weighted mean of their subgroups.
    static const std::pair<const char*, double> kWeights[] = {
        {"violence_and_sexual_offences", 194.21}, {"violence_against_the_person", 107.28},
        {"homicide", 5475.0}, {"violence_with_injury", 365.0}, {"violence_without_injury", 10.0},
        {"stalking_and_harassment", 10.0}, {"sexual_offences", 1002.55}, {"rape", 2555.0},
        {"other_sexual_offences", 182.25}, {"robbery", 365.0}, {"possession_of_weapons", 273.75},
        {"public_order", 7.5}, {"anti_social_behaviour", 0.0}, {"burglary", 244.68},
        {"criminal_damage_and_arson", 11.18}, {"drugs", 3.66}, {"bicycle_theft", 2.0}, {"other_theft", 2.0},
        {"shoplifting", 1.0}, {"theft_from_the_person", 2.0}, {"vehicle_crime", 5.0}, {"other_crime", 10.0},
    };
    std::map<CategoryId, double> m;
    for (auto [code, w] : kWeights) m[CategoryTree::Standard().Require(code)] = w;
    return m;
}

std::map<CategoryId, double> LoadHarmWeights(const std::string& path) {
    io::CsvReader reader(path);
    io::CsvRecord rec;
    if (!reader.Next(rec) || rec.fields.size() < 2 || io::Trim(rec.fields[0]) != "category" ||
        io::Trim(rec.fields[1]) != "weight")
        ThrowData(path + ": line 1: expected the header category,weight");
    std::map<CategoryId, double> m;
    while (reader.Next(rec)) {
        if (rec.fields.size() < 2) ThrowData(path + ": line " + std::to_string(rec.line) + ": expected category,weight");
        auto id = CategoryTree::Standard().Find(io::Trim(rec.fields[0]));
        if (!id) ThrowData(path + ": line " + std::to_string(rec.line) + ": unknown category '" + std::string(rec.fields[0]) + "'");
        std::string_view w = io::Trim(rec.fields[1]);
        double v = 0;
        auto [p, ec] = std::from_chars(w.data(), w.data() + w.size(), v);
        if (ec != std::errc() || p != w.data() + w.size() || v < 0)
            ThrowData(path + ": line " + std::to_string(rec.line) + ": column weight: expected a number >= 0, found '" + std::string(w) + "'");
        m[*id] = v;
    }
    return m;
}

std::vector<StandardBand> LoadStandardPopulation(const std::string& path) {
    io::CsvReader reader(path);
    io::CsvRecord rec;
    if (!reader.Next(rec) || rec.fields.size() < 2 || io::Trim(rec.fields[0]) != "age_band" ||
        io::Trim(rec.fields[1]) != "population")
        ThrowData(path + ": line 1: expected the header age_band,population");
    std::vector<StandardBand> out;
    while (reader.Next(rec)) {
        std::string where = path + ": line " + std::to_string(rec.line);
        if (rec.fields.size() < 2) ThrowData(where + ": expected age_band,population");
        auto r = ParseAgeRange(std::string(io::Trim(rec.fields[0])));
        if (!r) ThrowData(where + ": column age_band: expected A-B or A+, found '" + std::string(rec.fields[0]) + "'");
        std::string_view w = io::Trim(rec.fields[1]);
        double v = 0;
        auto [p, ec] = std::from_chars(w.data(), w.data() + w.size(), v);
        if (ec != std::errc() || p != w.data() + w.size() || v < 0)
            ThrowData(where + ": column population: expected a number >= 0, found '" + std::string(w) + "'");
        out.push_back({r->lo, r->hi, v});
    }
    if (out.empty()) ThrowData(path + ": the standard population has no bands");
    return out;
}

} // namespace vigil::surveillance
