// Mirrors the rules of Prometheus' promql/parser/prettier.go, quirks included:
// - a node's line is prefixed with its level's indent unless it is a subquery that fits on one
//   line (Prometheus returns that one unindented);
// - a unary expression prints its operand at its own level, trims the operand's surrounding
//   whitespace and puts the indent before the operator;
// - a split subquery prints its inner expression at the subquery's level, then the
//   "[range:step]" suffix on the inner expression's last line.
#include "core/promql/prettier.h"

#include <optional>

#include "core/promql/function_table.h"
#include "core/promql/printer.h"

namespace strata::promql {
namespace {

class Prettier {
 public:
  explicit Prettier(size_t max_line) : max_line_(max_line) {}

  std::string pretty(const Node& node, int level) const {
    switch (node.kind) {
      case NodeKind::kAggregate:
        return aggregate(static_cast<const AggregateExpr&>(node), level);
      case NodeKind::kBinary:
        return binary(static_cast<const BinaryExpr&>(node), level);
      case NodeKind::kCall:
        return call(static_cast<const Call&>(node), level);
      case NodeKind::kParen:
        return paren(static_cast<const ParenExpr&>(node), level);
      case NodeKind::kSubquery:
        return subquery(static_cast<const SubqueryExpr&>(node), level);
      case NodeKind::kUnary:
        return unary(static_cast<const UnaryExpr&>(node), level);
      case NodeKind::kNumber:
      case NodeKind::kString:
      case NodeKind::kVectorSelector:
      case NodeKind::kMatrixSelector:
        return indent(level) + printExpr(node);
    }
    return "";
  }

 private:
  static std::string indent(int level) { return std::string(2 * static_cast<size_t>(level), ' '); }

  // The one-line form, or nothing when the node must be split (Prometheus' needsSplit).
  std::optional<std::string> fitting(const Node& node) const {
    std::string line = printExpr(node);
    if (line.size() > max_line_) return std::nullopt;
    return line;
  }

  std::string aggregate(const AggregateExpr& a, int level) const {
    auto line = fitting(a);
    if (line) return indent(level) + *line;
    std::string out = indent(level) + aggregatePrefix(a) + "(\n";
    if (aggregateHasParam(a.op) && a.param) out += pretty(*a.param, level + 1) + ",\n";
    return out + pretty(*a.expr, level + 1) + "\n" + indent(level) + ")";
  }

  std::string binary(const BinaryExpr& b, int level) const {
    auto line = fitting(b);
    if (line) return indent(level) + *line;
    return pretty(*b.lhs, level + 1) + "\n" + indent(level) + binOpName(b.op) +
           (b.return_bool ? " bool" : "") + matchingString(b) + "\n" + pretty(*b.rhs, level + 1);
  }

  std::string call(const Call& c, int level) const {
    auto line = fitting(c);
    if (line) return indent(level) + *line;
    std::string out = indent(level) + std::string(c.func->name) + "(\n";
    for (size_t i = 0; i < c.args.size(); ++i) {
      if (i) out += ",\n";
      out += pretty(*c.args[i], level + 1);
    }
    return out + "\n" + indent(level) + ")";
  }

  std::string paren(const ParenExpr& p, int level) const {
    auto line = fitting(p);
    if (line) return indent(level) + *line;
    return indent(level) + "(\n" + pretty(*p.expr, level + 1) + "\n" + indent(level) + ")";
  }

  std::string subquery(const SubqueryExpr& s, int level) const {
    auto line = fitting(s);
    if (line) return *line;
    return pretty(*s.expr, level) + subquerySuffix(s);
  }

  std::string unary(const UnaryExpr& u, int level) const {
    std::string child = pretty(*u.expr, level);
    // Go's strings.TrimSpace; the text holds no non-ASCII space (printExpr quotes those).
    const char* space = " \t\n\v\f\r";
    size_t first = child.find_first_not_of(space);
    size_t last = child.find_last_not_of(space);
    child = first == std::string::npos ? std::string() : child.substr(first, last - first + 1);
    return indent(level) + (u.negate ? "-" : "+") + child;
  }

  size_t max_line_;
};

}  // namespace

std::string prettyExpr(const Node& node, size_t max_line) {
  return Prettier(max_line).pretty(node, 0);
}

}  // namespace strata::promql
