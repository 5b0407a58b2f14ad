#pragma once
// A thin RAII layer over the SQLite C API: a connection and prepared statements. Errors become
// vigil::Error of kind kStorage carrying SQLite's message.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace vigil::store {

class SqliteDb {
public:
    explicit SqliteDb(const std::string& path);
    ~SqliteDb();
    SqliteDb(const SqliteDb&) = delete;
    SqliteDb& operator=(const SqliteDb&) = delete;

    void Exec(const std::string& sql);
    sqlite3* handle() const { return db_; }
    std::int64_t LastInsertRowid() const;
    int Changes() const;
    [[noreturn]] void Fail(const std::string& what) const;

private:
    sqlite3* db_ = nullptr;
    std::string path_;
};

class Statement {
public:
    Statement(SqliteDb& db, const std::string& sql);
    ~Statement();
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    Statement& Bind(int i, std::int64_t v);
    Statement& Bind(int i, int v) { return Bind(i, static_cast<std::int64_t>(v)); }
    Statement& Bind(int i, double v);
    Statement& Bind(int i, std::string_view v);      // empty string binds as text ''
    Statement& BindBlob(int i, const void* p, int n);
    Statement& BindNull(int i);
    Statement& BindOptText(int i, std::string_view v); // empty binds NULL
    // Without copying: the text must stay unchanged until the statement is reset (hot insert paths).
    Statement& BindStatic(int i, std::string_view v);
    Statement& BindOptStatic(int i, std::string_view v) { return v.empty() ? BindNull(i) : BindStatic(i, v); }
    template <class T> Statement& Bind(int i, const std::optional<T>& v) {
        if (v) return Bind(i, *v);
        return BindNull(i);
    }

    sqlite3_stmt* handle() const { return stmt_; }
    bool Step(); // true when a row is available
    void Run();  // steps to completion, then resets
    void Reset();

    bool IsNull(int col) const;
    std::int64_t Int(int col) const;
    double Double(int col) const;
    std::string Text(int col) const;
    std::optional<std::int64_t> OptInt(int col) const;
    std::optional<double> OptDouble(int col) const;
    const void* Blob(int col, int& size) const;

private:
    SqliteDb& db_;
    sqlite3_stmt* stmt_ = nullptr;
};

// BEGIN IMMEDIATE on construction, ROLLBACK on destruction unless Commit() was called.
class Transaction {
public:
    explicit Transaction(SqliteDb& db);
    ~Transaction();
    void Commit();

private:
    SqliteDb& db_;
    bool done_ = false;
};

} // namespace vigil::store
