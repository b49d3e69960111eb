#include "core/promql/parser.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "core/promql/duration.h"
#include "core/promql/function_table.h"
#include "core/promql/lexer.h"

namespace strata::promql {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

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

struct OpInfo {
  BinOp op;
  int prec;
};

std::optional<OpInfo> binaryOp(const Token& t) {
  switch (t.type) {
    case Tok::kPow:
      return OpInfo{BinOp::kPow, 6};
    case Tok::kMul:
      return OpInfo{BinOp::kMul, 5};
    case Tok::kDiv:
      return OpInfo{BinOp::kDiv, 5};
    case Tok::kMod:
      return OpInfo{BinOp::kMod, 5};
    case Tok::kAdd:
      return OpInfo{BinOp::kAdd, 4};
    case Tok::kSub:
      return OpInfo{BinOp::kSub, 4};
    case Tok::kEqlc:
      return OpInfo{BinOp::kEql, 3};
    case Tok::kNeq:
      return OpInfo{BinOp::kNeq, 3};
    case Tok::kGtr:
      return OpInfo{BinOp::kGtr, 3};
    case Tok::kLss:
      return OpInfo{BinOp::kLss, 3};
    case Tok::kGte:
      return OpInfo{BinOp::kGte, 3};
    case Tok::kLte:
      return OpInfo{BinOp::kLte, 3};
    case Tok::kIdentifier: {
      std::string l = lower(t.text);
      if (l == "atan2") return OpInfo{BinOp::kAtan2, 5};
      if (l == "and") return OpInfo{BinOp::kAnd, 2};
      if (l == "unless") return OpInfo{BinOp::kUnless, 2};
      if (l == "or") return OpInfo{BinOp::kOr, 1};
      return std::nullopt;
    }
    default:
      return std::nullopt;
  }
}

constexpr int kUnaryPrec = 5;  // unary minus binds like `*`: only `^` binds tighter

class Parser {
 public:
  explicit Parser(std::string_view in) : in_(in), toks_(lex(in)) {}

  NodePtr parseAll() {
    if (peek().type == Tok::kEOF) fail(peek().pos, "no expression found in input");
    NodePtr e = parseExpr(0);
    if (peek().type != Tok::kEOF) unexpected(peek(), "");
    return e;
  }

  Labels parseSeries() {
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

 private:
  const Token& peek(size_t off = 0) const {
    size_t i = std::min(idx_ + off, toks_.size() - 1);
    return toks_[i];
  }
  Token next() {
    Token t = peek();
    if (t.type == Tok::kError) fail(t.pos, t.text);
    if (idx_ < toks_.size() - 1) ++idx_;
    return t;
  }
  [[noreturn]] void fail(int pos, const std::string& msg) const {
    throw QueryError(ErrorKind::kParse, formatParseError(in_, pos, msg));
  }
  [[noreturn]] void unexpected(const Token& t, const std::string& context) const {
    if (t.type == Tok::kError) fail(t.pos, t.text);
    fail(t.pos, "unexpected " + describeToken(t) + context);
  }
  Token expect(Tok type, const std::string& context) {
    if (peek().type != type) unexpected(peek(), context);
    return next();
  }
  bool isWord(const Token& t, std::string_view w) const {
    return t.type == Tok::kIdentifier && lower(t.text) == w;
  }

  NodePtr parseExpr(int min_prec) {
    NodePtr lhs = parseUnary();
    while (true) {
      auto info = binaryOp(peek());
      if (!info || info->prec < min_prec) return lhs;
      Token op_tok = next();
      auto bin = std::make_unique<BinaryExpr>();
      bin->op = info->op;
      parseBinaryModifiers(*bin);
      int next_prec = info->op == BinOp::kPow ? info->prec : info->prec + 1;
      bin->rhs = parseExpr(next_prec);
      bin->lhs = std::move(lhs);
      bin->pos = {bin->lhs->pos.start, bin->rhs->pos.end};
      checkBinary(*bin, op_tok);
      lhs = std::move(bin);
    }
  }

  void parseBinaryModifiers(BinaryExpr& b) {
    if (isWord(peek(), "bool")) {
      next();
      b.return_bool = true;
    }
    if (isWord(peek(), "on") || isWord(peek(), "ignoring")) {
      b.has_matching = true;
      b.matching.on = isWord(next(), "on");
      b.matching.labels = parseLabelList();
      if (isWord(peek(), "group_left") || isWord(peek(), "group_right")) {
        b.matching.card =
            isWord(next(), "group_left") ? Cardinality::kManyToOne : Cardinality::kOneToMany;
        if (peek().type == Tok::kLeftParen) b.matching.include = parseLabelList();
      }
    }
  }

  std::vector<std::string> parseLabelList() {
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

  void checkBinary(BinaryExpr& b, const Token& op_tok) {
    ValueType lt = typeOf(*b.lhs), rt = typeOf(*b.rhs);
    auto ok = [](ValueType t) { return t == ValueType::kScalar || t == ValueType::kVector; };
    if (!ok(lt) || !ok(rt)) {
      fail(b.pos.start, "binary expression must contain only scalar and instant vector types");
    }
    if (b.return_bool && !isComparison(b.op)) {
      fail(op_tok.pos, "bool modifier can only be used on comparison operators");
    }
    if (isComparison(b.op) && !b.return_bool && lt == ValueType::kScalar &&
        rt == ValueType::kScalar) {
      fail(op_tok.pos, "comparisons between scalars must use BOOL modifier");
    }
    bool both_vectors = lt == ValueType::kVector && rt == ValueType::kVector;
    if (isSetOp(b.op)) {
      if (!both_vectors) {
        fail(b.pos.start, std::string("set operator \"") + binOpName(b.op) +
                              "\" not allowed in binary scalar expression");
      }
      if (b.matching.card == Cardinality::kOneToMany ||
          b.matching.card == Cardinality::kManyToOne) {
        fail(op_tok.pos,
             std::string("no grouping allowed for \"") + binOpName(b.op) + "\" operation");
      }
      b.matching.card = Cardinality::kManyToMany;
    }
    if (b.has_matching && !both_vectors) {
      fail(b.pos.start, "vector matching only allowed between instant vectors");
    }
    if (both_vectors) b.has_matching = true;
    if (b.matching.on) {
      for (const auto& l : b.matching.include) {
        if (std::find(b.matching.labels.begin(), b.matching.labels.end(), l) !=
            b.matching.labels.end()) {
          fail(op_tok.pos, "label \"" + l + "\" must not occur in ON and GROUP clause at once");
        }
      }
    }
  }

  NodePtr parseUnary() {
    if (peek().type == Tok::kSub || peek().type == Tok::kAdd) {
      Token op = next();
      NodePtr operand = parseExpr(kUnaryPrec + 1);
      if (operand->kind == NodeKind::kNumber) {
        auto* num = static_cast<NumberLiteral*>(operand.get());
        if (op.type == Tok::kSub) num->value = -num->value;
        num->pos.start = op.pos;
        return operand;
      }
      ValueType t = typeOf(*operand);
      if (t != ValueType::kScalar && t != ValueType::kVector) {
        fail(op.pos, std::string("unary expression only allowed on expressions of type scalar or "
                                 "instant vector, got \"") +
                         valueTypeName(t) + "\"");
      }
      auto u = std::make_unique<UnaryExpr>();
      u->negate = op.type == Tok::kSub;
      u->pos = {op.pos, operand->pos.end};
      u->expr = std::move(operand);
      return u;
    }
    return parsePostfix(parsePrimary());
  }

  NodePtr parsePrimary() {
    const Token& t = peek();
    switch (t.type) {
      case Tok::kNumber: {
        Token n = next();
        auto lit = std::make_unique<NumberLiteral>();
        lit->value = parseNumber(n.text);
        lit->pos = {n.pos, n.end};
        return lit;
      }
      case Tok::kString: {
        Token s = next();
        auto lit = std::make_unique<StringLiteral>();
        lit->value = s.text;
        lit->pos = {s.pos, s.end};
        return lit;
      }
      case Tok::kLeftParen: {
        Token open = next();
        auto p = std::make_unique<ParenExpr>();
        p->expr = parseExpr(0);
        Token close = expect(Tok::kRightParen, " in paren expression, expected \")\"");
        p->pos = {open.pos, close.end};
        return p;
      }
      case Tok::kLeftBrace:
        return parseSelector(std::nullopt);
      case Tok::kIdentifier: {
        if (auto agg = aggregator(t.text)) {
          const Token& after = peek(1);
          if (after.type == Tok::kLeftParen || isWord(after, "by") || isWord(after, "without")) {
            return parseAggregate(*agg);
          }
        }
        if (peek(1).type == Tok::kLeftParen) return parseCall();
        Token name = next();
        return parseSelector(name);
      }
      default:
        unexpected(t, "");
    }
  }

  NodePtr parseCall() {
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

  void checkCall(const Call& c, const Token& name) {
    const FunctionDef& f = *c.func;
    int nargs = static_cast<int>(c.args.size());
    int expected = static_cast<int>(f.arg_types.size());
    std::string quoted = "\"" + std::string(f.name) + "\"";
    if (f.variadic == 0) {
      if (nargs != expected) {
        fail(name.pos, "expected " + std::to_string(expected) + " argument(s) in call to " +
                           quoted + ", got " + std::to_string(nargs));
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

  NodePtr parseAggregate(AggOp op) {
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
      fail(agg->pos.start,
           "wrong number of arguments for aggregate expression provided, expected " +
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

  NodePtr parseSelector(std::optional<Token> name) {
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

  int64_t parseDurationToken(const std::string& context) {
    Token d = next();
    if (d.type != Tok::kDuration && !(d.type == Tok::kNumber && d.text == "0")) {
      unexpected(d, context);
    }
    auto ms = parseDuration(d.text);
    if (!ms) fail(d.pos, "not a valid duration string: \"" + d.text + "\"");
    return *ms;
  }

  NodePtr parsePostfix(NodePtr e) {
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

  void setOffset(Node& n, int64_t off, int pos) {
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

  void setAt(Node& n, AtModifier mod, int pos) {
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

  NodePtr parseRange(NodePtr e) {
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

  std::string_view in_;
  std::vector<Token> toks_;
  size_t idx_ = 0;
};

}  // namespace

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

NodePtr parseExpr(std::string_view query) { return Parser(query).parseAll(); }

Labels parseSeriesDescription(std::string_view text) { return Parser(text).parseSeries(); }

}  // namespace strata::promql
