// Command line of remote-write-sender.
#pragma once

#include <cstdint>
#include <string>

namespace strata::rwsender {

struct SenderOptions {
  std::string url;
  int64_t series = 10;
  int64_t samples_per_request = 10;  // (series, sample) pairs per request, round-robin
  int64_t interval_ms = 100;         // pause between requests of one connection
  int64_t duration_s = 10;
  std::string ack_log;  // empty: no log
  int64_t connections = 1;
  std::string metric = "remote_write_sender_samples";
  std::string tenant;            // sent as THANOS-TENANT when set
  int64_t retry_timeout_s = 60;  // give up on one request after this long
  std::string cacert;            // CA file to verify an https:// server with
  std::string basic_auth;        // "user:pass"
  std::string bearer;            // token for Authorization: Bearer
};

// Parses argv; on error or --help returns false with the text to print in `message`.
bool parseOptions(int argc, char** argv, SenderOptions* out, std::string* message);

}  // namespace strata::rwsender
