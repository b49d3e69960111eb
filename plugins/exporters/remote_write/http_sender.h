// One HTTP client per shard: a libcurl easy handle reused for every request of that shard, so
// the connection stays open (keep-alive) between requests. Sets the remote write 1.0 or 2.0
// headers (Content-Type proto=..., X-Prometheus-Remote-Write-Version),
// and, through http_client/curl_setup.h, the configured headers, auth (basic or Authorization;
// secret files read once, when the sender is created), TLS files, tls_config.server_name (SNI
// and the verified name) and the remote_timeout.
//
// THREAD: one thread at a time (the shard's).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>

#include "exporter_config.h"
#include "http_client/curl_setup.h"

namespace strata::rwexporter {

struct SendResult {
  long status = 0;    // HTTP status; 0 when no response (network error, timeout)
  std::string error;  // curl's message, or the start of the response body on non-2xx
  std::chrono::milliseconds retry_after{0};  // from a Retry-After header in seconds, if any
  // X-Prometheus-Remote-Write-Samples-Written of a 2.0 response; -1 when absent.
  int64_t samples_written = -1;

  bool ok() const { return status >= 200 && status < 300; }
  // 5xx, network errors, and 429 when retry_on_http_429; everything else is final.
  bool retryable(bool retry_on_429) const {
    return status == 0 || status >= 500 || (status == 429 && retry_on_429);
  }
};

class HttpSender {
 public:
  // Throws std::runtime_error when a secret file cannot be read.
  explicit HttpSender(const ExporterConfig& config);
  ~HttpSender();
  HttpSender(const HttpSender&) = delete;
  HttpSender& operator=(const HttpSender&) = delete;

  // POSTs a snappy-compressed WriteRequest (1.0) or Request (2.0), per config.protocol.
  SendResult post(const std::string& body);
  // A request in progress is aborted (status 0) once *flag is true. LIFETIME: flag outlives us.
  void setAbortFlag(const std::atomic<bool>* flag) { abort_ = flag; }

 private:
  static size_t onBody(char* data, size_t size, size_t n, void* self);
  static size_t onHeader(char* data, size_t size, size_t n, void* self);

  void* curl_ = nullptr;              // CURL*
  http_client::CurlRequest request_;  // the header and CONNECT_TO lists curl points into
  std::string response_;
  std::chrono::milliseconds retry_after_{0};
  int64_t samples_written_ = -1;
  const std::atomic<bool>* abort_ = nullptr;
  char error_buf_[256] = {0};  // CURLOPT_ERRORBUFFER (CURL_ERROR_SIZE)
};

}  // namespace strata::rwexporter
