#include "vigil/ingest/batch_run.hpp"

#include "vigil/core/error.hpp"
#include "vigil/ingest/hashing.hpp"

namespace vigil::ingest {

std::string Clip(std::string_view s, std::size_t n) {
    if (s.size() <= n) return std::string(s);
    return std::string(s.substr(0, n)) + "...";
}

BatchRun::BatchRun(store::Store& store, const std::string& path, const std::string& source, const std::string& kind,
                   const std::string& profile, bool force)
    : store_(store) {
    result_.path = path;
    result_.profile = profile;
    result_.source = source;
    std::string sha = Sha256File(path);
    if (!force) {
        if (auto previous = store.FindBatch(sha, profile)) {
            result_.skipped = true;
            result_.skipped_as = previous->id;
            result_.batch_id = previous->id;
            return;
        }
    }
    writer_ = store.BeginBatch(store::BatchInfo{source, kind, profile, path, sha, ""});
    result_.batch_id = writer_->batch_id();
}

void BatchRun::Count(store::PutResult r) {
    switch (r) {
    case store::PutResult::kAccepted: ++result_.stats.accepted; break;
    case store::PutResult::kUpdated: ++result_.stats.updated; break;
    case store::PutResult::kDuplicate: ++result_.stats.duplicates; break;
    }
}

void BatchRun::Reject(std::int64_t line, const std::string& column, const std::string& value,
                      const std::string& reason, const std::string& raw) {
    ++result_.stats.rejected;
    ++reject_reasons_[reason.substr(0, reason.find(':'))];
    writer_->AddReject(store::RejectRecord{0, result_.path, line, column, Clip(value, 200), reason, Clip(raw, 2000)});
}

IngestResult BatchRun::Finish() {
    if (!reject_reasons_.empty()) notes_["reject_reasons"] = reject_reasons_;
    result_.notes = notes_.dump();
    const auto& s = result_.stats;
    if (s.rows_read != s.accepted + s.updated + s.duplicates + s.rejected)
        ThrowInternal("row tally does not reconcile for " + result_.path);
    writer_->Commit(result_.stats, result_.notes);
    return result_;
}

Header::Header(const io::CsvRecord& rec, const std::string& path) : path_(path) {
    if (!rec.problem.empty()) ThrowData(path + ": line 1: the header is malformed: " + rec.problem);
    for (std::size_t i = 0; i < rec.fields.size(); ++i) {
        std::string name(io::Trim(rec.fields[i]));
        if (!io::IsValidUtf8(name)) ThrowData(path + ": line 1: column " + std::to_string(i + 1) + " is not UTF-8");
        names_.push_back(name);
        index_.emplace(name, static_cast<int>(i));
    }
}

int Header::Find(const std::string& name) const {
    auto it = index_.find(name);
    return it == index_.end() ? -1 : it->second;
}

void Header::Require(const std::vector<std::string>& names, const std::string& what) const {
    std::string missing;
    for (const auto& n : names)
        if (Find(n) < 0) missing += (missing.empty() ? "" : ", ") + n;
    if (missing.empty()) return;
    std::string found;
    for (const auto& n : names_) found += (found.empty() ? "" : ", ") + n;
    ThrowData(path_ + ": line 1: not " + what + ": missing column(s) " + missing + " (the header has: " +
              Clip(found, 400) + ")");
}

} // namespace vigil::ingest
