// Math functions of one value: abs, ceil, floor, exp, sqrt, logarithms, sgn, trigonometry.
#include "core/promql/functions_math.h"

#include <cmath>
#include <numbers>

namespace strata::promql {

const std::map<std::string_view, MathFn>& mathFunctions() {
  static const std::map<std::string_view, MathFn> fns = [] {
    std::map<std::string_view, MathFn> m = {
        {"abs", [](double v) { return std::fabs(v); }},
        {"ceil", [](double v) { return std::ceil(v); }},
        {"floor", [](double v) { return std::floor(v); }},
        {"exp", [](double v) { return std::exp(v); }},
        {"sqrt", [](double v) { return std::sqrt(v); }},
        {"ln", [](double v) { return std::log(v); }},
        {"log2", [](double v) { return std::log2(v); }},
        {"log10", [](double v) { return std::log10(v); }},
        {"sgn", [](double v) { return v < 0   ? -1.0
                                      : v > 0 ? 1.0
                                              : v; }},
        {"acos", [](double v) { return std::acos(v); }},
        {"acosh", [](double v) { return std::acosh(v); }},
        {"asin", [](double v) { return std::asin(v); }},
        {"asinh", [](double v) { return std::asinh(v); }},
        {"atan", [](double v) { return std::atan(v); }},
        {"atanh", [](double v) { return std::atanh(v); }},
        {"cos", [](double v) { return std::cos(v); }},
        {"cosh", [](double v) { return std::cosh(v); }},
        {"sin", [](double v) { return std::sin(v); }},
        {"sinh", [](double v) { return std::sinh(v); }},
        {"tan", [](double v) { return std::tan(v); }},
        {"tanh", [](double v) { return std::tanh(v); }},
        {"deg", [](double v) { return v * 180 / std::numbers::pi; }},
        {"rad", [](double v) { return v * std::numbers::pi / 180; }},
    };
    m.insert(dateFunctions().begin(), dateFunctions().end());
    return m;
  }();
  return fns;
}

}  // namespace strata::promql
