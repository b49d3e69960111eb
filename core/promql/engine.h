// The PromQL engine's entry points: instant and range queries over a Storage.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/promql/ast.h"
#include "core/promql/storage.h"
#include "core/promql/value.h"

namespace strata::promql {

struct EngineOptions {
  int64_t lookback_delta_ms = 5 * 60 * 1000;
  int64_t max_samples = 50'000'000;  // samples held at once by one query
  int64_t timeout_ms = 2 * 60 * 1000;
  int64_t max_series = 0;                        // series one selector may select; 0: unlimited
  int64_t default_subquery_step_ms = 60 * 1000;  // `[5m:]` uses the global eval interval
};

struct QueryResult {
  ValueType type = ValueType::kNone;
  // kVector: one point per series at the evaluation time (order is meaningful: sort(),
  // topk...); kMatrix: a range query's series sorted by labels, or raw samples.
  Matrix series;
  double scalar = 0;  // kScalar of an instant query
  int64_t t = 0;      // evaluation time of an instant query
  std::string str;    // kString
};

class Engine {
 public:
  explicit Engine(EngineOptions opts = {}) : opts_(opts) {}

  // Throw QueryError.
  QueryResult instantQuery(Storage& storage, std::string_view query, int64_t t_ms) const;
  QueryResult rangeQuery(Storage& storage, std::string_view query, int64_t start_ms, int64_t end_ms,
                         int64_t step_ms) const;
  QueryResult exec(Storage& storage, const Node& expr, int64_t start_ms, int64_t end_ms,
                   int64_t step_ms, bool instant) const;

  const EngineOptions& options() const { return opts_; }

 private:
  EngineOptions opts_;
};

}  // namespace strata::promql
