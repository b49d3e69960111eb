// Vector selectors and their label matchers, label lists of grouping and vector matching, and
// the series descriptions of test scripts.
#include <cctype>
#include <string>

#include "core/promql/parser.h"
#include "core/promql/parser_internal.h"

namespace strata::promql::parser_internal {
namespace {

bool validLabelName(std::string_view s) {
  if (s.empty()) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    bool ok = c == '_' || std::isalpha(static_cast<unsigned char>(c)) ||
              (i > 0 && std::isdigit(static_cast<unsigned char>(c)));
    if (!ok) return false;
  }
  return true;
}

}  // namespace

std::vector<std::string> Parser::parseLabelList() {
  expect(Tok::kLeftParen, " in grouping opts, expected \"(\"");
  std::vector<std::string> out;
  while (peek().type != Tok::kRightParen) {
    Token t = next();
    if (t.type != Tok::kIdentifier || !validLabelName(t.text)) {
      unexpected(t, " in grouping opts, expected label");
    }
    out.push_back(t.text);
    if (peek().type == Tok::kComma) {
      next();
    } else if (peek().type != Tok::kRightParen) {
      unexpected(peek(), " in grouping opts, expected \",\" or \")\"");
    }
  }
  next();
  return out;
}

NodePtr Parser::parseSelector(std::optional<Token> name) {
  auto vs = std::make_unique<VectorSelector>();
  int start = name ? name->pos : peek().pos;
  int end = name ? name->end : start;
  std::vector<Matcher> matchers;
  if (name) vs->name = name->text;
  if (peek().type == Tok::kLeftBrace) {
    next();
    while (peek().type != Tok::kRightBrace) {
      Token lname = next();
      if (lname.type == Tok::kEOF) fail(lname.pos, "unexpected end of input inside braces");
      if (lname.type != Tok::kIdentifier || !validLabelName(lname.text)) {
        unexpected(lname, " in label matching, expected label");
      }
      Token op = next();
      MatchType mt;
      switch (op.type) {
        case Tok::kAssign:
          mt = MatchType::kEqual;
          break;
        case Tok::kNeq:
          mt = MatchType::kNotEqual;
          break;
        case Tok::kEqlRegex:
          mt = MatchType::kRegex;
          break;
        case Tok::kNeqRegex:
          mt = MatchType::kNotRegex;
          break;
        default:
          unexpected(op, " in label matching, expected label matching operator");
      }
      Token v = next();
      if (v.type != Tok::kString) unexpected(v, " in label matching, expected string");
      try {
        matchers.emplace_back(mt, lname.text, v.text);
      } catch (const QueryError& e) {
        fail(v.pos, e.what());
      }
      if (peek().type == Tok::kComma) {
        next();
      } else if (peek().type != Tok::kRightBrace) {
        if (peek().type == Tok::kEOF) fail(peek().pos, "unexpected end of input inside braces");
        unexpected(peek(), " in label matching, expected \",\" or \"}\"");
      }
    }
    end = next().end;
  }
  for (const auto& m : matchers) {
    if (m.name() == kMetricName && name) {
      fail(start,
           "metric name must not be set twice: \"" + name->text + "\" or \"" + m.value() + "\"");
    }
  }
  if (name)
    matchers.emplace(matchers.begin(), MatchType::kEqual, std::string(kMetricName), name->text);
  bool non_empty = std::any_of(matchers.begin(), matchers.end(),
                               [](const Matcher& m) { return !m.matchesEmpty(); });
  if (!non_empty) fail(start, "vector selector must contain at least one non-empty matcher");
  vs->matchers = std::move(matchers);
  vs->pos = {start, end};
  return vs;
}

Labels Parser::parseSeries() {
  std::vector<Label> labels;
  if (peek().type == Tok::kIdentifier) {
    labels.push_back({std::string(kMetricName), next().text});
  }
  if (peek().type == Tok::kLeftBrace) {
    next();
    while (peek().type != Tok::kRightBrace) {
      Token name = next();
      if (name.type != Tok::kIdentifier) unexpected(name, " in label matching, expected label");
      expect(Tok::kAssign, " in label matching, expected \"=\"");
      Token v = next();
      if (v.type != Tok::kString) unexpected(v, " in label matching, expected string");
      labels.push_back({name.text, v.text});
      if (peek().type == Tok::kComma) next();
    }
    next();
  }
  if (peek().type != Tok::kEOF) unexpected(peek(), "");
  return Labels::fromUnsorted(std::move(labels));
}

}  // namespace strata::promql::parser_internal
