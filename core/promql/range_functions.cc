// Functions over range vectors (rate, *_over_time, ...): one value per series and step,
// computed from the samples inside that step's window.
#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <map>

#include "core/promql/evaluator.h"
#include "core/promql/function_table.h"
#include "core/promql/quantile.h"
#include "core/promql/sliding_quantile.h"

namespace strata::promql {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

struct Window {
  std::span<const Point> pts;
  int64_t ts;           // evaluation time of the step
  int64_t range_start;  // window bounds
  int64_t range_end;
  int64_t range_ms;
  double arg1 = 0, arg2 = 0;  // scalar arguments at this step
  // When set: the indices i of the whole series where v[i] < v[i-1] (counter resets), and
  // the index of pts[0] in it, so rate() need not scan each window for them.
  const std::vector<uint32_t>* resets = nullptr;
  size_t first = 0;
};

using RangeFn = std::function<std::optional<double>(const Window&)>;

std::optional<double> extrapolatedRate(const Window& w, bool counter, bool rate) {
  const auto& p = w.pts;
  if (p.size() < 2) return std::nullopt;
  double result = p.back().v - p.front().v;
  if (counter && w.resets) {
    // The same additions in the same order as the scan below, found without scanning.
    auto it = std::lower_bound(w.resets->begin(), w.resets->end(), w.first + 1);
    for (; it != w.resets->end() && *it < w.first + p.size(); ++it)
      result += p[*it - 1 - w.first].v;
  } else if (counter) {
    double prev = p.front().v;
    for (size_t i = 1; i < p.size(); ++i) {
      if (p[i].v < prev) result += prev;
      prev = p[i].v;
    }
  }
  double to_start = static_cast<double>(p.front().t - w.range_start) / 1000;
  double to_end = static_cast<double>(w.range_end - p.back().t) / 1000;
  double sampled = static_cast<double>(p.back().t - p.front().t) / 1000;
  double avg_between = sampled / static_cast<double>(p.size() - 1);
  if (counter && result > 0 && p.front().v >= 0) {
    // A counter cannot go below zero: do not extrapolate past where it would be zero.
    double to_zero = sampled * (p.front().v / result);
    if (to_zero < to_start) to_start = to_zero;
  }
  double threshold = avg_between * 1.1;
  double interval = sampled;
  interval += to_start < threshold ? to_start : avg_between / 2;
  interval += to_end < threshold ? to_end : avg_between / 2;
  double factor = interval / sampled;
  if (rate) factor /= static_cast<double>(w.range_ms) / 1000;
  return result * factor;
}

std::optional<double> instantValue(const Window& w, bool rate) {
  const auto& p = w.pts;
  if (p.size() < 2) return std::nullopt;
  const Point& last = p[p.size() - 1];
  const Point& prev = p[p.size() - 2];
  double result = (rate && last.v < prev.v) ? last.v : last.v - prev.v;
  int64_t dt = last.t - prev.t;
  if (dt == 0) return std::nullopt;
  if (rate) result /= static_cast<double>(dt) / 1000;
  return result;
}

inline void kahanInc(double inc, double& sum, double& c) {
  double t = sum + inc;
  if (std::abs(sum) >= std::abs(inc)) {
    c += (sum - t) + inc;
  } else {
    c += (inc - t) + sum;
  }
  sum = t;
}

std::pair<double, double> linearRegression(std::span<const Point> pts, int64_t intercept_t) {
  double n = 0, sx = 0, cx = 0, sy = 0, cy = 0, sxy = 0, cxy = 0, sx2 = 0, cx2 = 0;
  double init_y = pts[0].v;
  bool const_y = true;
  for (size_t i = 0; i < pts.size(); ++i) {
    if (const_y && i > 0 && pts[i].v != init_y) const_y = false;
    n += 1;
    double x = static_cast<double>(pts[i].t - intercept_t) / 1000;
    kahanInc(x, sx, cx);
    kahanInc(pts[i].v, sy, cy);
    kahanInc(x * pts[i].v, sxy, cxy);
    kahanInc(x * x, sx2, cx2);
  }
  if (const_y) {
    if (std::isinf(init_y)) return {kNaN, kNaN};
    return {0, init_y};
  }
  sx += cx;
  sy += cy;
  sxy += cxy;
  sx2 += cx2;
  double cov = sxy - sx * sy / n;
  double var = sx2 - sx * sx / n;
  double slope = cov / var;
  return {slope, sy / n - slope * sx / n};
}

const std::map<std::string_view, RangeFn>& rangeFunctions() {
  static const std::map<std::string_view, RangeFn> fns = {
      {"rate", [](const Window& w) { return extrapolatedRate(w, true, true); }},
      {"increase", [](const Window& w) { return extrapolatedRate(w, true, false); }},
      {"delta", [](const Window& w) { return extrapolatedRate(w, false, false); }},
      {"irate", [](const Window& w) { return instantValue(w, true); }},
      {"idelta", [](const Window& w) { return instantValue(w, false); }},
      {"changes",
       [](const Window& w) -> std::optional<double> {
         double n = 0;
         for (size_t i = 1; i < w.pts.size(); ++i) {
           double a = w.pts[i - 1].v, b = w.pts[i].v;
           if (a != b && !(std::isnan(a) && std::isnan(b))) n += 1;
         }
         return n;
       }},
      {"resets",
       [](const Window& w) -> std::optional<double> {
         double n = 0;
         for (size_t i = 1; i < w.pts.size(); ++i) {
           if (w.pts[i].v < w.pts[i - 1].v) n += 1;
         }
         return n;
       }},
      {"deriv",
       [](const Window& w) -> std::optional<double> {
         if (w.pts.size() < 2) return std::nullopt;
         return linearRegression(w.pts, w.pts[0].t).first;
       }},
      {"predict_linear",
       [](const Window& w) -> std::optional<double> {
         if (w.pts.size() < 2) return std::nullopt;
         auto [slope, intercept] = linearRegression(w.pts, w.ts);
         return slope * w.arg1 + intercept;
       }},
      {"holt_winters",
       [](const Window& w) -> std::optional<double> {
         double sf = w.arg1, tf = w.arg2;
         if (sf <= 0 || sf >= 1) {
           execError("invalid smoothing factor. Expected: 0 < sf < 1, got: " + std::to_string(sf));
         }
         if (tf <= 0 || tf >= 1) {
           execError("invalid trend factor. Expected: 0 < tf < 1, got: " + std::to_string(tf));
         }
         const auto& p = w.pts;
         if (p.size() < 2) return std::nullopt;
         double s0 = 0, s1 = p[0].v, b = p[1].v - p[0].v;
         for (size_t i = 1; i < p.size(); ++i) {
           double x = sf * p[i].v;
           if (i > 1) b = tf * (s1 - s0) + (1 - tf) * b;
           double y = (1 - sf) * (s1 + b);
           s0 = s1;
           s1 = x + y;
         }
         return s1;
       }},
      {"avg_over_time",
       [](const Window& w) -> std::optional<double> {
         double mean = 0, count = 0;
         for (const auto& p : w.pts) {
           count += 1;
           if (std::isinf(mean)) {
             if (std::isinf(p.v) && (mean > 0) == (p.v > 0)) continue;
             if (!std::isinf(p.v) && !std::isnan(p.v)) continue;
           }
           mean += p.v / count - mean / count;
         }
         return mean;
       }},
      {"sum_over_time",
       [](const Window& w) -> std::optional<double> {
         double sum = 0;
         for (const auto& p : w.pts) sum += p.v;
         return sum;
       }},
      {"count_over_time",
       [](const Window& w) -> std::optional<double> { return static_cast<double>(w.pts.size()); }},
      {"min_over_time",
       [](const Window& w) -> std::optional<double> {
         double m = w.pts[0].v;
         for (const auto& p : w.pts) {
           if (p.v < m || std::isnan(m)) m = p.v;
         }
         return m;
       }},
      {"max_over_time",
       [](const Window& w) -> std::optional<double> {
         double m = w.pts[0].v;
         for (const auto& p : w.pts) {
           if (p.v > m || std::isnan(m)) m = p.v;
         }
         return m;
       }},
      {"last_over_time", [](const Window& w) -> std::optional<double> { return w.pts.back().v; }},
      {"present_over_time", [](const Window&) -> std::optional<double> { return 1.0; }},
      {"quantile_over_time",
       [](const Window& w) -> std::optional<double> {
         thread_local std::vector<double> vals;  // reused: one window at a time
         vals.clear();
         for (const auto& p : w.pts) vals.push_back(p.v);
         return quantile(w.arg1, vals);
       }},
      {"stddev_over_time",
       [](const Window& w) -> std::optional<double> {
         double count = 0, mean = 0, cmean = 0, aux = 0, caux = 0;
         for (const auto& p : w.pts) {
           count += 1;
           double delta = p.v - (mean + cmean);
           kahanInc(delta / count, mean, cmean);
           kahanInc(delta * (p.v - (mean + cmean)), aux, caux);
         }
         return std::sqrt((aux + caux) / count);
       }},
      {"stdvar_over_time",
       [](const Window& w) -> std::optional<double> {
         double count = 0, mean = 0, cmean = 0, aux = 0, caux = 0;
         for (const auto& p : w.pts) {
           count += 1;
           double delta = p.v - (mean + cmean);
           kahanInc(delta / count, mean, cmean);
           kahanInc(delta * (p.v - (mean + cmean)), aux, caux);
         }
         return (aux + caux) / count;
       }},
  };
  return fns;
}

}  // namespace

EvalValue Evaluator::evalRangeFunction(const Call& c) {
  std::string_view name = c.func->name;
  size_t matrix_arg = name == "quantile_over_time" ? 1 : 0;
  std::vector<EvalValue> scalars;
  for (size_t i = 0; i < c.args.size(); ++i) {
    if (i != matrix_arg) scalars.push_back(eval(*c.args[i]));
  }
  RangeInput in;
  EvalValue out{ValueType::kVector, {}, {}, {}};

  if (name == "absent_over_time") {
    std::vector<char> any(steps_, 0);
    scanRangeArg(*c.args[matrix_arg], std::string(name), in,
                 [&](const Labels&, std::vector<Point>& pts) {
                   size_t lo = 0;
                   for (size_t i = 0; i < steps_; ++i) {
                     int64_t end = in.window_end[i], start = end - in.range_ms;
                     while (lo < pts.size() && pts[lo].t < start) ++lo;
                     if (lo < pts.size() && pts[lo].t <= end) any[i] = 1;
                   }
                 });
    Series res{Labels{}, {}};
    for (size_t i = 0; i < steps_; ++i) {
      if (!any[i]) res.points.push_back(Point{stepTime(i), 1});
    }
    if (!res.points.empty()) {
      res.metric = absentLabels(*c.args[0]);
      out.series.push_back(std::move(res));
    }
    return out;
  }

  SeriesCollector col;
  if (name == "quantile_over_time") {
    int64_t produced = 0;
    scanRangeArg(*c.args[matrix_arg], std::string(name), in,
                 [&](const Labels& metric, std::vector<Point>& pts) {
                   std::optional<size_t> idx;
                   SlidingQuantile window;
                   size_t lo = 0, hi = 0;  // the window holds pts[lo, hi)
                   for (size_t i = 0; i < steps_; ++i) {
                     int64_t end = in.window_end[i], start = end - in.range_ms;
                     size_t new_lo = lo;
                     while (new_lo < pts.size() && pts[new_lo].t < start) ++new_lo;
                     size_t new_hi = std::max(hi, new_lo);
                     while (new_hi < pts.size() && pts[new_hi].t <= end) ++new_hi;
                     if (new_lo >= hi) {
                       window.clear();
                       for (size_t k = new_lo; k < new_hi; ++k) window.add(pts[k].v);
                     } else {
                       for (size_t k = lo; k < new_lo; ++k) window.remove(pts[k].v);
                       for (size_t k = hi; k < new_hi; ++k) window.add(pts[k].v);
                     }
                     lo = new_lo;
                     hi = new_hi;
                     if (hi == lo) continue;
                     if (!idx) idx = col.seriesFor(metric.withoutName());
                     col.add(*idx, stepTime(i), window.quantile(scalars[0].scalar[i]));
                     ++produced;
                   }
                 });
    countSamples(produced);
    out.series = col.take();
    return out;
  }
  bool keep_name = name == "last_over_time";
  scanRangeValues(c, scalars, [&](const Labels& metric, const StepValues& values) {
    size_t idx = col.seriesFor(keep_name ? metric : metric.withoutName());
    for (auto [i, v] : values) col.add(idx, stepTime(i), v);
  });
  out.series = col.take();
  return out;
}

void Evaluator::scanRangeValues(const Call& c, const std::vector<EvalValue>& scalars,
                                const StepValuesVisitor& visit) {
  std::string_view name = c.func->name;
  const RangeFn& fn = rangeFunctions().at(name);
  bool counter_fn = name == "rate" || name == "increase";
  std::vector<uint32_t> resets;
  StepValues values;
  int64_t produced = 0;
  RangeInput in;
  scanRangeArg(*c.args[0], std::string(name), in,
               [&](const Labels& metric, std::vector<Point>& pts) {
                 if (counter_fn) {
                   resets.clear();
                   for (size_t k = 1; k < pts.size(); ++k)
                     if (pts[k].v < pts[k - 1].v) resets.push_back(static_cast<uint32_t>(k));
                 }
                 values.clear();
                 size_t lo = 0, hi = 0;
                 for (size_t i = 0; i < steps_; ++i) {
                   int64_t end = in.window_end[i], start = end - in.range_ms;
                   while (lo < pts.size() && pts[lo].t < start) ++lo;
                   if (hi < lo) hi = lo;
                   while (hi < pts.size() && pts[hi].t <= end) ++hi;
                   if (hi == lo) continue;
                   Window w{std::span<const Point>(pts.data() + lo, hi - lo), stepTime(i), start,
                            end, in.range_ms};
                   if (!scalars.empty()) w.arg1 = scalars[0].scalar[i];
                   if (scalars.size() > 1) w.arg2 = scalars[1].scalar[i];
                   if (counter_fn) {
                     w.resets = &resets;
                     w.first = lo;
                   }
                   auto v = fn(w);
                   if (v) values.emplace_back(static_cast<uint32_t>(i), *v);
                 }
                 if (values.empty()) return;
                 produced += static_cast<int64_t>(values.size());
                 visit(metric, values);
               });
  countSamples(produced);
}

bool fusableRangeFunction(const Node& n) {
  if (n.kind != NodeKind::kCall) return false;
  const auto& c = static_cast<const Call&>(n);
  std::string_view name = c.func->name;
  if (name == "absent_over_time" || name == "quantile_over_time") return false;
  if (!rangeFunctions().contains(name) || c.args.empty()) return false;
  // The matrix is the first argument of every other range function.
  return unwrapParens(*c.args[0]).kind == NodeKind::kMatrixSelector;
}

}  // namespace strata::promql
