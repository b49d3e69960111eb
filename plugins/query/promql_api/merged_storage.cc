#include "merged_storage.h"

#include <algorithm>
#include <map>
#include <set>
#include <stdexcept>

#include "core/promql/value.h"

namespace strata::promql_api {
namespace {

// A materialised series set: the merge has to see every source before it can order output.
class VectorSeriesSet : public promql::SeriesSet {
 public:
  explicit VectorSeriesSet(std::map<promql::Labels, std::vector<promql::Point>> series)
      : series_(std::move(series)), it_(series_.end()) {}
  bool next() override {
    it_ = started_ ? std::next(it_) : series_.begin();
    started_ = true;
    pos_ = 0;
    return it_ != series_.end();
  }
  const promql::Labels& labels() const override { return it_->first; }
  size_t readSamples(int64_t* ts, double* vs, size_t cap) override {
    const auto& pts = it_->second;
    size_t n = std::min(cap, pts.size() - pos_);
    for (size_t i = 0; i < n; ++i) {
      ts[i] = pts[pos_ + i].t;
      vs[i] = pts[pos_ + i].v;
    }
    pos_ += n;
    return n;
  }

 private:
  std::map<promql::Labels, std::vector<promql::Point>> series_;
  std::map<promql::Labels, std::vector<promql::Point>>::iterator it_;
  bool started_ = false;
  size_t pos_ = 0;
};

std::vector<promql::Point> mergePoints(const std::vector<promql::Point>& a,
                                       const std::vector<promql::Point>& b) {
  std::vector<promql::Point> out;
  out.reserve(a.size() + b.size());
  size_t i = 0, j = 0;
  while (i < a.size() || j < b.size()) {
    if (j == b.size() || (i < a.size() && a[i].t <= b[j].t)) {
      if (j < b.size() && a[i].t == b[j].t) ++j;
      out.push_back(a[i++]);
    } else {
      out.push_back(b[j++]);
    }
  }
  return out;
}

}  // namespace

std::vector<promql::Point> readAll(promql::SeriesSet& set) {
  std::vector<promql::Point> out;
  int64_t ts[256];
  double vs[256];
  for (;;) {
    size_t n = set.readSamples(ts, vs, 256);
    if (n == 0) break;
    for (size_t i = 0; i < n; ++i) out.push_back({ts[i], vs[i]});
  }
  if (!set.error().empty()) throw std::runtime_error(set.error());
  return out;
}

std::unique_ptr<promql::SeriesSet> MergedStorage::select(
    const std::vector<promql::Matcher>& matchers, int64_t mint, int64_t maxt,
    const promql::SelectHints& hints) {
  if (sources_.size() == 1) return sources_[0]->select(matchers, mint, maxt, hints);
  std::map<promql::Labels, std::vector<promql::Point>> merged;
  for (auto& source : sources_) {
    auto set = source->select(matchers, mint, maxt, hints);
    while (set->next()) {
      auto points = readAll(*set);
      auto [it, inserted] = merged.try_emplace(set->labels(), points);
      if (!inserted) it->second = mergePoints(it->second, points);
    }
    if (!set->error().empty()) {
      throw promql::QueryError(promql::ErrorKind::kStorage, set->error());
    }
  }
  return std::make_unique<VectorSeriesSet>(std::move(merged));
}

std::vector<std::string> MergedStorage::labelNames(const std::vector<promql::Matcher>& matchers,
                                                   int64_t mint, int64_t maxt) {
  std::set<std::string> out;
  for (auto& source : sources_) {
    for (auto& n : source->labelNames(matchers, mint, maxt)) out.insert(std::move(n));
  }
  return {out.begin(), out.end()};
}

std::vector<std::string> MergedStorage::labelValues(const std::string& name,
                                                    const std::vector<promql::Matcher>& matchers,
                                                    int64_t mint, int64_t maxt) {
  std::set<std::string> out;
  for (auto& source : sources_) {
    for (auto& v : source->labelValues(name, matchers, mint, maxt)) out.insert(std::move(v));
  }
  return {out.begin(), out.end()};
}

}  // namespace strata::promql_api
