#include "vigil/core/period.hpp"

#include <charconv>
#include <chrono>
#include <cstdio>

namespace vigil {
namespace {

namespace chr = std::chrono;

bool ParseInt(std::string_view s, int& out) {
    if (s.empty()) return false;
    for (char c : s)
        if (c < '0' || c > '9') return false;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && p == s.data() + s.size();
}

// Monday of ISO week 1 of ISO year y.
Date IsoWeekOneMonday(int y) {
    Date jan4 = *MakeDate(y, 1, 4);
    return jan4 - (Weekday(jan4) - 1);
}

int FloorDiv(int a, int b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

bool Digits(std::string_view s) {
    for (char c : s)
        if (c < '0' || c > '9') return false;
    return !s.empty();
}

// A UTC offset: Z, +HH, +HHMM or +HH:MM (or -).
bool ValidOffset(std::string_view o) {
    if (o == "Z") return true;
    if (o.empty() || (o[0] != '+' && o[0] != '-')) return false;
    o.remove_prefix(1);
    std::string_view hh = o.substr(0, 2), mm;
    if (o.size() == 2) mm = "00";
    else if (o.size() == 4) mm = o.substr(2, 2);
    else if (o.size() == 5 && o[2] == ':') mm = o.substr(3, 2);
    else return false;
    if (!Digits(hh) || !Digits(mm)) return false;
    return (hh[0] - '0') * 10 + (hh[1] - '0') <= 23 && (mm[0] - '0') * 10 + (mm[1] - '0') <= 59;
}

// HH:MM[:SS[.fff]][offset] -> minute of the day.
std::optional<int> ParseClock(std::string_view t) {
    if (t.size() < 5 || t[2] != ':') return std::nullopt;
    int h = 0, m = 0;
    if (!ParseInt(t.substr(0, 2), h) || !ParseInt(t.substr(3, 2), m)) return std::nullopt;
    if (h > 23 || m > 59) return std::nullopt;
    std::string_view rest = t.substr(5);
    if (!rest.empty() && rest[0] == ':') {
        int sec = 0;
        if (rest.size() < 3 || !ParseInt(rest.substr(1, 2), sec) || sec > 60) return std::nullopt;
        rest = rest.substr(3);
        if (!rest.empty() && rest[0] == '.') {
            std::size_t i = 1;
            while (i < rest.size() && rest[i] >= '0' && rest[i] <= '9') ++i;
            if (i == 1) return std::nullopt;
            rest = rest.substr(i);
        }
    }
    if (!rest.empty() && !ValidOffset(rest)) return std::nullopt;
    return h * 60 + m;
}

} // namespace

std::optional<Date> MakeDate(int year, int month, int day) {
    if (year < 1000 || year > 9999) return std::nullopt;
    chr::year_month_day ymd{chr::year{year}, chr::month{static_cast<unsigned>(month)},
                            chr::day{static_cast<unsigned>(day)}};
    if (!ymd.ok()) return std::nullopt;
    return static_cast<Date>(chr::sys_days{ymd}.time_since_epoch().count());
}

CivilDate ToCivil(Date d) {
    chr::year_month_day ymd{chr::sys_days{chr::days{d}}};
    return {static_cast<int>(ymd.year()), static_cast<int>(static_cast<unsigned>(ymd.month())),
            static_cast<int>(static_cast<unsigned>(ymd.day()))};
}

int Weekday(Date d) {
    return static_cast<int>(chr::weekday{chr::sys_days{chr::days{d}}}.iso_encoding());
}

const char* PrecisionName(DatePrecision p) {
    switch (p) {
    case DatePrecision::kDay: return "day";
    case DatePrecision::kMonth: return "month";
    case DatePrecision::kYear: return "year";
    }
    return "day";
}

std::optional<PeriodKind> ParsePeriodKind(std::string_view n) {
    if (n == "day") return PeriodKind::kDay;
    if (n == "week") return PeriodKind::kWeek;
    if (n == "month") return PeriodKind::kMonth;
    if (n == "quarter") return PeriodKind::kQuarter;
    if (n == "year") return PeriodKind::kYear;
    return std::nullopt;
}

const char* PeriodKindName(PeriodKind k) {
    switch (k) {
    case PeriodKind::kDay: return "day";
    case PeriodKind::kWeek: return "week";
    case PeriodKind::kMonth: return "month";
    case PeriodKind::kQuarter: return "quarter";
    case PeriodKind::kYear: return "year";
    }
    return "day";
}

std::int32_t PeriodKeyOf(PeriodKind k, Date d) {
    switch (k) {
    case PeriodKind::kDay: return d;
    case PeriodKind::kWeek: return d - (Weekday(d) - 1); // the Monday that starts the ISO week
    case PeriodKind::kMonth: {
        CivilDate c = ToCivil(d);
        return c.year * 12 + c.month - 1;
    }
    case PeriodKind::kQuarter: {
        CivilDate c = ToCivil(d);
        return c.year * 4 + (c.month - 1) / 3;
    }
    case PeriodKind::kYear: return ToCivil(d).year;
    }
    return d;
}

Date PeriodStart(PeriodKind k, std::int32_t key) {
    switch (k) {
    case PeriodKind::kDay:
    case PeriodKind::kWeek: return key;
    case PeriodKind::kMonth: return *MakeDate(FloorDiv(key, 12), key - FloorDiv(key, 12) * 12 + 1, 1);
    case PeriodKind::kQuarter: return *MakeDate(FloorDiv(key, 4), (key - FloorDiv(key, 4) * 4) * 3 + 1, 1);
    case PeriodKind::kYear: return *MakeDate(key, 1, 1);
    }
    return key;
}

Date PeriodEnd(PeriodKind k, std::int32_t key) {
    auto last_of_month = [](int y, int m) {
        chr::year_month_day_last ymdl{chr::year{y} / chr::month{static_cast<unsigned>(m)} / chr::last};
        return static_cast<Date>(chr::sys_days{ymdl}.time_since_epoch().count());
    };
    switch (k) {
    case PeriodKind::kDay: return key;
    case PeriodKind::kWeek: return key + 6;
    case PeriodKind::kMonth: return last_of_month(FloorDiv(key, 12), key - FloorDiv(key, 12) * 12 + 1);
    case PeriodKind::kQuarter: return last_of_month(FloorDiv(key, 4), (key - FloorDiv(key, 4) * 4) * 3 + 3);
    case PeriodKind::kYear: return last_of_month(key, 12);
    }
    return key;
}

std::string PeriodLabel(PeriodKind k, std::int32_t key) {
    char buf[32];
    switch (k) {
    case PeriodKind::kDay: return FormatDate(key);
    case PeriodKind::kWeek: {
        Date thursday = key + 3; // the ISO year is the year of the week's Thursday
        int iso_year = ToCivil(thursday).year;
        int week = (key - IsoWeekOneMonday(iso_year)) / 7 + 1;
        std::snprintf(buf, sizeof buf, "%04d-W%02d", iso_year, week);
        return buf;
    }
    case PeriodKind::kMonth:
        std::snprintf(buf, sizeof buf, "%04d-%02d", FloorDiv(key, 12), key - FloorDiv(key, 12) * 12 + 1);
        return buf;
    case PeriodKind::kQuarter:
        std::snprintf(buf, sizeof buf, "%04d-Q%d", FloorDiv(key, 4), key - FloorDiv(key, 4) * 4 + 1);
        return buf;
    case PeriodKind::kYear: std::snprintf(buf, sizeof buf, "%04d", key); return buf;
    }
    return {};
}

std::optional<ParsedPeriod> ParsePeriodLabel(std::string_view s) {
    int y = 0, n = 0;
    if (s.size() == 4 && ParseInt(s, y) && y >= 1000) return ParsedPeriod{PeriodKind::kYear, y};
    if (s.size() == 6 && ParseInt(s, y)) { // YYYYMM
        int year = y / 100, month = y % 100;
        if (year >= 1000 && month >= 1 && month <= 12) return ParsedPeriod{PeriodKind::kMonth, year * 12 + month - 1};
        return std::nullopt;
    }
    if (s.size() >= 7 && s[4] == '-' && ParseInt(s.substr(0, 4), y) && y >= 1000) {
        std::string_view rest = s.substr(5);
        if (rest.size() == 2 && ParseInt(rest, n) && n >= 1 && n <= 12)
            return ParsedPeriod{PeriodKind::kMonth, y * 12 + n - 1};
        if (rest.size() == 2 && rest[0] == 'Q' && ParseInt(rest.substr(1), n) && n >= 1 && n <= 4)
            return ParsedPeriod{PeriodKind::kQuarter, y * 4 + n - 1};
        if (rest.size() == 3 && rest[0] == 'W' && ParseInt(rest.substr(1), n) && n >= 1 && n <= 53) {
            Date monday = IsoWeekOneMonday(y) + (n - 1) * 7;
            if (n == 53 && ToCivil(monday + 3).year != y) return std::nullopt; // year without week 53
            return ParsedPeriod{PeriodKind::kWeek, monday};
        }
        if (auto d = ParseIsoDate(s)) return ParsedPeriod{PeriodKind::kDay, *d};
    }
    return std::nullopt;
}

bool PrecisionSupports(DatePrecision p, PeriodKind k) {
    switch (p) {
    case DatePrecision::kDay: return true;
    case DatePrecision::kMonth: return k == PeriodKind::kMonth || k == PeriodKind::kQuarter || k == PeriodKind::kYear;
    case DatePrecision::kYear: return k == PeriodKind::kYear;
    }
    return false;
}

std::optional<Date> ParseIsoDate(std::string_view s) {
    int y = 0, m = 0, d = 0;
    if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
    if (!ParseInt(s.substr(0, 4), y) || !ParseInt(s.substr(5, 2), m) || !ParseInt(s.substr(8, 2), d))
        return std::nullopt;
    return MakeDate(y, m, d);
}

std::optional<Date> ParseYearMonth(std::string_view s) {
    int y = 0, m = 0;
    if (s.size() != 7 || s[4] != '-') return std::nullopt;
    if (!ParseInt(s.substr(0, 4), y) || !ParseInt(s.substr(5, 2), m)) return std::nullopt;
    return MakeDate(y, m, 1);
}

std::optional<Date> ParseDayMonthYear(std::string_view s) {
    int y = 0, m = 0, d = 0;
    if (s.size() != 10 || s[2] != '/' || s[5] != '/') return std::nullopt;
    if (!ParseInt(s.substr(0, 2), d) || !ParseInt(s.substr(3, 2), m) || !ParseInt(s.substr(6, 4), y))
        return std::nullopt;
    return MakeDate(y, m, d);
}

std::optional<DateTime> ParseDateTime(std::string_view s) {
    if (s.size() < 10) return std::nullopt;
    std::optional<Date> date = s[2] == '/' ? ParseDayMonthYear(s.substr(0, 10)) : ParseIsoDate(s.substr(0, 10));
    if (!date) return std::nullopt;
    if (s.size() == 10) return DateTime{*date, std::nullopt};
    if (s[10] != 'T' && s[10] != ' ') return std::nullopt;
    auto clock = ParseClock(s.substr(11));
    if (!clock) return std::nullopt;
    return DateTime{*date, clock};
}

std::string FormatDate(Date d) {
    CivilDate c = ToCivil(d);
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", c.year, c.month, c.day);
    return buf;
}

} // namespace vigil
