// PromQL text -> syntax tree, with Prometheus' type checks and error messages
// ("1:5: parse error: unexpected end of input").
#pragma once

#include <string_view>

#include "core/promql/ast.h"

namespace strata::promql {

// Throws QueryError(kParse).
NodePtr parseExpr(std::string_view query);

// A series description of the test-script format: `name{a="b"}` or `{__name__="x"}`.
Labels parseSeriesDescription(std::string_view text);

// "L:C: parse error: msg" for a byte offset in `query`.
std::string formatParseError(std::string_view query, int pos, const std::string& msg);

}  // namespace strata::promql
