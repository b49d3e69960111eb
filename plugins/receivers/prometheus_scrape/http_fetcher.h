// Fetches a target's /metrics with libcurl: one easy handle per target so its connection is
// reused between scrapes; Accept negotiates OpenMetrics 1.0 / 0.0.1 / text 0.0.4 exactly as
// Prometheus 2.42 does; gzip/deflate are accepted and decoded by curl; basic auth, the
// Authorization header (credentials files re-read per scrape, as Prometheus does) and TLS,
// tls_config.server_name included, are applied by http_client/curl_setup.h.
//
// THREAD: one fetch at a time per instance.
#pragma once

#include <cstdint>
#include <string>

#include "scrape_config.h"
#include "target_state.h"

namespace strata::scrape {

// Prometheus 2.42's scrape Accept header.
inline constexpr const char* kAcceptHeader =
    "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;"
    "q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

class HttpFetcher {
 public:
  HttpFetcher();
  ~HttpFetcher();
  HttpFetcher(const HttpFetcher&) = delete;
  HttpFetcher& operator=(const HttpFetcher&) = delete;

  // GETs `url` within `timeout_ms`. LIFETIME: the body view lives until the next fetch.
  FetchOutcome fetch(const JobConfig& job, const std::string& url, int64_t timeout_ms,
                     int64_t body_limit);

 private:
  void* curl_;  // CURL*
  std::string body_;
  char error_buf_[256] = {0};
};

}  // namespace strata::scrape
