// Number literals, durations, and the postfixes of selectors and expressions: ranges,
// subqueries, offset and @.
#include <cmath>
#include <cstdlib>
#include <string>

#include "core/promql/duration.h"
#include "core/promql/parser.h"
#include "core/promql/parser_internal.h"

namespace strata::promql::parser_internal {

double parseNumber(const std::string& s) {
  // Go's ParseInt(s, 0, 64) first (hex, octal), then ParseFloat.
  if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    return static_cast<double>(std::strtoull(s.c_str() + 2, nullptr, 16));
  }
  if (s.size() > 1 && s[0] == '0' &&
      std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '7'; })) {
    return static_cast<double>(std::strtoull(s.c_str(), nullptr, 8));
  }
  return std::strtod(s.c_str(), nullptr);
}

int64_t Parser::parseDurationToken(const std::string& context) {
  Token d = next();
  if (d.type != Tok::kDuration && !(d.type == Tok::kNumber && d.text == "0")) {
    unexpected(d, context);
  }
  auto ms = parseDuration(d.text);
  if (!ms) fail(d.pos, "not a valid duration string: \"" + d.text + "\"");
  return *ms;
}

NodePtr Parser::parsePostfix(NodePtr e) {
  while (true) {
    if (peek().type == Tok::kLeftBracket) {
      e = parseRange(std::move(e));
    } else if (isWord(peek(), "offset")) {
      Token kw = next();
      bool neg = false;
      if (peek().type == Tok::kSub) {
        next();
        neg = true;
      } else if (peek().type == Tok::kAdd) {
        next();
      }
      int64_t off = parseDurationToken(" in offset, expected duration");
      if (neg) off = -off;
      setOffset(*e, off, kw.pos);
      e->pos.end = toks_[idx_ - 1].end;
    } else if (peek().type == Tok::kAt) {
      Token at = next();
      AtModifier mod;
      if (isWord(peek(), "start") || isWord(peek(), "end")) {
        mod.kind = isWord(next(), "start") ? AtKind::kStart : AtKind::kEnd;
        expect(Tok::kLeftParen, " in @, expected \"(\"");
        expect(Tok::kRightParen, " in @, expected \")\"");
      } else {
        bool neg = false;
        if (peek().type == Tok::kSub || peek().type == Tok::kAdd) neg = next().type == Tok::kSub;
        Token n = next();
        if (n.type != Tok::kNumber) unexpected(n, " in @, expected timestamp");
        double v = parseNumber(n.text);
        if (neg) v = -v;
        if (!std::isfinite(v) || v >= 9.2e15 || v <= -9.2e15) {
          fail(n.pos, "timestamp out of bounds for @ modifier: " + formatFloat(v));
        }
        mod.kind = AtKind::kTime;
        mod.time_ms = static_cast<int64_t>(std::llround(v * 1000));
      }
      setAt(*e, mod, at.pos);
      e->pos.end = toks_[idx_ - 1].end;
    } else {
      return e;
    }
  }
}

void Parser::setOffset(Node& n, int64_t off, int pos) {
  bool* set = nullptr;
  int64_t* target = nullptr;
  if (n.kind == NodeKind::kVectorSelector) {
    auto& vs = static_cast<VectorSelector&>(n);
    set = &vs.offset_set;
    target = &vs.offset_ms;
  } else if (n.kind == NodeKind::kMatrixSelector) {
    auto& vs = *static_cast<MatrixSelector&>(n).selector;
    set = &vs.offset_set;
    target = &vs.offset_ms;
  } else if (n.kind == NodeKind::kSubquery) {
    auto& sq = static_cast<SubqueryExpr&>(n);
    set = &sq.offset_set;
    target = &sq.offset_ms;
  } else {
    fail(pos,
         "offset modifier must be preceded by an instant vector selector or range vector "
         "selector or a subquery");
  }
  if (*set) fail(pos, "offset may not be set multiple times");
  *set = true;
  *target = off;
}

void Parser::setAt(Node& n, AtModifier mod, int pos) {
  AtModifier* target = nullptr;
  if (n.kind == NodeKind::kVectorSelector) {
    target = &static_cast<VectorSelector&>(n).at;
  } else if (n.kind == NodeKind::kMatrixSelector) {
    target = &static_cast<MatrixSelector&>(n).selector->at;
  } else if (n.kind == NodeKind::kSubquery) {
    target = &static_cast<SubqueryExpr&>(n).at;
  } else {
    fail(pos,
         "@ modifier must be preceded by an instant vector selector or range vector "
         "selector or a subquery");
  }
  if (target->kind != AtKind::kNone) fail(pos, "@ <timestamp> may not be set multiple times");
  *target = mod;
}

NodePtr Parser::parseRange(NodePtr e) {
  Token open = next();
  int64_t range = parseDurationToken(" in subquery selector, expected duration");
  if (peek().type == Tok::kRightBracket) {
    Token close = next();
    if (e->kind != NodeKind::kVectorSelector) {
      fail(open.pos, "ranges only allowed for vector selectors");
    }
    auto* vs = static_cast<VectorSelector*>(e.get());
    if (vs->offset_set || vs->at.kind != AtKind::kNone) {
      fail(open.pos, "no offset or @ modifiers allowed before range");
    }
    auto ms = std::make_unique<MatrixSelector>();
    ms->pos = {e->pos.start, close.end};
    ms->selector.reset(static_cast<VectorSelector*>(e.release()));
    ms->range_ms = range;
    return ms;
  }
  expect(Tok::kColon, " in subquery selector, expected \":\" or \"]\"");
  auto sq = std::make_unique<SubqueryExpr>();
  if (peek().type != Tok::kRightBracket) {
    sq->step_ms = parseDurationToken(" in subquery selector, expected duration");
  }
  Token close = expect(Tok::kRightBracket, " in subquery selector, expected \"]\"");
  ValueType t = typeOf(*e);
  if (t != ValueType::kVector) {
    fail(e->pos.start, std::string("subquery is only allowed on instant vector, got ") +
                           valueTypeName(t) + " instead");
  }
  sq->range_ms = range;
  sq->pos = {e->pos.start, close.end};
  sq->expr = std::move(e);
  return sq;
}

}  // namespace strata::promql::parser_internal
