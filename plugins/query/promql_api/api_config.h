// The promql_api options, parsed once from the validated config tree.
#pragma once

#include <cstdint>
#include <strata/sdk.hpp>
#include <string>
#include <vector>

#include "core/promql/engine.h"

namespace strata::promql_api {

struct ApiConfig {
  std::string listen_address = "0.0.0.0:9090";
  std::vector<std::string> sources;  // component ids providing the query edge
  std::string tenant_header = "THANOS-TENANT";
  std::string default_tenant = "default-tenant";
  promql::EngineOptions engine;
  size_t max_body_bytes = 32 << 20;        // POST forms and remote read requests
  int64_t max_points_per_series = 11000;   // range queries, as Prometheus
  int64_t remote_read_sample_limit = 5e7;  // samples per remote read request; 0: unlimited
  size_t remote_read_max_frame_bytes = 1 << 20;

  // Throws std::invalid_argument on values the schema cannot rule out.
  static ApiConfig parse(const sdk::ConfigView& config);
};

// Cross-field checks for lint (path, message).
void validateConfig(const sdk::ConfigView& config, strata_diag_sink* sink);

}  // namespace strata::promql_api
