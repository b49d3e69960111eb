// The plain aggregations (sum, avg, count, group, min, max, stddev, stdvar) walked series by
// series instead of step by step: each input series' points are read once, in order, into a
// per-(group, step) accumulator, so no cursor visits every series at every step. For one
// group and step the series still arrive in input order, so every float operation happens in
// the order of the step-by-step evaluation (and of Prometheus'); results are bit-identical.
#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <optional>
#include <unordered_map>
#include <unordered_set>

#include "core/promql/evaluator.h"
#include "core/promql/function_table.h"

namespace strata::promql {
namespace {

struct Accumulator {
  double value = 0, mean = 0, count = 0;
};

void addSample(AggOp op, Accumulator& st, double v) {
  if (st.count == 0) {
    st.count = 1;
    st.value = (op == AggOp::kStddev || op == AggOp::kStdvar) ? 0 : v;
    st.mean = v;
    return;
  }
  switch (op) {
    case AggOp::kSum:
      st.value += v;
      break;
    case AggOp::kAvg:
      st.count += 1;
      if (std::isinf(st.mean)) {
        if (std::isinf(v) && (st.mean > 0) == (v > 0)) break;
        if (!std::isinf(v) && !std::isnan(v)) break;
      }
      st.mean += v / st.count - st.mean / st.count;
      break;
    case AggOp::kCount:
      st.count += 1;
      break;
    case AggOp::kMax:
      if (st.value < v || std::isnan(st.value)) st.value = v;
      break;
    case AggOp::kMin:
      if (st.value > v || std::isnan(st.value)) st.value = v;
      break;
    case AggOp::kStddev:
    case AggOp::kStdvar: {
      st.count += 1;
      double delta = v - st.mean;
      st.mean += delta / st.count;
      st.value += delta * (v - st.mean);
      break;
    }
    default:  // group
      break;
  }
}

double result(AggOp op, const Accumulator& st) {
  switch (op) {
    case AggOp::kAvg:
      return st.mean;
    case AggOp::kGroup:
      return 1;
    case AggOp::kCount:
      return st.count;
    case AggOp::kStdvar:
      return st.value / st.count;
    case AggOp::kStddev:
      return std::sqrt(st.value / st.count);
    default:  // sum, min, max
      return st.value;
  }
}

// Output groups in the order the step-by-step evaluation creates them: by the first step a
// group has a value at, then by the first series (in input order) with a value there.
Matrix groupsInOrder(AggOp op, std::vector<Labels>& group_labels,
                     const std::vector<std::pair<size_t, size_t>>& first_seen,
                     const std::vector<Accumulator>& acc, size_t steps,
                     const std::function<int64_t(size_t)>& step_time) {
  std::vector<uint32_t> order;
  for (uint32_t g = 0; g < group_labels.size(); ++g) {
    if (first_seen[g].first != std::numeric_limits<size_t>::max()) order.push_back(g);
  }
  std::sort(order.begin(), order.end(),
            [&](uint32_t x, uint32_t y) { return first_seen[x] < first_seen[y]; });
  Matrix out;
  out.reserve(order.size());
  for (uint32_t g : order) {
    Series s{std::move(group_labels[g]), {}};
    const Accumulator* row = acc.data() + size_t(g) * steps;
    for (size_t i = 0; i < steps; ++i) {
      if (row[i].count > 0) s.points.push_back(Point{step_time(i), result(op, row[i])});
    }
    out.push_back(std::move(s));
  }
  return out;
}

bool pinsMetricName(const VectorSelector& vs) {
  for (const auto& m : vs.matchers) {
    if (m.name() == kMetricName && m.type() == MatchType::kEqual) return true;
  }
  return false;
}

}  // namespace

bool aggregatesBySeries(AggOp op) {
  switch (op) {
    case AggOp::kSum:
    case AggOp::kAvg:
    case AggOp::kCount:
    case AggOp::kGroup:
    case AggOp::kMax:
    case AggOp::kMin:
    case AggOp::kStddev:
    case AggOp::kStdvar:
      return true;
    default:
      return false;
  }
}

Matrix Evaluator::aggregateBySeries(AggOp op, const Matrix& in, std::vector<Labels>& group_labels,
                                    const std::vector<uint32_t>& group_of) {
  const size_t groups = group_labels.size();
  std::vector<Accumulator> acc(groups * steps_);
  constexpr size_t kNever = std::numeric_limits<size_t>::max();
  std::vector<std::pair<size_t, size_t>> first_seen(groups, {kNever, kNever});
  for (size_t si = 0; si < in.size(); ++si) {
    const auto& pts = in[si].points;
    if (pts.empty()) continue;
    const uint32_t g = group_of[si];
    Accumulator* row = acc.data() + size_t(g) * steps_;
    first_seen[g] = std::min(first_seen[g], {stepIndex(pts.front().t), si});
    for (const Point& p : pts) addSample(op, row[stepIndex(p.t)], p.v);
  }
  return groupsInOrder(op, group_labels, first_seen, acc, steps_,
                       [this](size_t i) { return stepTime(i); });
}

bool Evaluator::aggregateStreamed(const AggregateExpr& a, EvalValue& out) {
  if (!aggregatesBySeries(a.op) || a.param) return false;
  const Node& inner = unwrapParens(*a.expr);
  // Where the values come from; whether the label sets they carry are distinct.
  std::function<void(const StepValuesVisitor&)> scan;
  bool drop_name = false, distinct = true;
  std::vector<EvalValue> scalars;  // a range function's arguments after the matrix
  if (inner.kind == NodeKind::kVectorSelector) {
    const auto& vs = static_cast<const VectorSelector&>(inner);
    scan = [&](const StepValuesVisitor& visit) { scanSelectorValues(vs, false, visit); };
  } else if (fusableRangeFunction(inner)) {
    const auto& c = static_cast<const Call&>(inner);
    drop_name = c.func->name != "last_over_time";
    // Two input series with equal output labels make the function's result invalid where
    // they meet at a step (the query fails, as in Prometheus). This path cannot tell, so it
    // gives way to the plain one unless the labels are distinct by construction.
    const auto& ms = static_cast<const MatrixSelector&>(unwrapParens(*c.args[0]));
    distinct = !drop_name || pinsMetricName(*ms.selector);
    for (size_t i = 1; i < c.args.size(); ++i) scalars.push_back(eval(*c.args[i]));
    scan = [&](const StepValuesVisitor& visit) { scanRangeValues(c, scalars, visit); };
  } else {
    return false;
  }
  std::unordered_set<uint64_t> outputs_seen;

  constexpr size_t kNever = std::numeric_limits<size_t>::max();
  std::vector<Labels> group_labels;
  std::unordered_multimap<uint64_t, uint32_t> index;
  std::vector<Accumulator> acc;  // group by group, a row of steps each
  std::vector<std::pair<size_t, size_t>> first_seen;
  size_t outputs = 0;  // the function's output series so far: its series index
  bool gave_up = false;
  scan([&](const Labels& metric, const StepValues& values) {
    if (gave_up) return;
    Labels stripped;
    if (drop_name) stripped = metric.withoutName();
    const Labels& l = drop_name ? stripped : metric;
    if (!distinct && !outputs_seen.insert(l.hash()).second) {
      gave_up = true;
      return;
    }
    Labels key = a.without ? l.drop(a.grouping, true) : l.keep(a.grouping);
    uint64_t h = key.hash();
    std::optional<uint32_t> g;
    auto [lo, hi] = index.equal_range(h);
    for (auto it = lo; it != hi && !g; ++it) {
      if (group_labels[it->second] == key) g = it->second;
    }
    if (!g) {
      if (state_.max_samples > 0 &&
          static_cast<int64_t>((group_labels.size() + 1) * steps_) > state_.max_samples) {
        gave_up = true;  // the plain path fails on the limit or needs less
        return;
      }
      g = static_cast<uint32_t>(group_labels.size());
      group_labels.push_back(std::move(key));
      index.emplace(h, *g);
      acc.resize(group_labels.size() * steps_);
      first_seen.emplace_back(kNever, kNever);
    }
    Accumulator* row = acc.data() + size_t(*g) * steps_;
    first_seen[*g] = std::min(first_seen[*g], {size_t(values.front().first), outputs});
    ++outputs;
    for (auto [i, v] : values) addSample(a.op, row[i], v);
  });
  if (gave_up) return false;
  out = EvalValue{ValueType::kVector, {}, {}, {}};
  out.series = groupsInOrder(a.op, group_labels, first_seen, acc, steps_,
                             [this](size_t i) { return stepTime(i); });
  return true;
}

}  // namespace strata::promql
