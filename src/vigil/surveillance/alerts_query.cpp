#include "vigil/surveillance/alerts_query.hpp"

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
    bool by_sex = false, by_source = false, by_category = false;
    for (const auto& b : q.by) {
        if (b == "sex")
            by_sex = true;
        else if (b == "source")
            by_source = true;
        else if (b == "category")
            by_category = true;
        else
            ThrowInvalidInput("--by " + b +
                              ": alerts can be split by sex, source or category (by A&E site and age "
                              "band are not available yet)");
    }
    const CategoryTree& tree = CategoryTree::Standard();
    // The sources and categories to split by.
    std::vector<std::optional<std::string>> sources{q.source};
    if (by_source) {
        sources.clear();
        for (const auto& s : store.SourceNames())
            sources.push_back(s.source);
    }
    std::vector<CategoryId> categories{q.category};
    if (by_category) {
        categories.clear();
        for (CategoryId c = q.category + 1; c <= tree.Get(q.category).subtree_end; ++c)
            if (tree.Get(c).parent == q.category)
                categories.push_back(c);
        if (categories.empty())
            categories.push_back(q.category); // a leaf: itself
    }
    std::vector<StoreSeries> out;
    for (const auto& source : sources) {
        for (CategoryId cat : categories) {
            RatesRequest rq;
            rq.level = q.level;
            rq.period = q.period;
            rq.category = cat;
            rq.age = q.age;
            rq.by_sex = by_sex;
            RatesInput in;
            try {
                in = LoadRatesInput(store, rq, source);
            } catch (const Error& e) {
                // With --by source, a source without records of this category is simply not a series.
                if (by_source && e.kind() == ErrorKind::kInvalidInput)
                    continue;
                throw;
            }
            if (by_source && !in.from_counts && in.events.empty())
                continue;
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
                    if (by_sex)
                        add(r.sex);
                    if (by_source)
                        add(in.source);
                    if (by_category)
                        add(tree.Get(cat).code);
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
