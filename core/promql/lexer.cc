#include "core/promql/lexer.h"

#include <cctype>

namespace strata::promql {
namespace {

bool isAlpha(char c) { return c == '_' || std::isalpha(static_cast<unsigned char>(c)); }
bool isAlnum(char c) { return isAlpha(c) || std::isdigit(static_cast<unsigned char>(c)); }
bool isDigit(char c) { return c >= '0' && c <= '9'; }

class Lexer {
 public:
  explicit Lexer(std::string_view in) : in_(in) {}

  std::vector<Token> run() {
    while (true) {
      while (pos_ < in_.size() && std::isspace(static_cast<unsigned char>(in_[pos_]))) ++pos_;
      if (pos_ < in_.size() && in_[pos_] == '#') {  // comment to end of line
        while (pos_ < in_.size() && in_[pos_] != '\n') ++pos_;
        continue;
      }
      if (pos_ >= in_.size()) {
        emit(Tok::kEOF, pos_, "");
        return std::move(out_);
      }
      if (!next()) return std::move(out_);
    }
  }

 private:
  char peek(size_t off = 0) const { return pos_ + off < in_.size() ? in_[pos_ + off] : '\0'; }
  void emit(Tok t, size_t start, std::string text) {
    out_.push_back(Token{t, std::move(text), static_cast<int>(start), static_cast<int>(pos_)});
  }
  bool fail(size_t at, std::string msg) {
    pos_ = std::max(pos_, at);
    out_.push_back(Token{Tok::kError, std::move(msg), static_cast<int>(at), static_cast<int>(at)});
    return false;
  }
  bool op(Tok t, size_t len) {
    size_t start = pos_;
    pos_ += len;
    emit(t, start, std::string(in_.substr(start, len)));
    return true;
  }

  bool next() {
    char c = peek();
    size_t start = pos_;
    switch (c) {
      case '(':
        return op(Tok::kLeftParen, 1);
      case ')':
        return op(Tok::kRightParen, 1);
      case '{':
        ++brace_depth_;
        return op(Tok::kLeftBrace, 1);
      case '}':
        --brace_depth_;
        return op(Tok::kRightBrace, 1);
      case '[':
        ++bracket_depth_;
        return op(Tok::kLeftBracket, 1);
      case ']':
        --bracket_depth_;
        return op(Tok::kRightBracket, 1);
      case ',':
        return op(Tok::kComma, 1);
      case ':':
        return op(Tok::kColon, 1);
      case '+':
        return op(Tok::kAdd, 1);
      case '-':
        return op(Tok::kSub, 1);
      case '*':
        return op(Tok::kMul, 1);
      case '/':
        return op(Tok::kDiv, 1);
      case '%':
        return op(Tok::kMod, 1);
      case '^':
        return op(Tok::kPow, 1);
      case '@':
        return op(Tok::kAt, 1);
      case '=':
        if (peek(1) == '=') return op(Tok::kEqlc, 2);
        if (peek(1) == '~') return op(Tok::kEqlRegex, 2);
        return op(Tok::kAssign, 1);
      case '!':
        if (peek(1) == '=') return op(Tok::kNeq, 2);
        // `!~` only matches labels; outside braces Prometheus rejects it here.
        if (peek(1) == '~' && brace_depth_ > 0) return op(Tok::kNeqRegex, 2);
        if (pos_ + 1 >= in_.size()) return fail(start, "unexpected end of input after '!'");
        return fail(start, std::string("unexpected character after '!': '") + peek(1) + "'");
      case '<':
        if (peek(1) == '=') return op(Tok::kLte, 2);
        return op(Tok::kLss, 1);
      case '>':
        if (peek(1) == '=') return op(Tok::kGte, 2);
        return op(Tok::kGtr, 1);
      case '"':
      case '\'':
      case '`':
        return lexString(c);
      default:
        break;
    }
    if (isDigit(c) || (c == '.' && isDigit(peek(1)))) return lexNumberOrDuration();
    if (isAlpha(c) || c == ':') {
      while (isAlnum(peek()) || (peek() == ':' && bracket_depth_ == 0)) ++pos_;
      std::string word(in_.substr(start, pos_ - start));
      std::string lower;
      for (char ch : word) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      emit(lower == "inf" || lower == "nan" ? Tok::kNumber : Tok::kIdentifier, start, word);
      return true;
    }
    return fail(start, std::string("unexpected character: '") + c + "'");
  }

  bool lexNumberOrDuration() {
    size_t start = pos_;
    // A duration: one or more <digits><unit> groups.
    size_t p = pos_;
    bool any = false;
    while (p < in_.size() && isDigit(in_[p])) {
      size_t q = p;
      while (q < in_.size() && isDigit(in_[q])) ++q;
      size_t unit = 0;
      if (q + 1 < in_.size() && in_[q] == 'm' && in_[q + 1] == 's') {
        unit = 2;
      } else if (q < in_.size() &&
                 std::string_view("smhdwy").find(in_[q]) != std::string_view::npos) {
        unit = 1;
      }
      if (unit == 0) break;
      p = q + unit;
      any = true;
    }
    if (any && (p >= in_.size() || !isAlnum(in_[p]))) {
      pos_ = p;
      emit(Tok::kDuration, start, std::string(in_.substr(start, p - start)));
      return true;
    }
    // A number: hex, or decimal with optional fraction and exponent.
    if (peek() == '0' && (peek(1) == 'x' || peek(1) == 'X')) {
      pos_ += 2;
      while (std::isxdigit(static_cast<unsigned char>(peek()))) ++pos_;
    } else {
      while (isDigit(peek())) ++pos_;
      if (peek() == '.') {
        ++pos_;
        while (isDigit(peek())) ++pos_;
      }
      if ((peek() == 'e' || peek() == 'E') &&
          (isDigit(peek(1)) || ((peek(1) == '+' || peek(1) == '-') && isDigit(peek(2))))) {
        pos_ += 2;
        while (isDigit(peek())) ++pos_;
      }
    }
    if (isAlnum(peek()) || peek() == '.') {
      ++pos_;
      return fail(start, "bad number or duration syntax: \"" +
                             std::string(in_.substr(start, pos_ - start)) + "\"");
    }
    emit(Tok::kNumber, start, std::string(in_.substr(start, pos_ - start)));
    return true;
  }

  static int hexValue(char c) {
    if (isDigit(c)) return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }

  static void appendUtf8(std::string& out, uint32_t cp) {
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }

  // Go string literal rules: escapes in "..." and '...', none in `...`.
  bool lexString(char quote) {
    size_t start = pos_++;
    std::string value;
    while (true) {
      if (pos_ >= in_.size()) return fail(start, "unterminated quoted string");
      char c = in_[pos_++];
      if (c == quote) break;
      if (quote != '`' && c == '\n') return fail(start, "unterminated quoted string");
      if (quote == '`' || c != '\\') {
        value += c;
        continue;
      }
      if (pos_ >= in_.size()) return fail(start, "unterminated quoted string");
      char e = in_[pos_++];
      switch (e) {
        case 'a':
          value += '\a';
          break;
        case 'b':
          value += '\b';
          break;
        case 'f':
          value += '\f';
          break;
        case 'n':
          value += '\n';
          break;
        case 'r':
          value += '\r';
          break;
        case 't':
          value += '\t';
          break;
        case 'v':
          value += '\v';
          break;
        case '\\':
          value += '\\';
          break;
        case '"':
        case '\'':
          if (e != quote) return fail(pos_ - 2, "unknown escape sequence");
          value += e;
          break;
        case 'x':
        case 'u':
        case 'U': {
          int n = e == 'x' ? 2 : e == 'u' ? 4 : 8;
          uint32_t cp = 0;
          for (int i = 0; i < n; ++i) {
            int h = hexValue(peek());
            if (h < 0) return fail(pos_, "illegal character in escape sequence");
            cp = cp * 16 + h;
            ++pos_;
          }
          if (e == 'x') {
            value += static_cast<char>(cp);
          } else {
            appendUtf8(value, cp);
          }
          break;
        }
        default:
          if (e >= '0' && e <= '7') {
            uint32_t cp = e - '0';
            for (int i = 0; i < 2; ++i) {
              if (peek() < '0' || peek() > '7')
                return fail(pos_, "illegal character in escape sequence");
              cp = cp * 8 + (in_[pos_++] - '0');
            }
            value += static_cast<char>(cp);
            break;
          }
          return fail(pos_ - 2, "unknown escape sequence");
      }
    }
    emit(Tok::kString, start, std::move(value));
    return true;
  }

  std::string_view in_;
  size_t pos_ = 0;
  int bracket_depth_ = 0;
  int brace_depth_ = 0;
  std::vector<Token> out_;
};

}  // namespace

std::vector<Token> lex(std::string_view input) { return Lexer(input).run(); }

std::string describeToken(const Token& t) {
  switch (t.type) {
    case Tok::kEOF:
      return "end of input";
    case Tok::kError:
      return t.text;
    case Tok::kIdentifier:
      return "identifier \"" + t.text + "\"";
    case Tok::kNumber:
      return "number \"" + t.text + "\"";
    case Tok::kDuration:
      return "duration \"" + t.text + "\"";
    case Tok::kString:
      return "string";
    case Tok::kLeftParen:
      return "\"(\"";
    case Tok::kRightParen:
      return "\")\"";
    case Tok::kLeftBrace:
      return "\"{\"";
    case Tok::kRightBrace:
      return "\"}\"";
    case Tok::kLeftBracket:
      return "\"[\"";
    case Tok::kRightBracket:
      return "\"]\"";
    case Tok::kComma:
      return "\",\"";
    case Tok::kColon:
      return "\":\"";
    case Tok::kAssign:
      return "\"=\"";
    case Tok::kAt:
      return "\"@\"";
    default:
      return "<op:" + t.text + ">";
  }
}

}  // namespace strata::promql
