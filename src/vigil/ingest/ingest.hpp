#pragma once
// Ingest: one file is one batch, read in a single transaction. Every row ends as accepted, updated (same
// identity, changed content), duplicate (same identity and content) or rejected with line, column, value and
// reason; rows_read = accepted + updated + duplicates + rejected. A file already ingested (same SHA-256 and
// profile) is skipped, so re-ingesting changes nothing.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "vigil/core/progress.hpp"
#include "vigil/ingest/locator.hpp"
#include "vigil/ingest/profile.hpp"
#include "vigil/ingest/pseudonymiser.hpp"
#include "vigil/store/records.hpp"

namespace vigil::store {
class Store;
}

namespace vigil::ingest {

struct IngestOptions {
    std::optional<Pseudonymiser> pseudonymiser;
    Region region;
    bool force = false; // read a file again even if its SHA-256 was ingested before
    std::optional<Date> today; // dates after this are rejected; default: the system clock
    // Built once and shared by the files of one command; when null, each file builds its own from the store.
    std::shared_ptr<const Locator> locator;
};

struct IngestResult {
    std::string path;
    std::string profile;
    std::string source;
    std::int64_t batch_id = 0;
    bool skipped = false;           // already ingested as skipped_as
    std::int64_t skipped_as = 0;
    store::BatchStats stats;
    std::string notes;              // JSON
};

IngestResult IngestEvents(store::Store& store, const std::string& path, const EventProfile& profile,
                          const IngestOptions& options, Progress& progress);

// police.uk files: picks the street-level or stop-and-search profile from the header.
const EventProfile& DetectPoliceProfile(const std::string& path);

// Aggregates: the plain long format or the Met Police wide borough/ward files (detected from the header).
IngestResult IngestCounts(store::Store& store, const std::string& path, const IngestOptions& options,
                          Progress& progress);

struct AreaIngestOptions {
    std::string level; // lsoa | msoa | ward | borough
    std::string code_field, name_field, parent_field, layer, assume_crs;
};
IngestResult IngestAreas(store::Store& store, const std::string& path, const AreaIngestOptions& options,
                         Progress& progress);
IngestResult IngestPopulation(store::Store& store, const std::string& path, const IngestOptions& options,
                              Progress& progress);
IngestResult IngestDeprivation(store::Store& store, const std::string& path, const IngestOptions& options,
                               Progress& progress);

// London borough names (as the Met writes them) to their ONS codes; nullopt for names without one.
std::optional<std::string> LondonBoroughCode(const std::string& name);

} // namespace vigil::ingest
