// Function calls other than the range-vector ones: math, time, labels, histograms, sorting.
#include <re2/re2.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numbers>

#include "core/promql/evaluator.h"
#include "core/promql/function_table.h"
#include "core/promql/quantile.h"

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

using MathFn = double (*)(double);
const std::map<std::string_view, MathFn>& mathFunctions() {
  static const std::map<std::string_view, MathFn> fns = {
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

bool validLabelName(std::string_view s) {
  if (s.empty()) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (!(c == '_' || std::isalpha(static_cast<unsigned char>(c)) ||
          (i > 0 && std::isdigit(static_cast<unsigned char>(c))))) {
      return false;
    }
  }
  return true;
}

// Go's regexp.Expand template syntax: $1, ${1}, $name, ${name}, $$.
std::string expandTemplate(const std::string& tmpl, const RE2& re,
                           const std::vector<re2::StringPiece>& groups) {
  std::string out;
  const auto& names = re.NamedCapturingGroups();
  for (size_t i = 0; i < tmpl.size(); ++i) {
    if (tmpl[i] != '$' || i + 1 >= tmpl.size()) {
      out += tmpl[i];
      continue;
    }
    if (tmpl[i + 1] == '$') {
      out += '$';
      ++i;
      continue;
    }
    std::string name;
    size_t j = i + 1;
    if (tmpl[j] == '{') {
      size_t close = tmpl.find('}', j);
      if (close == std::string::npos) {
        out += tmpl[i];
        continue;
      }
      name = tmpl.substr(j + 1, close - j - 1);
      j = close + 1;
    } else {
      while (j < tmpl.size() &&
             (std::isalnum(static_cast<unsigned char>(tmpl[j])) || tmpl[j] == '_'))
        ++j;
      name = tmpl.substr(i + 1, j - i - 1);
    }
    if (name.empty()) {
      out += tmpl[i];
      continue;
    }
    i = j - 1;
    if (std::all_of(name.begin(), name.end(),
                    [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })) {
      size_t idx = std::stoul(name);
      if (idx < groups.size()) out.append(groups[idx].data(), groups[idx].size());
    } else if (auto it = names.find(name); it != names.end()) {
      size_t idx = static_cast<size_t>(it->second);
      if (idx < groups.size()) out.append(groups[idx].data(), groups[idx].size());
    }
  }
  return out;
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

EvalValue Evaluator::labelFunction(const Call& c, std::vector<EvalValue>& args) {
  std::string_view name = c.func->name;
  EvalValue out{ValueType::kVector, {}, {}, {}};
  const std::string& dst = args[1].str;
  if (!validLabelName(dst)) {
    execError("invalid destination label name in " + std::string(name) + "(): " + dst);
  }
  std::unique_ptr<RE2> re;
  if (name == "label_replace") {
    RE2::Options opts;
    opts.set_log_errors(false);
    opts.set_dot_nl(true);
    re = std::make_unique<RE2>("^(?:" + args[4].str + ")$", opts);
    if (!re->ok()) execError("invalid regular expression in label_replace(): " + args[4].str);
  }
  SeriesCollector col;
  for (auto& s : args[0].series) {
    Labels l = s.metric;
    if (re) {
      std::string src(l.get(args[3].str));
      std::vector<re2::StringPiece> groups(re->NumberOfCapturingGroups() + 1);
      if (re->Match(src, 0, src.size(), RE2::UNANCHORED, groups.data(),
                    static_cast<int>(groups.size()))) {
        l.set(dst, expandTemplate(args[2].str, *re, groups));
      }
    } else {
      std::string joined;
      for (size_t i = 3; i < args.size(); ++i) {
        if (i > 3) joined += args[2].str;
        joined += std::string(l.get(args[i].str));
      }
      l.set(dst, joined);
    }
    size_t idx = col.seriesFor(std::move(l));
    for (const auto& p : s.points) col.add(idx, p.t, p.v);
  }
  out.series = col.take();
  return out;
}

EvalValue Evaluator::histogramQuantile(const EvalValue& q, EvalValue& in) {
  // Group the bucket series by their labels without `le` (the name still separates them).
  struct Group {
    Labels out;
    std::vector<std::pair<double, uint32_t>> buckets;  // (upper bound, series index)
  };
  std::vector<Group> groups;
  std::unordered_multimap<uint64_t, size_t> index;
  const std::vector<std::string> le = {"le"};
  for (size_t i = 0; i < in.series.size(); ++i) {
    const Labels& l = in.series[i].metric;
    std::string lev(l.get("le"));
    if (lev.empty()) continue;
    char* end = nullptr;
    double ub = std::strtod(lev.c_str(), &end);
    if (end != lev.c_str() + lev.size()) continue;
    Labels key = l.drop(le, false);
    uint64_t h = key.hash();
    auto [lo, hi] = index.equal_range(h);
    size_t g = groups.size();
    for (auto it = lo; it != hi; ++it) {
      if (groups[it->second].out == key) g = it->second;
    }
    if (g == groups.size()) {
      groups.push_back(Group{key, {}});
      index.emplace(h, g);
    }
    groups[g].buckets.emplace_back(ub, static_cast<uint32_t>(i));
  }
  SeriesCollector col;
  std::vector<size_t> cursor(in.series.size(), 0);
  std::vector<Bucket> buckets;
  for (auto& g : groups) {
    std::optional<size_t> idx;
    for (size_t i = 0; i < steps_; ++i) {
      int64_t ts = stepTime(i);
      buckets.clear();
      for (auto [ub, si] : g.buckets) {
        const auto& pts = in.series[si].points;
        size_t& p = cursor[si];
        while (p < pts.size() && pts[p].t < ts) ++p;
        if (p < pts.size() && pts[p].t == ts) buckets.push_back(Bucket{ub, pts[p].v});
      }
      if (buckets.empty()) continue;
      double v = bucketQuantile(q.scalar[i], buckets);
      if (!idx) idx = col.seriesFor(g.out.withoutName());
      col.add(*idx, ts, v);
    }
  }
  EvalValue out{ValueType::kVector, col.take(), {}, {}};
  return out;
}

}  // namespace strata::promql
