// An in-memory Storage: the test loader's backend and a reference for adapters.
#pragma once

#include <map>
#include <mutex>

#include "core/promql/storage.h"
#include "core/promql/value.h"

namespace strata::promql {

class MemoryStorage : public Storage {
 public:
  // Appends a sample; samples of a series must arrive in timestamp order (a sample at an
  // existing timestamp replaces it).
  void append(const Labels& labels, int64_t t, double v);
  void clear();

  std::unique_ptr<SeriesSet> select(const std::vector<Matcher>& matchers, int64_t mint,
                                    int64_t maxt, const SelectHints& hints) override;
  std::vector<std::string> labelNames(const std::vector<Matcher>& matchers, int64_t mint,
                                      int64_t maxt) override;
  std::vector<std::string> labelValues(const std::string& name,
                                       const std::vector<Matcher>& matchers, int64_t mint,
                                       int64_t maxt) override;

 private:
  std::vector<const Series*> matching(const std::vector<Matcher>& matchers, int64_t mint,
                                      int64_t maxt) const;

  mutable std::mutex mu_;
  std::map<Labels, Series> series_;
};

}  // namespace strata::promql
