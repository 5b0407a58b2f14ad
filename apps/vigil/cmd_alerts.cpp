// vigil alerts: aberration detection on count series (EARS C1/C2/C3, CUSUM), as R's surveillance package does
// it.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <charconv>
#include <cmath>
#include <sstream>

#include "output.hpp"
#include "vigil/core/error.hpp"
#include "vigil/core/parallel.hpp"
#include "vigil/model/category.hpp"
#include "vigil/surveillance/aberration.hpp"
#include "vigil/surveillance/alerts_query.hpp"
#include "vigil/surveillance/evaluate.hpp"
#include "vigil/surveillance/series_file.hpp"

namespace vigil::cli {
namespace {

struct AlertsArgs {
    std::string series, method = "auto", range, m = "mean", trans = "standard";
    int baseline = 7, freq = 52;
    double min_sigma = 0, k = 1.04, h = 2.26;
    std::optional<double> alpha;
    // Farrington / Noufaily: unset options keep the method's setting (farrington: Farrington 1996, noufaily:
    // Noufaily 2013, as the surveillance vignette 'monitoringCounts').
    std::optional<int> b, w, no_periods, past_weeks_not_included;
    std::optional<bool> reweight, trend, population_offset;
    std::optional<double> weights_threshold, p_threshold_trend;
    std::string limit54, powertrans, threshold_method;
    double c_arl = 5;
    int mtilde = 1;
    std::string ret = "value", dir = "inc";
    // On the store's series.
    std::string level = "borough", period = "week", category = "violence_and_sexual_offences", source, age,
                from, to;
    std::vector<std::string> by;
    std::string age_bands = "0-17,18-24,25+";
    bool only_new = false;
    // alerts evaluate
    std::vector<std::string> methods;
    int outbreak_length = 4, simulations = 200;
    double outbreak_size = 3;
    std::uint64_t seed = 1;
    OutputOptions output;
};

surveillance::FarringtonOptions FarringtonFrom(const AlertsArgs& a) {
    auto o = a.method == "noufaily" ? surveillance::FarringtonOptions::Noufaily2013()
                                    : surveillance::FarringtonOptions::Farrington1996();
    o.freq = a.freq;
    if (a.b)
        o.b = *a.b;
    if (a.w)
        o.w = *a.w;
    if (a.no_periods)
        o.no_periods = *a.no_periods;
    if (a.past_weeks_not_included)
        o.past_weeks_not_included = *a.past_weeks_not_included;
    if (a.reweight)
        o.reweight = *a.reweight;
    if (a.trend)
        o.trend = *a.trend;
    if (a.population_offset)
        o.population_offset = *a.population_offset;
    if (a.weights_threshold)
        o.weights_threshold = *a.weights_threshold;
    if (a.p_threshold_trend)
        o.p_threshold_trend = *a.p_threshold_trend;
    if (a.alpha)
        o.alpha = *a.alpha;
    if (!a.limit54.empty()) {
        int cases = 0, periods = 0;
        char comma = 0;
        std::istringstream in(a.limit54);
        if (!(in >> cases >> comma >> periods) || comma != ',' || !in.eof())
            ThrowInvalidInput("--limit54 '" + a.limit54 + "': expected CASES,PERIODS, e.g. 5,4");
        o.limit54_cases = cases;
        o.limit54_periods = periods;
    }
    if (!a.powertrans.empty())
        o.power = a.powertrans == "none" ? 1.0 : a.powertrans == "1/2" ? 0.5 : 2.0 / 3;
    if (!a.threshold_method.empty())
        o.threshold = a.threshold_method == "nbPlugin" ? surveillance::FarringtonThreshold::kNbPlugin
                                                       : surveillance::FarringtonThreshold::kDelta;
    return o;
}

std::optional<surveillance::TimeRange> ParseRange(const std::string& text) {
    auto colon = text.find(':');
    if (colon == std::string::npos)
        return std::nullopt;
    surveillance::TimeRange r;
    auto a = std::string_view(text).substr(0, colon), b = std::string_view(text).substr(colon + 1);
    auto [p, ec] = std::from_chars(a.data(), a.data() + a.size(), r.first);
    auto [q, ec2] = std::from_chars(b.data(), b.data() + b.size(), r.last);
    if (ec != std::errc() || ec2 != std::errc() || p != a.data() + a.size() || q != b.data() + b.size())
        return std::nullopt;
    return r;
}

// The store's series and the periods to judge: --from/--to as period labels, by default the last 52 weeks or
// 12 months.
std::vector<surveillance::CountSeries> StoreSeries(const Context& ctx, const AlertsArgs& a, PeriodKind kind,
                                                   std::vector<std::string>& names,
                                                   surveillance::TimeRange& range) {
    surveillance::StoreSeriesRequest q;
    q.level = a.level;
    q.period = kind;
    q.category = CategoryTree::Standard().Require(a.category);
    if (!a.source.empty())
        q.source = a.source;
    if (!a.age.empty()) {
        q.age = surveillance::ParseAgeRange(a.age);
        if (!q.age)
            ThrowInvalidInput("--age '" + a.age + "': expected A-B (e.g. 15-24) or A+ (e.g. 25+)");
    }
    q.by = a.by;
    if (std::find(a.by.begin(), a.by.end(), "age") != a.by.end()) {
        std::istringstream bands(a.age_bands);
        for (std::string band; std::getline(bands, band, ',');) {
            auto r = surveillance::ParseAgeRange(band);
            if (!r) ThrowInvalidInput("--age-bands: '" + band + "' is not an age band such as 15-24 or 25+");
            q.age_bands.push_back(*r);
        }
    }
    auto store = ctx.OpenStore();
    auto loaded = surveillance::LoadStoreSeries(*store, q);
    const auto& keys = loaded.front().period_keys;
    const int n = static_cast<int>(keys.size());
    auto index_of = [&](const std::string& label, bool end, const char* option) {
        auto p = ParsePeriodLabel(label);
        if (!p)
            ThrowInvalidInput(std::string(option) + " '" + label +
                              "': expected a period such as 2024-W09 or 2024-03");
        const std::int32_t key =
            PeriodKeyOf(kind, end ? PeriodEnd(p->kind, p->key) : PeriodStart(p->kind, p->key));
        for (int i = 0; i < n; ++i)
            if (keys[static_cast<std::size_t>(i)] == key)
                return i + 1;
        ThrowInvalidInput(std::string(option) + " '" + label + "' is outside the periods held (" +
                          loaded.front().series.labels.front() + " to " +
                          loaded.front().series.labels.back() + ")");
    };
    range.last = a.to.empty() ? n : index_of(a.to, true, "--to");
    range.first = a.from.empty() ? std::max(1, range.last - (kind == PeriodKind::kWeek ? 52 : 12) + 1)
                                 : index_of(a.from, false, "--from");
    if (range.first > range.last)
        ThrowInvalidInput("--from is after --to");
    std::vector<surveillance::CountSeries> all;
    for (auto& s : loaded) {
        names.push_back(s.area_name);
        all.push_back(std::move(s.series));
    }
    return all;
}

// What makes two runs "the same alerts": the method with every option, and the series asked for. An alarm is
// new when no earlier run with the same signature raised it.
std::string Signature(const AlertsArgs& a) {
    std::ostringstream o;
    o << "method=" << a.method << ";level=" << a.level << ";period=" << a.period << ";category=" << a.category
      << ";source=" << a.source << ";age=" << a.age << ";bands=" << a.age_bands << ";by=";
    for (const auto& b : a.by)
        o << b << ',';
    o << ";baseline=" << a.baseline << ";min_sigma=" << a.min_sigma
      << ";alpha=" << (a.alpha ? std::to_string(*a.alpha) : "") << ";k=" << a.k << ";h=" << a.h
      << ";m=" << a.m << ";trans=" << a.trans << ";freq=" << a.freq << ";b=" << a.b.value_or(-1)
      << ";w=" << a.w.value_or(-1) << ";no_periods=" << a.no_periods.value_or(-1)
      << ";past=" << a.past_weeks_not_included.value_or(-1) << ";reweight=" << a.reweight.value_or(true)
      << ";trend=" << a.trend.value_or(true) << ";offset=" << a.population_offset.value_or(false)
      << ";wt=" << a.weights_threshold.value_or(-1) << ";pt=" << a.p_threshold_trend.value_or(-1)
      << ";limit54=" << a.limit54 << ";power=" << a.powertrans << ";threshold=" << a.threshold_method
      << ";c_arl=" << a.c_arl << ";mtilde=" << a.mtilde << ";ret=" << a.ret << ";dir=" << a.dir;
    return o.str();
}

// A method with its settings, ready to judge one series over a range (nullopt: the method's default range).
using SeriesJudge = std::function<std::vector<surveillance::AberrationRow>(
    const surveillance::CountSeries&, std::optional<surveillance::TimeRange>)>;

SeriesJudge MakeJudge(const AlertsArgs& a, const std::string& method, int freq) {
    const bool ears = method.rfind("ears-", 0) == 0;
    const bool farrington = method == "farrington" || method == "noufaily";
    const bool glr = method == "glrpois";
    if (ears) {
        surveillance::EarsOptions eo;
        eo.method = method == "ears-c1"   ? surveillance::EarsMethod::kC1
                    : method == "ears-c2" ? surveillance::EarsMethod::kC2
                                          : surveillance::EarsMethod::kC3;
        eo.baseline = a.baseline;
        eo.min_sigma = a.min_sigma;
        eo.alpha = a.alpha;
        return [eo](const surveillance::CountSeries& s, std::optional<surveillance::TimeRange> r) {
            return surveillance::EarsC(
                s.counts, r.value_or(surveillance::EarsDefaultRange(eo, static_cast<int>(s.counts.size()))),
                eo);
        };
    }
    if (glr) {
        surveillance::GlrOptions go;
        go.c_arl = a.c_arl;
        go.mtilde = a.mtilde;
        go.increase = a.dir == "inc";
        go.ret = a.ret == "cases" ? surveillance::GlrReturn::kCases : surveillance::GlrReturn::kValue;
        go.freq = freq;
        return [go](const surveillance::CountSeries& s, std::optional<surveillance::TimeRange> r) {
            if (!r)
                ThrowInvalidInput("glrpois needs --range FIRST:LAST: the periods before FIRST fit its model");
            return surveillance::GlrPois(s.counts, *r, go);
        };
    }
    if (farrington) {
        AlertsArgs copy = a;
        copy.method = method;
        surveillance::FarringtonOptions fo = FarringtonFrom(copy);
        fo.freq = freq;
        return [fo](const surveillance::CountSeries& s, std::optional<surveillance::TimeRange> r) {
            // R's default range: from the first point with b years and w periods of history.
            const int n = static_cast<int>(s.counts.size());
            return surveillance::Farrington(
                s.counts, s.population,
                r.value_or(surveillance::TimeRange{std::min(n, fo.b * fo.freq + fo.w + 1), n}), fo);
        };
    }
    surveillance::CusumOptions co;
    co.k = a.k;
    co.h = a.h;
    co.freq = freq;
    co.trans = a.trans == "rossi"      ? surveillance::CusumTrans::kRossi
               : a.trans == "anscombe" ? surveillance::CusumTrans::kAnscombe
                                       : surveillance::CusumTrans::kStandard;
    if (a.m == "mean")
        co.target = surveillance::CusumTarget::kMean;
    else if (a.m == "glm")
        co.target = surveillance::CusumTarget::kGlm;
    else {
        double v = 0;
        auto [p, ec] = std::from_chars(a.m.data(), a.m.data() + a.m.size(), v);
        if (ec != std::errc() || p != a.m.data() + a.m.size() || !(v > 0))
            ThrowInvalidInput("--m '" + a.m + "': expected mean, glm or a positive number");
        co.target = surveillance::CusumTarget::kValue;
        co.m = v;
    }
    return [co](const surveillance::CountSeries& s, std::optional<surveillance::TimeRange> r) {
        if (!r)
            ThrowInvalidInput("cusum needs --range FIRST:LAST: the periods before FIRST set its target mean");
        surveillance::CusumOptions c = co;
        c.start_week = s.start_week.value_or(1);
        return surveillance::Cusum(s.counts, *r, c);
    };
}

// The series (from a file or the store), the range to judge and the periods per year.
struct Inputs {
    bool from_store = false;
    std::vector<surveillance::CountSeries> all;
    std::vector<std::string> names;
    std::optional<surveillance::TimeRange> range;
    int freq = 52;
};

Inputs LoadInputs(const Context& ctx, const AlertsArgs& a) {
    Inputs in;
    in.from_store = a.series.empty();
    auto kind = ParsePeriodKind(a.period);
    if (in.from_store && !a.range.empty())
        ThrowInvalidInput(
            "--range numbers the points of a --series file; on the store give --from and --to periods");
    if (!in.from_store && (!a.from.empty() || !a.to.empty() || !a.by.empty() || a.only_new))
        ThrowInvalidInput(
            "--from, --to, --by and --new apply to the store's series, not to a --series file (use --range)");
    in.freq = in.from_store && kind == PeriodKind::kMonth ? 12 : a.freq;
    if (in.from_store) {
        surveillance::TimeRange r;
        in.all = StoreSeries(ctx, a, *kind, in.names, r);
        in.range = r;
    }
    if (!a.range.empty()) {
        in.range = ParseRange(a.range);
        if (!in.range)
            ThrowInvalidInput("--range '" + a.range + "': expected FIRST:LAST, e.g. 264:312 (1-based t)");
    }
    if (!in.from_store)
        in.all = surveillance::ReadSeriesCsv(a.series);
    return in;
}

// The default method, chosen by `alerts evaluate` on real and synthetic series (docs/methods/alerts.md):
// Noufaily for weekly series, Farrington 1996 for monthly ones (Noufaily's ten season groups do not fit
// twelve periods a year; GLR and CUSUM, without a trend, alarm most months on the rising Met sexual-offence
// series).
std::string ResolveMethod(const std::string& method, int freq) {
    if (method != "auto")
        return method;
    return freq == 12 ? "farrington" : "noufaily";
}

void Run(const Context& ctx, const AlertsArgs& args) {
    Inputs in = LoadInputs(ctx, args);
    AlertsArgs a = args;
    a.method = ResolveMethod(args.method, in.freq);
    const bool from_store = in.from_store;
    const auto& all = in.all;
    const auto& names = in.names;
    const auto& range = in.range;
    const bool ears = a.method.rfind("ears-", 0) == 0;
    const bool farrington = a.method == "farrington" || a.method == "noufaily";
    const bool glr = a.method == "glrpois";
    const SeriesJudge judge = MakeJudge(a, a.method, in.freq);
    bool labelled = false;
    for (const auto& s : all)
        labelled = labelled || !s.labels.empty();
    io::Table t;
    t.name = "alerts";
    t.columns = {"series_id"};
    if (from_store)
        t.columns.push_back("area_name");
    t.columns.push_back("t");
    if (labelled)
        t.columns.push_back("period");
    for (const char* c : {"observed", "upperbound", "alarm", "expected"})
        t.columns.push_back(c);
    t.columns.push_back(farrington || ears ? "score" : glr ? "glr" : "cusum");
    if (farrington)
        for (const char* c : {"pvalue", "mu0", "phi", "trend_used", "trend_coef"})
            t.columns.push_back(c);
    if (from_store)
        t.columns.push_back("new");
    t.columns.push_back("reason");
    std::int64_t alarms = 0, new_alarms = 0;
    // Series are judged in parallel (each is independent), then written in file order.
    std::vector<std::vector<surveillance::AberrationRow>> results(all.size());
    ParallelFor(all.size(), [&](std::size_t i) {
        const auto& s = all[i];
        try {
            results[i] = judge(s, range);
        } catch (const Error& e) {
            throw Error(e.kind(), "series '" + s.id + "': " + e.what());
        }
    });
    // On the store, alarms are remembered: which of them no earlier run with the same settings raised.
    std::vector<std::vector<bool>> fresh(all.size());
    if (from_store) {
        std::vector<store::AlertRecord> raised;
        const std::string signature = Signature(a);
        for (std::size_t i = 0; i < all.size(); ++i)
            for (const auto& r : results[i])
                if (r.alarm.value_or(false))
                    raised.push_back({signature, all[i].id, all[i].labels[static_cast<std::size_t>(r.t - 1)],
                                      static_cast<std::int64_t>(r.observed), r.upperbound});
        auto store = ctx.OpenStore();
        const auto is_new = store->RememberAlerts(raised);
        std::size_t j = 0;
        for (std::size_t i = 0; i < all.size(); ++i)
            for (const auto& r : results[i])
                fresh[i].push_back(r.alarm.value_or(false) && is_new[j++]);
    }
    for (std::size_t i = 0; i < all.size(); ++i) {
        const auto& s = all[i];
        const auto& rows = results[i];
        for (std::size_t ri = 0; ri < rows.size(); ++ri) {
            const auto& r = rows[ri];
            const bool is_new = from_store && fresh[i][ri];
            alarms += r.alarm.value_or(false) ? 1 : 0;
            new_alarms += is_new ? 1 : 0;
            if (a.only_new && !is_new)
                continue;
            std::vector<io::Cell> row = {s.id};
            if (from_store)
                row.push_back(names[i]);
            row.push_back(static_cast<std::int64_t>(r.t));
            if (labelled)
                row.push_back(s.labels.empty() ? io::Cell{}
                                               : io::Cell{s.labels[static_cast<std::size_t>(r.t - 1)]});
            row.push_back(static_cast<std::int64_t>(r.observed));
            row.push_back(r.upperbound);
            if (r.alarm)
                row.push_back(static_cast<std::int64_t>(*r.alarm ? 1 : 0));
            else
                row.push_back(std::monostate{});
            row.push_back(r.expected);
            row.push_back(r.score);
            if (farrington) {
                row.push_back(r.pvalue);
                row.push_back(r.mu0);
                row.push_back(r.phi);
                if (std::isnan(r.phi))
                    row.push_back(std::monostate{});
                else
                    row.push_back(static_cast<std::int64_t>(r.trend_used ? 1 : 0));
                row.push_back(r.trend_coef);
            }
            if (from_store) {
                if (r.alarm.value_or(false))
                    row.push_back(static_cast<std::int64_t>(is_new ? 1 : 0));
                else
                    row.push_back(std::monostate{});
            }
            row.push_back(r.reason);
            t.AddRow(std::move(row));
        }
    }
    WriteTable(ctx, a.output, t);
    if (!ctx.quiet)
        *ctx.err << all.size() << " series, " << t.rows.size() << " periods listed, " << alarms << " alarms"
                 << (from_store ? ", " + std::to_string(new_alarms) + " of them new" : std::string()) << "\n";
}

// vigil alerts evaluate: each method on the same series, with and without simulated outbreaks.
void Evaluate(const Context& ctx, const AlertsArgs& a) {
    Inputs in = LoadInputs(ctx, a);
    if (!in.range)
        ThrowInvalidInput("alerts evaluate needs the periods to judge: --range FIRST:LAST (or --from/--to)");
    std::vector<std::string> methods = a.methods;
    if (methods.empty())
        methods = {"ears-c1", "ears-c2", "ears-c3", "cusum", "farrington", "noufaily", "glrpois"};
    surveillance::EvaluationOptions eo;
    eo.outbreak_length = a.outbreak_length;
    eo.outbreak_size = a.outbreak_size;
    eo.simulations = a.simulations;
    eo.seed = a.seed;
    eo.freq = in.freq;
    io::Table t;
    t.name = "evaluation";
    t.columns = {"method",
                 "probability_of_detection",
                 "median_delay",
                 "false_alarms_per_series_year",
                 "detected",
                 "simulations",
                 "baseline_alarms",
                 "baseline_periods",
                 "note"};
    for (const auto& m : methods) {
        const SeriesJudge judge = MakeJudge(a, m, in.freq);
        std::vector<io::Cell> row = {m};
        try {
            const auto r = surveillance::Evaluate(
                in.all, *in.range,
                [&](const surveillance::CountSeries& s, surveillance::TimeRange range) {
                    return judge(s, range);
                },
                eo);
            row.insert(row.end(),
                       {r.probability_of_detection, r.median_delay, r.false_alarms_per_series_year,
                        static_cast<std::int64_t>(r.detected), static_cast<std::int64_t>(r.simulations),
                        r.baseline_alarms, r.baseline_periods, std::string()});
        } catch (const Error& e) {
            if (e.kind() != ErrorKind::kInvalidInput)
                throw;
            // A method that cannot run on these series (too little history, settings unfit for the
            // frequency).
            row.insert(row.end(), {io::Cell{}, io::Cell{}, io::Cell{}, io::Cell{}, io::Cell{}, io::Cell{},
                                   io::Cell{}, std::string(e.what())});
        }
        t.AddRow(std::move(row));
        if (!ctx.quiet)
            *ctx.err << "evaluated " << m << "\n";
    }
    WriteTable(ctx, a.output, t);
}

} // namespace

void AddAlertsCommand(CLI::App& app, Context& ctx) {
    auto a = std::make_shared<AlertsArgs>();
    auto* c = app.add_subcommand(
        "alerts", "Outbreak alerts: periods whose count is above what the recent past explains");
    c->add_option("--level", a->level,
                  "Store: one series per area at this level (lsoa, msoa, ward, borough, all)")
        ->check(CLI::IsMember({"lsoa", "msoa", "ward", "borough", "all"}))
        ->capture_default_str();
    c->add_option("--period", a->period, "Store: week (ISO) or month")
        ->check(CLI::IsMember({"week", "month"}))
        ->capture_default_str();
    c->add_option("--category", a->category,
                  "Store: a node of the category tree; its descendants are included")
        ->capture_default_str();
    c->add_option("--source", a->source, "Store: the source to count (police, ae, ambulance, ...)");
    c->add_option("--age", a->age, "Store: victims aged A-B or A+");
    c->add_option("--by", a->by,
                  "Store: also one series per sex, source, site (A&E department; needs --source), age band "
                          "(--age-bands) and/or category (child nodes); repeatable")
        ->check(CLI::IsMember({"sex", "source", "category", "site", "age"}));
    c->add_option("--age-bands", a->age_bands, "Store, with --by age: the bands, comma-separated")->capture_default_str();
    c->add_option("--from", a->from,
                  "Store: first period to judge, e.g. 2024-W01 or 2024-01 (default: 52 weeks or 12 "
                  "months before the last)");
    c->add_option("--to", a->to, "Store: last period to judge (default: the last held)");
    c->add_flag("--new", a->only_new,
                "Store: list only alarms that no earlier run with the same settings raised "
                "(alarms are remembered in the store)");
    c->add_option("--series", a->series,
                  "Plain series file series_id,t,count[,population] (t 1-based), optionally "
                  "with year,week or period columns")
        ->check(CLI::ExistingFile);
    c->add_option(
         "--method", a->method,
         "ears-c1, ears-c2, ears-c3, cusum, farrington (Farrington 1996 settings), "
         "noufaily (Noufaily 2013 settings), glrpois (Poisson GLR), or auto: noufaily for weekly series, "
         "farrington for monthly ones (chosen by evaluation, docs/methods/alerts.md)")
        ->check(CLI::IsMember(
            {"auto", "ears-c1", "ears-c2", "ears-c3", "cusum", "farrington", "noufaily", "glrpois"}))
        ->capture_default_str();
    c->add_option("--range", a->range,
                  "FIRST:LAST, the time points to judge (1-based t, as in R); EARS default: "
                  "every point with a full baseline");
    c->add_option("--baseline", a->baseline, "EARS: periods in the reference window (>= 3)")
        ->capture_default_str();
    c->add_option("--min-sigma", a->min_sigma, "EARS: floor on the reference standard deviation")
        ->capture_default_str();
    c->add_option("--alpha", a->alpha,
                  "EARS, Farrington: one-sided level of the bound (defaults: 0.001 for C1 and C2, "
                  "0.025 for C3, 0.05 for farrington and noufaily)");
    c->add_option("--b", a->b, "Farrington: years of history (default 5)");
    c->add_option("--w", a->w,
                  "Farrington: half-width of the window around the same week in earlier years (default 3)");
    c->add_option("--reweight", a->reweight,
                  "Farrington: down-weight past outbreaks, true or false (default true)");
    c->add_option(
        "--weights-threshold", a->weights_threshold,
        "Farrington: Anscombe residual above which a week is down-weighted (1 farrington, 2.58 noufaily)");
    c->add_option("--trend", a->trend, "Farrington: allow a time trend, true or false (default true)");
    c->add_option("--p-threshold-trend", a->p_threshold_trend,
                  "Farrington: keep the trend when its p-value is below this (0.05 farrington, 1 noufaily)");
    c->add_option("--limit54", a->limit54,
                  "Farrington: CASES,PERIODS: no alarm with fewer cases in the last periods "
                  "(default 5,4)");
    c->add_option("--powertrans", a->powertrans,
                  "Farrington (delta threshold): none, 1/2 or 2/3 (default 2/3)")
        ->check(CLI::IsMember({"none", "1/2", "2/3"}));
    c->add_option("--population-offset", a->population_offset,
                  "Farrington: population offset in the model, true or false (needs a population column)");
    c->add_option("--no-periods", a->no_periods,
                  "Farrington: season groups per year (1 farrington, 10 noufaily)");
    c->add_option("--past-weeks-not-included", a->past_weeks_not_included,
                  "Farrington: recent periods left out of the model (3 farrington, 26 noufaily)");
    c->add_option("--threshold-method", a->threshold_method,
                  "Farrington: delta (Farrington 1996) or nbPlugin (Noufaily 2013)")
        ->check(CLI::IsMember({"delta", "nbPlugin"}));
    c->add_option("--k", a->k, "CUSUM: reference value (allowance), in standard deviations")
        ->capture_default_str();
    c->add_option("--h", a->h, "CUSUM: decision interval; alarm when the sum reaches it")
        ->capture_default_str();
    c->add_option("--m", a->m,
                  "CUSUM: target mean: mean (of the periods before the range), glm (Poisson GLM with a "
                  "yearly wave, fitted on them) or a number")
        ->capture_default_str();
    c->add_option("--trans", a->trans, "CUSUM: standardisation: standard, rossi or anscombe")
        ->check(CLI::IsMember({"standard", "rossi", "anscombe"}))
        ->capture_default_str();
    c->add_option("--freq", a->freq, "Periods per year (52 weekly, 12 monthly), for the GLM's yearly wave")
        ->check(CLI::IsMember({52, 12}))
        ->capture_default_str();
    c->add_option("--c-arl", a->c_arl, "glrpois: alarm when the GLR statistic reaches this")
        ->capture_default_str();
    c->add_option("--ret", a->ret,
                  "glrpois: upperbound is the statistic (value) or the cases needed for an alarm (cases)")
        ->check(CLI::IsMember({"value", "cases"}))
        ->capture_default_str();
    c->add_option("--mtilde", a->mtilde, "glrpois: periods needed before a change can be estimated")
        ->capture_default_str();
    c->add_option("--dir", a->dir, "glrpois: look for an increase (inc) or a decrease (dec)")
        ->check(CLI::IsMember({"inc", "dec"}))
        ->capture_default_str();
    a->output.Add(c);
    c->footer(
        "\nExample: vigil alerts --level borough --period week --source ae --age 15-24 --method farrington\n"
        "         vigil alerts --series weekly.csv --method ears-c3 --format csv\n"
        "         vigil alerts --series weekly.csv --method noufaily --range 264:312 --b 5 --format csv\n"
        "         vigil alerts --series weekly.csv --method cusum --range 264:312 --m glm --trans rossi\n"
        "Columns: "
        "series_id,t[,period],observed,upperbound,alarm,expected,score|cusum|glr[,pvalue,mu0,phi,trend_used,"
        "trend_coef][,new],reason. alarm is 1/0, "
        "empty when the period cannot be judged (reason says why) or the bound is undefined (R's NA). "
        "Methods and their parity with R surveillance: docs/methods/alerts.md.");
    auto* ev = c->add_subcommand("evaluate",
                                 "Score methods on your series: simulated outbreaks found, how soon, and "
                                 "false alarms without them");
    ev->fallthrough(); // the series, range and method options are alerts' own
    ev->add_option("--methods", a->methods, "Methods to compare (default: all), each with the settings given")
        ->delimiter(',')
        ->check(
            CLI::IsMember({"ears-c1", "ears-c2", "ears-c3", "cusum", "farrington", "noufaily", "glrpois"}));
    ev->add_option("--outbreak-length", a->outbreak_length, "Periods each simulated outbreak lasts")
        ->capture_default_str();
    ev->add_option("--outbreak-size", a->outbreak_size,
                   "Extra cases per outbreak period ~ Poisson(size x the series' standard deviation)")
        ->capture_default_str();
    ev->add_option("--simulations", a->simulations, "Outbreaks simulated per method")->capture_default_str();
    ev->add_option("--seed", a->seed, "Seed of the simulated outbreaks")->capture_default_str();
    ev->footer(
        "\nExample: vigil alerts --series weekly.csv --range 469:520 evaluate --methods "
        "ears-c2,cusum,noufaily\n"
        "         vigil alerts --source ae --period week evaluate --outbreak-size 2 --simulations 500\n"
        "Columns: method,probability_of_detection,median_delay "
        "(periods),false_alarms_per_series_year,detected,"
        "simulations,baseline_alarms,baseline_periods,note. Baseline alarms are on the series as they are: "
        "false "
        "alarms if they held no outbreak. docs/methods/alerts.md.");
    a->output.Add(ev);
    c->callback([&ctx, a, ev] {
        if (ev->parsed())
            Evaluate(ctx, *a);
        else
            Run(ctx, *a);
    });
}

} // namespace vigil::cli
