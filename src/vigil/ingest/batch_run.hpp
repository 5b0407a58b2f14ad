#pragma once
// Book-keeping shared by every ingest: the file's hash and the skip rule, the batch and its transaction,
// the four-way tally of rows, rejects, and the header check. Internal to the ingest module.
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "vigil/core/progress.hpp"
#include "vigil/ingest/ingest.hpp"
#include "vigil/io/csv_reader.hpp"
#include "vigil/store/store.hpp"

namespace vigil::ingest {

class BatchRun {
public:
    // Returns false (and fills result.skipped) when the file was ingested before and force is off.
    BatchRun(store::Store& store, const std::string& path, const std::string& source, const std::string& kind,
             const std::string& profile, bool force);
    bool skipped() const { return result_.skipped; }

    store::BatchWriter& writer() { return *writer_; }
    void Count(store::PutResult r);
    void Reject(std::int64_t line, const std::string& column, const std::string& value, const std::string& reason,
                const std::string& raw);
    void RowRead() { ++result_.stats.rows_read; }
    nlohmann::json& notes() { return notes_; }
    IngestResult Finish();
    IngestResult& result() { return result_; }

private:
    store::Store& store_;
    std::unique_ptr<store::BatchWriter> writer_;
    IngestResult result_;
    nlohmann::json notes_ = nlohmann::json::object();
    std::map<std::string, std::int64_t> reject_reasons_;
};

// Column positions by name (names trimmed); throws kData naming every missing required column.
class Header {
public:
    Header(const io::CsvRecord& rec, const std::string& path);
    int Find(const std::string& name) const; // -1 when absent
    void Require(const std::vector<std::string>& names, const std::string& what) const;
    std::size_t size() const { return names_.size(); }
    const std::vector<std::string>& names() const { return names_; }
    // The name of column i (0-based), or "" when i is not a column (-1 for "no column").
    std::string Name(int i) const {
        return i >= 0 && static_cast<std::size_t>(i) < names_.size() ? names_[static_cast<std::size_t>(i)] : std::string();
    }

private:
    std::string path_;
    std::vector<std::string> names_;
    std::map<std::string, int> index_;
};

// A stray value shortened for messages.
std::string Clip(std::string_view s, std::size_t n = 80);

} // namespace vigil::ingest
