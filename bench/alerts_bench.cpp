// Aberration detection on the synthetic weekly series whose R timings are in ../shared/refs/timings.csv
// (1,000 and 10,000 series of 520 weeks, judging weeks 469-520). Times the kernels on series already in
// memory, as the R timings time earsC()/cusum() on an sts object already built; bench/run_alerts_bench.sh
// also times the whole command (reading the gzip file, writing CSV).
#include <map>
#include <string>

#include <benchmark/benchmark.h>

#include "vigil/surveillance/aberration.hpp"
#include "vigil/surveillance/series_file.hpp"

namespace {

using namespace vigil::surveillance;

const std::vector<CountSeries>& Series(int n) {
    static std::map<int, std::vector<CountSeries>> cache;
    auto it = cache.find(n);
    if (it == cache.end()) {
        const std::string path = std::string(VIGIL_SHARED_DIR) + "/refs/synthetic/aberration/weekly_" +
                                 std::to_string(n) + "_x_520/input.csv.gz";
        it = cache.emplace(n, ReadSeriesCsv(path)).first;
    }
    return it->second;
}

template <class Run> void Bench(benchmark::State& state, Run run) {
    const auto& all = Series(static_cast<int>(state.range(0)));
    const TimeRange range{469, 520};
    std::size_t alarms = 0;
    for (auto _ : state) {
        for (const auto& s : all) {
            const auto rows = run(s, range);
            for (const auto& r : rows)
                alarms += r.alarm.value_or(false);
        }
    }
    benchmark::DoNotOptimize(alarms);
    state.counters["series_per_s"] =
        benchmark::Counter(static_cast<double>(all.size()), benchmark::Counter::kIsIterationInvariantRate);
}

void BM_EarsC1(benchmark::State& st) {
    EarsOptions o;
    Bench(st, [&](const CountSeries& s, TimeRange r) { return EarsC(s.counts, r, o); });
}
void BM_EarsC2(benchmark::State& st) {
    EarsOptions o;
    o.method = EarsMethod::kC2;
    Bench(st, [&](const CountSeries& s, TimeRange r) { return EarsC(s.counts, r, o); });
}
void BM_EarsC3(benchmark::State& st) {
    EarsOptions o;
    o.method = EarsMethod::kC3;
    Bench(st, [&](const CountSeries& s, TimeRange r) { return EarsC(s.counts, r, o); });
}
void BM_CusumStandard(benchmark::State& st) {
    Bench(st, [](const CountSeries& s, TimeRange r) { return Cusum(s.counts, r, CusumOptions{}); });
}
BENCHMARK(BM_EarsC1)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_EarsC2)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_EarsC3)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_CusumStandard)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond)->UseRealTime();

} // namespace
