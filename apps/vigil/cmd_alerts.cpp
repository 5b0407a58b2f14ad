// vigil alerts: aberration detection on count series (EARS C1/C2/C3, CUSUM), as R's surveillance package does it.
#include <CLI/CLI.hpp>
#include <charconv>

#include "output.hpp"
#include "vigil/core/error.hpp"
#include "vigil/surveillance/aberration.hpp"
#include "vigil/surveillance/series_file.hpp"

namespace vigil::cli {
namespace {

struct AlertsArgs {
    std::string series, method = "ears-c1", range, m = "mean", trans = "standard";
    int baseline = 7, freq = 52;
    double min_sigma = 0, k = 1.04, h = 2.26;
    std::optional<double> alpha;
    OutputOptions output;
};

std::optional<surveillance::TimeRange> ParseRange(const std::string& text) {
    auto colon = text.find(':');
    if (colon == std::string::npos) return std::nullopt;
    surveillance::TimeRange r;
    auto a = std::string_view(text).substr(0, colon), b = std::string_view(text).substr(colon + 1);
    auto [p, ec] = std::from_chars(a.data(), a.data() + a.size(), r.first);
    auto [q, ec2] = std::from_chars(b.data(), b.data() + b.size(), r.last);
    if (ec != std::errc() || ec2 != std::errc() || p != a.data() + a.size() || q != b.data() + b.size()) return std::nullopt;
    return r;
}

void Run(const Context& ctx, const AlertsArgs& a) {
    if (a.series.empty())
        ThrowInvalidInput("alerts on the store's series (--level, --category, --by) are not available yet; give a "
                          "series file with --series FILE.csv (series_id,t,count)");
    std::optional<surveillance::TimeRange> range;
    if (!a.range.empty()) {
        range = ParseRange(a.range);
        if (!range) ThrowInvalidInput("--range '" + a.range + "': expected FIRST:LAST, e.g. 264:312 (1-based t)");
    }
    const bool ears = a.method.rfind("ears-", 0) == 0;
    surveillance::EarsOptions eo;
    surveillance::CusumOptions co;
    if (ears) {
        eo.method = a.method == "ears-c1" ? surveillance::EarsMethod::kC1
                    : a.method == "ears-c2" ? surveillance::EarsMethod::kC2
                                            : surveillance::EarsMethod::kC3;
        eo.baseline = a.baseline;
        eo.min_sigma = a.min_sigma;
        eo.alpha = a.alpha;
    } else {
        co.k = a.k;
        co.h = a.h;
        co.freq = a.freq;
        co.trans = a.trans == "rossi" ? surveillance::CusumTrans::kRossi
                   : a.trans == "anscombe" ? surveillance::CusumTrans::kAnscombe
                                           : surveillance::CusumTrans::kStandard;
        if (a.m == "mean") co.target = surveillance::CusumTarget::kMean;
        else if (a.m == "glm") co.target = surveillance::CusumTarget::kGlm;
        else {
            double v = 0;
            auto [p, ec] = std::from_chars(a.m.data(), a.m.data() + a.m.size(), v);
            if (ec != std::errc() || p != a.m.data() + a.m.size() || !(v > 0))
                ThrowInvalidInput("--m '" + a.m + "': expected mean, glm or a positive number");
            co.target = surveillance::CusumTarget::kValue;
            co.m = v;
        }
        if (!range) ThrowInvalidInput("cusum needs --range FIRST:LAST: the periods before FIRST set its target mean");
    }
    const auto all = surveillance::ReadSeriesCsv(a.series);
    bool labelled = false;
    for (const auto& s : all) labelled = labelled || !s.labels.empty();
    io::Table t;
    t.name = "alerts";
    t.columns = {"series_id", "t"};
    if (labelled) t.columns.push_back("period");
    for (const char* c : {"observed", "upperbound", "alarm", "expected"}) t.columns.push_back(c);
    t.columns.push_back(ears ? "score" : "cusum");
    t.columns.push_back("reason");
    std::int64_t alarms = 0;
    for (const auto& s : all) {
        std::vector<surveillance::AberrationRow> rows;
        try {
            if (ears) {
                auto r = range.value_or(surveillance::EarsDefaultRange(eo, static_cast<int>(s.counts.size())));
                rows = surveillance::EarsC(s.counts, r, eo);
            } else {
                co.start_week = s.start_week.value_or(1);
                rows = surveillance::Cusum(s.counts, *range, co);
            }
        } catch (const Error& e) {
            throw Error(e.kind(), "series '" + s.id + "': " + e.what());
        }
        for (const auto& r : rows) {
            std::vector<io::Cell> row = {s.id, static_cast<std::int64_t>(r.t)};
            if (labelled)
                row.push_back(s.labels.empty() ? io::Cell{} : io::Cell{s.labels[static_cast<std::size_t>(r.t - 1)]});
            row.push_back(static_cast<std::int64_t>(r.observed));
            row.push_back(r.upperbound);
            if (r.alarm) row.push_back(static_cast<std::int64_t>(*r.alarm ? 1 : 0));
            else row.push_back(std::monostate{});
            row.push_back(r.expected);
            row.push_back(r.score);
            row.push_back(r.reason);
            alarms += r.alarm.value_or(false) ? 1 : 0;
            t.AddRow(std::move(row));
        }
    }
    WriteTable(ctx, a.output, t);
    if (!ctx.quiet)
        *ctx.err << all.size() << " series, " << t.rows.size() << " periods judged or listed, " << alarms
                 << " alarms\n";
}

} // namespace

void AddAlertsCommand(CLI::App& app, Context& ctx) {
    auto a = std::make_shared<AlertsArgs>();
    auto* c = app.add_subcommand("alerts", "Outbreak alerts: periods whose count is above what the recent past explains");
    c->add_option("--series", a->series, "Plain series file series_id,t,count[,population] (t 1-based), optionally "
                                          "with year,week or period columns")
        ->check(CLI::ExistingFile);
    c->add_option("--method", a->method, "ears-c1, ears-c2, ears-c3 or cusum")
        ->check(CLI::IsMember({"ears-c1", "ears-c2", "ears-c3", "cusum"}))
        ->capture_default_str();
    c->add_option("--range", a->range, "FIRST:LAST, the time points to judge (1-based t, as in R); EARS default: "
                                        "every point with a full baseline");
    c->add_option("--baseline", a->baseline, "EARS: periods in the reference window (>= 3)")->capture_default_str();
    c->add_option("--min-sigma", a->min_sigma, "EARS: floor on the reference standard deviation")->capture_default_str();
    c->add_option("--alpha", a->alpha, "EARS: one-sided level of the bound (default 0.001 for C1 and C2, 0.025 for C3)");
    c->add_option("--k", a->k, "CUSUM: reference value (allowance), in standard deviations")->capture_default_str();
    c->add_option("--h", a->h, "CUSUM: decision interval; alarm when the sum reaches it")->capture_default_str();
    c->add_option("--m", a->m, "CUSUM: target mean: mean (of the periods before the range), glm (Poisson GLM with a "
                                "yearly wave, fitted on them) or a number")
        ->capture_default_str();
    c->add_option("--trans", a->trans, "CUSUM: standardisation: standard, rossi or anscombe")
        ->check(CLI::IsMember({"standard", "rossi", "anscombe"}))
        ->capture_default_str();
    c->add_option("--freq", a->freq, "Periods per year (52 weekly, 12 monthly), for the GLM's yearly wave")
        ->check(CLI::IsMember({52, 12}))
        ->capture_default_str();
    a->output.Add(c);
    c->footer("\nExample: vigil alerts --series weekly.csv --method ears-c3 --format csv\n"
              "         vigil alerts --series weekly.csv --method cusum --range 264:312 --m glm --trans rossi\n"
              "Columns: series_id,t[,period],observed,upperbound,alarm,expected,score|cusum,reason. alarm is 1/0, "
              "empty when the period cannot be judged (reason says why) or the bound is undefined (R's NA). "
              "Methods and their parity with R surveillance: docs/methods/alerts.md.");
    c->callback([&ctx, a] { Run(ctx, *a); });
}

} // namespace vigil::cli
