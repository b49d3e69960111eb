// Splits a PromQL query into tokens. Keywords are left as identifiers: which words are
// keywords depends on where they stand (a label may be called `on`), so the parser decides.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace strata::promql {

enum class Tok {
  kEOF,
  kError,  // text holds the message
  kIdentifier,
  kNumber,
  kDuration,
  kString,  // text holds the unquoted value
  kLeftParen,
  kRightParen,
  kLeftBrace,
  kRightBrace,
  kLeftBracket,
  kRightBracket,
  kComma,
  kColon,
  kAssign,  // =
  kAdd,
  kSub,
  kMul,
  kDiv,
  kMod,
  kPow,
  kEqlc,  // ==
  kNeq,
  kGtr,
  kLss,
  kGte,
  kLte,
  kEqlRegex,
  kNeqRegex,
  kAt,
};

struct Token {
  Tok type;
  std::string text;
  int pos;  // byte offset of the first character
  int end;  // byte offset after the last character
};

std::vector<Token> lex(std::string_view input);
// How Prometheus names a token in "unexpected ..." messages.
std::string describeToken(const Token& t);

}  // namespace strata::promql
