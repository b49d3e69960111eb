// Aggregation operators with by/without, evaluated step by step over precomputed groups.
#include <algorithm>
#include <cmath>
#include <optional>

#include "core/promql/evaluator.h"
#include "core/promql/quantile.h"

namespace strata::promql {
namespace {

bool validLabel(const std::string& s) {
  if (s.empty()) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (!(c == '_' || std::isalpha(static_cast<unsigned char>(c)) ||
          (i > 0 && std::isdigit(static_cast<unsigned char>(c))))) {
      return false;
    }
  }
  return true;
}

struct GroupState {
  double value = 0, mean = 0;
  double count = 0;
  std::vector<std::pair<uint32_t, double>> items;  // topk, bottomk (a heap), quantile
};

// The k kept by topk/bottomk: a binary heap with the sift-up/sift-down of Go's
// container/heap and the admission rule of Prometheus' engine, so that when values tie at
// the k-th place the same series is kept as in Prometheus (PromQL leaves the choice open,
// users comparing the two systems do not). The "least" element sits on top: the smallest
// for topk, the largest for bottomk; a NaN is always least.
class KeptHeap {
 public:
  KeptHeap(std::vector<std::pair<uint32_t, double>>& h, bool top) : h_(h), top_(top) {}
  void offer(uint32_t series, double v, size_t k) {
    if (h_.size() < k || worse(h_[0].second, v) || std::isnan(h_[0].second)) {
      if (h_.size() == k) {
        if (k == 1) {
          h_[0] = {series, v};
          return;
        }
        pop();
      }
      h_.emplace_back(series, v);
      up(h_.size() - 1);
    }
  }

 private:
  bool worse(double kept, double v) const { return top_ ? kept < v : kept > v; }
  bool less(size_t i, size_t j) const {
    if (std::isnan(h_[i].second)) return true;
    return top_ ? h_[i].second < h_[j].second : h_[i].second > h_[j].second;
  }
  void up(size_t j) {
    while (j > 0) {
      size_t parent = (j - 1) / 2;
      if (!less(j, parent)) break;
      std::swap(h_[parent], h_[j]);
      j = parent;
    }
  }
  void down(size_t i, size_t n) {
    for (;;) {
      size_t j = 2 * i + 1;
      if (j >= n) break;
      if (j + 1 < n && less(j + 1, j)) ++j;
      if (!less(j, i)) break;
      std::swap(h_[i], h_[j]);
      i = j;
    }
  }
  void pop() {
    size_t n = h_.size() - 1;
    std::swap(h_[0], h_[n]);
    down(0, n);
    h_.pop_back();
  }
  std::vector<std::pair<uint32_t, double>>& h_;
  bool top_;
};

// k of topk/bottomk at one step; nullopt when it is below 1 (no output at that step).
std::optional<size_t> kAt(double kf) {
  if (!(kf >= -9.2e18 && kf <= 9.2e18)) {
    execError("Scalar value " + formatFloat(kf) + " overflows int64");
  }
  int64_t k = static_cast<int64_t>(kf);
  if (k < 1) return std::nullopt;
  return static_cast<size_t>(k);
}

}  // namespace

EvalValue Evaluator::evalAggregate(const AggregateExpr& a) {
  if (EvalValue fused; aggregateStreamed(a, fused)) return fused;
  EvalValue param;
  if (a.param) param = eval(*a.param);
  EvalValue in = eval(*a.expr);
  auto groupLabels = [&](const Labels& l) {
    return a.without ? l.drop(a.grouping, true) : l.keep(a.grouping);
  };
  StepCursor cursor(in.series);
  std::vector<std::pair<uint32_t, double>> samples;
  SeriesCollector out;

  if (a.op == AggOp::kCountValues) {
    const std::string& label = param.str;
    if (!validLabel(label)) execError("invalid label name \"" + label + "\"");
    std::vector<std::string> grouping = a.grouping;
    if (!a.without) grouping.push_back(label);
    std::vector<size_t> counts_idx;
    std::vector<double> counts;
    for (size_t i = 0; i < steps_; ++i) {
      int64_t ts = stepTime(i);
      cursor.at(ts, samples);
      counts_idx.clear();
      counts.clear();
      for (auto [si, v] : samples) {
        Labels l = in.series[si].metric;
        l.set(label, formatFloat(v));
        Labels g = a.without ? l.drop(grouping, true) : l.keep(grouping);
        size_t before = out.size();
        size_t idx = out.seriesFor(std::move(g));
        auto it = std::find(counts_idx.begin(), counts_idx.end(), idx);
        if (it == counts_idx.end()) {
          counts_idx.push_back(idx);
          counts.push_back(1);
        } else {
          counts[it - counts_idx.begin()] += 1;
        }
        (void)before;
      }
      for (size_t k = 0; k < counts_idx.size(); ++k) out.add(counts_idx[k], ts, counts[k]);
    }
    in.series = out.take();
    return in;
  }

  // Group of each input series, computed once.
  std::vector<Labels> group_labels;
  std::vector<uint32_t> group_of(in.series.size());
  {
    std::unordered_multimap<uint64_t, uint32_t> index;
    for (size_t i = 0; i < in.series.size(); ++i) {
      Labels g = groupLabels(in.series[i].metric);
      uint64_t h = g.hash();
      auto [lo, hi] = index.equal_range(h);
      std::optional<uint32_t> found;
      for (auto it = lo; it != hi; ++it) {
        if (group_labels[it->second] == g) found = it->second;
      }
      if (!found) {
        found = static_cast<uint32_t>(group_labels.size());
        group_labels.push_back(std::move(g));
        index.emplace(h, *found);
      }
      group_of[i] = *found;
    }
  }
  // Series by series when the accumulators (one per group and step) stay small beside the
  // input; a group per series would double the memory the input takes.
  size_t points = 0;
  for (const auto& s : in.series) points += s.points.size();
  if (aggregatesBySeries(a.op) &&
      group_labels.size() * steps_ <= std::max<size_t>(points / 4, size_t{1} << 16)) {
    in.series = aggregateBySeries(a.op, in.series, group_labels, group_of);
    return in;
  }
  std::vector<GroupState> state(group_labels.size());
  std::vector<int> touched_at(group_labels.size(), -1);
  std::vector<uint32_t> touched;
  std::vector<std::optional<size_t>> out_idx(group_labels.size());
  std::vector<std::optional<size_t>> series_out(
      (a.op == AggOp::kTopk || a.op == AggOp::kBottomk) ? in.series.size() : 0);

  bool keeps_k = a.op == AggOp::kTopk || a.op == AggOp::kBottomk;
  for (size_t i = 0; i < steps_; ++i) {
    int64_t ts = stepTime(i);
    cursor.at(ts, samples);
    if (samples.empty()) continue;
    std::optional<size_t> k;
    if (keeps_k) {
      k = kAt(param.scalar[i]);
      if (!k) continue;
    }
    touched.clear();
    for (auto [si, v] : samples) {
      uint32_t g = group_of[si];
      GroupState& st = state[g];
      if (touched_at[g] != static_cast<int>(i)) {
        touched_at[g] = static_cast<int>(i);
        touched.push_back(g);
        st.count = 1;
        st.value = v;
        st.mean = v;
        st.items.clear();
        if (a.op == AggOp::kStddev || a.op == AggOp::kStdvar) st.value = 0;
        if (a.op == AggOp::kTopk || a.op == AggOp::kBottomk || a.op == AggOp::kQuantile) {
          st.items.emplace_back(si, v);
        }
        continue;
      }
      switch (a.op) {
        case AggOp::kSum:
          st.value += v;
          break;
        case AggOp::kAvg:
          st.count += 1;
          if (std::isinf(st.mean)) {
            if (std::isinf(v) && (st.mean > 0) == (v > 0)) break;
            if (!std::isinf(v) && !std::isnan(v)) break;
          }
          st.mean += v / st.count - st.mean / st.count;
          break;
        case AggOp::kGroup:
          break;
        case AggOp::kCount:
          st.count += 1;
          break;
        case AggOp::kMax:
          if (st.value < v || std::isnan(st.value)) st.value = v;
          break;
        case AggOp::kMin:
          if (st.value > v || std::isnan(st.value)) st.value = v;
          break;
        case AggOp::kStddev:
        case AggOp::kStdvar: {
          st.count += 1;
          double delta = v - st.mean;
          st.mean += delta / st.count;
          st.value += delta * (v - st.mean);
          break;
        }
        case AggOp::kTopk:
        case AggOp::kBottomk:
          KeptHeap(st.items, a.op == AggOp::kTopk).offer(si, v, *k);
          break;
        case AggOp::kQuantile:
          st.items.emplace_back(si, v);
          break;
        case AggOp::kCountValues:
          break;
      }
    }
    for (uint32_t g : touched) {
      GroupState& st = state[g];
      if (keeps_k) {
        bool top = a.op == AggOp::kTopk;
        std::stable_sort(st.items.begin(), st.items.end(), [top](const auto& x, const auto& y) {
          if (std::isnan(x.second)) return false;
          if (std::isnan(y.second)) return true;
          return top ? x.second > y.second : x.second < y.second;
        });
        for (const auto& [si, value] : st.items) {
          if (!series_out[si]) series_out[si] = out.seriesFor(in.series[si].metric);
          out.add(*series_out[si], ts, value);
        }
        continue;
      }
      double v = 0;
      switch (a.op) {
        case AggOp::kSum:
        case AggOp::kMax:
        case AggOp::kMin:
          v = st.value;
          break;
        case AggOp::kAvg:
          v = st.mean;
          break;
        case AggOp::kGroup:
          v = 1;
          break;
        case AggOp::kCount:
          v = st.count;
          break;
        case AggOp::kStdvar:
          v = st.value / st.count;
          break;
        case AggOp::kStddev:
          v = std::sqrt(st.value / st.count);
          break;
        case AggOp::kQuantile: {
          std::vector<double> vals;
          vals.reserve(st.items.size());
          for (auto& it : st.items) vals.push_back(it.second);
          v = quantile(param.scalar[i], vals);
          break;
        }
        default:
          break;
      }
      if (!out_idx[g]) out_idx[g] = out.seriesFor(group_labels[g]);
      out.add(*out_idx[g], ts, v);
    }
  }
  in.series = out.take();
  return in;
}

}  // namespace strata::promql
