// The plain aggregations (sum, avg, count, group, min, max, stddev, stdvar) walked series by
// series instead of step by step: each input series' points are read once, in order, into a
// per-(group, step) accumulator, so no cursor visits every series at every step. For one
// group and step the series still arrive in input order, so every float operation happens in
// the order of the step-by-step evaluation (and of Prometheus'); results are bit-identical.
#include <algorithm>
#include <cmath>
#include <limits>

#include "core/promql/evaluator.h"

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
  // Where the step-by-step evaluation first meets each group (step, then series): the
  // order its output series are created in.
  constexpr uint64_t kNever = std::numeric_limits<uint64_t>::max();
  std::vector<uint64_t> first_seen(groups, kNever);
  for (size_t si = 0; si < in.size(); ++si) {
    const auto& pts = in[si].points;
    if (pts.empty()) continue;
    const uint32_t g = group_of[si];
    Accumulator* row = acc.data() + size_t(g) * steps_;
    uint64_t key = uint64_t(stepIndex(pts.front().t)) * in.size() + si;
    first_seen[g] = std::min(first_seen[g], key);
    for (const Point& p : pts) addSample(op, row[stepIndex(p.t)], p.v);
  }
  std::vector<uint32_t> order;
  for (uint32_t g = 0; g < groups; ++g) {
    if (first_seen[g] != kNever) order.push_back(g);
  }
  std::sort(order.begin(), order.end(),
            [&](uint32_t x, uint32_t y) { return first_seen[x] < first_seen[y]; });
  Matrix out;
  out.reserve(order.size());
  for (uint32_t g : order) {
    Series s{std::move(group_labels[g]), {}};
    const Accumulator* row = acc.data() + size_t(g) * steps_;
    for (size_t i = 0; i < steps_; ++i) {
      if (row[i].count > 0) s.points.push_back(Point{stepTime(i), result(op, row[i])});
    }
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace strata::promql
