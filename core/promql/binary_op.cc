// Binary operators: arithmetic, comparison (filter or bool), set operators, and vector
// matching (on/ignoring, group_left/group_right), as Prometheus 2.42 evaluates them.
#include <cmath>
#include <exception>
#include <future>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

#include "core/promql/evaluator.h"

namespace strata::promql {
namespace {

// Returns the value and whether to keep the sample (comparisons filter).
inline std::pair<double, bool> elemOp(BinOp op, double l, double r) {
  switch (op) {
    case BinOp::kAdd:
      return {l + r, true};
    case BinOp::kSub:
      return {l - r, true};
    case BinOp::kMul:
      return {l * r, true};
    case BinOp::kDiv:
      return {l / r, true};
    case BinOp::kPow:
      return {std::pow(l, r), true};
    case BinOp::kMod:
      return {std::fmod(l, r), true};
    case BinOp::kAtan2:
      return {std::atan2(l, r), true};
    case BinOp::kEql:
      return {l, l == r};
    case BinOp::kNeq:
      return {l, l != r};
    case BinOp::kGtr:
      return {l, l > r};
    case BinOp::kLss:
      return {l, l < r};
    case BinOp::kGte:
      return {l, l >= r};
    case BinOp::kLte:
      return {l, l <= r};
    default:
      break;
  }
  execError("operator not allowed here");
}

bool dropsName(BinOp op) {
  switch (op) {
    case BinOp::kAdd:
    case BinOp::kSub:
    case BinOp::kMul:
    case BinOp::kDiv:
    case BinOp::kPow:
    case BinOp::kMod:
      return true;
    default:
      return false;
  }
}

using StepSamples = std::vector<std::pair<uint32_t, double>>;

// Whether evaluating n reads series from storage.
bool selectsSeries(const Node& n) {
  switch (n.kind) {
    case NodeKind::kVectorSelector:
    case NodeKind::kMatrixSelector:
      return true;
    case NodeKind::kSubquery:
      return selectsSeries(*static_cast<const SubqueryExpr&>(n).expr);
    case NodeKind::kParen:
      return selectsSeries(*static_cast<const ParenExpr&>(n).expr);
    case NodeKind::kUnary:
      return selectsSeries(*static_cast<const UnaryExpr&>(n).expr);
    case NodeKind::kBinary: {
      const auto& b = static_cast<const BinaryExpr&>(n);
      return selectsSeries(*b.lhs) || selectsSeries(*b.rhs);
    }
    case NodeKind::kAggregate:
      return selectsSeries(*static_cast<const AggregateExpr&>(n).expr);
    case NodeKind::kCall:
      for (const auto& a : static_cast<const Call&>(n).args) {
        if (selectsSeries(*a)) return true;
      }
      return false;
    default:
      return false;
  }
}

}  // namespace

// When both sides read storage they are evaluated at once, the left one on a thread of its
// own: a query such as sum(rate(a[5m])) / sum(rate(b[5m])) then uses two cores. Errors are
// reported as the sequential evaluation would: the left side's first.
std::pair<EvalValue, EvalValue> Evaluator::evalOperands(const BinaryExpr& b) {
  if (!selectsSeries(*b.lhs) || !selectsSeries(*b.rhs)) {
    EvalValue lhs = eval(*b.lhs);
    return {std::move(lhs), eval(*b.rhs)};
  }
  auto left = std::async(std::launch::async, [&] {
    Evaluator other(storage_, opts_, state_, start_, end_, interval_);
    return other.eval(*b.lhs);
  });
  EvalValue rhs;
  std::exception_ptr rhs_error;
  try {
    rhs = eval(*b.rhs);
  } catch (...) {
    rhs_error = std::current_exception();
  }
  EvalValue lhs = left.get();  // rethrows the left side's error
  if (rhs_error) std::rethrow_exception(rhs_error);
  return {std::move(lhs), std::move(rhs)};
}

EvalValue Evaluator::evalBinary(const BinaryExpr& b) {
  EvalValue lhs, rhs;  // locals, so that returning one moves it
  std::tie(lhs, rhs) = evalOperands(b);
  bool comparison = isComparison(b.op);

  if (lhs.type == ValueType::kScalar && rhs.type == ValueType::kScalar) {
    for (size_t i = 0; i < steps_; ++i) {
      auto [v, keep] = elemOp(b.op, lhs.scalar[i], rhs.scalar[i]);
      lhs.scalar[i] = comparison ? (keep ? 1.0 : 0.0) : v;
    }
    return lhs;
  }

  if (lhs.type == ValueType::kScalar || rhs.type == ValueType::kScalar) {
    bool swap = lhs.type == ValueType::kScalar;
    EvalValue& vec = swap ? rhs : lhs;
    const std::vector<double>& sc = swap ? lhs.scalar : rhs.scalar;
    bool drop = dropsName(b.op) || b.return_bool;
    SeriesCollector out;
    for (auto& s : vec.series) {
      std::optional<size_t> idx;
      for (const auto& p : s.points) {
        double l = p.v, r = sc[stepIndex(p.t)];
        if (swap) std::swap(l, r);
        auto [v, keep] = elemOp(b.op, l, r);
        if (comparison && swap) v = r;  // the vector's value is kept, wherever it stands
        if (b.return_bool) {
          v = keep ? 1.0 : 0.0;
          keep = true;
        }
        if (!keep) continue;
        if (!idx) idx = out.seriesFor(drop ? s.metric.withoutName() : s.metric);
        out.add(*idx, p.t, v);
      }
    }
    vec.series = out.take();
    return std::move(vec);
  }

  const VectorMatching& m = b.matching;
  auto sigs = [&](const Matrix& mat) {
    std::vector<uint64_t> out(mat.size());
    for (size_t i = 0; i < mat.size(); ++i) out[i] = mat[i].metric.hashFor(m.labels, m.on);
    return out;
  };
  StepCursor lc(lhs.series), rc(rhs.series);
  StepSamples ls, rs;
  SeriesCollector out;

  if (isSetOp(b.op)) {
    std::vector<uint64_t> lsig = sigs(lhs.series), rsig = sigs(rhs.series);
    std::vector<std::optional<size_t>> lidx(lhs.series.size()), ridx(rhs.series.size());
    std::unordered_set<uint64_t> seen;
    for (size_t i = 0; i < steps_; ++i) {
      int64_t ts = stepTime(i);
      lc.at(ts, ls);
      rc.at(ts, rs);
      seen.clear();
      auto emitL = [&](uint32_t li, double v) {
        if (!lidx[li]) lidx[li] = out.seriesFor(lhs.series[li].metric);
        out.add(*lidx[li], ts, v);
      };
      if (b.op == BinOp::kOr) {
        for (auto [li, v] : ls) {
          seen.insert(lsig[li]);
          emitL(li, v);
        }
        for (auto [ri, v] : rs) {
          if (seen.count(rsig[ri])) continue;
          if (!ridx[ri]) ridx[ri] = out.seriesFor(rhs.series[ri].metric);
          out.add(*ridx[ri], ts, v);
        }
        continue;
      }
      for (auto [ri, v] : rs) seen.insert(rsig[ri]);
      bool want = b.op == BinOp::kAnd;
      for (auto [li, v] : ls) {
        if ((seen.count(lsig[li]) > 0) == want) emitL(li, v);
      }
    }
    lhs.series = out.take();
    return lhs;
  }

  // One-to-one and many-to-one; one-to-many swaps the sides and swaps back for the values.
  bool swapped = m.card == Cardinality::kOneToMany;
  const Matrix& many = swapped ? rhs.series : lhs.series;
  const Matrix& one = swapped ? lhs.series : rhs.series;
  StepCursor& many_c = swapped ? rc : lc;
  StepCursor& one_c = swapped ? lc : rc;
  std::vector<uint64_t> many_sig = sigs(many), one_sig = sigs(one);
  std::unordered_map<uint64_t, std::pair<uint32_t, double>> right;
  std::unordered_map<uint64_t, std::unordered_set<uint64_t>> matched;
  std::unordered_map<uint64_t, std::pair<size_t, uint64_t>> pair_cache;  // -> (idx, hash)
  for (size_t i = 0; i < steps_; ++i) {
    int64_t ts = stepTime(i);
    many_c.at(ts, ls);
    one_c.at(ts, rs);
    if (ls.empty() || rs.empty()) continue;
    right.clear();
    matched.clear();
    for (auto [ri, v] : rs) {
      auto [it, inserted] = right.emplace(one_sig[ri], std::make_pair(ri, v));
      if (!inserted) {
        const Labels& a = one[ri].metric;
        const Labels& c = one[it->second.first].metric;
        Labels ml = m.on ? a.keep(m.labels) : a.drop(m.labels, true);
        execError("found duplicate series for the match group " + ml.toString() + " on the " +
                  (swapped ? "left" : "right") + " hand-side of the operation: [" + a.toString() +
                  ", " + c.toString() +
                  "];many-to-many matching not allowed: matching labels must be unique on one "
                  "side");
      }
    }
    for (auto [li, lv] : ls) {
      auto it = right.find(many_sig[li]);
      if (it == right.end()) continue;
      auto [ri, rv] = it->second;
      double vl = lv, vr = rv;
      if (swapped) std::swap(vl, vr);
      auto [v, keep] = elemOp(b.op, vl, vr);
      if (b.return_bool) {
        v = keep ? 1.0 : 0.0;
      } else if (!keep) {
        continue;
      }
      uint64_t key = static_cast<uint64_t>(li) * (one.size() + 1) + ri;
      auto pc = pair_cache.find(key);
      if (pc == pair_cache.end()) {
        Labels res = many[li].metric;
        if (dropsName(b.op) || b.return_bool) res.erase(kMetricName);
        if (m.card == Cardinality::kOneToOne) {
          res = m.on ? res.keep(m.labels) : res.drop(m.labels, false);
        }
        for (const auto& name : m.include) res.set(name, one[ri].metric.get(name));
        uint64_t h = res.hash();
        pc = pair_cache.emplace(key, std::make_pair(out.seriesFor(std::move(res)), h)).first;
      }
      auto& ins = matched[many_sig[li]];
      if (m.card == Cardinality::kOneToOne) {
        if (!ins.empty()) {
          execError(
              "multiple matches for labels: many-to-one matching must be explicit "
              "(group_left/group_right)");
        }
        ins.insert(0);
      } else if (!ins.insert(pc->second.second).second) {
        execError("multiple matches for labels: grouping labels must ensure unique matches");
      }
      out.add(pc->second.first, ts, v);
    }
  }
  lhs.series = out.take();
  return lhs;
}

}  // namespace strata::promql
