// The recursive-descent parser behind parser.h, shared by its files: parser.cc (tokens, errors,
// entry points), parser_expr.cc (operators, unary, primaries), parser_call.cc (function calls
// and aggregations), parser_selector.cc (selectors, label matchers and lists) and
// parser_modifiers.cc (numbers, durations, ranges, subqueries, offset and @).
#pragma once

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/promql/ast.h"
#include "core/promql/labels.h"
#include "core/promql/lexer.h"

namespace strata::promql::parser_internal {

std::string lower(std::string_view s);
// The aggregation operator a word names (case-insensitively), if any.
std::optional<AggOp> aggregator(std::string_view word);
// A number literal's value: Go's ParseInt(s, 0, 64) first (hex, octal), then ParseFloat.
double parseNumber(const std::string& s);

class Parser {
 public:
  explicit Parser(std::string_view in) : in_(in), toks_(lex(in)) {}

  NodePtr parseAll();
  Labels parseSeries();

 private:
  const Token& peek(size_t off = 0) const {
    size_t i = std::min(idx_ + off, toks_.size() - 1);
    return toks_[i];
  }
  bool isWord(const Token& t, std::string_view w) const {
    return t.type == Tok::kIdentifier && lower(t.text) == w;
  }
  Token next();
  [[noreturn]] void fail(int pos, const std::string& msg) const;
  [[noreturn]] void unexpected(const Token& t, const std::string& context) const;
  Token expect(Tok type, const std::string& context);

  // parser_expr.cc
  NodePtr parseExpr(int min_prec);
  void parseBinaryModifiers(BinaryExpr& b);
  void checkBinary(BinaryExpr& b, const Token& op_tok);
  NodePtr parseUnary();
  NodePtr parsePrimary();

  // parser_call.cc
  NodePtr parseCall();
  void checkCall(const Call& c, const Token& name);
  NodePtr parseAggregate(AggOp op);

  // parser_selector.cc
  std::vector<std::string> parseLabelList();
  NodePtr parseSelector(std::optional<Token> name);

  // parser_modifiers.cc
  int64_t parseDurationToken(const std::string& context);
  NodePtr parsePostfix(NodePtr e);
  void setOffset(Node& n, int64_t off, int pos);
  void setAt(Node& n, AtModifier mod, int pos);
  NodePtr parseRange(NodePtr e);

  std::string_view in_;
  std::vector<Token> toks_;
  size_t idx_ = 0;
};

}  // namespace strata::promql::parser_internal
