// Binary operators by precedence, their modifiers and type checks; unary operators; primaries.
#include <string>

#include "core/promql/parser.h"
#include "core/promql/parser_internal.h"

namespace strata::promql::parser_internal {
namespace {

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

}  // namespace

NodePtr Parser::parseExpr(int min_prec) {
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

void Parser::parseBinaryModifiers(BinaryExpr& b) {
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

void Parser::checkBinary(BinaryExpr& b, const Token& op_tok) {
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
    if (b.matching.card == Cardinality::kOneToMany || b.matching.card == Cardinality::kManyToOne) {
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

NodePtr Parser::parseUnary() {
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

NodePtr Parser::parsePrimary() {
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

}  // namespace strata::promql::parser_internal
