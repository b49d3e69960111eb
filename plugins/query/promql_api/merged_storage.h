// The union of several Storages (one per `sources` entry): a series present in more than one
// source is returned once, its samples merged by timestamp (the first source wins a tie).
#pragma once

#include <memory>
#include <vector>

#include "core/promql/storage.h"
#include "core/promql/value.h"

namespace strata::promql_api {

class MergedStorage : public promql::Storage {
 public:
  explicit MergedStorage(std::vector<std::unique_ptr<promql::Storage>> sources)
      : sources_(std::move(sources)) {}

  std::unique_ptr<promql::SeriesSet> select(const std::vector<promql::Matcher>& matchers,
                                            int64_t mint, int64_t maxt,
                                            const promql::SelectHints& hints) override;
  std::vector<std::string> labelNames(const std::vector<promql::Matcher>& matchers, int64_t mint,
                                      int64_t maxt) override;
  std::vector<std::string> labelValues(const std::string& name,
                                       const std::vector<promql::Matcher>& matchers, int64_t mint,
                                       int64_t maxt) override;

 private:
  std::vector<std::unique_ptr<promql::Storage>> sources_;
};

// Every sample of a SeriesSet's current series; throws std::runtime_error on a set error.
std::vector<promql::Point> readAll(promql::SeriesSet& set);

}  // namespace strata::promql_api
