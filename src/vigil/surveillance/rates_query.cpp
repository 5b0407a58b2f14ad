#include "vigil/surveillance/rates_query.hpp"

#include <cstdlib>
#include <future>
#include <set>

#include "vigil/core/error.hpp"
#include "vigil/store/store.hpp"

namespace vigil::surveillance {

RatesInput LoadRatesInput(store::Store& store, const RatesRequest& rq, const std::optional<std::string>& source) {
    RatesInput in;
    store::EventQuery eq;
    eq.level = rq.level;
    eq.category = rq.category;
    eq.source = source;
    eq.site = rq.site;
    if (rq.from) eq.from = PeriodStart(rq.period, *rq.from);
    if (rq.to) eq.to = PeriodEnd(rq.period, *rq.to);
    store::CountQuery cq;
    cq.category = rq.category;
    cq.source = source;

    std::set<std::string> event_sources, count_sources;
    for (const auto& s : store.SourceNames()) (s.kind == "events" ? event_sources : count_sources).insert(s.source);
    if (!source) {
        std::set<std::string> all = event_sources;
        all.insert(count_sources.begin(), count_sources.end());
        if (all.size() > 1) {
            std::string list;
            for (const auto& s : all) list += (list.empty() ? "" : ", ") + s;
            ThrowInvalidInput("records come from several sources (" + list +
                              "); adding them would count incidents more than once, so choose one with --source");
        }
        if (all.empty()) ThrowData("the store holds no events or counts yet; ingest some first (vigil ingest --help)");
        in.source = *all.begin();
        eq.source = cq.source = in.source;
    } else {
        in.source = *source;
        if (!event_sources.count(*source) && !count_sources.count(*source)) {
            std::string list;
            for (const auto& s : event_sources) list += (list.empty() ? "" : ", ") + s;
            for (const auto& s : count_sources) list += (list.empty() ? "" : ", ") + s;
            ThrowInvalidInput("no records from source '" + *source + "'; sources in the store: " +
                              (list.empty() ? std::string("none") : list));
        }
    }
    in.from_counts = !event_sources.count(in.source);
    if (in.from_counts) in.counts = store.Counts(cq);
    // Only the population years the periods will use (each period takes the nearest year held).
    std::optional<Date> first, last;
    if (rq.from) first = PeriodStart(rq.period, *rq.from);
    if (rq.to) last = PeriodEnd(rq.period, *rq.to);
    if (!first || !last) {
        std::optional<std::pair<Date, Date>> range;
        if (!in.from_counts) {
            range = store.EventDateRange(eq);
        } else {
            for (const auto& c : in.counts) {
                Date a = PeriodStart(c.period_kind, c.period_key), b = PeriodEnd(c.period_kind, c.period_key);
                range = range ? std::pair<Date, Date>{std::min(range->first, a), std::max(range->second, b)}
                              : std::pair<Date, Date>{a, b};
            }
        }
        if (range) {
            if (!first) first = range->first;
            if (!last) last = range->second;
        }
    }
    std::vector<int> held = store.PopulationYears(), wanted;
    if (first && last && !held.empty()) {
        std::set<int> years;
        for (int y = ToCivil(*first).year; y <= ToCivil(*last).year; ++y) {
            int best = held.front();
            for (int h : held)
                if (std::abs(h - y) < std::abs(best - y)) best = h;
            years.insert(best);
        }
        wanted.assign(years.begin(), years.end());
    }
    // Populations (millions of rows at LSOA level over ten years) are read on a second connection while this
    // one reads the events.
    std::future<std::vector<store::PopulationRecord>> population;
    if (!held.empty()) {
        population = std::async(std::launch::async, [&store, &wanted] {
            auto reader = store.OpenAnother();
            return reader->Population(wanted);
        });
    }
    if (!in.from_counts) in.events = store.GroupEvents(eq);
    if (rq.level != "all") in.areas = store.Areas(rq.level, false);
    in.lookups = store.AreaLookups();
    if (population.valid()) in.population = population.get();
    return in;
}

} // namespace vigil::surveillance
