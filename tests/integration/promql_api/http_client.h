// Minimal loopback HTTP for the e2e clients: remote write of test-script samples and
// Prometheus API queries (JSON parsed into results comparable with the scripts).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/promql/labels.h"

namespace strata::e2e {

struct HttpReply {
  int status = 0;
  std::string body;
};

// POST/GET to http://host:port<path>; throws on connection failure.
HttpReply httpGet(const std::string& base_url, const std::string& path_and_query,
                  const std::string& tenant = "");
HttpReply httpPost(const std::string& base_url, const std::string& path, const std::string& body,
                   const std::string& content_type, const std::string& tenant = "",
                   bool snappy = false);

std::string formEncode(const std::string& s);

struct ApiSample {
  promql::Labels metric;
  std::vector<std::pair<int64_t, double>> points;
};

// A parsed /api/v1/query(_range) answer.
struct ApiResult {
  bool ok = false;
  std::string error;
  std::string result_type;  // vector, matrix, scalar, string
  std::vector<ApiSample> series;
  double scalar = 0;
};
ApiResult parseApiResult(const HttpReply& reply);

}  // namespace strata::e2e
