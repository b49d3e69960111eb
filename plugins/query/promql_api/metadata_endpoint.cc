// /api/v1/metadata: the TYPE/HELP/UNIT of metric families, the union of what the sources'
// Queryables know for the request's tenant (their optional ABI 1.1 `metadata` slot; a source
// without it contributes nothing). Prometheus 2.42's shape and parameters, plus the later
// `limit_per_metric`:
//   {"status":"success","data":{"<family>":[{"type":"counter","help":"...","unit":""}]}}
// `limit` caps the families (absent or negative: all; 0: none, as 2.42), `limit_per_metric`
// the distinct entries per family (<= 0: all), `metric` selects one family.
#include <map>
#include <set>
#include <strata/sdk/metadata.hpp>

#include "endpoints.h"
#include "json_format.h"

namespace strata::promql_api {
namespace {

// An optional integer parameter; `fallback` when absent or empty.
int64_t intParam(const Params& params, const std::string& name, int64_t fallback) {
  auto v = params.get(name);
  if (!v || v->empty()) return fallback;
  try {
    size_t used = 0;
    int64_t n = std::stoll(*v, &used);
    if (used == v->size()) return n;
  } catch (const std::exception&) {
  }
  throw ApiError(kBadData, name + " must be a number");
}

using Entry = std::tuple<std::string, std::string, std::string>;  // type, help, unit

}  // namespace

Reply handleMetadata(const RequestContext& ctx) {
  int64_t limit = intParam(ctx.params, "limit", -1);
  int64_t per_metric = intParam(ctx.params, "limit_per_metric", -1);
  std::string metric(ctx.params.get("metric").value_or(""));
  std::map<std::string, std::set<Entry>> families;  // sorted, as encoding/json prints maps
  if (limit != 0 && ctx.sources) {
    // Sources return families in name order, so asking each for `limit` is enough for the
    // union's first `limit`.
    size_t hint = limit > 0 ? static_cast<size_t>(limit) : 0;
    for (const strata_queryable* q : *ctx.sources) {
      std::vector<sdk::MetricMetadata> got;
      strata_status st;
      if (!sdk::queryMetadata(*q, ctx.tenant, metric, hint, &got, &st)) continue;
      if (st != STRATA_OK) throw ApiError(kInternal, "a source failed to answer metadata");
      for (auto& m : got) {
        if (!metric.empty() && m.family != metric) continue;
        families[m.family].insert(
            {std::string(sdk::familyTypeName(m.type)), std::move(m.help), std::move(m.unit)});
      }
    }
  }
  std::string data = "{";
  int64_t n = 0;
  for (const auto& [family, entries] : families) {
    if (limit >= 0 && n >= limit) break;
    if (n++) data += ',';
    appendJsonString(data, family);
    data += ":[";
    int64_t k = 0;
    for (const auto& [type, help, unit] : entries) {
      if (per_metric > 0 && k >= per_metric) break;
      if (k++) data += ',';
      data += "{\"type\":";
      appendJsonString(data, type);
      data += ",\"help\":";
      appendJsonString(data, help);
      data += ",\"unit\":";
      appendJsonString(data, unit);
      data += '}';
    }
    data += ']';
  }
  data += '}';
  Reply r;
  r.body = successEnvelope(data);
  return r;
}

}  // namespace strata::promql_api
