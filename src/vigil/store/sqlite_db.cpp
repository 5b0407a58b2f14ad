#include "vigil/store/sqlite_db.hpp"

#include <mutex>
#include <sqlite3.h>

#include "vigil/core/error.hpp"

namespace vigil::store {

SqliteDb::SqliteDb(const std::string& path) : path_(path) {
    static std::once_flag configured;
    std::call_once(configured, [] {
        // No memory statistics: they take a global mutex on every allocation. Connections are never shared
        // between threads (each thread opens its own), so the multi-thread mode is enough.
        sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
        sqlite3_config(SQLITE_CONFIG_MULTITHREAD);
    });
    int rc = sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                             nullptr);
    if (rc != SQLITE_OK) {
        std::string msg = db_ ? sqlite3_errmsg(db_) : "out of memory";
        sqlite3_close(db_);
        db_ = nullptr;
        ThrowStorage(path + ": cannot open the store: " + msg);
    }
    sqlite3_busy_timeout(db_, 10000);
    sqlite3_extended_result_codes(db_, 1);
}

SqliteDb::~SqliteDb() {
    if (db_) sqlite3_close_v2(db_);
}

void SqliteDb::Exec(const std::string& sql) {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
        std::string msg = err ? err : "unknown error";
        sqlite3_free(err);
        ThrowStorage(path_ + ": " + msg);
    }
}

std::int64_t SqliteDb::LastInsertRowid() const { return sqlite3_last_insert_rowid(db_); }
int SqliteDb::Changes() const { return sqlite3_changes(db_); }

void SqliteDb::Fail(const std::string& what) const {
    ThrowStorage(path_ + ": " + what + ": " + sqlite3_errmsg(db_));
}

Statement::Statement(SqliteDb& db, const std::string& sql) : db_(db) {
    if (sqlite3_prepare_v3(db.handle(), sql.c_str(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                           &stmt_, nullptr) != SQLITE_OK)
        db.Fail("cannot prepare '" + sql.substr(0, 60) + "'");
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

Statement& Statement::Bind(int i, std::int64_t v) {
    if (sqlite3_bind_int64(stmt_, i, v) != SQLITE_OK) db_.Fail("bind");
    return *this;
}
Statement& Statement::Bind(int i, double v) {
    if (sqlite3_bind_double(stmt_, i, v) != SQLITE_OK) db_.Fail("bind");
    return *this;
}
Statement& Statement::Bind(int i, std::string_view v) {
    if (sqlite3_bind_text(stmt_, i, v.data() ? v.data() : "", static_cast<int>(v.size()), SQLITE_TRANSIENT) !=
        SQLITE_OK)
        db_.Fail("bind");
    return *this;
}
Statement& Statement::BindBlob(int i, const void* p, int n) {
    if (sqlite3_bind_blob(stmt_, i, p, n, SQLITE_TRANSIENT) != SQLITE_OK) db_.Fail("bind");
    return *this;
}
Statement& Statement::BindNull(int i) {
    if (sqlite3_bind_null(stmt_, i) != SQLITE_OK) db_.Fail("bind");
    return *this;
}
Statement& Statement::BindStatic(int i, std::string_view v) {
    if (sqlite3_bind_text(stmt_, i, v.data() ? v.data() : "", static_cast<int>(v.size()), SQLITE_STATIC) != SQLITE_OK)
        db_.Fail("bind");
    return *this;
}

Statement& Statement::BindOptText(int i, std::string_view v) { return v.empty() ? BindNull(i) : Bind(i, v); }

bool Statement::Step() {
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    std::string msg = sqlite3_errmsg(db_.handle());
    sqlite3_reset(stmt_);
    ThrowStorage("store: " + msg);
}

void Statement::Run() {
    while (Step()) {
    }
    Reset();
}

void Statement::Reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
}

bool Statement::IsNull(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }
std::int64_t Statement::Int(int col) const { return sqlite3_column_int64(stmt_, col); }
double Statement::Double(int col) const { return sqlite3_column_double(stmt_, col); }
std::string Statement::Text(int col) const {
    const unsigned char* t = sqlite3_column_text(stmt_, col);
    return t ? std::string(reinterpret_cast<const char*>(t), static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col)))
             : std::string();
}
std::optional<std::int64_t> Statement::OptInt(int col) const {
    if (IsNull(col)) return std::nullopt;
    return Int(col);
}
std::optional<double> Statement::OptDouble(int col) const {
    if (IsNull(col)) return std::nullopt;
    return Double(col);
}
const void* Statement::Blob(int col, int& size) const {
    const void* p = sqlite3_column_blob(stmt_, col);
    size = sqlite3_column_bytes(stmt_, col);
    return p;
}

Transaction::Transaction(SqliteDb& db) : db_(db) { db_.Exec("BEGIN IMMEDIATE"); }
Transaction::~Transaction() {
    if (!done_) sqlite3_exec(db_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
}
void Transaction::Commit() {
    db_.Exec("COMMIT");
    done_ = true;
}

} // namespace vigil::store
