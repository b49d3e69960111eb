// The PromQL syntax tree. Positions are byte offsets into the query text.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/promql/matcher.h"
#include "core/promql/value.h"

namespace strata::promql {

struct PosRange {
  int start = 0;
  int end = 0;
};

enum class NodeKind {
  kNumber,
  kString,
  kVectorSelector,
  kMatrixSelector,
  kSubquery,
  kParen,
  kUnary,
  kBinary,
  kAggregate,
  kCall
};

enum class BinOp {
  kAdd,
  kSub,
  kMul,
  kDiv,
  kMod,
  kPow,
  kAtan2,
  kEql,
  kNeq,
  kGtr,
  kLss,
  kGte,
  kLte,
  kAnd,
  kOr,
  kUnless
};
bool isComparison(BinOp op);
bool isSetOp(BinOp op);
const char* binOpName(BinOp op);

enum class AggOp {
  kSum,
  kAvg,
  kCount,
  kMin,
  kMax,
  kGroup,
  kStddev,
  kStdvar,
  kTopk,
  kBottomk,
  kCountValues,
  kQuantile
};
const char* aggOpName(AggOp op);

struct Node {
  explicit Node(NodeKind k) : kind(k) {}
  virtual ~Node() = default;
  NodeKind kind;
  PosRange pos;
};
using NodePtr = std::unique_ptr<Node>;

struct NumberLiteral : Node {
  NumberLiteral() : Node(NodeKind::kNumber) {}
  double value = 0;
};

struct StringLiteral : Node {
  StringLiteral() : Node(NodeKind::kString) {}
  std::string value;
};

// `@` of a selector or subquery: a fixed time, or the query's start()/end().
enum class AtKind { kNone, kTime, kStart, kEnd };
struct AtModifier {
  AtKind kind = AtKind::kNone;
  int64_t time_ms = 0;
};

struct VectorSelector : Node {
  VectorSelector() : Node(NodeKind::kVectorSelector) {}
  std::string name;
  std::vector<Matcher> matchers;  // includes __name__="name" when a name was given
  int64_t offset_ms = 0;
  bool offset_set = false;
  AtModifier at;
};

struct MatrixSelector : Node {
  MatrixSelector() : Node(NodeKind::kMatrixSelector) {}
  std::unique_ptr<VectorSelector> selector;
  int64_t range_ms = 0;
};

struct SubqueryExpr : Node {
  SubqueryExpr() : Node(NodeKind::kSubquery) {}
  NodePtr expr;
  int64_t range_ms = 0;
  int64_t step_ms = 0;  // 0: the engine's default subquery step
  int64_t offset_ms = 0;
  bool offset_set = false;
  AtModifier at;
};

struct ParenExpr : Node {
  ParenExpr() : Node(NodeKind::kParen) {}
  NodePtr expr;
};

struct UnaryExpr : Node {
  UnaryExpr() : Node(NodeKind::kUnary) {}
  bool negate = true;
  NodePtr expr;
};

enum class Cardinality { kOneToOne, kManyToOne, kOneToMany, kManyToMany };
struct VectorMatching {
  Cardinality card = Cardinality::kOneToOne;
  bool on = false;
  std::vector<std::string> labels;   // on(...) / ignoring(...)
  std::vector<std::string> include;  // group_left(...) / group_right(...)
};

struct BinaryExpr : Node {
  BinaryExpr() : Node(NodeKind::kBinary) {}
  BinOp op = BinOp::kAdd;
  NodePtr lhs, rhs;
  bool return_bool = false;
  bool has_matching = false;  // set when both sides are vectors
  VectorMatching matching;
};

struct AggregateExpr : Node {
  AggregateExpr() : Node(NodeKind::kAggregate) {}
  AggOp op = AggOp::kSum;
  NodePtr expr;
  NodePtr param;
  std::vector<std::string> grouping;
  bool without = false;
};

struct FunctionDef;
struct Call : Node {
  Call() : Node(NodeKind::kCall) {}
  const FunctionDef* func = nullptr;
  std::vector<NodePtr> args;
};

ValueType typeOf(const Node& n);
// Strips parentheses, as Prometheus' unwrapParenExpr.
const Node& unwrapParens(const Node& n);

}  // namespace strata::promql
