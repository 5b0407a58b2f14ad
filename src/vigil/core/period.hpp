#pragma once
// Calendar dates and the periods analyses count by: day, ISO 8601 week, month, quarter and year.
// A Date is a day number (days since 1970-01-01, proleptic Gregorian). A period is identified by its
// kind and a key (an integer that orders periods of that kind); labels are YYYY-MM-DD, YYYY-Www (ISO
// week-numbering year), YYYY-MM, YYYY-Qn and YYYY.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace vigil {

using Date = std::int32_t; // days since 1970-01-01

struct CivilDate {
    int year = 0;
    int month = 0; // 1..12
    int day = 0;   // 1..31
};

std::optional<Date> MakeDate(int year, int month, int day); // nullopt when impossible (2021-02-30)
CivilDate ToCivil(Date d);
int Weekday(Date d); // ISO: Monday = 1 .. Sunday = 7

enum class DatePrecision : std::uint8_t { kDay = 0, kMonth = 1, kYear = 2 };
const char* PrecisionName(DatePrecision p);

enum class PeriodKind : std::uint8_t { kDay, kWeek, kMonth, kQuarter, kYear };

std::optional<PeriodKind> ParsePeriodKind(std::string_view name); // day|week|month|quarter|year
const char* PeriodKindName(PeriodKind k);

// Key of the period of kind `k` containing day `d`.
std::int32_t PeriodKeyOf(PeriodKind k, Date d);
Date PeriodStart(PeriodKind k, std::int32_t key);
Date PeriodEnd(PeriodKind k, std::int32_t key); // last day, inclusive
std::string PeriodLabel(PeriodKind k, std::int32_t key);

struct ParsedPeriod {
    PeriodKind kind;
    std::int32_t key;
};
// Parses any label produced by PeriodLabel; also YYYYMM (the Met's column headers).
std::optional<ParsedPeriod> ParsePeriodLabel(std::string_view text);

// True when a period of kind `k` can be computed from an event dated with precision `p`.
bool PrecisionSupports(DatePrecision p, PeriodKind k);

// Dates as partners write them. Each returns nullopt for impossible or malformed values.
std::optional<Date> ParseIsoDate(std::string_view text);          // YYYY-MM-DD
std::optional<Date> ParseYearMonth(std::string_view text);        // YYYY-MM (first day of the month)
std::optional<Date> ParseDayMonthYear(std::string_view text);     // DD/MM/YYYY
struct DateTime {
    Date date;
    std::optional<int> minute_of_day; // 0..1439
};
// YYYY-MM-DD, YYYY-MM-DDTHH:MM[:SS][offset], "YYYY-MM-DD HH:MM[:SS]", DD/MM/YYYY [HH:MM[:SS]].
// A UTC offset is dropped: the local clock time is kept, as partners record it.
std::optional<DateTime> ParseDateTime(std::string_view text);

std::string FormatDate(Date d); // YYYY-MM-DD

} // namespace vigil
