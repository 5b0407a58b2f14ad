#include "vigil/surveillance/evaluate.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "vigil/core/error.hpp"
#include "vigil/synth/rng.hpp" // the hand-written, library-independent generator: same outbreaks everywhere

namespace vigil::surveillance {

EvaluationResult Evaluate(const std::vector<CountSeries>& series, TimeRange range, const Judge& judge,
                          const EvaluationOptions& o) {
    if (series.empty())
        ThrowInvalidInput("no series to evaluate on");
    if (o.outbreak_length < 1 || o.simulations < 1 || !(o.outbreak_size > 0))
        ThrowInvalidInput("the outbreak length, size and number of simulations must be positive");
    if (range.last - range.first + 1 < o.outbreak_length)
        ThrowInvalidInput("the range is shorter than one outbreak");
    EvaluationResult res;
    // Baseline: every series as it is.
    for (const auto& s : series) {
        for (const auto& r : judge(s, range)) {
            if (!r.alarm)
                continue; // unjudged periods count neither way
            ++res.baseline_periods;
            res.baseline_alarms += *r.alarm;
        }
    }
    if (res.baseline_periods > 0)
        res.false_alarms_per_series_year =
            static_cast<double>(res.baseline_alarms) / static_cast<double>(res.baseline_periods) * o.freq;
    // Outbreaks.
    synth::Rng rng(o.seed, synth::Stream::kEvaluation);
    std::vector<double> delays;
    const int starts = range.last - range.first + 1 - o.outbreak_length + 1;
    for (int k = 0; k < o.simulations; ++k) {
        const auto& s = series[rng.UniformInt(series.size())];
        const int start = range.first + static_cast<int>(rng.UniformInt(static_cast<std::uint64_t>(starts)));
        const int end = start + o.outbreak_length - 1;
        // The size scales with the series' own variability over the history before the range.
        double mean = 0, ss = 0;
        const int hist = range.first - 1;
        for (int i = 0; i < hist; ++i)
            mean += s.counts[static_cast<std::size_t>(i)];
        mean /= std::max(hist, 1);
        for (int i = 0; i < hist; ++i)
            ss += std::pow(s.counts[static_cast<std::size_t>(i)] - mean, 2);
        const double sd = hist > 1 ? std::sqrt(ss / (hist - 1)) : std::sqrt(std::max(mean, 1.0));
        CountSeries with = s;
        for (int t = start; t <= end; ++t)
            with.counts[static_cast<std::size_t>(t - 1)] +=
                static_cast<double>(rng.Poisson(o.outbreak_size * std::max(sd, 1.0)));
        ++res.simulations;
        for (const auto& r : judge(with, {range.first, end})) {
            if (r.t < start || !r.alarm.value_or(false))
                continue;
            ++res.detected;
            delays.push_back(r.t - start);
            break;
        }
    }
    res.probability_of_detection = static_cast<double>(res.detected) / res.simulations;
    if (delays.empty()) {
        res.median_delay = std::numeric_limits<double>::quiet_NaN();
    } else {
        std::sort(delays.begin(), delays.end());
        const std::size_t m = delays.size() / 2;
        res.median_delay = delays.size() % 2 ? delays[m] : (delays[m - 1] + delays[m]) / 2;
    }
    return res;
}

} // namespace vigil::surveillance
