// Syntax tree -> PromQL text, as Prometheus 2.42's String() methods print it (the form
// /api/v1/format_query returns for expressions that fit on one line).
#pragma once

#include <string>

#include "core/promql/ast.h"

namespace strata::promql {

std::string printExpr(const Node& node);

// Pieces of printExpr the prettier (prettier.h) reuses when it splits a node over lines.
bool aggregateHasParam(AggOp op);
// "sum", "sum by (a, b) ", "sum without (a) ": the text before the aggregation's "(".
std::string aggregatePrefix(const AggregateExpr& a);
// " on (a) group_left (b)" of a binary expression, or "".
std::string matchingString(const BinaryExpr& b);
// "[5m:1m] @ 100.000 offset 1m" of a subquery.
std::string subquerySuffix(const SubqueryExpr& s);

// Go's strconv.FormatFloat(v, 'g', -1, 64) ("1e+06", "0.5", "+Inf"): number literals here,
// sample values in the text exposition format.
std::string formatFloatG(double v);

}  // namespace strata::promql
