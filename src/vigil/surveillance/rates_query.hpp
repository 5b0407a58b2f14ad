#pragma once
// Reads what ComputeRates needs from the store: the records of one source for the category (events or
// aggregate counts), the areas at the level, the LSOA lookups and the population.
#include <optional>
#include <string>

#include "vigil/surveillance/rates.hpp"

namespace vigil::store {
class Store;
}

namespace vigil::surveillance {

// source: a source name, or nullopt to use the only source holding records of the category (several -> kData
// listing them, since adding police, A&E and ambulance records would count incidents more than once).
RatesInput LoadRatesInput(store::Store& store, const RatesRequest& request, const std::optional<std::string>& source);

} // namespace vigil::surveillance
