#pragma once
// Count series for alerts from the store: one series per area (and, with --by, per sex, source or category)
// and period, built with the same counting as `vigil rates` (zero counts included, category subtree, age
// filter).
#include <optional>
#include <string>
#include <vector>

#include "vigil/core/period.hpp"
#include "vigil/surveillance/rates.hpp"
#include "vigil/surveillance/series_file.hpp"

namespace vigil::store {
class Store;
}

namespace vigil::surveillance {

struct StoreSeriesRequest {
    std::string level = "borough";         // lsoa | msoa | ward | borough | all
    PeriodKind period = PeriodKind::kWeek; // week or month
    CategoryId category = 0;
    std::optional<std::string> source; // nullopt: the only source holding the category
    std::optional<AgeRange> age;
    std::vector<std::string> by; // any of: sex, source, category, site, age
    std::vector<AgeRange> age_bands; // for --by age
};

struct StoreSeries {
    CountSeries series; // id "AREA[|sex][|source][|site][|age][|category]", labels are period labels
    std::string area_code, area_name, split; // split: the --by values, '|'-separated
    std::vector<std::int32_t> period_keys;   // the period of each point
};

// Throws kInvalidInput for an unknown --by or a period other than week or month, kData when the store holds
// nothing to count.
std::vector<StoreSeries> LoadStoreSeries(store::Store& store, const StoreSeriesRequest& request);

} // namespace vigil::surveillance
