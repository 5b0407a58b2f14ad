#pragma once
// The Store interface: everything above it (ingest, analyses, front ends) reaches the data only through
// this, so that the PostgreSQL store can follow the SQLite one without touching callers.
// Writes happen in batches: one batch per ingested file, one transaction per batch, so a crash mid-file
// leaves the store as it was before the file.
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "vigil/store/records.hpp"

namespace vigil::store {

class BatchWriter {
public:
    virtual ~BatchWriter() = default; // without Commit, everything written is rolled back
    virtual std::int64_t batch_id() const = 0;
    virtual PutResult PutEvent(const EventRecord& e) = 0;
    virtual PutResult PutCount(const CountRecord& c) = 0;
    virtual PutResult PutArea(const AreaRecord& a) = 0;
    virtual PutResult PutPopulation(const PopulationRecord& p) = 0;
    virtual PutResult PutDeprivation(const DeprivationRecord& d) = 0;
    virtual void PutAreaLookup(const AreaLookup& l) = 0; // replaces the row for (lsoa, level)
    virtual void AddReject(const RejectRecord& r) = 0;
    virtual void Commit(const BatchStats& stats, const std::string& notes_json) = 0;
};

class Store {
public:
    virtual ~Store() = default;

    virtual std::optional<BatchRecord> FindBatch(const std::string& sha256, const std::string& profile) = 0;
    virtual std::unique_ptr<BatchWriter> BeginBatch(const BatchInfo& info) = 0;
    virtual std::vector<BatchRecord> Batches() = 0;
    virtual std::vector<RejectRecord> Rejects(std::optional<std::int64_t> batch_id, std::int64_t limit) = 0;

    virtual std::vector<AreaRecord> Areas(const std::string& level, bool with_geometry) = 0;
    virtual std::vector<AreaLookup> AreaLookups() = 0;
    virtual std::vector<EventGroup> GroupEvents(const EventQuery& q) = 0;
    // The treatment sites (A&E departments, stations) that a source's events name, sorted.
    virtual std::vector<std::string> EventSites(const std::string& source) = 0;
    virtual std::vector<CountRecord> Counts(const CountQuery& q) = 0;
    // Population of the given years (all years when empty), and the years held.
    virtual std::vector<PopulationRecord> Population(const std::vector<int>& years = {}) = 0;
    virtual std::vector<int> PopulationYears() = 0;
    // First and last stored date of events matching the query's category and source (level ignored).
    virtual std::optional<std::pair<Date, Date>> EventDateRange(const EventQuery& q) = 0;
    // First day of the earliest and last day of the latest period held for aggregates of one source.
    virtual std::optional<std::pair<Date, Date>> CountDateRange(const std::string& source) = 0;
    virtual std::vector<DeprivationRecord> Deprivation() = 0;

    // Totals for reconciliation checks and the summary: events per source, count cells per source.
    // Each source with its kind and records (events: how many; counts: the sum of the counts).
    virtual std::vector<SourceSummary> Sources() = 0;
    // The same without the totals (records = -1), from an index: cheap on a large store.
    virtual std::vector<SourceSummary> SourceNames() = 0;
    virtual std::int64_t EventTotal(const std::optional<std::string>& source) = 0;

    // Remembers alarms raised by `vigil alerts`; returns, for each, whether it is new (no earlier run with the same
    // signature raised it). One transaction.
    virtual std::vector<bool> RememberAlerts(const std::vector<AlertRecord>& alarms) = 0;

    // A second connection to the same store, so that another thread can read while this one does. Each
    // Store object must be used by one thread at a time.
    virtual std::unique_ptr<Store> OpenAnother() = 0;
};

// Opens (creating if needed) the SQLite store at `path` and migrates it to the current schema.
std::unique_ptr<Store> OpenSqliteStore(const std::string& path);

} // namespace vigil::store
