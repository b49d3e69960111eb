#include "core/promql/evaluator.h"

#include <algorithm>
#include <limits>

namespace strata::promql {

size_t SeriesCollector::seriesFor(Labels labels) {
  uint64_t h = labels.hash();
  auto [lo, hi] = index_.equal_range(h);
  for (auto it = lo; it != hi; ++it) {
    if (out_[it->second].metric == labels) return it->second;
  }
  out_.push_back(Series{std::move(labels), {}});
  index_.emplace(h, out_.size() - 1);
  return out_.size() - 1;
}

void SeriesCollector::add(size_t idx, int64_t t, double v) {
  auto& pts = out_[idx].points;
  if (pts.empty() || pts.back().t < t) {
    pts.push_back(Point{t, v});
    return;
  }
  // Several inputs mapped to this label set; keep time order and reject a second sample.
  auto it = std::lower_bound(pts.begin(), pts.end(), t,
                             [](const Point& p, int64_t ts) { return p.t < ts; });
  if (it != pts.end() && it->t == t) {
    execError("vector cannot contain metrics with the same labelset");
  }
  pts.insert(it, Point{t, v});
}

void StepCursor::at(int64_t t, std::vector<std::pair<uint32_t, double>>& out) {
  out.clear();
  for (size_t i = 0; i < m_.size(); ++i) {
    const auto& pts = m_[i].points;
    size_t& p = pos_[i];
    while (p < pts.size() && pts[p].t < t) ++p;
    if (p < pts.size() && pts[p].t == t) out.emplace_back(static_cast<uint32_t>(i), pts[p].v);
  }
}

Evaluator::Evaluator(Storage& storage, const EngineOptions& opts, QueryState& state, int64_t start,
                     int64_t end, int64_t interval)
    : storage_(storage),
      opts_(opts),
      state_(state),
      start_(start),
      end_(end),
      interval_(interval > 0 ? interval : 1) {
  steps_ = end_ < start_ ? 0 : static_cast<size_t>((end_ - start_) / interval_) + 1;
}

void Evaluator::checkDeadline() const {
  if (std::chrono::steady_clock::now() > state_.deadline) {
    throw QueryError(ErrorKind::kTimeout, "query timed out in query execution");
  }
}

void Evaluator::countSamples(int64_t n) {
  if (state_.max_samples > 0 && n > state_.max_samples) {
    throw QueryError(ErrorKind::kTooManySamples,
                     "query processing would load too many samples into memory in query "
                     "execution");
  }
}

std::optional<int64_t> Evaluator::atTime(const AtModifier& at) const {
  switch (at.kind) {
    case AtKind::kNone:
      return std::nullopt;
    case AtKind::kTime:
      return at.time_ms;
    case AtKind::kStart:
      return state_.query_start;
    case AtKind::kEnd:
      return state_.query_end;
  }
  return std::nullopt;
}

void Evaluator::scanSeries(const VectorSelector& vs, int64_t mint, int64_t maxt,
                           const SelectHints& hints, const SeriesVisitor& visit) {
  checkDeadline();
  auto set = storage_.select(vs.matchers, mint, maxt, hints);
  int64_t total = 0, series = 0;
  // One buffer for every series: the raw samples of a series live only while it is visited.
  std::vector<Point> pts;
  int64_t buf_t[512];
  double buf_v[512];
  while (set->next()) {
    ++series;
    if (opts_.max_series > 0 && series > opts_.max_series) {
      throw QueryError(ErrorKind::kTooManySeries, "query would select more than " +
                                                      std::to_string(opts_.max_series) +
                                                      " series (max series limit)");
    }
    pts.clear();
    while (size_t n = set->readSamples(buf_t, buf_v, 512)) {
      for (size_t i = 0; i < n; ++i) pts.push_back(Point{buf_t[i], buf_v[i]});
    }
    total += static_cast<int64_t>(pts.size());
    countSamples(total);
    if ((series & 1023) == 0) checkDeadline();
    visit(set->labels(), pts);
  }
  if (auto err = set->error(); !err.empty()) throw QueryError(ErrorKind::kStorage, err);
}

Matrix Evaluator::select(const VectorSelector& vs, int64_t mint, int64_t maxt,
                         const SelectHints& hints) {
  Matrix out;
  scanSeries(vs, mint, maxt, hints, [&](const Labels& labels, std::vector<Point>& pts) {
    out.push_back(Series{labels, pts});
  });
  return out;
}

EvalValue Evaluator::eval(const Node& n) {
  checkDeadline();
  switch (n.kind) {
    case NodeKind::kNumber: {
      EvalValue v{ValueType::kScalar, {}, {}, {}};
      v.scalar.assign(steps_, static_cast<const NumberLiteral&>(n).value);
      return v;
    }
    case NodeKind::kString: {
      EvalValue v{ValueType::kString, {}, {}, static_cast<const StringLiteral&>(n).value};
      return v;
    }
    case NodeKind::kParen:
      return eval(*static_cast<const ParenExpr&>(n).expr);
    case NodeKind::kVectorSelector:
      return evalVectorSelector(static_cast<const VectorSelector&>(n), false);
    case NodeKind::kMatrixSelector:
    case NodeKind::kSubquery:
      return evalMatrixAsValue(n);
    case NodeKind::kUnary:
      return evalUnary(static_cast<const UnaryExpr&>(n));
    case NodeKind::kBinary:
      return evalBinary(static_cast<const BinaryExpr&>(n));
    case NodeKind::kAggregate:
      return evalAggregate(static_cast<const AggregateExpr&>(n));
    case NodeKind::kCall:
      return evalCall(static_cast<const Call&>(n));
  }
  execError("unhandled expression");
}

void Evaluator::scanSelectorValues(const VectorSelector& vs, bool sample_timestamps,
                                   const StepValuesVisitor& visit) {
  auto at = atTime(vs.at);
  int64_t first_ref = (at ? *at : start_) - vs.offset_ms;
  int64_t last_ref = (at ? *at : end_) - vs.offset_ms;
  SelectHints hints{first_ref - opts_.lookback_delta_ms, last_ref, interval_, 0, "", {}, false};
  StepValues values;
  values.reserve(steps_);
  scanSeries(vs, first_ref - opts_.lookback_delta_ms, last_ref, hints,
             [&](const Labels& labels, std::vector<Point>& pts) {
               values.clear();
               size_t p = 0;  // first point with t > ref
               for (size_t i = 0; i < steps_; ++i) {
                 int64_t ref = (at ? *at : stepTime(i)) - vs.offset_ms;
                 while (p < pts.size() && pts[p].t <= ref) ++p;
                 if (p == 0) continue;
                 const Point& last = pts[p - 1];
                 if (last.t < ref - opts_.lookback_delta_ms || isStaleNaN(last.v)) continue;
                 values.emplace_back(
                     static_cast<uint32_t>(i),
                     sample_timestamps ? static_cast<double>(last.t) / 1000 : last.v);
               }
               if (!values.empty()) visit(labels, values);
             });
}

EvalValue Evaluator::evalVectorSelector(const VectorSelector& vs, bool sample_timestamps) {
  EvalValue out{ValueType::kVector, {}, {}, {}};
  scanSelectorValues(vs, sample_timestamps, [&](const Labels& labels, const StepValues& values) {
    Series s{labels, {}};
    s.points.reserve(values.size());  // one allocation per series
    for (auto [i, v] : values) s.points.push_back(Point{stepTime(i), v});
    out.series.push_back(std::move(s));
  });
  return out;
}

Matrix Evaluator::evalSubquery(const SubqueryExpr& sq, const std::vector<int64_t>& refs) {
  int64_t step = sq.step_ms > 0 ? sq.step_ms : opts_.default_subquery_step_ms;
  int64_t first = refs.empty() ? start_ : refs.front();
  int64_t last = refs.empty() ? end_ : refs.back();
  int64_t lo = first - sq.range_ms;
  // First step-aligned timestamp at or after lo (aligned to the epoch, as Prometheus does).
  int64_t inner_start = lo / step * step;
  if (inner_start < lo) inner_start += step;
  Evaluator inner(storage_, opts_, state_, inner_start, last, step);
  EvalValue v = inner.eval(*sq.expr);
  return std::move(v.series);
}

Evaluator::RangeInput Evaluator::evalRangeArg(const Node& arg, const std::string& function) {
  RangeInput in;
  scanRangeArg(arg, function, in, [&](const Labels& labels, std::vector<Point>& pts) {
    in.series.push_back(Series{labels, pts});
  });
  return in;
}

void Evaluator::scanRangeArg(const Node& arg, const std::string& function, RangeInput& in,
                             const SeriesVisitor& visit) {
  const Node& n = unwrapParens(arg);
  in.window_end.resize(steps_);
  if (n.kind == NodeKind::kMatrixSelector) {
    const auto& ms = static_cast<const MatrixSelector&>(n);
    auto at = atTime(ms.selector->at);
    for (size_t i = 0; i < steps_; ++i) {
      in.window_end[i] = (at ? *at : stepTime(i)) - ms.selector->offset_ms;
    }
    in.range_ms = ms.range_ms;
    int64_t mint = (steps_ ? in.window_end.front() : start_) - ms.range_ms;
    int64_t maxt = steps_ ? in.window_end.back() : end_;
    SelectHints hints{mint, maxt, interval_, ms.range_ms, function, {}, false};
    scanSeries(*ms.selector, mint, maxt, hints, [&](const Labels& labels, std::vector<Point>& pts) {
      std::erase_if(pts, [](const Point& p) { return isStaleNaN(p.v); });
      visit(labels, pts);
    });
    return;
  }
  if (n.kind == NodeKind::kSubquery) {
    const auto& sq = static_cast<const SubqueryExpr&>(n);
    auto at = atTime(sq.at);
    for (size_t i = 0; i < steps_; ++i) {
      in.window_end[i] = (at ? *at : stepTime(i)) - sq.offset_ms;
    }
    in.range_ms = sq.range_ms;
    Matrix m = evalSubquery(sq, in.window_end);
    for (auto& s : m) visit(s.metric, s.points);
    return;
  }
  execError("expected a range vector");
}

// A range vector as the query's own result (only valid for instant queries): the raw
// samples of the window at the single evaluation time.
EvalValue Evaluator::evalMatrixAsValue(const Node& n) {
  RangeInput in = evalRangeArg(n, "");
  EvalValue out{ValueType::kMatrix, {}, {}, {}};
  int64_t end = in.window_end.empty() ? end_ : in.window_end.back();
  int64_t begin = end - in.range_ms;
  for (auto& s : in.series) {
    Series res{std::move(s.metric), {}};
    for (const auto& p : s.points) {
      if (p.t >= begin && p.t <= end) res.points.push_back(p);
    }
    if (!res.points.empty()) out.series.push_back(std::move(res));
  }
  return out;
}

EvalValue Evaluator::evalUnary(const UnaryExpr& u) {
  EvalValue v = eval(*u.expr);
  if (!u.negate) return v;
  if (v.type == ValueType::kScalar) {
    for (auto& x : v.scalar) x = -x;
    return v;
  }
  SeriesCollector out;
  for (auto& s : v.series) {
    size_t idx = out.seriesFor(s.metric.withoutName());
    for (const auto& p : s.points) out.add(idx, p.t, -p.v);
  }
  v.series = out.take();
  return v;
}

}  // namespace strata::promql
