// Function calls other than the range-vector ones: dispatch, time(), vector(), timestamp(),
// scalar(), absent(), sorting, and the element-wise functions (functions_math.h, clamp, round).
// label_* in functions_label.cc, histogram_quantile in functions_histogram.cc.
#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

#include "core/promql/evaluator.h"
#include "core/promql/function_table.h"
#include "core/promql/functions_math.h"

namespace strata::promql {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Go's math.Max / math.Min: NaN wins, unlike std::fmax.
double goMax(double a, double b) {
  if (std::isinf(a) && a > 0) return a;
  if (std::isinf(b) && b > 0) return b;
  if (std::isnan(a) || std::isnan(b)) return kNaN;
  return a > b ? a : b;
}
double goMin(double a, double b) {
  if (std::isinf(a) && a < 0) return a;
  if (std::isinf(b) && b < 0) return b;
  if (std::isnan(a) || std::isnan(b)) return kNaN;
  return a < b ? a : b;
}

}  // namespace

Labels absentLabels(const Node& arg) {
  const Node& n = unwrapParens(arg);
  const VectorSelector* vs = nullptr;
  if (n.kind == NodeKind::kVectorSelector) vs = static_cast<const VectorSelector*>(&n);
  if (n.kind == NodeKind::kMatrixSelector)
    vs = static_cast<const MatrixSelector&>(n).selector.get();
  Labels out;
  if (!vs) return out;
  std::vector<std::string> seen;
  for (const auto& m : vs->matchers) {
    if (m.name() == kMetricName) continue;
    if (m.type() == MatchType::kEqual &&
        std::find(seen.begin(), seen.end(), m.name()) == seen.end()) {
      out.set(m.name(), m.value());
      seen.push_back(m.name());
    } else {
      out.erase(m.name());
    }
  }
  return out;
}

EvalValue Evaluator::evalCall(const Call& c) {
  const FunctionDef& f = *c.func;
  for (ValueType t : f.arg_types) {
    if (t == ValueType::kMatrix) return evalRangeFunction(c);
  }
  return evalInstantFunction(c);
}

EvalValue Evaluator::evalInstantFunction(const Call& c) {
  std::string_view name = c.func->name;
  EvalValue out{ValueType::kVector, {}, {}, {}};
  if (name == "time" || name == "pi") {
    out.type = ValueType::kScalar;
    out.scalar.resize(steps_);
    for (size_t i = 0; i < steps_; ++i) {
      out.scalar[i] = name == "pi" ? std::numbers::pi : static_cast<double>(stepTime(i)) / 1000;
    }
    return out;
  }
  if (name == "vector") {
    EvalValue s = eval(*c.args[0]);
    Series res{Labels{}, {}};
    for (size_t i = 0; i < steps_; ++i) res.points.push_back(Point{stepTime(i), s.scalar[i]});
    out.series.push_back(std::move(res));
    return out;
  }
  if (name == "timestamp") {
    const Node& arg = unwrapParens(*c.args[0]);
    EvalValue v = arg.kind == NodeKind::kVectorSelector
                      ? evalVectorSelector(static_cast<const VectorSelector&>(arg), true)
                      : eval(arg);
    SeriesCollector col;
    for (auto& s : v.series) {
      size_t idx = col.seriesFor(s.metric.withoutName());
      for (const auto& p : s.points) {
        col.add(idx, p.t,
                arg.kind == NodeKind::kVectorSelector ? p.v : static_cast<double>(p.t) / 1000);
      }
    }
    out.series = col.take();
    return out;
  }

  std::vector<EvalValue> args;
  for (const auto& a : c.args) args.push_back(eval(*a));
  if (args.empty()) {
    // Date functions default to vector(time()).
    Series res{Labels{}, {}};
    for (size_t i = 0; i < steps_; ++i) {
      res.points.push_back(Point{stepTime(i), static_cast<double>(stepTime(i)) / 1000});
    }
    EvalValue v{ValueType::kVector, {}, {}, {}};
    v.series.push_back(std::move(res));
    args.push_back(std::move(v));
  }
  EvalValue& in = args[0];

  if (name == "scalar") {
    out.type = ValueType::kScalar;
    out.scalar.assign(steps_, kNaN);
    std::vector<int> count(steps_, 0);
    for (const auto& s : in.series) {
      for (const auto& p : s.points) {
        size_t i = stepIndex(p.t);
        if (++count[i] == 1) {
          out.scalar[i] = p.v;
        } else {
          out.scalar[i] = kNaN;
        }
      }
    }
    return out;
  }
  if (name == "absent") {
    std::vector<bool> present(steps_, false);
    for (const auto& s : in.series) {
      for (const auto& p : s.points) present[stepIndex(p.t)] = true;
    }
    Series res{absentLabels(*c.args[0]), {}};
    for (size_t i = 0; i < steps_; ++i) {
      if (!present[i]) res.points.push_back(Point{stepTime(i), 1});
    }
    if (!res.points.empty()) out.series.push_back(std::move(res));
    return out;
  }
  if (name == "sort" || name == "sort_desc") {
    bool desc = name == "sort_desc";
    std::stable_sort(in.series.begin(), in.series.end(), [desc](const Series& a, const Series& b) {
      double x = a.points.back().v, y = b.points.back().v;
      if (std::isnan(x)) return false;
      if (std::isnan(y)) return true;
      return desc ? x > y : x < y;
    });
    return std::move(in);
  }
  if (name == "histogram_quantile") {
    return histogramQuantile(args[0], args[1]);
  }
  if (name == "label_replace" || name == "label_join") {
    return labelFunction(c, args);
  }

  // Element-wise functions, with optional scalar arguments.
  SeriesCollector col;
  auto math = mathFunctions().find(name);
  for (auto& s : in.series) {
    std::optional<size_t> idx;
    for (const auto& p : s.points) {
      size_t i = stepIndex(p.t);
      double v = p.v;
      if (math != mathFunctions().end()) {
        v = math->second(v);
      } else if (name == "round") {
        double to = args.size() > 1 ? args[1].scalar[i] : 1.0;
        double inv = 1.0 / to;
        v = std::floor(v * inv + 0.5) / inv;
      } else if (name == "clamp") {
        double lo = args[1].scalar[i], hi = args[2].scalar[i];
        if (hi < lo) continue;
        v = goMax(lo, goMin(hi, v));
      } else if (name == "clamp_min") {
        v = goMax(args[1].scalar[i], v);
      } else if (name == "clamp_max") {
        v = goMin(args[1].scalar[i], v);
      } else {
        execError("function " + std::string(name) + " is not implemented");
      }
      if (!idx) idx = col.seriesFor(s.metric.withoutName());
      col.add(*idx, p.t, v);
    }
  }
  out.series = col.take();
  return out;
}

}  // namespace strata::promql
