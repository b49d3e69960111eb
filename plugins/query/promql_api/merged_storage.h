// The union of several Storages (one per `sources` entry): a series present in more than one
// source is returned once, its samples merged by timestamp (the first source wins a tie).
// As in Prometheus' fanout storage, the first source is primary: its failure fails the
// request; a failing further source is left out and named in the response's warnings.
// THREAD: select() and the label calls may run concurrently (the engine evaluates the two
// sides of a binary operation at once); warnings() is read once they are done.
// A source whose advertised time range or label sets (sdk::SourceInfo) cannot match a call's
// matchers and range is not asked at all, as Thanos' query skips stores; skipped() names them.
#pragma once

#include <memory>
#include <mutex>
#include <set>
#include <strata/sdk/source_info.hpp>
#include <string>
#include <vector>

#include "core/promql/storage.h"
#include "core/promql/value.h"

namespace strata::promql_api {

class MergedStorage : public promql::Storage {
 public:
  // `names`: the sources' ids, for the warnings (may be shorter than `sources`); `infos`:
  // what each source advertised (may be shorter: the rest are unbounded).
  explicit MergedStorage(std::vector<std::unique_ptr<promql::Storage>> sources,
                         std::vector<std::string> names = {},
                         std::vector<sdk::SourceInfo> infos = {})
      : sources_(std::move(sources)), names_(std::move(names)), infos_(std::move(infos)) {}

  std::unique_ptr<promql::SeriesSet> select(const std::vector<promql::Matcher>& matchers,
                                            int64_t mint, int64_t maxt,
                                            const promql::SelectHints& hints) override;
  std::vector<std::string> labelNames(const std::vector<promql::Matcher>& matchers, int64_t mint,
                                      int64_t maxt) override;
  std::vector<std::string> labelValues(const std::string& name,
                                       const std::vector<promql::Matcher>& matchers, int64_t mint,
                                       int64_t maxt) override;

  // What went wrong in further sources during this request, for the response's "warnings".
  const std::vector<std::string>& warnings() const { return warnings_; }
  // Names of the sources skipped by their advertised info during this request (once each).
  std::vector<std::string> skipped() const;

 private:
  // Runs f(source i); a failure of a further source becomes a warning and false.
  template <typename F>
  bool guarded(size_t i, F&& f);
  // False (and the source noted as skipped) when source i cannot hold a matching series.
  bool mayMatch(size_t i, const std::vector<promql::Matcher>& matchers, int64_t mint, int64_t maxt);
  std::string nameOf(size_t i) const;

  std::vector<std::unique_ptr<promql::Storage>> sources_;
  std::vector<std::string> names_;
  std::vector<sdk::SourceInfo> infos_;
  mutable std::mutex warnings_mu_;
  std::vector<std::string> warnings_;
  std::set<std::string> skipped_;
};

// Every sample of a SeriesSet's current series; throws std::runtime_error on a set error.
std::vector<promql::Point> readAll(promql::SeriesSet& set);

}  // namespace strata::promql_api
