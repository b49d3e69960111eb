// Function calls and aggregations, with their argument checks.
#include <string>

#include "core/promql/function_table.h"
#include "core/promql/parser.h"
#include "core/promql/parser_internal.h"

namespace strata::promql::parser_internal {

std::optional<AggOp> aggregator(std::string_view word) {
  static const std::pair<const char*, AggOp> kAggs[] = {{"sum", AggOp::kSum},
                                                        {"avg", AggOp::kAvg},
                                                        {"count", AggOp::kCount},
                                                        {"min", AggOp::kMin},
                                                        {"max", AggOp::kMax},
                                                        {"group", AggOp::kGroup},
                                                        {"stddev", AggOp::kStddev},
                                                        {"stdvar", AggOp::kStdvar},
                                                        {"topk", AggOp::kTopk},
                                                        {"bottomk", AggOp::kBottomk},
                                                        {"count_values", AggOp::kCountValues},
                                                        {"quantile", AggOp::kQuantile}};
  std::string l = lower(word);
  for (const auto& [name, op] : kAggs) {
    if (l == name) return op;
  }
  return std::nullopt;
}

NodePtr Parser::parseCall() {
  Token name = next();
  const FunctionDef* def = findFunction(name.text);
  if (!def) fail(name.pos, "unknown function with name \"" + name.text + "\"");
  auto call = std::make_unique<Call>();
  call->func = def;
  next();  // (
  while (peek().type != Tok::kRightParen) {
    call->args.push_back(parseExpr(0));
    if (peek().type == Tok::kComma) {
      next();
    } else if (peek().type != Tok::kRightParen) {
      unexpected(peek(), " in call to function \"" + name.text + "\", expected \",\" or \")\"");
    }
  }
  Token close = next();
  call->pos = {name.pos, close.end};
  checkCall(*call, name);
  return call;
}

void Parser::checkCall(const Call& c, const Token& name) {
  const FunctionDef& f = *c.func;
  int nargs = static_cast<int>(c.args.size());
  int expected = static_cast<int>(f.arg_types.size());
  std::string quoted = "\"" + std::string(f.name) + "\"";
  if (f.variadic == 0) {
    if (nargs != expected) {
      fail(name.pos, "expected " + std::to_string(expected) + " argument(s) in call to " + quoted +
                         ", got " + std::to_string(nargs));
    }
  } else {
    int min = expected - (f.variadic > 0 ? f.variadic : 1);
    if (f.variadic < 0) min = expected - 1;
    if (nargs < min) {
      fail(name.pos, "expected at least " + std::to_string(min) + " argument(s) in call to " +
                         quoted + ", got " + std::to_string(nargs));
    }
    if (f.variadic > 0 && nargs > expected) {
      fail(name.pos, "expected at most " + std::to_string(expected) + " argument(s) in call to " +
                         quoted + ", got " + std::to_string(nargs));
    }
  }
  for (int i = 0; i < nargs; ++i) {
    ValueType want = i < expected ? f.arg_types[i] : f.arg_types.back();
    ValueType got = typeOf(*c.args[i]);
    if (want != got) {
      fail(c.args[i]->pos.start, std::string("expected type ") + valueTypeName(want) +
                                     " in call to function " + quoted + ", got " +
                                     valueTypeName(got));
    }
  }
}

NodePtr Parser::parseAggregate(AggOp op) {
  Token name = next();
  auto agg = std::make_unique<AggregateExpr>();
  agg->op = op;
  bool grouped = false;
  auto grouping = [&] {
    if (isWord(peek(), "by") || isWord(peek(), "without")) {
      if (grouped) unexpected(peek(), " in aggregation");
      agg->without = isWord(next(), "without");
      agg->grouping = parseLabelList();
      grouped = true;
    }
  };
  grouping();
  expect(Tok::kLeftParen, " in aggregation, expected \"(\"");
  std::vector<NodePtr> args;
  while (peek().type != Tok::kRightParen) {
    args.push_back(parseExpr(0));
    if (peek().type == Tok::kComma) {
      next();
    } else if (peek().type != Tok::kRightParen) {
      unexpected(peek(), " in aggregation, expected \",\" or \")\"");
    }
  }
  Token close = next();
  agg->pos = {name.pos, close.end};
  grouping();
  if (grouped && agg->pos.end < peek().pos) agg->pos.end = toks_[idx_ - 1].end;
  bool has_param = op == AggOp::kTopk || op == AggOp::kBottomk || op == AggOp::kCountValues ||
                   op == AggOp::kQuantile;
  size_t want = has_param ? 2 : 1;
  if (args.size() != want) {
    fail(agg->pos.start, "wrong number of arguments for aggregate expression provided, expected " +
                             std::to_string(want) + ", got " + std::to_string(args.size()));
  }
  if (has_param) {
    agg->param = std::move(args[0]);
    ValueType want_param = op == AggOp::kCountValues ? ValueType::kString : ValueType::kScalar;
    if (typeOf(*agg->param) != want_param) {
      fail(agg->param->pos.start, std::string("expected type ") + valueTypeName(want_param) +
                                      " in aggregation parameter, got " +
                                      valueTypeName(typeOf(*agg->param)));
    }
  }
  agg->expr = std::move(args.back());
  if (typeOf(*agg->expr) != ValueType::kVector) {
    fail(agg->expr->pos.start,
         std::string("expected type instant vector in aggregation expression, got ") +
             valueTypeName(typeOf(*agg->expr)));
  }
  return agg;
}

}  // namespace strata::promql::parser_internal
