// Prometheus' JSON encoding of API responses: the envelope, query results, label sets.
// Timestamps are unix seconds with up to three decimals, values strings in Go's 'f' -1 form.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/promql/engine.h"

namespace strata::promql_api {

// A JSON string literal, escaped as Go's encoding/json does (HTML characters included).
void appendJsonString(std::string& out, std::string_view s);
// Prometheus' marshalTimestamp: ms 1500 -> 1.500, 2000 -> 2, -1 -> -0.001.
void appendTimestamp(std::string& out, int64_t t_ms);
void appendLabels(std::string& out, const promql::Labels& labels);

// {"status":"success","data":<data>[,"warnings":[...]]}
std::string successEnvelope(std::string_view data_json,
                            const std::vector<std::string>& warnings = {});
// {"status":"error","errorType":"...","error":"..."}
std::string errorEnvelope(std::string_view error_type, std::string_view message);

// {"resultType":"vector","result":[...]} for any query result.
std::string queryResultJson(const promql::QueryResult& r);
void appendQueryResult(std::string& out, const promql::QueryResult& r);
// successEnvelope(queryResultJson(r), warnings), built in one buffer (no copy of the result).
std::string querySuccessJson(const promql::QueryResult& r,
                             const std::vector<std::string>& warnings = {});
std::string stringListJson(const std::vector<std::string>& items);

}  // namespace strata::promql_api
