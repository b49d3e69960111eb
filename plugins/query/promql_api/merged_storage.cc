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

std::string MergedStorage::nameOf(size_t i) const {
  return i < names_.size() ? names_[i] : "source " + std::to_string(i + 1);
}

bool MergedStorage::mayMatch(size_t i, const std::vector<promql::Matcher>& matchers, int64_t mint,
                             int64_t maxt) {
  if (i >= infos_.size()) return true;
  bool may = infos_[i].mayMatch(mint, maxt, [&](const std::string& name, const std::string& v) {
    for (const auto& m : matchers)
      if (m.name() == name && !m.matches(v)) return false;
    return true;
  });
  if (!may) {
    std::lock_guard<std::mutex> lock(warnings_mu_);
    skipped_.insert(nameOf(i));
  }
  return may;
}

std::vector<std::string> MergedStorage::skipped() const {
  std::lock_guard<std::mutex> lock(warnings_mu_);
  return {skipped_.begin(), skipped_.end()};
}

template <typename F>
bool MergedStorage::guarded(size_t i, F&& f) {
  if (i == 0) {
    f();
    return true;
  }
  try {
    f();
    return true;
  } catch (const std::exception& e) {
    std::string name = nameOf(i);
    std::lock_guard<std::mutex> lock(warnings_mu_);
    warnings_.push_back("source " + name + " left out: " + e.what());
    return false;
  }
}

std::unique_ptr<promql::SeriesSet> MergedStorage::select(
    const std::vector<promql::Matcher>& matchers, int64_t mint, int64_t maxt,
    const promql::SelectHints& hints) {
  std::vector<size_t> asked;
  for (size_t i = 0; i < sources_.size(); ++i)
    if (mayMatch(i, matchers, mint, maxt)) asked.push_back(i);
  // Only the primary source alone streams straight through (a further one's failure must
  // still become a warning).
  if (asked.size() == 1 && asked[0] == 0) return sources_[0]->select(matchers, mint, maxt, hints);
  std::map<promql::Labels, std::vector<promql::Point>> merged;
  for (size_t i : asked) {
    // A further source's series are taken only when it answered completely.
    std::map<promql::Labels, std::vector<promql::Point>> part;
    bool ok = guarded(i, [&] {
      auto set = sources_[i]->select(matchers, mint, maxt, hints);
      while (set->next()) part.try_emplace(set->labels(), readAll(*set));
      if (!set->error().empty()) {
        throw promql::QueryError(promql::ErrorKind::kStorage, set->error());
      }
    });
    if (!ok) continue;
    for (auto& [labels, points] : part) {
      auto [it, inserted] = merged.try_emplace(labels, std::move(points));
      if (!inserted) it->second = mergePoints(it->second, points);
    }
  }
  return std::make_unique<VectorSeriesSet>(std::move(merged));
}

std::vector<std::string> MergedStorage::labelNames(const std::vector<promql::Matcher>& matchers,
                                                   int64_t mint, int64_t maxt) {
  std::set<std::string> out;
  for (size_t i = 0; i < sources_.size(); ++i) {
    std::vector<std::string> names;
    if (!mayMatch(i, matchers, mint, maxt)) continue;
    if (guarded(i, [&] { names = sources_[i]->labelNames(matchers, mint, maxt); }))
      out.insert(names.begin(), names.end());
  }
  return {out.begin(), out.end()};
}

std::vector<std::string> MergedStorage::labelValues(const std::string& name,
                                                    const std::vector<promql::Matcher>& matchers,
                                                    int64_t mint, int64_t maxt) {
  std::set<std::string> out;
  for (size_t i = 0; i < sources_.size(); ++i) {
    std::vector<std::string> values;
    if (!mayMatch(i, matchers, mint, maxt)) continue;
    if (guarded(i, [&] { values = sources_[i]->labelValues(name, matchers, mint, maxt); }))
      out.insert(values.begin(), values.end());
  }
  return {out.begin(), out.end()};
}

}  // namespace strata::promql_api
