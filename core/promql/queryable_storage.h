// Adapts a C ABI strata_queryable (a plugin's or the host's) to promql::Storage, so the
// engine can run over any Queryable.
#pragma once

#include <functional>
#include <string>

#include "core/promql/storage.h"
#include "strata/plugin_abi.h"

namespace strata::promql {

class QueryableStorage : public Storage {
 public:
  // `last_error` (optional) fetches the message a failed call left with the host.
  QueryableStorage(const strata_queryable& q, std::string tenant,
                   std::function<std::string()> last_error = {});

  std::unique_ptr<SeriesSet> select(const std::vector<Matcher>& matchers, int64_t mint,
                                    int64_t maxt, const SelectHints& hints) override;
  // The request's max_source_resolution, passed in every select's hints
  // (strata_select_hints.max_resolution_ms: 0 raw, > 0 ms, STRATA_MAX_RESOLUTION_AUTO).
  void setMaxResolution(int64_t ms) { max_resolution_ms_ = ms; }

  std::vector<std::string> labelNames(const std::vector<Matcher>& matchers, int64_t mint,
                                      int64_t maxt) override;
  std::vector<std::string> labelValues(const std::string& name,
                                       const std::vector<Matcher>& matchers, int64_t mint,
                                       int64_t maxt) override;

 private:
  [[noreturn]] void fail(const char* what, strata_status st) const;

  strata_queryable q_;
  std::string tenant_;
  std::function<std::string()> last_error_;
  int64_t max_resolution_ms_ = 0;
};

}  // namespace strata::promql
