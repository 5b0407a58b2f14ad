#include "vigil/surveillance/alerts_query.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "vigil/core/error.hpp"
#include "vigil/model/category.hpp"
#include "vigil/store/store.hpp"
#include "vigil/surveillance/rates_query.hpp"

namespace vigil::surveillance {

std::vector<StoreSeries> LoadStoreSeries(store::Store& store, const StoreSeriesRequest& q) {
    if (q.period != PeriodKind::kWeek && q.period != PeriodKind::kMonth)
        ThrowInvalidInput("alerts run on weekly or monthly series: --period week or month");
    bool by_sex = false, by_source = false, by_category = false, by_site = false, by_age = false;
    for (const auto& b : q.by) {
        if (b == "sex") by_sex = true;
        else if (b == "source") by_source = true;
        else if (b == "category") by_category = true;
        else if (b == "site") by_site = true;
        else if (b == "age") by_age = true;
        else ThrowInvalidInput("--by " + b + ": alerts can be split by sex, source, category, site or age");
    }
    if (by_age && q.age) ThrowInvalidInput("--by age splits into --age-bands; give one or the other, not --age too");
    if (by_site && !q.source) ThrowInvalidInput("--by site needs --source (the source whose sites to split by)");
    const CategoryTree& tree = CategoryTree::Standard();
    // What to split by: sources, treatment sites, age bands, categories.
    std::vector<std::optional<std::string>> sources{q.source};
    if (by_source) {
        sources.clear();
        for (const auto& s : store.SourceNames()) sources.push_back(s.source);
    }
    std::vector<std::optional<AgeRange>> ages{q.age};
    if (by_age) {
        ages.assign(q.age_bands.begin(), q.age_bands.end());
        if (ages.empty()) ThrowInvalidInput("--by age needs age bands (--age-bands)");
    }
    std::vector<CategoryId> categories{q.category};
    if (by_category) {
        categories.clear();
        for (CategoryId c = q.category + 1; c <= tree.Get(q.category).subtree_end; ++c)
            if (tree.Get(c).parent == q.category) categories.push_back(c);
        if (categories.empty()) categories.push_back(q.category); // a leaf: itself
    }
    std::vector<StoreSeries> out;
    for (const auto& source : sources) {
        std::vector<std::optional<std::string>> sites{std::nullopt};
        if (by_site) {
            sites.assign({});
            for (const auto& site : store.EventSites(*source)) sites.push_back(site);
            if (sites.empty())
                ThrowData("source '" + *source + "' names no treatment sites, so --by site has nothing to split");
        }
        for (const auto& site : sites) {
            for (const auto& age : ages) {
                for (CategoryId cat : categories) {
                    RatesRequest rq;
                    rq.level = q.level;
                    rq.period = q.period;
                    rq.category = cat;
                    rq.age = age;
                    rq.by_sex = by_sex;
                    rq.site = site;
                    RatesInput in;
                    try {
                        in = LoadRatesInput(store, rq, source);
                    } catch (const Error& e) {
                        // With --by source, a source without records of this category is simply not a series.
                        if (by_source && e.kind() == ErrorKind::kInvalidInput) continue;
                        throw;
                    }
                    if (by_source && !in.from_counts && in.events.empty()) continue;
                    // Alerts count: no population is needed (and an age band need not fit the population's).
                    in.population.clear();
                    const RatesResult res = ComputeRates(in, rq);
                    // Rows come by area, then period, then sex: one series per (area, sex).
                    std::map<std::pair<std::string, std::string>, std::size_t> index;
                    for (const auto& r : res.rows) {
                        auto key = std::make_pair(r.area_code, by_sex ? r.sex : std::string());
                        auto [it, added] = index.try_emplace(key, out.size());
                        if (added) {
                            StoreSeries s;
                            s.area_code = r.area_code;
                            s.area_name = r.area_name;
                            std::string split;
                            auto add = [&split](const std::string& v) { split += (split.empty() ? "" : "|") + v; };
                            if (by_sex) add(r.sex);
                            if (by_source) add(in.source);
                            if (by_site) add(*site);
                            if (by_age) add(AgeRangeLabel(*age));
                            if (by_category) add(tree.Get(cat).code);
                            s.split = split;
                            s.series.id = split.empty() ? r.area_code : r.area_code + "|" + split;
                            out.push_back(std::move(s));
                        }
                        StoreSeries& s = out[it->second];
                        s.series.counts.push_back(static_cast<double>(r.count));
                        s.series.labels.push_back(r.period_label);
                        s.period_keys.push_back(r.period_key);
                    }
                }
            }
        }
    }
    // Splits count from their own first to last record; all series must share the same periods (t indexes the
    // same period in every series), so each is extended with zero counts to the span of all of them.
    if (!out.empty()) {
        std::int32_t lo = out.front().period_keys.front(), hi = out.front().period_keys.back();
        for (const auto& s : out)
            if (!s.period_keys.empty()) {
                lo = std::min(lo, s.period_keys.front());
                hi = std::max(hi, s.period_keys.back());
            }
        const auto next = [&](std::int32_t k) { return q.period == PeriodKind::kWeek ? k + 7 : k + 1; };
        for (auto& s : out) {
            if (!s.period_keys.empty() && s.period_keys.front() == lo && s.period_keys.back() == hi) continue;
            StoreSeries padded = s;
            padded.series.counts.clear();
            padded.series.labels.clear();
            padded.period_keys.clear();
            std::size_t j = 0;
            for (std::int32_t k = lo; k <= hi; k = next(k)) {
                const bool held = j < s.period_keys.size() && s.period_keys[j] == k;
                padded.series.counts.push_back(held ? s.series.counts[j] : 0.0);
                padded.series.labels.push_back(PeriodLabel(q.period, k));
                padded.period_keys.push_back(k);
                if (held) ++j;
            }
            s = std::move(padded);
        }
    }
    // The week (YYYY-Www) or month (YYYY-MM) of the first point places the yearly wave of the GLM-based
    // methods.
    for (auto& s : out)
        if (!s.series.labels.empty()) {
            const std::string& l = s.series.labels.front();
            s.series.start_week = std::stoi(l.substr(q.period == PeriodKind::kWeek ? 6 : 5));
        }
    if (out.empty())
        ThrowData("no series to judge: the store holds no records for this request");
    return out;
}

} // namespace vigil::surveillance
