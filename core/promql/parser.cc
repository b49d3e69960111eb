// Entry points, token access and parse errors of the PromQL parser (parser_internal.h).
#include "core/promql/parser.h"

#include <cctype>

#include "core/promql/parser_internal.h"

namespace strata::promql::parser_internal {

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

NodePtr Parser::parseAll() {
  if (peek().type == Tok::kEOF) fail(peek().pos, "no expression found in input");
  NodePtr e = parseExpr(0);
  if (peek().type != Tok::kEOF) unexpected(peek(), "");
  return e;
}

Token Parser::next() {
  Token t = peek();
  if (t.type == Tok::kError) fail(t.pos, t.text);
  if (idx_ < toks_.size() - 1) ++idx_;
  return t;
}

void Parser::fail(int pos, const std::string& msg) const {
  throw QueryError(ErrorKind::kParse, formatParseError(in_, pos, msg));
}

void Parser::unexpected(const Token& t, const std::string& context) const {
  if (t.type == Tok::kError) fail(t.pos, t.text);
  fail(t.pos, "unexpected " + describeToken(t) + context);
}

Token Parser::expect(Tok type, const std::string& context) {
  if (peek().type != type) unexpected(peek(), context);
  return next();
}

}  // namespace strata::promql::parser_internal

namespace strata::promql {

std::string formatParseError(std::string_view query, int pos, const std::string& msg) {
  int line = 1, col = 1;
  for (int i = 0; i < pos && i < static_cast<int>(query.size()); ++i) {
    if (query[i] == '\n') {
      ++line;
      col = 1;
    } else {
      ++col;
    }
  }
  return std::to_string(line) + ":" + std::to_string(col) + ": parse error: " + msg;
}

NodePtr parseExpr(std::string_view query) { return parser_internal::Parser(query).parseAll(); }

Labels parseSeriesDescription(std::string_view text) {
  return parser_internal::Parser(text).parseSeries();
}

}  // namespace strata::promql
