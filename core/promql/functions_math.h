// Element-wise functions of one sample value, by name: math (functions_math.cc) and date
// (functions_date.cc) functions. Evaluator::evalInstantFunction applies them.
#pragma once

#include <map>
#include <string_view>

namespace strata::promql {

using MathFn = double (*)(double);

// Every element-wise function of one value: the math ones (abs ... rad) and the date ones.
const std::map<std::string_view, MathFn>& mathFunctions();

// minute, hour, day_of_month, day_of_week, day_of_year, days_in_month, month, year of a Unix
// time in seconds (UTC).
const std::map<std::string_view, MathFn>& dateFunctions();

}  // namespace strata::promql
