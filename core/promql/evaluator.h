// Internal: evaluates a syntax tree over all steps of a query at once. Every instant-vector
// value is a set of series with one point per step at which it has a sample; scalars are
// one value per step. Per-step work refers to input series by index so labels are computed
// once per series, not once per sample.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <span>
#include <unordered_map>

#include "core/promql/ast.h"
#include "core/promql/engine.h"

namespace strata::promql {

struct EvalValue {
  ValueType type = ValueType::kNone;
  Matrix series;
  std::vector<double> scalar;  // one per step
  std::string str;
};

// Shared by an evaluator and the evaluators of its subqueries.
struct QueryState {
  std::chrono::steady_clock::time_point deadline;
  int64_t max_samples = 0;
  int64_t query_start = 0, query_end = 0;  // for @ start() / end()
};

// Collects output series by label set and rejects two samples of one label set at a step.
class SeriesCollector {
 public:
  size_t seriesFor(Labels labels);
  void add(size_t idx, int64_t t, double v);
  Matrix take() { return std::move(out_); }
  size_t size() const { return out_.size(); }

 private:
  Matrix out_;
  std::unordered_multimap<uint64_t, size_t> index_;
};

// The samples of a vector value at one step, walking the series in step order.
class StepCursor {
 public:
  explicit StepCursor(const Matrix& m) : m_(m), pos_(m.size(), 0) {}
  // Fills `out` with (series index, value) of the series that have a point at `t`.
  void at(int64_t t, std::vector<std::pair<uint32_t, double>>& out);

 private:
  const Matrix& m_;
  std::vector<size_t> pos_;
};

// Whether an aggregation operator can be evaluated by Evaluator::aggregateBySeries.
bool aggregatesBySeries(AggOp op);
// Whether n is a range function call (not quantile_over_time or absent_over_time) over a
// matrix selector, whose values Evaluator::scanRangeValues can stream.
bool fusableRangeFunction(const Node& n);

// The labels absent()/absent_over_time() give their result: the argument's equality matchers.
Labels absentLabels(const Node& arg);

class Evaluator {
 public:
  Evaluator(Storage& storage, const EngineOptions& opts, QueryState& state, int64_t start,
            int64_t end, int64_t interval);

  EvalValue eval(const Node& n);

  size_t steps() const { return steps_; }
  int64_t stepTime(size_t i) const { return start_ + static_cast<int64_t>(i) * interval_; }
  size_t stepIndex(int64_t t) const { return static_cast<size_t>((t - start_) / interval_); }
  void checkDeadline() const;
  void countSamples(int64_t n);

  // Raw samples of a range argument and the window each step looks at.
  struct RangeInput {
    Matrix series;  // sorted by time; stale markers removed
    int64_t range_ms = 0;
    std::vector<int64_t> window_end;  // per step: the window is [end - range, end]
  };
  RangeInput evalRangeArg(const Node& n, const std::string& function);
  // The same, one series at a time: `in` gets the windows, `visit` each series' samples
  // (the points may be modified; they are gone after the call).
  using SeriesVisitor = std::function<void(const Labels&, std::vector<Point>&)>;
  void scanRangeArg(const Node& n, const std::string& function, RangeInput& in,
                    const SeriesVisitor& visit);
  std::optional<int64_t> atTime(const AtModifier& at) const;

  // A value source streamed series by series in scan order: visit(input series' labels,
  // (step index, value) of the steps with a value); never called without a value.
  using StepValues = std::vector<std::pair<uint32_t, double>>;
  using StepValuesVisitor = std::function<void(const Labels&, const StepValues&)>;
  // The values a range function gives (see fusableRangeFunction).
  void scanRangeValues(const Call& c, const std::vector<EvalValue>& scalars,
                       const StepValuesVisitor& visit);
  // The values of an instant vector selector (lookback, staleness, offset and @ applied), or
  // their samples' timestamps.
  void scanSelectorValues(const VectorSelector& vs, bool sample_timestamps,
                          const StepValuesVisitor& visit);

 private:
  EvalValue evalVectorSelector(const VectorSelector& vs, bool sample_timestamps);
  EvalValue evalMatrixAsValue(const Node& n);
  EvalValue evalUnary(const UnaryExpr& u);
  EvalValue evalBinary(const BinaryExpr& b);
  std::pair<EvalValue, EvalValue> evalOperands(const BinaryExpr& b);
  EvalValue evalAggregate(const AggregateExpr& a);
  // sum/avg/count/group/min/max/stddev/stdvar of `in`, whose series i belongs to group
  // group_of[i]; takes the group labels it outputs.
  Matrix aggregateBySeries(AggOp op, const Matrix& in, std::vector<Labels>& group_labels,
                           const std::vector<uint32_t>& group_of);
  // The same aggregation straight over a vector selector's or a range function's values,
  // without their series in between; false (nothing evaluated) where the result could differ.
  bool aggregateStreamed(const AggregateExpr& a, EvalValue& out);
  EvalValue evalCall(const Call& c);
  EvalValue evalRangeFunction(const Call& c);
  EvalValue evalInstantFunction(const Call& c);
  EvalValue labelFunction(const Call& c, std::vector<EvalValue>& args);
  EvalValue histogramQuantile(const EvalValue& q, EvalValue& in);
  Matrix select(const VectorSelector& vs, int64_t mint, int64_t maxt, const SelectHints& hints);
  // Streams the selected series through `visit` with one reused sample buffer, checking the
  // series, samples and time limits as it goes.
  void scanSeries(const VectorSelector& vs, int64_t mint, int64_t maxt, const SelectHints& hints,
                  const SeriesVisitor& visit);
  Matrix evalSubquery(const SubqueryExpr& sq, const std::vector<int64_t>& refs);

  Storage& storage_;
  const EngineOptions& opts_;
  QueryState& state_;
  int64_t start_, end_, interval_;
  size_t steps_;
};

}  // namespace strata::promql
