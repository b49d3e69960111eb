#include "core/promql/memory_storage.h"

#include <algorithm>
#include <set>

namespace strata::promql {
namespace {

class VectorSeriesSet : public SeriesSet {
 public:
  struct Item {
    Labels labels;
    std::vector<Point> points;
  };
  explicit VectorSeriesSet(std::vector<Item> items) : items_(std::move(items)) {}

  bool next() override {
    if (started_) ++cur_;
    started_ = true;
    pos_ = 0;
    return cur_ < items_.size();
  }
  const Labels& labels() const override { return items_[cur_].labels; }
  size_t readSamples(int64_t* ts, double* vs, size_t cap) override {
    const auto& pts = items_[cur_].points;
    size_t n = 0;
    while (n < cap && pos_ < pts.size()) {
      ts[n] = pts[pos_].t;
      vs[n] = pts[pos_].v;
      ++n;
      ++pos_;
    }
    return n;
  }

 private:
  std::vector<Item> items_;
  size_t cur_ = 0;
  size_t pos_ = 0;
  bool started_ = false;
};

bool matchesAll(const Labels& l, const std::vector<Matcher>& matchers) {
  for (const auto& m : matchers) {
    if (!m.matches(l.get(m.name()))) return false;
  }
  return true;
}

}  // namespace

void MemoryStorage::append(const Labels& labels, int64_t t, double v) {
  std::lock_guard lock(mu_);
  auto& s = series_[labels];
  s.metric = labels;
  if (!s.points.empty() && s.points.back().t >= t) {
    auto it = std::lower_bound(s.points.begin(), s.points.end(), t,
                               [](const Point& p, int64_t ts) { return p.t < ts; });
    if (it != s.points.end() && it->t == t) {
      it->v = v;
    } else {
      s.points.insert(it, Point{t, v});
    }
    return;
  }
  s.points.push_back(Point{t, v});
}

void MemoryStorage::clear() {
  std::lock_guard lock(mu_);
  series_.clear();
}

std::vector<const Series*> MemoryStorage::matching(const std::vector<Matcher>& matchers,
                                                   int64_t mint, int64_t maxt) const {
  std::vector<const Series*> out;
  for (const auto& [labels, s] : series_) {
    if (!matchesAll(labels, matchers)) continue;
    auto it = std::lower_bound(s.points.begin(), s.points.end(), mint,
                               [](const Point& p, int64_t ts) { return p.t < ts; });
    if (it == s.points.end() || it->t > maxt) continue;
    out.push_back(&s);
  }
  return out;
}

std::unique_ptr<SeriesSet> MemoryStorage::select(const std::vector<Matcher>& matchers, int64_t mint,
                                                 int64_t maxt, const SelectHints&) {
  std::lock_guard lock(mu_);
  std::vector<VectorSeriesSet::Item> items;
  for (const Series* s : matching(matchers, mint, maxt)) {
    auto lo = std::lower_bound(s->points.begin(), s->points.end(), mint,
                               [](const Point& p, int64_t ts) { return p.t < ts; });
    auto hi = std::upper_bound(s->points.begin(), s->points.end(), maxt,
                               [](int64_t ts, const Point& p) { return ts < p.t; });
    items.push_back({s->metric, std::vector<Point>(lo, hi)});
  }
  return std::make_unique<VectorSeriesSet>(std::move(items));
}

std::vector<std::string> MemoryStorage::labelNames(const std::vector<Matcher>& matchers,
                                                   int64_t mint, int64_t maxt) {
  std::lock_guard lock(mu_);
  std::set<std::string> names;
  for (const Series* s : matching(matchers, mint, maxt)) {
    for (const auto& l : s->metric) names.insert(l.name);
  }
  return {names.begin(), names.end()};
}

std::vector<std::string> MemoryStorage::labelValues(const std::string& name,
                                                    const std::vector<Matcher>& matchers,
                                                    int64_t mint, int64_t maxt) {
  std::lock_guard lock(mu_);
  std::set<std::string> values;
  for (const Series* s : matching(matchers, mint, maxt)) {
    auto v = s->metric.get(name);
    if (!v.empty()) values.insert(std::string(v));
  }
  return {values.begin(), values.end()};
}

}  // namespace strata::promql
