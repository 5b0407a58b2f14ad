#pragma once
// Choosing an alert method by evidence (`vigil alerts evaluate`): outbreaks of a given size and length are
// added to real (or synthetic) series at random places, and each method is scored on how often it finds them,
// how soon, and how often it alarms when nothing was added. docs/methods/alerts.md describes the design.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "vigil/surveillance/aberration.hpp"
#include "vigil/surveillance/series_file.hpp"

namespace vigil::surveillance {

struct EvaluationOptions {
    int outbreak_length = 4; // periods
    double outbreak_size =
        3;                 // extra cases per outbreak period ~ Poisson(size x the series' standard deviation)
    int simulations = 200; // outbreaks simulated per method
    std::uint64_t seed = 1;
    int freq = 52; // periods per year, for the false-alarm rate per series-year
};

struct EvaluationResult {
    int simulations = 0, detected = 0;
    double probability_of_detection = 0; // share of outbreaks with an alarm in one of their periods
    double median_delay =
        0; // periods from an outbreak's start to its first alarm (detected ones); NaN if none
    std::int64_t baseline_periods = 0, baseline_alarms = 0; // judged without added outbreaks
    double false_alarms_per_series_year = 0;                // baseline alarms per series and year judged
};

// Judges the points of `range` of one series (a method with its settings).
using Judge = std::function<std::vector<AberrationRow>(const CountSeries&, TimeRange)>;

// Every series is judged over `range` as it is (baseline alarms: false alarms if the series held no
// outbreak), then `simulations` outbreaks are each added to one series at a random start within the range and
// the series judged again from the range's first point to the outbreak's end. Deterministic for a seed.
EvaluationResult Evaluate(const std::vector<CountSeries>& series, TimeRange range, const Judge& judge,
                          const EvaluationOptions& options);

} // namespace vigil::surveillance
