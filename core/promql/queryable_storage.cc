#include "core/promql/queryable_storage.h"

#include "core/promql/value.h"

namespace strata::promql {
namespace {

strata_str view(const std::string& s) { return strata_str{s.data(), s.size()}; }

std::vector<strata_matcher> toAbi(const std::vector<Matcher>& matchers) {
  std::vector<strata_matcher> out;
  out.reserve(matchers.size());
  for (const auto& m : matchers) {
    uint32_t type = STRATA_MATCH_EQ;
    switch (m.type()) {
      case MatchType::kEqual:
        type = STRATA_MATCH_EQ;
        break;
      case MatchType::kNotEqual:
        type = STRATA_MATCH_NEQ;
        break;
      case MatchType::kRegex:
        type = STRATA_MATCH_RE;
        break;
      case MatchType::kNotRegex:
        type = STRATA_MATCH_NRE;
        break;
    }
    out.push_back(strata_matcher{type, view(m.name()), view(m.value())});
  }
  return out;
}

std::vector<std::string> takeList(strata_string_list& list) {
  std::vector<std::string> out;
  for (size_t i = 0; i < list.count; ++i) out.emplace_back(list.items[i].data, list.items[i].len);
  if (list.release) list.release(&list);
  return out;
}

class AbiSeriesSet : public SeriesSet {
 public:
  explicit AbiSeriesSet(strata_series_set set) : set_(set) {}
  ~AbiSeriesSet() override {
    if (set_.release) set_.release(&set_);
  }
  bool next() override {
    const strata_label* labels = nullptr;
    size_t n = 0;
    int rc = set_.next(&set_, &labels, &n);
    if (rc < 0) {
      setError();
      return false;
    }
    if (rc == 0) return false;
    std::vector<Label> ls;
    ls.reserve(n);
    for (size_t i = 0; i < n; ++i) {
      ls.push_back(Label{std::string(labels[i].name.data, labels[i].name.len),
                         std::string(labels[i].value.data, labels[i].value.len)});
    }
    labels_ = Labels::fromUnsorted(std::move(ls));
    return true;
  }
  const Labels& labels() const override { return labels_; }
  size_t readSamples(int64_t* ts, double* vs, size_t cap) override {
    long n = set_.read_samples(&set_, ts, vs, cap);
    if (n < 0) {
      setError();
      return 0;
    }
    return static_cast<size_t>(n);
  }
  std::string error() const override { return error_; }

 private:
  void setError() {
    const char* msg = set_.last_error ? set_.last_error(&set_) : nullptr;
    error_ = msg ? msg : "series set failed";
  }
  strata_series_set set_;
  Labels labels_;
  std::string error_;
};

}  // namespace

QueryableStorage::QueryableStorage(const strata_queryable& q, std::string tenant,
                                   std::function<std::string()> last_error)
    : q_(q), tenant_(std::move(tenant)), last_error_(std::move(last_error)) {}

void QueryableStorage::fail(const char* what, strata_status st) const {
  std::string msg = last_error_ ? last_error_() : "";
  if (msg.empty()) msg = std::string(what) + " failed with status " + std::to_string(st);
  throw QueryError(ErrorKind::kStorage, msg);
}

std::unique_ptr<SeriesSet> QueryableStorage::select(const std::vector<Matcher>& matchers,
                                                    int64_t mint, int64_t maxt,
                                                    const SelectHints& hints) {
  auto abi = toAbi(matchers);
  std::vector<strata_str> grouping;
  for (const auto& g : hints.grouping) grouping.push_back(view(g));
  strata_select_hints h{sizeof(strata_select_hints),
                        hints.start_ms,
                        hints.end_ms,
                        hints.step_ms,
                        hints.range_ms,
                        view(hints.function),
                        grouping.data(),
                        grouping.size(),
                        hints.by ? 1u : 0u,
                        max_resolution_ms_};
  strata_series_set set{};
  set.struct_size = sizeof set;
  strata_status st =
      q_.select(q_.self, view(tenant_), abi.data(), abi.size(), mint, maxt, &h, &set);
  if (st != STRATA_OK) fail("select", st);
  return std::make_unique<AbiSeriesSet>(set);
}

std::vector<std::string> QueryableStorage::labelNames(const std::vector<Matcher>& matchers,
                                                      int64_t mint, int64_t maxt) {
  auto abi = toAbi(matchers);
  strata_string_list list{};
  list.struct_size = sizeof list;
  strata_status st =
      q_.label_names(q_.self, view(tenant_), abi.data(), abi.size(), mint, maxt, &list);
  if (st != STRATA_OK) fail("label_names", st);
  return takeList(list);
}

std::vector<std::string> QueryableStorage::labelValues(const std::string& name,
                                                       const std::vector<Matcher>& matchers,
                                                       int64_t mint, int64_t maxt) {
  auto abi = toAbi(matchers);
  strata_string_list list{};
  list.struct_size = sizeof list;
  strata_status st = q_.label_values(q_.self, view(tenant_), view(name), abi.data(), abi.size(),
                                     mint, maxt, &list);
  if (st != STRATA_OK) fail("label_values", st);
  return takeList(list);
}

}  // namespace strata::promql
