// prometheus_scrape options parsed from the validated config tree, checked the way Prometheus
// checks scrape_configs (unique job names, timeout <= interval, one auth method, ...).
#pragma once

#include <cstdint>
#include <map>
#include <strata/sdk.hpp>
#include <string>
#include <vector>

#include "http_client/http_client_options.h"
#include "relabel/relabel_rule.h"

namespace strata::scrape {

struct StaticGroup {
  std::vector<std::string> targets;
  std::map<std::string, std::string> labels;
};

struct FileSd {
  std::vector<std::string> files;
  int64_t refresh_ms = 300000;
};

struct HttpSd {
  std::string url;
  int64_t refresh_ms = 60000;
};

struct JobConfig {
  std::string job_name;
  int64_t interval_ms = 60000, timeout_ms = 10000;
  std::string metrics_path = "/metrics", scheme = "http";
  std::map<std::string, std::vector<std::string>> params;
  bool honor_labels = false, honor_timestamps = true;
  // basic_auth, authorization, bearer_token(_file), tls_config; redirects are followed.
  http_client::HttpClientOptions http;
  std::vector<StaticGroup> static_configs;
  std::vector<FileSd> file_sd;
  std::vector<HttpSd> http_sd;
  std::vector<relabel::Rule> relabel_configs, metric_relabel_configs;
  int64_t sample_limit = 0, label_limit = 0, label_name_length_limit = 0,
          label_value_length_limit = 0, body_size_limit = 0;
};

struct ScrapeConfig {
  std::string tenant;
  int workers = 4;
  bool send_metadata = true;
  bool ack_on_delivery = true;           // ack: delivered (true) | accepted (false)
  int64_t metadata_interval_ms = 60000;  // 0: only when it changed
  std::vector<JobConfig> jobs;
};

// Problems carry the option path ("scrape_configs.0.scrape_timeout").
ScrapeConfig parseScrapeConfig(const sdk::ConfigView& config, std::vector<relabel::Problem>* out);

// Throws std::invalid_argument with the first problem.
ScrapeConfig parseScrapeConfigOrThrow(const sdk::ConfigView& config);

void validateScrapeConfig(const sdk::ConfigView& config, strata_diag_sink* sink);

}  // namespace strata::scrape
