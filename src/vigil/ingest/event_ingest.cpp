// Event ingest driven by a declarative profile (profile.hpp). Identity rules are documented in
// docs/IDENTITY.md: a source record id where the source has one; otherwise the row's content plus its
// occurrence number among identical rows of the same file, which depends neither on the file's name nor on
// the row's position, so a re-issued copy of a month adds nothing twice.
#include <charconv>
#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>
#include <cstdio>
#include <cmath>
#include <ctime>
#include <unordered_map>

#include "vigil/core/error.hpp"
#include "vigil/geo/crs.hpp"
#include "vigil/ingest/batch_run.hpp"
#include "vigil/ingest/hashing.hpp"
#include "vigil/ingest/ingest.hpp"
#include "vigil/ingest/reference_support.hpp"
#include "vigil/store/store.hpp"

namespace vigil::ingest {
namespace {


bool ParseDouble(std::string_view s, double& out) {
    if (s.empty()) return false;
    if (s.front() == '+') s.remove_prefix(1);
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && p == s.data() + s.size() && std::isfinite(out);
}

bool ParseInt(std::string_view s, int& out) {
    if (s.empty()) return false;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && p == s.data() + s.size();
}

std::optional<Sex> ParseSex(std::string_view v) {
    std::string s = Lower(v);
    if (s.empty() || s == "unknown" || s == "not known" || s == "0" || s == "9" || s == "x" || s == "u" ||
        s == "other" || s == "not specified" || s == "indeterminate")
        return Sex::kUnknown;
    if (s == "male" || s == "m" || s == "1") return Sex::kMale;
    if (s == "female" || s == "f" || s == "2") return Sex::kFemale;
    return std::nullopt;
}

std::optional<bool> ParseBool(std::string_view v) {
    std::string s = Lower(v);
    if (s == "true" || s == "1" || s == "yes" || s == "y") return true;
    if (s == "false" || s == "0" || s == "no" || s == "n") return false;
    return std::nullopt;
}


bool ValidSourceName(std::string_view s) {
    if (s.empty() || s.size() > 40) return false;
    for (char c : s)
        if (!(std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '_'))
            return false;
    return true;
}

Date Today() {
    std::time_t t = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&t, &tm);
    return *MakeDate(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

// Clears a record for the next row, keeping its strings' capacity.
void ResetEvent(store::EventRecord& e) {
    e.source.clear();
    e.record_id.clear();
    e.content_hash = 0;
    e.date = 0;
    e.precision = DatePrecision::kDay;
    e.minute.reset();
    e.x.reset();
    e.y.reset();
    e.lon.reset();
    e.lat.reset();
    e.loc_precision.clear();
    e.lsoa.clear();
    e.msoa.clear();
    e.ward.clear();
    e.borough.clear();
    e.category = 0;
    e.source_category.clear();
    e.weapon = Weapon::kUnknown;
    e.age.reset();
    e.sex = Sex::kUnknown;
    e.domestic.reset();
    e.site.clear();
    e.person_ids.clear();
    e.attrs.clear();
}

// JSON string literal (RFC 8259 escaping) appended to out; the input is valid UTF-8.
void AppendJsonString(std::string& out, std::string_view s) {
    out += '"';
    for (char c : s) {
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
            if (static_cast<unsigned char>(c) < 0x20) {
                char buf[8];
                std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(static_cast<unsigned char>(c)));
                out += buf;
            } else {
                out += c;
            }
        }
    }
    out += '"';
}

// One prepared row: an event to store or a reject to record.
struct Item {
    bool is_reject = false;
    std::int64_t line = 0;
    std::string column, value, reason, raw;
    store::EventRecord e;
    void Reject(std::int64_t l, std::string c, std::string v, std::string r, std::string text) {
        is_reject = true;
        line = l;
        column = std::move(c);
        value = std::move(v);
        reason = std::move(r);
        raw = std::move(text);
    }
};

struct Block {
    static constexpr std::size_t kSize = 2048;
    std::vector<Item> items = std::vector<Item>(kSize);
    std::size_t count = 0;
};

// Hands blocks from the reader thread to the writer and back; three blocks bound the memory in flight.
class BlockQueue {
public:
    BlockQueue() {
        for (auto& b : blocks_) free_.push_back(&b);
    }
    Block* TakeFree() {
        std::unique_lock lock(mu_);
        cv_.wait(lock, [&] { return !free_.empty() || cancelled_; });
        if (cancelled_) return nullptr;
        Block* b = free_.back();
        free_.pop_back();
        return b;
    }
    void PushFull(Block* b) {
        {
            std::lock_guard lock(mu_);
            full_.push_back(b);
        }
        cv_.notify_all();
    }
    Block* TakeFull() { // nullptr when the reader has finished (or failed) and everything was taken
        std::unique_lock lock(mu_);
        cv_.wait(lock, [&] { return !full_.empty() || finished_; });
        if (full_.empty()) return nullptr;
        Block* b = full_.front();
        full_.pop_front();
        return b;
    }
    void PushFree(Block* b) {
        {
            std::lock_guard lock(mu_);
            free_.push_back(b);
        }
        cv_.notify_all();
    }
    void Finish() {
        {
            std::lock_guard lock(mu_);
            finished_ = true;
        }
        cv_.notify_all();
    }
    void Fail(std::exception_ptr e) {
        {
            std::lock_guard lock(mu_);
            error_ = e;
            finished_ = true;
            full_.clear(); // a failed file is not written at all
        }
        cv_.notify_all();
    }
    void Cancel() {
        {
            std::lock_guard lock(mu_);
            cancelled_ = true;
        }
        cv_.notify_all();
    }
    void RethrowIfFailed() {
        if (error_) std::rethrow_exception(error_);
    }

private:
    std::mutex mu_;
    std::condition_variable cv_;
    Block blocks_[3];
    std::vector<Block*> free_;
    std::deque<Block*> full_;
    bool finished_ = false, cancelled_ = false;
    std::exception_ptr error_;
};


// Column indexes resolved once per file.
struct Columns {
    int source = -1, time = -1, x = -1, y = -1, lon = -1, lat = -1, lsoa = -1, category = -1, weapon = -1, age = -1,
        sex = -1, domestic = -1, site = -1;
    std::vector<int> identity, identity_content, content, date, identifiers, person_key, attrs;
    std::vector<std::string> attr_names, identifier_names, person_key_names;
};

} // namespace

const EventProfile& DetectPoliceProfile(const std::string& path) {
    io::CsvReader reader(path);
    io::CsvRecord rec;
    if (!reader.Next(rec)) ThrowData(path + ": the file is empty (no header)");
    Header h(rec, path);
    if (h.Find("Crime ID") >= 0 || h.Find("Crime type") >= 0) return BuiltinProfile("police_uk_street");
    if (h.Find("Object of search") >= 0 || h.Find("Type") >= 0) return BuiltinProfile("police_uk_stop_search");
    h.Require(BuiltinProfile("police_uk_street").required, "a police.uk street-level or stop-and-search file");
    return BuiltinProfile("police_uk_street");
}

IngestResult IngestEvents(store::Store& store, const std::string& path, const EventProfile& p,
                          const IngestOptions& options, Progress& progress) {
    io::CsvReader reader(path);
    io::CsvRecord rec;
    if (!reader.Next(rec)) ThrowData(path + ": the file is empty (no header)");
    Header header(rec, path);
    std::vector<std::string> required = p.required;
    header.Require(required, "a " + p.name + " file (" + p.description + ")");

    Columns col;
    auto find = [&](const std::string& name) { return name.empty() ? -1 : header.Find(name); };
    col.source = find(p.source_column);
    col.time = find(p.time_column);
    col.x = find(p.x_column);
    col.y = find(p.y_column);
    col.lon = find(p.lon_column);
    col.lat = find(p.lat_column);
    col.lsoa = find(p.lsoa_column);
    col.category = find(p.category_column);
    col.weapon = find(p.weapon_column);
    col.age = find(p.age_column);
    col.sex = find(p.sex_column);
    col.domestic = find(p.domestic_column);
    col.site = find(p.site_column);
    if (!p.category_fixed && col.category < 0) header.Require({p.category_column}, "a " + p.name + " file");
    for (const auto& c : p.identity_columns) col.identity.push_back(find(c));
    for (const auto& c : p.date_columns)
        if (int i = find(c); i >= 0) col.date.push_back(i);
    if (col.date.empty()) header.Require({p.date_columns.front()}, "a " + p.name + " file");
    for (const auto& c : p.identifier_columns)
        if (int i = find(c); i >= 0) {
            col.identifiers.push_back(i);
            col.identifier_names.push_back(c);
        }
    for (const auto& c : p.person_key_columns)
        if (int i = find(c); i >= 0) {
            col.person_key.push_back(i);
            col.person_key_names.push_back(c);
        }
    for (const auto& c : p.attr_columns)
        if (int i = find(c); i >= 0) {
            col.attrs.push_back(i);
            col.attr_names.push_back(c);
        }
    std::vector<bool> is_identifier(header.size(), false);
    for (int i : col.identifiers) is_identifier[static_cast<std::size_t>(i)] = true;
    if (p.content_columns.empty()) {
        for (std::size_t i = 0; i < header.size(); ++i)
            if (!is_identifier[i]) col.content.push_back(static_cast<int>(i));
    } else {
        for (const auto& c : p.content_columns) col.content.push_back(find(c));
    }
    for (const auto& c : p.identity_content_columns) col.identity_content.push_back(find(c));
    if (col.identity_content.empty()) col.identity_content = col.content;
    if (!col.identifiers.empty() && !options.pseudonymiser) {
        std::string names;
        for (const auto& n : col.identifier_names) names += (names.empty() ? "" : ", ") + n;
        ThrowInvalidInput(path + ": the file carries direct identifiers (" + names +
                          ") and no pseudonymisation key is configured, so it was not read. Set "
                          "VIGIL_PSEUDONYM_KEY_FILE to a file holding the key (docs/PRIVACY.md).");
    }

    BatchRun run(store, path, p.source.empty() ? "events" : p.source, "events", p.name, options.force);
    if (run.skipped()) return run.result();

    std::vector<std::string> unused;
    for (const auto& n : header.names()) {
        bool used = false;
        for (const auto& want : {p.source_column, p.time_column, p.x_column, p.y_column, p.lon_column,
                                 p.lat_column, p.lsoa_column, p.category_column, p.weapon_column, p.age_column,
                                 p.sex_column, p.domestic_column, p.site_column})
            used = used || (n == want);
        for (const auto& v : {p.identity_columns, p.content_columns, p.date_columns, p.identifier_columns,
                              p.attr_columns})
            for (const auto& w : v) used = used || n == w;
        if (!used) unused.push_back(n);
    }
    if (!unused.empty()) run.notes()["columns_not_used"] = unused;
    if (reader.had_bom()) run.notes()["byte_order_mark"] = true;

    std::shared_ptr<const Locator> locator = options.locator ? options.locator : std::make_shared<Locator>(store);
    LocateStats locate_stats;
    const Date today = options.today.value_or(Today());
    const Date earliest = *MakeDate(1900, 1, 1);
    const CategoryTree& tree = CategoryTree::Standard();
    std::unordered_map<std::uint64_t, std::uint32_t> occurrences; // content identity -> times seen in this file
    std::int64_t content_identities = 0;
    std::string masked;

    // Turns one CSV record into an event or a reject; runs on the reader thread.
    auto prepare = [&](const io::CsvRecord& rec, Item& item) {
        item.is_reject = false;
        store::EventRecord& e = item.e;
        // Raw text for rejects; identifier fields are masked so they never reach the store.
        auto raw_for_reject = [&]() -> std::string {
            if (col.identifiers.empty()) return std::string(rec.raw);
            if (!rec.problem.empty() || rec.fields.size() != header.size()) return "<withheld: row carries identifiers>";
            masked.clear();
            for (std::size_t i = 0; i < rec.fields.size(); ++i) {
                if (i) masked += ',';
                masked += is_identifier[i] ? std::string("<redacted>") : std::string(rec.fields[i]);
            }
            return masked;
        };
        if (!rec.problem.empty()) {
            item.Reject(rec.line, header.Name(rec.problem_column - 1), "",
                       "malformed CSV: " + rec.problem, raw_for_reject());
            return;
        }
        if (rec.fields.size() != header.size()) {
            item.Reject(rec.line, "", "",
                       "wrong number of fields: expected " + std::to_string(header.size()) + ", found " +
                           std::to_string(rec.fields.size()),
                       raw_for_reject());
            return;
        }
        auto field = [&](int i) -> std::string_view {
            return i < 0 ? std::string_view() : io::Trim(rec.fields[static_cast<std::size_t>(i)]);
        };
        std::optional<RowError> err;
        auto fail = [&](int c, std::string_view value, std::string reason) {
            if (!err) err = RowError{header.Name(c), is_identifier.size() > static_cast<std::size_t>(std::max(c, 0)) && c >= 0 && is_identifier[static_cast<std::size_t>(c)] ? "<redacted>" : std::string(value), std::move(reason)};
        };
        for (std::size_t i = 0; i < rec.fields.size() && !err; ++i)
            if (!io::IsValidUtf8(rec.fields[i])) fail(static_cast<int>(i), "", "the value is not valid UTF-8");
        if (err) {
            item.Reject(rec.line, err->column, err->value, err->reason, "<withheld: not valid UTF-8>");
            return;
        }

        ResetEvent(e);
        // source
        if (col.source >= 0) {
            std::string_view s = field(col.source);
            if (!ValidSourceName(s)) fail(col.source, s, "expected a source name of lower-case letters, digits and _");
            e.source = std::string(s);
        } else {
            e.source = p.source;
        }
        // date
        int date_col = -1;
        std::string_view date_text;
        for (int c : col.date)
            if (!field(c).empty()) {
                date_col = c;
                date_text = field(c);
                break;
            }
        if (date_col < 0) {
            fail(col.date.front(), "", "no date");
        } else {
            std::optional<Date> d;
            std::optional<int> minute;
            DatePrecision prec = DatePrecision::kDay;
            std::string expected;
            switch (p.date_format) {
            case DateFormat::kYearMonth:
                d = ParseYearMonth(date_text);
                prec = DatePrecision::kMonth;
                expected = "YYYY-MM";
                break;
            case DateFormat::kDate:
                d = ParseIsoDate(date_text);
                expected = "YYYY-MM-DD";
                break;
            case DateFormat::kDateTime:
            case DateFormat::kAuto:
                if (p.date_format == DateFormat::kAuto && date_text.size() == 7) {
                    d = ParseYearMonth(date_text);
                    prec = DatePrecision::kMonth;
                } else if (auto dt = ParseDateTime(date_text)) {
                    d = dt->date;
                    minute = dt->minute_of_day;
                }
                expected = p.date_format == DateFormat::kAuto ? "YYYY-MM-DD or YYYY-MM"
                                                               : "a date and time such as 2024-03-01 21:40";
                break;
            }
            if (!d) fail(date_col, date_text, "not a valid date: expected " + expected);
            else if (*d > today) fail(date_col, date_text, "the date is in the future");
            else if (*d < earliest) fail(date_col, date_text, "the date is before 1900");
            else {
                e.date = *d;
                e.precision = prec;
                e.minute = minute;
            }
            if (col.time >= 0 && !field(col.time).empty() && !err) {
                std::string t = "2000-01-01 " + std::string(field(col.time));
                auto dt = ParseDateTime(t);
                if (!dt || !dt->minute_of_day) fail(col.time, field(col.time), "not a valid time: expected HH:MM");
                else e.minute = dt->minute_of_day;
            }
        }
        // category
        std::string_view cat_text;
        if (p.category_fixed) {
            e.category = *p.category_fixed;
        } else {
            cat_text = field(col.category);
            e.source_category = std::string(cat_text);
            if (p.category_codes) {
                if (auto id = tree.Find(cat_text)) e.category = *id;
                else fail(col.category, cat_text, "unknown category; expected a node of the category tree (docs/CATEGORIES.md)");
            } else {
                auto it = p.category_map.find(std::string(cat_text));
                if (it != p.category_map.end()) e.category = it->second;
                else if (p.category_default) e.category = *p.category_default;
                else fail(col.category, cat_text, "unknown crime type for profile " + p.name + " (docs/CATEGORIES.md lists the mapping)");
            }
        }
        // location
        double a = 0, b = 0;
        std::string_view xs = field(col.x), ys = field(col.y), lons = field(col.lon), lats = field(col.lat);
        if (!xs.empty() || !ys.empty()) {
            if (!ParseDouble(xs, a)) fail(col.x, xs, "expected an easting in metres (EPSG:27700)");
            else if (!ParseDouble(ys, b)) fail(col.y, ys, "expected a northing in metres (EPSG:27700)");
            else if (!options.region.Contains(a, b)) fail(col.x, std::string(xs) + "," + std::string(ys), "coordinates outside the configured region");
            else {
                e.x = a;
                e.y = b;
                geo::Point ll = geo::BngToLonLat(a, b);
                e.lon = ll.x;
                e.lat = ll.y;
            }
        } else if (!lons.empty() || !lats.empty()) {
            if (!ParseDouble(lons, a) || a < -180 || a > 180) fail(col.lon, lons, "expected a longitude in degrees");
            else if (!ParseDouble(lats, b) || b < -90 || b > 90) fail(col.lat, lats, "expected a latitude in degrees");
            else {
                geo::Point en = geo::LonLatToBng(a, b);
                if (!std::isfinite(en.x) || !options.region.Contains(en.x, en.y))
                    fail(col.lon, std::string(lons) + "," + std::string(lats), "coordinates outside the configured region");
                else {
                    e.lon = a;
                    e.lat = b;
                    e.x = en.x;
                    e.y = en.y;
                }
            }
        }
        if (std::string_view l = field(col.lsoa); !l.empty()) {
            if (!LooksLikeGssCode(l)) fail(col.lsoa, l, "expected an LSOA code such as E01000001");
            e.lsoa = std::string(l);
        }
        e.loc_precision = e.x ? p.location_precision : (e.lsoa.empty() ? "none" : "area");
        // weapon, age, sex, domestic, site
        if (col.weapon >= 0) {
            std::string w = Lower(field(col.weapon));
            auto it = p.weapon_map.find(w);
            if (it != p.weapon_map.end()) e.weapon = it->second;
            else if (auto code = ParseWeaponCode(w)) e.weapon = *code;
            else if (w.empty()) e.weapon = Weapon::kUnknown;
            else if (p.weapon_map.empty()) fail(col.weapon, field(col.weapon), "unknown weapon; expected knife_or_sharp, gun, corrosive, blunt, body, other, none or unknown");
            else e.weapon = Weapon::kOther;
        }
        if (std::string_view v = field(col.age); !v.empty()) {
            int age = 0;
            if (!ParseInt(v, age) || age < 0 || age > 130) fail(col.age, v, "expected an age in whole years, 0-130");
            else e.age = age;
        }
        if (col.sex >= 0) {
            auto s = ParseSex(field(col.sex));
            if (!s) fail(col.sex, field(col.sex), "expected male, female or unknown (M/F/1/2 accepted)");
            else e.sex = *s;
        }
        if (std::string_view v = field(col.domestic); !v.empty()) {
            auto d = ParseBool(v);
            if (!d) fail(col.domestic, v, "expected true or false");
            else e.domestic = d;
        }
        if (col.site >= 0) e.site = std::string(field(col.site));
        if (err) {
            item.Reject(rec.line, err->column, err->value, err->reason, raw_for_reject());
            return;
        }
        // pseudonyms
        if (!col.identifiers.empty()) {
            std::string ids;
            for (std::size_t k = 0; k < col.identifiers.size(); ++k) {
                std::string_view v = field(col.identifiers[k]);
                if (v.empty()) continue;
                bool is_key = false;
                for (int pk : col.person_key) is_key = is_key || pk == col.identifiers[k];
                if (!is_key) continue;
                if (!ids.empty()) ids += ';';
                ids += options.pseudonymiser->Pseudonym(col.identifier_names[k], v);
            }
            e.person_ids = std::move(ids);
        }
        // identity and content
        FieldHasher content;
        for (int c : col.content) content.Add(field(c));
        if (!col.identifiers.empty()) content.Add(e.person_ids);
        e.content_hash = content.Hash64();
        bool blank_identity = col.identity.empty();
        for (int c : col.identity) blank_identity = blank_identity || field(c).empty();
        FieldHasher identity;
        identity.Add(e.source);
        if (!blank_identity) {
            std::string id;
            for (int c : col.identity) {
                identity.Add(field(c));
                if (!id.empty()) id += ':';
                id += field(c);
            }
            e.record_id = std::move(id);
        } else if (p.identity_content_when_blank || col.identity.empty()) {
            FieldHasher what;
            for (int c : col.identity_content) what.Add(field(c));
            if (!col.identifiers.empty()) what.Add(e.person_ids);
            std::uint64_t what_hash = what.Hash64();
            std::uint32_t k = occurrences[what_hash]++;
            identity.Add(std::string_view("content"));
            identity.Add(what_hash);
            identity.Add(static_cast<std::uint64_t>(k));
            ++content_identities;
        } else {
            int c = col.identity.front();
            for (int ci : col.identity)
                if (field(ci).empty()) c = ci;
            item.Reject(rec.line, header.Name(c), "", "blank record identifier", raw_for_reject());
            return;
        }
        e.record_key = identity.Hash128();
        // attributes
        if (!col.attrs.empty()) {
            for (std::size_t k = 0; k < col.attrs.size(); ++k)
                if (auto v = field(col.attrs[k]); !v.empty()) {
                    e.attrs += e.attrs.empty() ? '{' : ',';
                    AppendJsonString(e.attrs, col.attr_names[k]);
                    e.attrs += ':';
                    AppendJsonString(e.attrs, v);
                }
            if (!e.attrs.empty()) e.attrs += '}';
        }
        locator->Locate(e, locate_stats);
    };

    progress.Start("ingest " + (p.source.empty() ? std::string("events") : p.source), reader.file_size());
    // Two stages on two threads: reading, parsing, checking, hashing and locating rows (the reader thread) and
    // writing them into the store (this thread), handing over blocks of rows through a small bounded queue.
    BlockQueue queue;
    std::thread reader_thread([&] {
        try {
            io::CsvRecord row;
            std::int64_t n = 0;
            for (bool more = true; more;) {
                Block* b = queue.TakeFree();
                if (!b) return; // the writer stopped
                b->count = 0;
                while (b->count < Block::kSize && (more = reader.Next(row))) {
                    prepare(row, b->items[b->count++]);
                    if ((++n & 0x3FFF) == 0) progress.Advance(reader.compressed_position());
                }
                queue.PushFull(b);
            }
            queue.Finish();
        } catch (...) {
            queue.Fail(std::current_exception());
        }
    });
    try {
        while (Block* b = queue.TakeFull()) {
            for (std::size_t i = 0; i < b->count; ++i) {
                Item& item = b->items[i];
                run.RowRead();
                if (item.is_reject) run.Reject(item.line, item.column, item.value, item.reason, item.raw);
                else run.Count(run.writer().PutEvent(item.e));
            }
            queue.PushFree(b);
        }
    } catch (...) {
        queue.Cancel();
        reader_thread.join();
        throw;
    }
    reader_thread.join();
    queue.RethrowIfFailed();
    progress.Finish();
    auto& notes = run.notes();
    notes["content_identities"] = content_identities;
    notes["located_by_point"] = locate_stats.located_by_point;
    notes["located_by_lsoa_code"] = locate_stats.located_by_code;
    notes["unlocated"] = locate_stats.unlocated;
    if (locate_stats.lsoa_not_loaded) notes["lsoa_code_not_in_loaded_boundaries"] = locate_stats.lsoa_not_loaded;
    if (locate_stats.lsoa_disagrees) notes["point_in_other_lsoa_than_given"] = locate_stats.lsoa_disagrees;
    return run.Finish();
}

} // namespace vigil::ingest
