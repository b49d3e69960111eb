// histogram_quantile over classic (le-labelled) bucket series.
#include <cstdlib>
#include <optional>
#include <unordered_map>

#include "core/promql/evaluator.h"
#include "core/promql/quantile.h"

namespace strata::promql {

EvalValue Evaluator::histogramQuantile(const EvalValue& q, EvalValue& in) {
  // Group the bucket series by their labels without `le` (the name still separates them).
  struct Group {
    Labels out;
    std::vector<std::pair<double, uint32_t>> buckets;  // (upper bound, series index)
  };
  std::vector<Group> groups;
  std::unordered_multimap<uint64_t, size_t> index;
  const std::vector<std::string> le = {"le"};
  for (size_t i = 0; i < in.series.size(); ++i) {
    const Labels& l = in.series[i].metric;
    std::string lev(l.get("le"));
    if (lev.empty()) continue;
    char* end = nullptr;
    double ub = std::strtod(lev.c_str(), &end);
    if (end != lev.c_str() + lev.size()) continue;
    Labels key = l.drop(le, false);
    uint64_t h = key.hash();
    auto [lo, hi] = index.equal_range(h);
    size_t g = groups.size();
    for (auto it = lo; it != hi; ++it) {
      if (groups[it->second].out == key) g = it->second;
    }
    if (g == groups.size()) {
      groups.push_back(Group{key, {}});
      index.emplace(h, g);
    }
    groups[g].buckets.emplace_back(ub, static_cast<uint32_t>(i));
  }
  SeriesCollector col;
  std::vector<size_t> cursor(in.series.size(), 0);
  std::vector<Bucket> buckets;
  for (auto& g : groups) {
    std::optional<size_t> idx;
    for (size_t i = 0; i < steps_; ++i) {
      int64_t ts = stepTime(i);
      buckets.clear();
      for (auto [ub, si] : g.buckets) {
        const auto& pts = in.series[si].points;
        size_t& p = cursor[si];
        while (p < pts.size() && pts[p].t < ts) ++p;
        if (p < pts.size() && pts[p].t == ts) buckets.push_back(Bucket{ub, pts[p].v});
      }
      if (buckets.empty()) continue;
      double v = bucketQuantile(q.scalar[i], buckets);
      if (!idx) idx = col.seriesFor(g.out.withoutName());
      col.add(*idx, ts, v);
    }
  }
  EvalValue out{ValueType::kVector, col.take(), {}, {}};
  return out;
}

}  // namespace strata::promql
