// Throughput of the CSV reader and of event ingest into SQLite, on the real police.uk files in
// ../shared/data (Northumbria, all crime types, gzip) and on a decompressed copy.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <zlib.h>

#include "vigil/core/progress.hpp"
#include "vigil/ingest/ingest.hpp"
#include "vigil/io/csv_reader.hpp"
#include "vigil/store/store.hpp"

namespace fs = std::filesystem;

namespace {

std::vector<std::string> PoliceFiles() {
    std::vector<std::string> files;
    fs::path dir = fs::path(VIGIL_SHARED_DIR) / "data/police_uk/northumbria/street";
    if (!fs::exists(dir)) return files;
    for (const auto& e : fs::directory_iterator(dir))
        if (e.path().extension() == ".gz") files.push_back(e.path().string());
    std::sort(files.begin(), files.end());
    return files;
}

// One plain CSV holding every Northumbria street row (header once), made on first use.
std::string PlainCopy() {
    static std::string path = [] {
        fs::path out = fs::temp_directory_path() / "vigil-bench-northumbria-street.csv";
        if (fs::exists(out)) return out.string();
        std::ofstream o(out, std::ios::binary);
        bool first = true;
        for (const auto& f : PoliceFiles()) {
            vigil::io::CsvReader r(f);
            vigil::io::CsvRecord rec;
            bool header = true;
            while (r.Next(rec)) {
                if (header && !first) {
                    header = false;
                    continue;
                }
                header = false;
                o << rec.raw << '\n';
            }
            first = false;
        }
        return out.string();
    }();
    return path;
}

void BM_CsvParsePlain(benchmark::State& state) {
    std::string path = PlainCopy();
    std::int64_t rows = 0, bytes = 0;
    for (auto _ : state) {
        vigil::io::CsvReader r(path);
        vigil::io::CsvRecord rec;
        while (r.Next(rec)) ++rows;
        bytes += static_cast<std::int64_t>(r.bytes_consumed());
    }
    state.counters["rows_per_s"] = benchmark::Counter(static_cast<double>(rows), benchmark::Counter::kIsRate);
    state.SetBytesProcessed(bytes);
}
BENCHMARK(BM_CsvParsePlain)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_CsvParseGzip(benchmark::State& state) {
    auto files = PoliceFiles();
    std::int64_t rows = 0;
    for (auto _ : state)
        for (const auto& f : files) {
            vigil::io::CsvReader r(f);
            vigil::io::CsvRecord rec;
            while (r.Next(rec)) ++rows;
        }
    state.counters["rows_per_s"] = benchmark::Counter(static_cast<double>(rows), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_CsvParseGzip)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_IngestPolice(benchmark::State& state) {
    std::string path = PlainCopy();
    std::int64_t rows = 0;
    for (auto _ : state) {
        state.PauseTiming();
        fs::path db = fs::temp_directory_path() / "vigil-bench-ingest.db";
        for (const char* ext : {"", "-wal", "-shm"}) fs::remove(db.string() + ext);
        auto store = vigil::store::OpenSqliteStore(db.string());
        vigil::NullProgress progress;
        state.ResumeTiming();
        auto r = vigil::ingest::IngestEvents(*store, path, vigil::ingest::DetectPoliceProfile(path), {}, progress);
        rows += r.stats.rows_read;
    }
    state.counters["rows_per_s"] = benchmark::Counter(static_cast<double>(rows), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_IngestPolice)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1);

} // namespace

BENCHMARK_MAIN();
