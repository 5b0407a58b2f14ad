// What SQLite alone can insert on this machine: vigil's event row (the same columns, typical police.uk
// values) written through one prepared statement in one transaction per 16,000 rows (a police.uk monthly
// file), with no parsing, hashing or locating. Compares the row as stored with and without the identity index
// and the JSON attributes, to show where the ingest ceiling is (docs/BENCHMARKS.md).
#include <cstdint>
#include <filesystem>
#include <random>
#include <stdexcept>
#include <string>

#include <benchmark/benchmark.h>
#include <sqlite3.h>

namespace {

void Exec(sqlite3* db, const char* sql) {
    char* err = nullptr;
    if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
        std::string msg = err ? err : "?";
        sqlite3_free(err);
        throw std::runtime_error(msg);
    }
}

// state.range(0): 1 = unique identity index on key64; state.range(1): 1 = JSON attributes (~120 bytes).
void BM_SqliteEventInsert(benchmark::State& state) {
    const bool indexed = state.range(0) != 0, attrs_on = state.range(1) != 0;
    constexpr int kFiles = 25, kRows = 16000;
    const auto path = std::filesystem::temp_directory_path() / "vigil_sqlite_ceiling.db";
    std::mt19937_64 rng(1);
    const std::string crime_id(64, 'a'),
        lsoa = "E01012345", source = "police", precision = "snapped",
        category = "Violence and sexual offences",
        attrs = "{\"Location\":\"On or near Some Street\",\"Last outcome category\":"
                "\"Investigation complete; no suspect identified\",\"Falls within\":\"Northumbria Police\"}";
    for (auto _ : state) {
        state.PauseTiming();
        for (const char* ext : {"", "-wal", "-shm"})
            std::filesystem::remove(path.string() + ext);
        sqlite3* db = nullptr;
        sqlite3_open(path.c_str(), &db);
        Exec(db, "PRAGMA page_size = 16384; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; "
                 "PRAGMA cache_size = -262144");
        Exec(db,
             "CREATE TABLE event (id INTEGER PRIMARY KEY, source TEXT NOT NULL, record_key BLOB NOT NULL, "
             "key64 INTEGER, record_id TEXT, content_hash INTEGER NOT NULL, batch_id INTEGER NOT NULL, "
             "date INTEGER NOT NULL, date_precision INTEGER NOT NULL, minute INTEGER, x REAL, y REAL, lon "
             "REAL, "
             "lat REAL, loc_precision TEXT, lsoa TEXT, msoa TEXT, ward TEXT, borough TEXT, "
             "category_id INTEGER NOT NULL, source_category TEXT, weapon INTEGER NOT NULL, age INTEGER, "
             "sex INTEGER NOT NULL, domestic INTEGER, site TEXT, person_ids TEXT, attrs TEXT)");
        if (indexed)
            Exec(db, "CREATE UNIQUE INDEX event_key64 ON event (key64)");
        sqlite3_stmt* st = nullptr;
        sqlite3_prepare_v2(
            db,
            "INSERT INTO event (source, record_key, key64, record_id, content_hash, batch_id, date, "
            "date_precision, minute, x, y, lon, lat, loc_precision, lsoa, msoa, ward, borough, "
            "category_id, source_category, weapon, age, sex, domestic, site, person_ids, attrs) VALUES "
            "(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19,?20,?21,?22,?23,"
            "?24,?25,?26,?27) ON CONFLICT DO NOTHING",
            -1, &st, nullptr);
        state.ResumeTiming();
        for (int f = 0; f < kFiles; ++f) {
            Exec(db, "BEGIN IMMEDIATE");
            for (int i = 0; i < kRows; ++i) {
                std::uint64_t key[2] = {rng(), rng()};
                sqlite3_bind_text(st, 1, source.data(), static_cast<int>(source.size()), SQLITE_STATIC);
                sqlite3_bind_blob(st, 2, key, 16, SQLITE_STATIC);
                sqlite3_bind_int64(st, 3, static_cast<std::int64_t>(key[0]));
                sqlite3_bind_text(st, 4, crime_id.data(), 64, SQLITE_STATIC);
                sqlite3_bind_int64(st, 5, static_cast<std::int64_t>(rng()));
                sqlite3_bind_int64(st, 6, f + 1);
                sqlite3_bind_int64(st, 7, 18000 + f * 30);
                sqlite3_bind_int64(st, 8, 1);
                sqlite3_bind_null(st, 9);
                for (int c = 10; c <= 13; ++c)
                    sqlite3_bind_double(st, c, 400000.5 + i);
                sqlite3_bind_text(st, 14, precision.data(), static_cast<int>(precision.size()),
                                  SQLITE_STATIC);
                for (int c = 15; c <= 18; ++c)
                    sqlite3_bind_text(st, c, lsoa.data(), 9, SQLITE_STATIC);
                sqlite3_bind_int64(st, 19, 1);
                sqlite3_bind_text(st, 20, category.data(), static_cast<int>(category.size()), SQLITE_STATIC);
                sqlite3_bind_int64(st, 21, 0);
                sqlite3_bind_null(st, 22);
                sqlite3_bind_int64(st, 23, 0);
                for (int c = 24; c <= 26; ++c)
                    sqlite3_bind_null(st, c);
                if (attrs_on)
                    sqlite3_bind_text(st, 27, attrs.data(), static_cast<int>(attrs.size()), SQLITE_STATIC);
                else
                    sqlite3_bind_null(st, 27);
                if (sqlite3_step(st) != SQLITE_DONE)
                    state.SkipWithError(sqlite3_errmsg(db));
                sqlite3_reset(st);
            }
            Exec(db, "COMMIT");
        }
        sqlite3_finalize(st);
        sqlite3_close(db); // includes the final WAL checkpoint, as a vigil command's exit does
    }
    for (const char* ext : {"", "-wal", "-shm"})
        std::filesystem::remove(path.string() + ext);
    state.counters["rows_per_s"] = benchmark::Counter(static_cast<double>(kFiles) * kRows,
                                                      benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_SqliteEventInsert)
    ->ArgNames({"identity_index", "attrs"})
    ->Args({1, 1})
    ->Args({1, 0})
    ->Args({0, 1})
    ->Args({0, 0})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(3);

} // namespace
