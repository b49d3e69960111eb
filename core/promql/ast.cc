#include "core/promql/ast.h"

#include "core/promql/function_table.h"

namespace strata::promql {

bool isComparison(BinOp op) { return op >= BinOp::kEql && op <= BinOp::kLte; }
bool isSetOp(BinOp op) { return op >= BinOp::kAnd; }

const char* binOpName(BinOp op) {
  static const char* names[] = {"+",  "-", "*", "/",  "%",  "^",   "atan2", "==",
                                "!=", ">", "<", ">=", "<=", "and", "or",    "unless"};
  return names[static_cast<int>(op)];
}

const char* aggOpName(AggOp op) {
  static const char* names[] = {"sum",    "avg",    "count", "min",     "max",          "group",
                                "stddev", "stdvar", "topk",  "bottomk", "count_values", "quantile"};
  return names[static_cast<int>(op)];
}

const Node& unwrapParens(const Node& n) {
  const Node* p = &n;
  while (p->kind == NodeKind::kParen) p = static_cast<const ParenExpr*>(p)->expr.get();
  return *p;
}

ValueType typeOf(const Node& n) {
  switch (n.kind) {
    case NodeKind::kNumber:
      return ValueType::kScalar;
    case NodeKind::kString:
      return ValueType::kString;
    case NodeKind::kVectorSelector:
      return ValueType::kVector;
    case NodeKind::kMatrixSelector:
    case NodeKind::kSubquery:
      return ValueType::kMatrix;
    case NodeKind::kParen:
      return typeOf(*static_cast<const ParenExpr&>(n).expr);
    case NodeKind::kUnary:
      return typeOf(*static_cast<const UnaryExpr&>(n).expr);
    case NodeKind::kBinary: {
      const auto& b = static_cast<const BinaryExpr&>(n);
      return typeOf(*b.lhs) == ValueType::kScalar && typeOf(*b.rhs) == ValueType::kScalar
                 ? ValueType::kScalar
                 : ValueType::kVector;
    }
    case NodeKind::kAggregate:
      return ValueType::kVector;
    case NodeKind::kCall:
      return static_cast<const Call&>(n).func->return_type;
  }
  return ValueType::kNone;
}

}  // namespace strata::promql
