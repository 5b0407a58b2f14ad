#pragma once
// The SQLite schema as versioned migrations (schema/sqlite/NNNN_*.sql), applied in order at open.
#include <vector>

namespace vigil::store {

struct Migration {
    int version;
    const char* sql;
};

const std::vector<Migration>& SqliteMigrations();

} // namespace vigil::store
