// A table row of the prettier tests: a query and its expected Pretty(0) text.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/promql/parser.h"
#include "core/promql/prettier.h"

namespace strata::promql {

struct PrettyCase {
  const char* in;
  const char* out;
};

// Prometheus' prettier_test.go runs every table with maxCharactersPerLine = 10.
inline void expectPretty(const std::vector<PrettyCase>& cases, size_t max_line = 10) {
  for (const auto& c : cases) {
    SCOPED_TRACE(c.in);
    NodePtr expr;
    ASSERT_NO_THROW(expr = parseExpr(c.in));
    EXPECT_EQ(prettyExpr(*expr, max_line), c.out);
  }
}

}  // namespace strata::promql
