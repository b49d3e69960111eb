#include "core/promql/parser.h"

#include <gtest/gtest.h>

#include <cmath>

#include "core/promql/lexer.h"

namespace strata::promql {
namespace {

std::string parseError(const std::string& q) {
  try {
    parseExpr(q);
  } catch (const QueryError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kParse);
    return e.what();
  }
  return "";
}

double number(const std::string& q) {
  NodePtr n = parseExpr(q);
  EXPECT_EQ(n->kind, NodeKind::kNumber) << q;
  return static_cast<NumberLiteral&>(*n).value;
}

TEST(Lexer, TokensDurationsAndStrings) {
  auto toks = lex("rate(foo{a=~\"x\\\"y\"}[5m:1m]) offset -1h30m");
  ASSERT_GE(toks.size(), 14u);
  EXPECT_EQ(toks[0].type, Tok::kIdentifier);
  EXPECT_EQ(toks[5].type, Tok::kEqlRegex);
  EXPECT_EQ(toks[6].type, Tok::kString);
  EXPECT_EQ(toks[6].text, "x\"y");
  EXPECT_EQ(toks[9].type, Tok::kDuration);
  EXPECT_EQ(toks[9].text, "5m");
  EXPECT_EQ(toks[10].type, Tok::kColon);
  EXPECT_EQ(toks.back().type, Tok::kEOF);
  EXPECT_EQ(lex("`a\\n`")[0].text, "a\\n");  // raw strings keep backslashes
  EXPECT_EQ(lex("foo:bar")[0].text, "foo:bar");
}

TEST(Parser, NumbersIncludingHexOctalInfNaN) {
  EXPECT_EQ(number("0x1F"), 31);
  EXPECT_EQ(number("010"), 8);
  EXPECT_EQ(number("1e3"), 1000);
  EXPECT_EQ(number(".5"), 0.5);
  EXPECT_EQ(number("-2"), -2);
  EXPECT_TRUE(std::isinf(number("-Inf")));
  EXPECT_TRUE(std::isnan(number("nan")));
}

TEST(Parser, PrecedenceAndAssociativity) {
  // 2 ^ 3 ^ 2 is right-associative: 2 ^ 9.
  auto n = parseExpr("2 ^ 3 ^ 2");
  auto& b = static_cast<BinaryExpr&>(*n);
  EXPECT_EQ(b.op, BinOp::kPow);
  EXPECT_EQ(b.lhs->kind, NodeKind::kNumber);
  EXPECT_EQ(b.rhs->kind, NodeKind::kBinary);
  // a + b * c: the multiplication binds tighter.
  auto m = parseExpr("a + b * c");
  EXPECT_EQ(static_cast<BinaryExpr&>(*m).op, BinOp::kAdd);
  // or binds weakest, and/unless above it.
  auto o = parseExpr("a or b and c");
  EXPECT_EQ(static_cast<BinaryExpr&>(*o).op, BinOp::kOr);
  // -a ^ b is -(a ^ b).
  auto u = parseExpr("-a ^ b");
  ASSERT_EQ(u->kind, NodeKind::kUnary);
  EXPECT_EQ(static_cast<UnaryExpr&>(*u).expr->kind, NodeKind::kBinary);
  // 1 - 2 - 3 is left-associative.
  auto s = parseExpr("1 - 2 - 3");
  EXPECT_EQ(static_cast<BinaryExpr&>(*s).lhs->kind, NodeKind::kBinary);
}

TEST(Parser, SelectorsModifiersAndSubqueries) {
  auto n = parseExpr("foo{a!=\"b\", c=~\"d.*\"} offset -5m @ 100");
  auto& vs = static_cast<VectorSelector&>(*n);
  EXPECT_EQ(vs.name, "foo");
  EXPECT_EQ(vs.matchers.size(), 3u);
  EXPECT_EQ(vs.offset_ms, -300000);
  EXPECT_EQ(vs.at.kind, AtKind::kTime);
  EXPECT_EQ(vs.at.time_ms, 100000);
  auto sq = parseExpr("rate(foo[1m])[1h:5m] @ end()");
  ASSERT_EQ(sq->kind, NodeKind::kSubquery);
  auto& s = static_cast<SubqueryExpr&>(*sq);
  EXPECT_EQ(s.range_ms, 3600000);
  EXPECT_EQ(s.step_ms, 300000);
  EXPECT_EQ(s.at.kind, AtKind::kEnd);
  auto bin = parseExpr("a * on(x) group_left(y) b");
  auto& b = static_cast<BinaryExpr&>(*bin);
  EXPECT_TRUE(b.matching.on);
  EXPECT_EQ(b.matching.card, Cardinality::kManyToOne);
  EXPECT_EQ(b.matching.include, std::vector<std::string>{"y"});
  auto agg = parseExpr("sum(x) without (a, b,)");
  EXPECT_TRUE(static_cast<AggregateExpr&>(*agg).without);
  EXPECT_EQ(static_cast<AggregateExpr&>(*agg).grouping.size(), 2u);
}

TEST(Parser, ErrorsNamePositionAndCause) {
  EXPECT_EQ(parseError("1 +"), "1:4: parse error: unexpected end of input");
  EXPECT_EQ(parseError("foo{a=\"b\""), "1:10: parse error: unexpected end of input inside braces");
  EXPECT_EQ(parseError("sum(x"),
            "1:6: parse error: unexpected end of input in aggregation, expected \",\" or \")\"");
  EXPECT_EQ(parseError("1 !~ 1"), "1:3: parse error: unexpected character after '!': '~'");
  EXPECT_EQ(parseError("foo\n  + )"), "2:5: parse error: unexpected \")\"");
  EXPECT_EQ(parseError("rate(foo)"),
            "1:6: parse error: expected type range vector in call to function \"rate\", got "
            "instant vector");
  EXPECT_EQ(parseError("nosuch(foo)"), "1:1: parse error: unknown function with name \"nosuch\"");
  EXPECT_EQ(parseError("1 > 2"),
            "1:3: parse error: comparisons between scalars must use BOOL modifier");
  EXPECT_EQ(parseError("{a=\"\"}"),
            "1:1: parse error: vector selector must contain at least one non-empty matcher");
  EXPECT_EQ(parseError("foo offset 1m offset 2m"),
            "1:15: parse error: offset may not be set multiple times");
  EXPECT_EQ(parseError("(foo)[5m]"), "1:6: parse error: ranges only allowed for vector selectors");
  EXPECT_NE(parseError("foo and 1").find("set operator \"and\" not allowed"), std::string::npos);
  EXPECT_NE(parseError("1 + bool 2").find("bool modifier can only be used"), std::string::npos);
  EXPECT_NE(parseError("foo{__name__=\"bar\"}").find("metric name must not be set twice"),
            std::string::npos);
  EXPECT_NE(parseError("topk(foo)").find("wrong number of arguments"), std::string::npos);
  EXPECT_NE(parseError("foo{a=~\"(\"}").find("error parsing regexp"), std::string::npos);
  EXPECT_NE(parseError("5m").find("unexpected duration"), std::string::npos);
  EXPECT_EQ(parseError(""), "1:1: parse error: no expression found in input");
}

}  // namespace
}  // namespace strata::promql
