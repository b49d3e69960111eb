// Command line of conn-load (kUsage in options.cc says what each flag does).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace strata::connload {

struct Options {
  std::string write_url;
  int64_t connections = 100;
  int64_t connect_rate = 500;  // connection opens per second (writers; ramp and reconnects)
  int64_t interval_ms = 5000;
  int64_t series_per_write = 5;
  std::string metric = "conn_load_samples";
  std::string ack_log;  // empty: none
  std::vector<std::string> probe_urls;
  int64_t probe_interval_ms = 200;
  int64_t timeout_ms = 10000;
  int64_t duration_s = 30;
  int64_t warmup_s = 0;
};

extern const char* const kUsage;

// Parses argv. Returns 0 to run, 1 when --help was asked for (print kUsage to stdout, exit 0),
// 2 on a usage error (`error` says what; exit 2).
int parseOptions(int argc, char** argv, Options* out, std::string* error);

}  // namespace strata::connload
