#include "core/promql/printer.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>

#include "core/promql/duration.h"
#include "core/promql/function_table.h"

namespace strata::promql {
namespace {

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) out += ", ";
    out += items[i];
  }
  return out;
}

// " @ <t>" and " offset <d>" of a selector or subquery, in Prometheus' order.
std::string atAndOffset(const AtModifier& at, int64_t offset_ms) {
  std::string out;
  switch (at.kind) {
    case AtKind::kTime: {
      char buf[64];
      std::snprintf(buf, sizeof buf, " @ %.3f", static_cast<double>(at.time_ms) / 1000.0);
      out += buf;
      break;
    }
    case AtKind::kStart:
      out += " @ start()";
      break;
    case AtKind::kEnd:
      out += " @ end()";
      break;
    case AtKind::kNone:
      break;
  }
  if (offset_ms > 0) out += " offset " + formatDuration(offset_ms);
  if (offset_ms < 0) out += " offset -" + formatDuration(-offset_ms);
  return out;
}

// The selector without its @/offset (a matrix selector prints those after the range).
std::string selectorBody(const VectorSelector& s) {
  std::vector<std::string> matchers;
  for (const auto& m : s.matchers) {
    if (m.name() == kMetricName && m.type() == MatchType::kEqual && m.value() == s.name) continue;
    matchers.push_back(m.toString());
  }
  if (matchers.empty()) return s.name;
  std::sort(matchers.begin(), matchers.end());
  std::string out = s.name + "{";
  for (size_t i = 0; i < matchers.size(); ++i) {
    if (i) out += ",";
    out += matchers[i];
  }
  return out + "}";
}

}  // namespace

bool aggregateHasParam(AggOp op) {
  return op == AggOp::kTopk || op == AggOp::kBottomk || op == AggOp::kCountValues ||
         op == AggOp::kQuantile;
}

std::string aggregatePrefix(const AggregateExpr& a) {
  std::string out = aggOpName(a.op);
  if (a.without) {
    out += " without (" + join(a.grouping) + ") ";
  } else if (!a.grouping.empty()) {
    out += " by (" + join(a.grouping) + ") ";
  }
  return out;
}

std::string matchingString(const BinaryExpr& b) {
  const VectorMatching& vm = b.matching;
  if (!b.has_matching || (vm.labels.empty() && !vm.on)) return "";
  std::string out = std::string(" ") + (vm.on ? "on" : "ignoring") + " (" + join(vm.labels) + ")";
  if (vm.card == Cardinality::kManyToOne || vm.card == Cardinality::kOneToMany) {
    out += std::string(" group_") + (vm.card == Cardinality::kManyToOne ? "left" : "right") + " (" +
           join(vm.include) + ")";
  }
  return out;
}

std::string subquerySuffix(const SubqueryExpr& s) {
  return "[" + formatDuration(s.range_ms) + ":" + (s.step_ms ? formatDuration(s.step_ms) : "") +
         "]" + atAndOffset(s.at, s.offset_ms);
}

std::string formatFloatG(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  char buf[64];
  auto sci = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific);
  std::string s(buf, sci.ptr);
  int exp = std::atoi(s.c_str() + s.find('e') + 1);
  // Go's shortest %g switches to the exponent form below 1e-4 and from 1e6 (precision 6).
  if (exp < -4 || exp >= 6) return s;
  auto fixed = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed);
  return std::string(buf, fixed.ptr);
}

std::string printExpr(const Node& node) {
  switch (node.kind) {
    case NodeKind::kNumber:
      return formatFloatG(static_cast<const NumberLiteral&>(node).value);
    case NodeKind::kString:
      return quoteString(static_cast<const StringLiteral&>(node).value);
    case NodeKind::kVectorSelector: {
      const auto& s = static_cast<const VectorSelector&>(node);
      return selectorBody(s) + atAndOffset(s.at, s.offset_ms);
    }
    case NodeKind::kMatrixSelector: {
      const auto& m = static_cast<const MatrixSelector&>(node);
      return selectorBody(*m.selector) + "[" + formatDuration(m.range_ms) + "]" +
             atAndOffset(m.selector->at, m.selector->offset_ms);
    }
    case NodeKind::kSubquery: {
      const auto& s = static_cast<const SubqueryExpr&>(node);
      return printExpr(*s.expr) + subquerySuffix(s);
    }
    case NodeKind::kParen:
      return "(" + printExpr(*static_cast<const ParenExpr&>(node).expr) + ")";
    case NodeKind::kUnary: {
      const auto& u = static_cast<const UnaryExpr&>(node);
      return (u.negate ? "-" : "+") + printExpr(*u.expr);
    }
    case NodeKind::kBinary: {
      const auto& b = static_cast<const BinaryExpr&>(node);
      return printExpr(*b.lhs) + " " + binOpName(b.op) + (b.return_bool ? " bool" : "") +
             matchingString(b) + " " + printExpr(*b.rhs);
    }
    case NodeKind::kAggregate: {
      const auto& a = static_cast<const AggregateExpr&>(node);
      std::string out = aggregatePrefix(a) + "(";
      if (aggregateHasParam(a.op) && a.param) out += printExpr(*a.param) + ", ";
      return out + printExpr(*a.expr) + ")";
    }
    case NodeKind::kCall: {
      const auto& c = static_cast<const Call&>(node);
      std::string out = std::string(c.func->name) + "(";
      for (size_t i = 0; i < c.args.size(); ++i) {
        if (i) out += ", ";
        out += printExpr(*c.args[i]);
      }
      return out + ")";
    }
  }
  return "";
}

}  // namespace strata::promql
