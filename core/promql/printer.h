// Syntax tree -> PromQL text, as Prometheus 2.42's String() methods print it (the form
// /api/v1/format_query returns for expressions that fit on one line).
#pragma once

#include <string>

#include "core/promql/ast.h"

namespace strata::promql {

std::string printExpr(const Node& node);

// Go's strconv.FormatFloat(v, 'g', -1, 64) ("1e+06", "0.5", "+Inf"): number literals here,
// sample values in the text exposition format.
std::string formatFloatG(double v);

}  // namespace strata::promql
