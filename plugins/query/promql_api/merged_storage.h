// The union of several Storages (one per `sources` entry): a series present in more than one
// source is returned once, its samples merged by timestamp (the first source wins a tie).
// As in Prometheus' fanout storage, the first source is primary: its failure fails the
// request; a failing further source is left out and named in the response's warnings.
// THREAD: select() and the label calls may run concurrently (the engine evaluates the two
// sides of a binary operation at once); warnings() is read once they are done.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/promql/storage.h"
#include "core/promql/value.h"

namespace strata::promql_api {

class MergedStorage : public promql::Storage {
 public:
  // `names`: the sources' ids, for the warnings (may be shorter than `sources`).
  explicit MergedStorage(std::vector<std::unique_ptr<promql::Storage>> sources,
                         std::vector<std::string> names = {})
      : sources_(std::move(sources)), names_(std::move(names)) {}

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

 private:
  // Runs f(source i); a failure of a further source becomes a warning and false.
  template <typename F>
  bool guarded(size_t i, F&& f);

  std::vector<std::unique_ptr<promql::Storage>> sources_;
  std::vector<std::string> names_;
  std::mutex warnings_mu_;
  std::vector<std::string> warnings_;
};

// Every sample of a SeriesSet's current series; throws std::runtime_error on a set error.
std::vector<promql::Point> readAll(promql::SeriesSet& set);

}  // namespace strata::promql_api
