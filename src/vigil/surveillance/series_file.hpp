#pragma once
// The plain series file of `vigil alerts --series`: `series_id,t,count[,population]`, optionally with
// `year,week` or `period` columns that label the time points. t is 1-based and must run 1..n without gaps or
// repeats in each series (give periods without cases a count of 0). docs/FORMATS.md describes it.
#include <optional>
#include <string>
#include <vector>

namespace vigil::surveillance {

struct CountSeries {
    std::string id;
    std::vector<double> counts;      // counts[t - 1]
    std::vector<double> population;  // empty unless the file has a population column
    std::vector<std::string> labels; // "1990-W01" from year,week, or the period column; empty otherwise
    std::optional<int> start_week;   // the week (or period of year) of t = 1, from a week column
};

// Reads every series, in the order first met. Throws kData naming the file, line and column for a count
// that is not a whole number of 0 or more, a t that is not a positive whole number, a repeated t, a gap in t,
// or a missing column; kIo when the file cannot be read.
std::vector<CountSeries> ReadSeriesCsv(const std::string& path);

} // namespace vigil::surveillance
