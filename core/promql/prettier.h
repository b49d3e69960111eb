// Syntax tree -> PromQL text over several lines, as Prometheus 2.42's Pretty(0) prints it
// (what /api/v1/format_query returns): a node whose one-line form (printExpr) is longer than
// `max_line` bytes is split, its children one level (two spaces) deeper.
#pragma once

#include <cstddef>
#include <string>

#include "core/promql/ast.h"

namespace strata::promql {

inline constexpr size_t kPrettyMaxLine = 100;

std::string prettyExpr(const Node& node, size_t max_line = kPrettyMaxLine);

}  // namespace strata::promql
