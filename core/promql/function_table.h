// The signature of every PromQL function of Prometheus 2.42, used by the parser for type
// checks and by the evaluator to dispatch.
#pragma once

#include <string_view>
#include <vector>

#include "core/promql/value.h"

namespace strata::promql {

struct FunctionDef {
  std::string_view name;
  std::vector<ValueType> arg_types;
  int variadic;  // 0: exact; >0: up to that many optional args; -1: unlimited optional
  ValueType return_type;
};

const FunctionDef* findFunction(std::string_view name);

}  // namespace strata::promql
