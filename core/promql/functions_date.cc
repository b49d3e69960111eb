// Date functions of a Unix time in seconds (UTC), as Go's time package computes them.
#include <cstdint>

#include "core/promql/functions_math.h"

namespace strata::promql {
namespace {

struct Civil {
  int64_t year;
  int month, day, weekday, yday;
};

// Days since the epoch to a proleptic Gregorian date (H. Hinnant's algorithm).
Civil civilFromSeconds(double seconds) {
  int64_t secs = static_cast<int64_t>(seconds);
  int64_t days = secs / 86400;
  if (secs % 86400 < 0) --days;
  int64_t z = days + 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t y = yoe + era * 400;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  int d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  int m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  if (m <= 2) ++y;
  int wd = static_cast<int>(((days % 7) + 11) % 7);  // 1970-01-01 was a Thursday (4)
  static const int kCum[] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  int yday = kCum[m - 1] + d + ((leap && m > 2) ? 1 : 0);
  return Civil{y, m, d, wd, yday};
}

int daysInMonth(int64_t y, int m) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : kDays[m - 1];
}

}  // namespace

const std::map<std::string_view, MathFn>& dateFunctions() {
  static const std::map<std::string_view, MathFn> fns = {
      {"minute",
       [](double v) {
         int64_t s = static_cast<int64_t>(v);
         return static_cast<double>((((s % 3600) + 3600) % 3600) / 60);
       }},
      {"hour",
       [](double v) {
         int64_t s = static_cast<int64_t>(v);
         int64_t r = ((s % 86400) + 86400) % 86400;
         return static_cast<double>(r / 3600);
       }},
      {"day_of_month", [](double v) { return static_cast<double>(civilFromSeconds(v).day); }},
      {"day_of_week", [](double v) { return static_cast<double>(civilFromSeconds(v).weekday); }},
      {"day_of_year", [](double v) { return static_cast<double>(civilFromSeconds(v).yday); }},
      {"days_in_month",
       [](double v) {
         Civil c = civilFromSeconds(v);
         return static_cast<double>(daysInMonth(c.year, c.month));
       }},
      {"month", [](double v) { return static_cast<double>(civilFromSeconds(v).month); }},
      {"year", [](double v) { return static_cast<double>(civilFromSeconds(v).year); }},
  };
  return fns;
}

}  // namespace strata::promql
