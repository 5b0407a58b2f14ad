// The embedded SQLite implementation of Store: one file, WAL journal, schema migrated at open.
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <limits>
#include <map>
#include <tuple>
#include <unordered_map>

#include <sqlite3.h>

#include "vigil/core/error.hpp"
#include "vigil/store/sqlite_db.hpp"
#include "vigil/store/sqlite_migrations.hpp"
#include "vigil/store/store.hpp"

namespace vigil::store {
namespace {

std::string NowUtc() {
    std::time_t t = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

int CurrentVersion(SqliteDb& db) {
    Statement s(db, "PRAGMA user_version");
    s.Step();
    return static_cast<int>(s.Int(0));
}

void Migrate(SqliteDb& db, const std::string& path) {
    const auto& migrations = SqliteMigrations();
    int latest = migrations.empty() ? 0 : migrations.back().version;
    int version = CurrentVersion(db);
    if (version > latest)
        ThrowStorage(path + ": the store has schema version " + std::to_string(version) +
                     ", newer than this vigil understands (" + std::to_string(latest) + "); upgrade vigil");
    for (const Migration& m : migrations) {
        if (m.version <= version) continue;
        Transaction tx(db);
        db.Exec(m.sql);
        db.Exec("PRAGMA user_version = " + std::to_string(m.version));
        tx.Commit();
    }
}

class SqliteBatchWriter final : public BatchWriter {
public:
    SqliteBatchWriter(SqliteDb& db, const BatchInfo& info)
        : db_(db), tx_(db),
          insert_event_(db, "INSERT INTO event (source, record_key, record_id, content_hash, batch_id, date, "
                            "date_precision, minute, x, y, lon, lat, loc_precision, lsoa, msoa, ward, borough, "
                            "category_id, source_category, weapon, age, sex, domestic, site, person_ids, attrs, key64) "
                            "VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19,?20,?21,"
                            "?22,?23,?24,?25,?26,?27) ON CONFLICT (key64) DO NOTHING"),
          find_event_(db, "SELECT id, content_hash, category_id, date, date_precision, coalesce(age, -1), sex, "
                          "coalesce(lsoa, ''), coalesce(msoa, ''), coalesce(ward, ''), coalesce(borough, ''), "
                          "source, record_key FROM event WHERE key64 = ?1"),
          find_collided_(db, "SELECT id, content_hash, category_id, date, date_precision, coalesce(age, -1), sex, "
                             "coalesce(lsoa, ''), coalesce(msoa, ''), coalesce(ward, ''), coalesce(borough, ''), "
                             "source, record_key FROM event WHERE key64 IS NULL AND source = ?1 AND record_key = ?2"),
          update_event_(db, "UPDATE event SET record_id=?3, content_hash=?4, batch_id=?5, date=?6, "
                            "date_precision=?7, minute=?8, x=?9, y=?10, lon=?11, lat=?12, loc_precision=?13, "
                            "lsoa=?14, msoa=?15, ward=?16, borough=?17, category_id=?18, source_category=?19, "
                            "weapon=?20, age=?21, sex=?22, domestic=?23, site=?24, person_ids=?25, attrs=?26 "
                            "WHERE id = ?28"),
          find_count_(db, "SELECT count, vintage FROM count_cell WHERE source=?1 AND area_code=?2 AND "
                          "period_kind=?3 AND period_key=?4 AND source_category=?5"),
          upsert_count_(db, "INSERT INTO count_cell (source, area_code, period_kind, period_key, source_category, "
                            "area_level, category_id, count, vintage, batch_id) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10) "
                            "ON CONFLICT DO UPDATE SET area_level=excluded.area_level, category_id=excluded.category_id, "
                            "count=excluded.count, vintage=excluded.vintage, batch_id=excluded.batch_id"),
          max_vintage_(db, "SELECT max(vintage) FROM count_cell WHERE source=?1 AND area_code=?2 AND "
                           "period_kind=?3 AND period_key=?4"),
          insert_reject_(db, "INSERT INTO reject (batch_id, file, line, \"column\", value, reason, raw) "
                             "VALUES (?1,?2,?3,?4,?5,?6,?7)") {
        Statement ins(db, "INSERT INTO batch (source, kind, profile, path, sha256, rows_read, accepted, updated, "
                          "duplicates, rejected, started_at, finished_at) VALUES (?1,?2,?3,?4,?5,0,0,0,0,0,?6,?6)");
        ins.Bind(1, info.source).Bind(2, info.kind).Bind(3, info.profile).Bind(4, info.path).Bind(5, info.sha256);
        ins.Bind(6, info.started_at.empty() ? NowUtc() : info.started_at);
        ins.Run();
        batch_id_ = db.LastInsertRowid();
    }

    std::int64_t batch_id() const override { return batch_id_; }

    // Text is bound without copying: `e` outlives the statement's step.
    void BindEvent(Statement& s, const EventRecord& e) {
        s.BindStatic(1, e.source);
        if (sqlite3_bind_blob(s.handle(), 2, e.record_key.data(), static_cast<int>(e.record_key.size()),
                              SQLITE_STATIC) != SQLITE_OK)
            db_.Fail("bind");
        s.BindOptStatic(3, e.record_id).Bind(4, static_cast<std::int64_t>(e.content_hash)).Bind(5, batch_id_);
        s.Bind(6, static_cast<std::int64_t>(e.date)).Bind(7, static_cast<int>(e.precision)).Bind(8, e.minute);
        s.Bind(9, e.x).Bind(10, e.y).Bind(11, e.lon).Bind(12, e.lat).BindOptStatic(13, e.loc_precision);
        s.BindOptStatic(14, e.lsoa).BindOptStatic(15, e.msoa).BindOptStatic(16, e.ward).BindOptStatic(17, e.borough);
        s.Bind(18, static_cast<int>(e.category)).BindOptStatic(19, e.source_category);
        s.Bind(20, static_cast<int>(e.weapon)).Bind(21, e.age).Bind(22, static_cast<int>(e.sex));
        if (e.domestic) s.Bind(23, *e.domestic ? 1 : 0);
        else s.BindNull(23);
        s.BindOptStatic(24, e.site).BindOptStatic(25, e.person_ids).BindOptStatic(26, e.attrs);
    }

    // 64 bits of the identity: the first half of the record key mixed with the source's name.
    static std::int64_t Key64(const EventRecord& e) {
        std::uint64_t k = 0;
        std::memcpy(&k, e.record_key.data(), sizeof k);
        std::uint64_t h = 0xcbf29ce484222325ULL;
        for (unsigned char c : e.source) h = (h ^ c) * 0x100000001b3ULL;
        return static_cast<std::int64_t>(k ^ h);
    }

    PutResult PutEvent(const EventRecord& e) override {
        const std::int64_t key64 = Key64(e);
        BindEvent(insert_event_, e);
        insert_event_.Bind(27, key64);
        insert_event_.Run();
        if (db_.Changes() == 1) {
            ++cube_[KeyOf(e)];
            return PutResult::kAccepted;
        }
        // The 64 bits are taken: by this record, or (very rarely) by another one.
        auto same_record = [&](Statement& s) {
            int n = 0;
            const void* key = s.Blob(12, n);
            return s.Text(11) == e.source && n == static_cast<int>(e.record_key.size()) &&
                   std::memcmp(key, e.record_key.data(), e.record_key.size()) == 0;
        };
        Statement* found = &find_event_;
        find_event_.Bind(1, key64);
        if (!find_event_.Step()) {
            find_event_.Reset();
            ThrowInternal("event insert ignored but no row holds its key");
        }
        if (!same_record(find_event_)) {
            find_event_.Reset();
            found = &find_collided_;
            find_collided_.Bind(1, e.source).BindBlob(2, e.record_key.data(), static_cast<int>(e.record_key.size()));
            if (!find_collided_.Step()) {
                find_collided_.Reset();
                BindEvent(insert_event_, e);
                insert_event_.BindNull(27);
                insert_event_.Run();
                ++cube_[KeyOf(e)];
                return PutResult::kAccepted;
            }
        }
        Statement& f = *found;
        auto stored_hash = static_cast<std::uint64_t>(f.Int(1));
        if (stored_hash == e.content_hash) {
            f.Reset();
            return PutResult::kDuplicate;
        }
        const std::int64_t id = f.Int(0);
        CubeKey old{e.source,
                    static_cast<int>(f.Int(2)),
                    static_cast<int>(f.Int(3)),
                    static_cast<int>(f.Int(4)),
                    static_cast<int>(f.Int(5)),
                    static_cast<int>(f.Int(6)),
                    f.Text(7),
                    f.Text(8),
                    f.Text(9),
                    f.Text(10)};
        f.Reset();
        --cube_[old];
        BindEvent(update_event_, e);
        update_event_.Bind(28, id);
        update_event_.Run();
        ++cube_[KeyOf(e)];
        return PutResult::kUpdated;
    }

    struct CubeKey {
        std::string source;
        int category, date, precision, age, sex;
        std::string lsoa, msoa, ward, borough;
        bool operator==(const CubeKey&) const = default;
    };
    struct CubeKeyHash {
        std::size_t operator()(const CubeKey& k) const noexcept {
            std::size_t h = std::hash<std::string>()(k.lsoa);
            auto mix = [&h](std::size_t v) { h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2); };
            mix(std::hash<std::string>()(k.source));
            mix(static_cast<std::size_t>(k.category));
            mix(static_cast<std::size_t>(k.date));
            mix(static_cast<std::size_t>(k.precision * 1000 + k.age + 1) * 4 + static_cast<std::size_t>(k.sex));
            mix(std::hash<std::string>()(k.msoa));
            mix(std::hash<std::string>()(k.ward));
            mix(std::hash<std::string>()(k.borough));
            return h;
        }
    };
    static CubeKey KeyOf(const EventRecord& e) {
        return CubeKey{e.source, static_cast<int>(e.category), static_cast<int>(e.date),
                       static_cast<int>(e.precision), e.age.value_or(-1), static_cast<int>(e.sex),
                       e.lsoa, e.msoa, e.ward, e.borough};
    }

    // Applies the batch's changes in event counts to event_cube and event_total, in primary-key order (each
    // upsert then lands next to the previous one in the B-tree). Only cells that lost records can reach zero,
    // so only those are checked for deletion.
    void FlushCube() {
        std::vector<std::pair<const CubeKey*, std::int64_t>> cells;
        cells.reserve(cube_.size());
        for (const auto& [k, n] : cube_)
            if (n != 0) cells.emplace_back(&k, n);
        auto tie = [](const CubeKey& k) {
            return std::tie(k.source, k.category, k.date, k.precision, k.age, k.sex, k.lsoa, k.msoa, k.ward, k.borough);
        };
        std::sort(cells.begin(), cells.end(), [&](const auto& a, const auto& b) { return tie(*a.first) < tie(*b.first); });
        Statement up(db_, "INSERT INTO event_cube (source, category_id, date, date_precision, age, sex, lsoa, msoa, "
                          "ward, borough, n) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11) "
                          "ON CONFLICT DO UPDATE SET n = n + excluded.n");
        // A negative delta (an update moved a record out of a cell) only ever meets an existing cell.
        Statement down(db_, "UPDATE event_cube SET n = n + ?11 WHERE source=?1 AND category_id=?2 AND date=?3 AND "
                            "date_precision=?4 AND age=?5 AND sex=?6 AND lsoa=?7 AND msoa=?8 AND ward=?9 AND "
                            "borough=?10 RETURNING n");
        Statement drop(db_, "DELETE FROM event_cube WHERE source=?1 AND category_id=?2 AND date=?3 AND "
                            "date_precision=?4 AND age=?5 AND sex=?6 AND lsoa=?7 AND msoa=?8 AND ward=?9 AND "
                            "borough=?10");
        auto bind_key = [](Statement& s, const CubeKey& k) {
            s.Bind(1, k.source).Bind(2, k.category).Bind(3, k.date).Bind(4, k.precision).Bind(5, k.age);
            s.Bind(6, k.sex).Bind(7, k.lsoa).Bind(8, k.msoa).Bind(9, k.ward).Bind(10, k.borough);
        };
        for (const auto& [k, n] : cells) {
            if (n > 0) {
                bind_key(up, *k);
                up.Bind(11, n).Run();
                continue;
            }
            bind_key(down, *k);
            down.Bind(11, n);
            if (!down.Step()) ThrowInternal("event_cube: a record left a cell that does not exist");
            const std::int64_t left = down.Int(0);
            down.Reset();
            if (left == 0) {
                bind_key(drop, *k);
                drop.Run();
            }
        }
        // City-wide totals: the same deltas without areas.
        std::map<std::tuple<std::string, int, int, int, int, int>, std::int64_t> totals;
        for (const auto& [k, n] : cells) totals[{k->source, k->category, k->date, k->precision, k->age, k->sex}] += n;
        Statement tup(db_, "INSERT INTO event_total (source, category_id, date, date_precision, age, sex, n) "
                           "VALUES (?1,?2,?3,?4,?5,?6,?7) ON CONFLICT DO UPDATE SET n = n + excluded.n");
        Statement tdown(db_, "UPDATE event_total SET n = n + ?7 WHERE source=?1 AND category_id=?2 AND date=?3 "
                             "AND date_precision=?4 AND age=?5 AND sex=?6 RETURNING n");
        Statement tdrop(db_, "DELETE FROM event_total WHERE source=?1 AND category_id=?2 AND date=?3 "
                             "AND date_precision=?4 AND age=?5 AND sex=?6");
        for (const auto& [k, n] : totals) {
            if (n == 0) continue;
            const auto& [source, category, date, precision, age, sex] = k;
            Statement& s = n > 0 ? tup : tdown;
            s.Bind(1, source).Bind(2, category).Bind(3, date).Bind(4, precision).Bind(5, age).Bind(6, sex).Bind(7, n);
            if (n > 0) {
                s.Run();
                continue;
            }
            if (!s.Step()) ThrowInternal("event_total: a record left a cell that does not exist");
            const std::int64_t left = s.Int(0);
            s.Reset();
            if (left == 0) {
                tdrop.Bind(1, source).Bind(2, category).Bind(3, date).Bind(4, precision).Bind(5, age).Bind(6, sex);
                tdrop.Run();
            }
        }
        cube_.clear();
    }

    // Editions: the newest edition that covers a (source, area, period) owns it. A cell from an older edition
    // than the one stored is not news; a newer edition rewrites the period, and at commit the older edition's
    // cells it did not carry (categories the publisher renamed or dropped) are removed.
    PutResult PutCount(const CountRecord& c) override {
        PeriodCell where{c.source, c.area_code, static_cast<int>(c.period_kind), c.period_key};
        auto claim = claims_.find(where);
        if (claim == claims_.end()) {
            max_vintage_.Bind(1, c.source).Bind(2, c.area_code).Bind(3, static_cast<int>(c.period_kind));
            max_vintage_.Bind(4, static_cast<std::int64_t>(c.period_key));
            std::optional<std::int64_t> stored;
            if (max_vintage_.Step()) stored = max_vintage_.OptInt(0);
            max_vintage_.Reset();
            Claim cl;
            cl.superseded = stored && *stored > c.vintage;
            cl.rewrite = stored && *stored < c.vintage;
            cl.vintage = c.vintage;
            claim = claims_.emplace(where, cl).first;
        }
        if (claim->second.superseded) return PutResult::kDuplicate;
        find_count_.Bind(1, c.source).Bind(2, c.area_code).Bind(3, static_cast<int>(c.period_kind));
        find_count_.Bind(4, static_cast<std::int64_t>(c.period_key)).Bind(5, c.source_category);
        PutResult result = PutResult::kAccepted;
        if (find_count_.Step()) {
            std::int64_t stored = find_count_.Int(0);
            std::int64_t vintage = find_count_.Int(1);
            find_count_.Reset();
            // An equal value is not news, but a newer edition still takes the cell over.
            if (stored == c.count && vintage >= c.vintage) return PutResult::kDuplicate;
            result = stored == c.count ? PutResult::kDuplicate : PutResult::kUpdated;
        } else {
            find_count_.Reset();
        }
        upsert_count_.Bind(1, c.source).Bind(2, c.area_code).Bind(3, static_cast<int>(c.period_kind));
        upsert_count_.Bind(4, static_cast<std::int64_t>(c.period_key)).Bind(5, c.source_category);
        upsert_count_.Bind(6, c.area_level).Bind(7, static_cast<int>(c.category)).Bind(8, c.count);
        upsert_count_.Bind(9, static_cast<std::int64_t>(c.vintage)).Bind(10, batch_id_);
        upsert_count_.Run();
        return result;
    }

    struct PeriodCell {
        std::string source, area;
        int kind;
        std::int32_t key;
        bool operator<(const PeriodCell& o) const {
            return std::tie(source, area, kind, key) < std::tie(o.source, o.area, o.kind, o.key);
        }
    };
    struct Claim {
        bool superseded = false; // a newer edition is stored: this batch's cells are not news
        bool rewrite = false;    // this batch is newer than what is stored: stale cells go at commit
        std::int32_t vintage = 0;
    };

    // Cells of periods this batch rewrote that it did not carry come from an older edition: remove them.
    void DropStaleCells() {
        Statement del(db_, "DELETE FROM count_cell WHERE source=?1 AND area_code=?2 AND period_kind=?3 AND "
                           "period_key=?4 AND vintage < ?5");
        for (const auto& [where, cl] : claims_) {
            if (!cl.rewrite) continue;
            del.Bind(1, where.source).Bind(2, where.area).Bind(3, where.kind);
            del.Bind(4, static_cast<std::int64_t>(where.key)).Bind(5, static_cast<std::int64_t>(cl.vintage));
            del.Run();
        }
        claims_.clear();
    }

    PutResult PutArea(const AreaRecord& a) override {
        Statement find(db_, "SELECT name, parent_code, geometry FROM area WHERE level=?1 AND code=?2");
        find.Bind(1, a.level).Bind(2, a.code);
        PutResult result = PutResult::kAccepted;
        if (find.Step()) {
            int n = 0;
            const void* g = find.Blob(2, n);
            bool same_geom = static_cast<std::size_t>(n) == a.geometry.size() &&
                             (n == 0 || std::memcmp(g, a.geometry.data(), a.geometry.size()) == 0);
            if (same_geom && find.Text(0) == a.name && find.Text(1) == a.parent_code) return PutResult::kDuplicate;
            result = PutResult::kUpdated;
        }
        Statement up(db_, "INSERT INTO area (level, code, name, parent_code, geometry, centroid_x, centroid_y, "
                          "area_m2, min_x, min_y, max_x, max_y, batch_id) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,"
                          "?11,?12,?13) ON CONFLICT DO UPDATE SET name=excluded.name, parent_code=excluded.parent_code, "
                          "geometry=excluded.geometry, centroid_x=excluded.centroid_x, centroid_y=excluded.centroid_y, "
                          "area_m2=excluded.area_m2, min_x=excluded.min_x, min_y=excluded.min_y, max_x=excluded.max_x, "
                          "max_y=excluded.max_y, batch_id=excluded.batch_id");
        up.Bind(1, a.level).Bind(2, a.code).BindOptText(3, a.name).BindOptText(4, a.parent_code);
        if (a.geometry.empty()) up.BindNull(5);
        else up.BindBlob(5, a.geometry.data(), static_cast<int>(a.geometry.size()));
        up.Bind(6, a.centroid_x).Bind(7, a.centroid_y).Bind(8, a.area_m2).Bind(9, a.min_x).Bind(10, a.min_y);
        up.Bind(11, a.max_x).Bind(12, a.max_y).Bind(13, batch_id_);
        up.Run();
        return result;
    }

    PutResult PutPopulation(const PopulationRecord& p) override {
        if (!find_pop_)
            find_pop_ = std::make_unique<Statement>(db_, "SELECT population FROM population WHERE area_code=?1 AND "
                                                         "year=?2 AND sex=?3 AND age_lo=?4 AND age_hi=?5");
        if (!upsert_pop_)
            upsert_pop_ = std::make_unique<Statement>(
                db_, "INSERT INTO population (area_code, year, sex, age_lo, age_hi, population, batch_id) "
                     "VALUES (?1,?2,?3,?4,?5,?6,?7) ON CONFLICT DO UPDATE SET population=excluded.population, "
                     "batch_id=excluded.batch_id");
        find_pop_->Bind(1, p.area_code).Bind(2, p.year).Bind(3, p.sex).Bind(4, p.age_lo).Bind(5, p.age_hi);
        PutResult result = PutResult::kAccepted;
        if (find_pop_->Step()) {
            double stored = find_pop_->Double(0);
            find_pop_->Reset();
            if (stored == p.population) return PutResult::kDuplicate;
            result = PutResult::kUpdated;
        } else {
            find_pop_->Reset();
        }
        upsert_pop_->Bind(1, p.area_code).Bind(2, p.year).Bind(3, p.sex).Bind(4, p.age_lo).Bind(5, p.age_hi);
        upsert_pop_->Bind(6, p.population).Bind(7, batch_id_);
        upsert_pop_->Run();
        return result;
    }

    PutResult PutDeprivation(const DeprivationRecord& d) override {
        Statement find(db_, "SELECT imd_score, imd_rank, imd_decile FROM deprivation WHERE lsoa_code=?1 AND edition=?2");
        find.Bind(1, d.lsoa_code).Bind(2, d.edition);
        PutResult result = PutResult::kAccepted;
        if (find.Step()) {
            if (find.OptDouble(0) == d.imd_score && find.OptInt(1) == d.imd_rank &&
                find.OptInt(2) == (d.imd_decile ? std::optional<std::int64_t>(*d.imd_decile) : std::nullopt))
                return PutResult::kDuplicate;
            result = PutResult::kUpdated;
        }
        Statement up(db_, "INSERT INTO deprivation (lsoa_code, edition, imd_score, imd_rank, imd_decile, batch_id) "
                          "VALUES (?1,?2,?3,?4,?5,?6) ON CONFLICT DO UPDATE SET imd_score=excluded.imd_score, "
                          "imd_rank=excluded.imd_rank, imd_decile=excluded.imd_decile, batch_id=excluded.batch_id");
        up.Bind(1, d.lsoa_code).Bind(2, d.edition).Bind(3, d.imd_score).Bind(4, d.imd_rank).Bind(5, d.imd_decile);
        up.Bind(6, batch_id_);
        up.Run();
        return result;
    }

    void PutAreaLookup(const AreaLookup& l) override {
        Statement up(db_, "INSERT INTO area_lookup (lsoa_code, level, code, method) VALUES (?1,?2,?3,?4) "
                          "ON CONFLICT DO UPDATE SET code=excluded.code, method=excluded.method");
        up.Bind(1, l.lsoa_code).Bind(2, l.level).Bind(3, l.code).Bind(4, l.method);
        up.Run();
    }

    void AddReject(const RejectRecord& r) override {
        insert_reject_.Bind(1, batch_id_).Bind(2, r.file).Bind(3, r.line).BindOptText(4, r.column);
        insert_reject_.Bind(5, r.value).Bind(6, r.reason).Bind(7, r.raw);
        insert_reject_.Run();
    }

    void Commit(const BatchStats& s, const std::string& notes_json) override {
        Statement up(db_, "UPDATE batch SET rows_read=?2, accepted=?3, updated=?4, duplicates=?5, rejected=?6, "
                          "finished_at=?7, notes=?8 WHERE id=?1");
        up.Bind(1, batch_id_).Bind(2, s.rows_read).Bind(3, s.accepted).Bind(4, s.updated).Bind(5, s.duplicates);
        up.Bind(6, s.rejected).Bind(7, NowUtc()).BindOptText(8, notes_json);
        up.Run();
        FlushCube();
        DropStaleCells();
        tx_.Commit();
    }

private:
    SqliteDb& db_;
    Transaction tx_;
    std::int64_t batch_id_ = 0;
    Statement insert_event_, find_event_, find_collided_, update_event_, find_count_, upsert_count_, max_vintage_, insert_reject_;
    std::map<PeriodCell, Claim> claims_;
    std::unique_ptr<Statement> find_pop_, upsert_pop_;
    std::unordered_map<CubeKey, std::int64_t, CubeKeyHash> cube_;
};

class SqliteStore final : public Store {
public:
    explicit SqliteStore(const std::string& path) : db_(path), path_(path) {
        db_.Exec("PRAGMA page_size = 16384"); // takes effect only when the file is new
        db_.Exec("PRAGMA journal_mode = WAL");
        db_.Exec("PRAGMA synchronous = NORMAL");
        db_.Exec("PRAGMA foreign_keys = ON");
        // The page cache is capped (default 256 MiB; VIGIL_SQLITE_CACHE_MB changes it: 1024 keeps a
        // London-sized store's identity index in memory and ingests it about 12% faster).
        long cache_mb = 256;
        if (const char* env = std::getenv("VIGIL_SQLITE_CACHE_MB"); env && *env) cache_mb = std::strtol(env, nullptr, 10);
        if (cache_mb < 16) cache_mb = 16;
        db_.Exec("PRAGMA cache_size = -" + std::to_string(cache_mb * 1024));
        db_.Exec("PRAGMA temp_store = MEMORY");
        Migrate(db_, path);
    }

    std::unique_ptr<Store> OpenAnother() override { return std::make_unique<SqliteStore>(path_); }

    std::vector<bool> RememberAlerts(const std::vector<AlertRecord>& alarms) override {
        Transaction tx(db_);
        Statement ins(db_, "INSERT INTO alert (signature, series_id, period, observed, upperbound, first_seen) "
                           "VALUES (?1,?2,?3,?4,?5,?6) ON CONFLICT DO NOTHING");
        const std::string now = NowUtc();
        std::vector<bool> fresh;
        fresh.reserve(alarms.size());
        for (const auto& a : alarms) {
            ins.Bind(1, a.signature).Bind(2, a.series_id).Bind(3, a.period).Bind(4, a.observed);
            if (std::isfinite(a.upperbound)) ins.Bind(5, a.upperbound);
            else ins.BindNull(5);
            ins.Bind(6, now);
            ins.Run();
            fresh.push_back(db_.Changes() == 1);
        }
        tx.Commit();
        return fresh;
    }

    std::optional<BatchRecord> FindBatch(const std::string& sha256, const std::string& profile) override {
        Statement s(db_, "SELECT id FROM batch WHERE sha256 = ?1 AND profile = ?2 ORDER BY id LIMIT 1");
        s.Bind(1, sha256).Bind(2, profile);
        if (!s.Step()) return std::nullopt;
        std::int64_t id = s.Int(0);
        for (auto& b : Batches())
            if (b.id == id) return b;
        return std::nullopt;
    }

    std::unique_ptr<BatchWriter> BeginBatch(const BatchInfo& info) override {
        return std::make_unique<SqliteBatchWriter>(db_, info);
    }

    std::vector<BatchRecord> Batches() override {
        Statement s(db_, "SELECT id, source, kind, profile, path, sha256, rows_read, accepted, updated, duplicates, "
                         "rejected, started_at, finished_at, coalesce(notes, '') FROM batch ORDER BY id");
        std::vector<BatchRecord> out;
        while (s.Step()) {
            BatchRecord b;
            b.id = s.Int(0);
            b.info = {s.Text(1), s.Text(2), s.Text(3), s.Text(4), s.Text(5), s.Text(11)};
            b.stats = {s.Int(6), s.Int(7), s.Int(8), s.Int(9), s.Int(10)};
            b.finished_at = s.Text(12);
            b.notes = s.Text(13);
            out.push_back(std::move(b));
        }
        return out;
    }

    std::vector<RejectRecord> Rejects(std::optional<std::int64_t> batch_id, std::int64_t limit) override {
        Statement s(db_, "SELECT batch_id, file, line, coalesce(\"column\", ''), coalesce(value, ''), reason, "
                         "coalesce(raw, '') FROM reject WHERE (?1 IS NULL OR batch_id = ?1) ORDER BY batch_id, "
                         "rowid LIMIT ?2");
        s.Bind(1, batch_id).Bind(2, limit);
        std::vector<RejectRecord> out;
        while (s.Step())
            out.push_back({s.Int(0), s.Text(1), s.Int(2), s.Text(3), s.Text(4), s.Text(5), s.Text(6)});
        return out;
    }

    std::vector<AreaRecord> Areas(const std::string& level, bool with_geometry) override {
        Statement s(db_, std::string("SELECT level, code, coalesce(name,''), coalesce(parent_code,''), ") +
                             (with_geometry ? "geometry" : "NULL") +
                             ", centroid_x, centroid_y, area_m2, min_x, min_y, max_x, max_y FROM area "
                             "WHERE (?1 = '' OR level = ?1) ORDER BY level, code");
        s.Bind(1, level);
        std::vector<AreaRecord> out;
        while (s.Step()) {
            AreaRecord a;
            a.level = s.Text(0);
            a.code = s.Text(1);
            a.name = s.Text(2);
            a.parent_code = s.Text(3);
            int n = 0;
            const void* g = s.Blob(4, n);
            if (g && n > 0) a.geometry.assign(static_cast<const std::uint8_t*>(g), static_cast<const std::uint8_t*>(g) + n);
            a.centroid_x = s.Double(5);
            a.centroid_y = s.Double(6);
            a.area_m2 = s.Double(7);
            a.min_x = s.Double(8);
            a.min_y = s.Double(9);
            a.max_x = s.Double(10);
            a.max_y = s.Double(11);
            out.push_back(std::move(a));
        }
        return out;
    }

    std::vector<AreaLookup> AreaLookups() override {
        Statement s(db_, "SELECT lsoa_code, level, code, method FROM area_lookup");
        std::vector<AreaLookup> out;
        while (s.Step()) out.push_back({s.Text(0), s.Text(1), s.Text(2), s.Text(3)});
        return out;
    }

    // Rows (lsoa, area, date, precision, category, age or -1, sex, n) as event groups.
    static std::vector<EventGroup> ReadGroups(Statement& s) {
        std::vector<EventGroup> out;
        while (s.Step()) {
            EventGroup g;
            g.lsoa = s.Text(0);
            g.area_code = s.Text(1);
            g.date = static_cast<Date>(s.Int(2));
            g.precision = static_cast<DatePrecision>(s.Int(3));
            g.category = static_cast<CategoryId>(s.Int(4));
            if (s.Int(5) >= 0) g.age = static_cast<int>(s.Int(5));
            g.sex = static_cast<Sex>(s.Int(6));
            g.count = s.Int(7);
            out.push_back(std::move(g));
        }
        return out;
    }

    std::vector<EventGroup> GroupEvents(const EventQuery& q) override {
        std::string col = "lsoa";
        if (q.level == "msoa" || q.level == "ward" || q.level == "borough") col = q.level;
        const auto& cat = CategoryTree::Standard().Get(q.category);
        // Cube rows as stored (no GROUP BY: the caller adds them up, faster than SQLite's sorter).
        if (q.site) return GroupSiteEvents(q, col);
        std::string sql = q.level == "all"
                              ? std::string("SELECT '', '', date, date_precision, category_id, age, sex, n "
                                            "FROM event_total WHERE category_id BETWEEN ?1 AND ?2 AND n > 0")
                              : "SELECT lsoa, " + (col == "lsoa" ? std::string("''") : col) +
                                    ", date, date_precision, category_id, age, sex, n "
                                "FROM event_cube WHERE category_id BETWEEN ?1 AND ?2 AND n > 0";
        if (q.source) sql += " AND source = ?3";
        if (q.from) sql += " AND date >= ?4";
        if (q.to) sql += " AND date <= ?5";
        Statement s(db_, sql);
        s.Bind(1, static_cast<int>(cat.id)).Bind(2, static_cast<int>(cat.subtree_end));
        if (q.source) s.Bind(3, *q.source);
        if (q.from) s.Bind(4, static_cast<std::int64_t>(*q.from));
        if (q.to) s.Bind(5, static_cast<std::int64_t>(*q.to));
        return ReadGroups(s);
    }

    // One site's events, counted from the event table (the cube has no site).
    std::vector<EventGroup> GroupSiteEvents(const EventQuery& q, const std::string& col) {
        const auto& cat = CategoryTree::Standard().Get(q.category);
        std::string area = q.level == "all" ? "''" : col == "lsoa" ? "''" : "coalesce(" + col + ", '')";
        std::string sql = "SELECT coalesce(lsoa, ''), " + area +
                          ", date, date_precision, category_id, coalesce(age, -1), sex, count(*) FROM event "
                          "WHERE category_id BETWEEN ?1 AND ?2 AND site = ?6";
        if (q.source) sql += " AND source = ?3";
        if (q.from) sql += " AND date >= ?4";
        if (q.to) sql += " AND date <= ?5";
        sql += " GROUP BY 1, 2, 3, 4, 5, 6, 7";
        Statement s(db_, sql);
        s.Bind(1, static_cast<int>(cat.id)).Bind(2, static_cast<int>(cat.subtree_end)).Bind(6, *q.site);
        if (q.source) s.Bind(3, *q.source);
        if (q.from) s.Bind(4, static_cast<std::int64_t>(*q.from));
        if (q.to) s.Bind(5, static_cast<std::int64_t>(*q.to));
        return ReadGroups(s);
    }

    std::vector<std::string> EventSites(const std::string& source) override {
        Statement s(db_, "SELECT DISTINCT site FROM event WHERE source = ?1 AND site IS NOT NULL AND site <> '' "
                         "ORDER BY site");
        s.Bind(1, source);
        std::vector<std::string> out;
        while (s.Step()) out.push_back(s.Text(0));
        return out;
    }

    std::vector<CountRecord> Counts(const CountQuery& q) override {
        const auto& cat = CategoryTree::Standard().Get(q.category);
        std::string sql = "SELECT source, area_level, area_code, period_kind, period_key, source_category, "
                          "category_id, count, vintage FROM count_cell WHERE category_id BETWEEN ?1 AND ?2";
        if (q.source) sql += " AND source = ?3";
        if (q.period_kind) sql += " AND period_kind = ?4";
        Statement s(db_, sql);
        s.Bind(1, static_cast<int>(cat.id)).Bind(2, static_cast<int>(cat.subtree_end));
        if (q.source) s.Bind(3, *q.source);
        if (q.period_kind) s.Bind(4, static_cast<int>(*q.period_kind));
        std::vector<CountRecord> out;
        while (s.Step()) {
            CountRecord c;
            c.source = s.Text(0);
            c.area_level = s.Text(1);
            c.area_code = s.Text(2);
            c.period_kind = static_cast<PeriodKind>(s.Int(3));
            c.period_key = static_cast<std::int32_t>(s.Int(4));
            c.source_category = s.Text(5);
            c.category = static_cast<CategoryId>(s.Int(6));
            c.count = s.Int(7);
            c.vintage = static_cast<std::int32_t>(s.Int(8));
            out.push_back(std::move(c));
        }
        return out;
    }

    std::vector<PopulationRecord> Population(const std::vector<int>& years) override {
        std::string sql = "SELECT area_code, year, sex, age_lo, age_hi, population FROM population";
        if (!years.empty()) {
            sql += " WHERE year IN (";
            for (std::size_t i = 0; i < years.size(); ++i) {
                if (i) sql += ',';
                sql += std::to_string(years[i]);
            }
            sql += ")";
        }
        Statement s(db_, sql);
        std::vector<PopulationRecord> out;
        while (s.Step())
            out.push_back({s.Text(0), static_cast<int>(s.Int(1)), static_cast<int>(s.Int(2)),
                           static_cast<int>(s.Int(3)), static_cast<int>(s.Int(4)), s.Double(5)});
        return out;
    }

    std::vector<DeprivationRecord> Deprivation() override {
        Statement s(db_, "SELECT lsoa_code, edition, imd_score, imd_rank, imd_decile FROM deprivation");
        std::vector<DeprivationRecord> out;
        while (s.Step()) {
            DeprivationRecord d{s.Text(0), s.Text(1), s.OptDouble(2), s.OptInt(3), std::nullopt};
            if (auto v = s.OptInt(4)) d.imd_decile = static_cast<int>(*v);
            out.push_back(std::move(d));
        }
        return out;
    }

    std::vector<int> PopulationYears() override {
        // One index seek per year (the key starts with year) instead of a scan of every row.
        Statement s(db_, "SELECT min(year) FROM population WHERE year > ?1");
        std::vector<int> out;
        for (std::int64_t after = std::numeric_limits<std::int64_t>::min();;) {
            s.Bind(1, after);
            if (!s.Step() || s.IsNull(0)) break;
            after = s.Int(0);
            s.Reset();
            out.push_back(static_cast<int>(after));
        }
        s.Reset();
        return out;
    }

    std::optional<std::pair<Date, Date>> EventDateRange(const EventQuery& q) override {
        const auto& cat = CategoryTree::Standard().Get(q.category);
        // The city-wide table is small; with a source its key prefix (source, category_id, date) answers.
        Statement s(db_, std::string("SELECT min(date), max(date) FROM event_total WHERE category_id BETWEEN ?1 AND ?2 "
                                     "AND n > 0") + (q.source ? " AND source = ?3" : ""));
        s.Bind(1, static_cast<int>(cat.id)).Bind(2, static_cast<int>(cat.subtree_end));
        if (q.source) s.Bind(3, *q.source);
        if (!s.Step() || s.IsNull(0)) return std::nullopt;
        return std::pair<Date, Date>{static_cast<Date>(s.Int(0)), static_cast<Date>(s.Int(1))};
    }

    std::optional<std::pair<Date, Date>> CountDateRange(const std::string& source) override {
        // Keys order periods within a kind only: take the range per kind, then compare dates.
        Statement s(db_, "SELECT period_kind, min(period_key), max(period_key) FROM count_cell WHERE source = ?1 "
                         "GROUP BY period_kind");
        s.Bind(1, source);
        std::optional<std::pair<Date, Date>> range;
        while (s.Step()) {
            auto kind = static_cast<PeriodKind>(s.Int(0));
            Date a = PeriodStart(kind, static_cast<std::int32_t>(s.Int(1)));
            Date b = PeriodEnd(kind, static_cast<std::int32_t>(s.Int(2)));
            range = range ? std::pair<Date, Date>{std::min(range->first, a), std::max(range->second, b)}
                          : std::pair<Date, Date>{a, b};
        }
        return range;
    }

    std::vector<store::SourceSummary> SourceNames() override {
        // One index seek per source (a skip scan), not a scan of the cube.
        Statement s(db_, "WITH RECURSIVE e(x) AS (SELECT min(source) FROM event_cube UNION ALL "
                         "SELECT (SELECT min(source) FROM event_cube WHERE source > e.x) FROM e WHERE e.x IS NOT NULL), "
                         "c(x) AS (SELECT min(source) FROM count_cell UNION ALL "
                         "SELECT (SELECT min(source) FROM count_cell WHERE source > c.x) FROM c WHERE c.x IS NOT NULL) "
                         "SELECT x, 'events' FROM e WHERE x IS NOT NULL UNION ALL "
                         "SELECT x, 'counts' FROM c WHERE x IS NOT NULL ORDER BY 1");
        std::vector<store::SourceSummary> out;
        while (s.Step()) out.push_back({s.Text(0), s.Text(1), -1});
        return out;
    }

    std::vector<store::SourceSummary> Sources() override {
        Statement s(db_, "SELECT source, 'events', sum(n) FROM event_cube GROUP BY source HAVING sum(n) > 0 UNION ALL "
                         "SELECT source, 'counts', sum(count) FROM count_cell GROUP BY source ORDER BY 1");
        std::vector<store::SourceSummary> out;
        while (s.Step()) out.push_back({s.Text(0), s.Text(1), s.Int(2)});
        return out;
    }

    std::int64_t EventTotal(const std::optional<std::string>& source) override {
        Statement s(db_, "SELECT count(*) FROM event WHERE (?1 IS NULL OR source = ?1)");
        if (source) s.Bind(1, *source);
        else s.BindNull(1);
        s.Step();
        return s.Int(0);
    }

private:
    SqliteDb db_;
    std::string path_;
};

} // namespace

std::unique_ptr<Store> OpenSqliteStore(const std::string& path) { return std::make_unique<SqliteStore>(path); }

} // namespace vigil::store
