// Prometheus' PromQL test-script format (promql/test.go of v2.42): `load`, `clear`,
// `eval[_fail|_ordered] instant at <time> <expr>` with expected samples. Used by the
// conformance suite and by end-to-end tests that replay the same files elsewhere.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/promql/engine.h"
#include "core/promql/memory_storage.h"

namespace strata::promql {

struct SeriesDef {
  Labels labels;
  std::vector<std::optional<double>> values;  // nullopt: no sample at that step
};

struct ExpectedSample {
  std::optional<Labels> metric;  // nullopt: a scalar result
  double value = 0;
};

struct ScriptCommand {
  enum class Kind { kLoad, kClear, kEval } kind = Kind::kClear;
  int line = 0;
  // load
  int64_t interval_ms = 0;
  std::vector<SeriesDef> series;
  // eval
  std::string expr;
  int64_t time_ms = 0;
  bool expect_fail = false;
  bool ordered = false;
  std::vector<ExpectedSample> expected;
};

// Throws std::runtime_error("file:line: message") on malformed input.
std::vector<ScriptCommand> parseTestScript(std::string_view text, const std::string& file);
// Expands `1+2x3`, `_x2`, `stale`, ... into values.
std::vector<std::optional<double>> expandSeriesValues(std::string_view text);

struct EvalOutcome {
  int line = 0;
  std::string expr;
  bool passed = false;
  std::string message;  // why it failed
};

// Runs the commands in order against `storage`; one outcome per eval command.
std::vector<EvalOutcome> runTestScript(const std::vector<ScriptCommand>& commands,
                                       const Engine& engine, MemoryStorage& storage);

}  // namespace strata::promql
