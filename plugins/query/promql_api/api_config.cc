#include "api_config.h"

#include <stdexcept>

namespace strata::promql_api {
namespace {

// The problems of a config, as (option path, message); shared by parse() and lint.
std::vector<std::pair<std::string, std::string>> problems(const sdk::ConfigView& c) {
  std::vector<std::pair<std::string, std::string>> out;
  if (c["sources"].size() == 0) {
    out.emplace_back("sources", "at least one component providing the query edge is required");
  }
  for (const char* name : {"lookback_delta", "query_timeout"}) {
    if (c[name].present() && c[name].asMillis() <= 0) out.emplace_back(name, "must be positive");
  }
  for (const char* name : {"max_samples", "max_body_bytes", "max_points_per_series"}) {
    if (c[name].present() && c[name].asInt() <= 0) out.emplace_back(name, "must be positive");
  }
  for (const char* name : {"max_series", "remote_read_sample_limit"}) {
    if (c[name].present() && c[name].asInt() < 0) out.emplace_back(name, "must not be negative");
  }
  if (c["tenant_header"].present() && c["tenant_header"].asString().empty()) {
    out.emplace_back("tenant_header", "must not be empty");
  }
  return out;
}

}  // namespace

ApiConfig ApiConfig::parse(const sdk::ConfigView& c) {
  auto bad = problems(c);
  if (!bad.empty()) throw std::invalid_argument(bad.front().first + ": " + bad.front().second);
  ApiConfig cfg;
  cfg.listen_address = c["listen_address"].asString(cfg.listen_address);
  cfg.sources = c["sources"].asStringList();
  cfg.tenant_header = c["tenant_header"].asString(cfg.tenant_header);
  cfg.default_tenant = c["default_tenant"].asString(cfg.default_tenant);
  cfg.engine.lookback_delta_ms = c["lookback_delta"].asMillis(cfg.engine.lookback_delta_ms);
  cfg.engine.timeout_ms = c["query_timeout"].asMillis(cfg.engine.timeout_ms);
  cfg.engine.max_samples = c["max_samples"].asInt(cfg.engine.max_samples);
  cfg.engine.max_series = c["max_series"].asInt(cfg.engine.max_series);
  cfg.max_body_bytes = static_cast<size_t>(c["max_body_bytes"].asInt(cfg.max_body_bytes));
  cfg.max_points_per_series = c["max_points_per_series"].asInt(cfg.max_points_per_series);
  cfg.remote_read_sample_limit = c["remote_read_sample_limit"].asInt(cfg.remote_read_sample_limit);
  return cfg;
}

void validateConfig(const sdk::ConfigView& config, strata_diag_sink* sink) {
  for (const auto& [path, message] : problems(config)) {
    sink->report(sink, path.c_str(), message.c_str());
  }
}

}  // namespace strata::promql_api
