#include "core/promql/engine.h"

#include <algorithm>

#include "core/promql/evaluator.h"
#include "core/promql/parser.h"

namespace strata::promql {

QueryResult Engine::instantQuery(Storage& storage, std::string_view query, int64_t t_ms) const {
  NodePtr expr = parseExpr(query);
  return exec(storage, *expr, t_ms, t_ms, 0, true);
}

QueryResult Engine::rangeQuery(Storage& storage, std::string_view query, int64_t start_ms,
                               int64_t end_ms, int64_t step_ms) const {
  NodePtr expr = parseExpr(query);
  return exec(storage, *expr, start_ms, end_ms, step_ms, false);
}

QueryResult Engine::exec(Storage& storage, const Node& expr, int64_t start_ms, int64_t end_ms,
                         int64_t step_ms, bool instant) const {
  ValueType type = typeOf(expr);
  if (!instant) {
    if (type != ValueType::kScalar && type != ValueType::kVector) {
      throw QueryError(ErrorKind::kExecution,
                       std::string("invalid expression type \"") + valueTypeName(type) +
                           "\" for range query, must be Scalar or instant Vector");
    }
    if (step_ms <= 0) {
      throw QueryError(ErrorKind::kExecution,
                       "zero or negative query resolution step widths are "
                       "not accepted");
    }
    if (end_ms < start_ms)
      throw QueryError(ErrorKind::kExecution, "end timestamp must not be before start time");
  }
  QueryState state;
  state.deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(opts_.timeout_ms);
  state.max_samples = opts_.max_samples;
  state.query_start = start_ms;
  state.query_end = end_ms;
  Evaluator ev(storage, opts_, state, start_ms, end_ms, instant ? 1 : step_ms);
  EvalValue v = ev.eval(expr);

  QueryResult r;
  r.type = v.type;
  r.t = end_ms;
  switch (v.type) {
    case ValueType::kString:
      r.str = std::move(v.str);
      break;
    case ValueType::kScalar:
      if (instant) {
        r.scalar = v.scalar.empty() ? 0 : v.scalar[0];
      } else {
        r.type = ValueType::kMatrix;
        Series s{Labels{}, {}};
        for (size_t i = 0; i < v.scalar.size(); ++i)
          s.points.push_back(Point{ev.stepTime(i), v.scalar[i]});
        r.series.push_back(std::move(s));
      }
      break;
    case ValueType::kVector:
      r.series = std::move(v.series);
      std::erase_if(r.series, [](const Series& s) { return s.points.empty(); });
      if (!instant) {
        r.type = ValueType::kMatrix;
        std::sort(r.series.begin(), r.series.end(),
                  [](const Series& a, const Series& b) { return a.metric < b.metric; });
      }
      break;
    case ValueType::kMatrix:
      r.series = std::move(v.series);
      break;
    case ValueType::kNone:
      break;
  }
  return r;
}

}  // namespace strata::promql
