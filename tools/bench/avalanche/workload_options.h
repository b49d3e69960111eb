// Command-line options of strata-avalanche: the shape of the synthetic data and of each mode.
#pragma once

#include <cstdint>
#include <string>

namespace strata::avalanche {

struct WorkloadOptions {
  int64_t series = 1000;           // active series at any time
  int64_t metric_count = 10;       // metric families; series are spread round-robin over them
  int64_t labels_per_series = 3;   // label_0..label_{n-1} besides __name__ and series_id
  int64_t label_cardinality = 10;  // distinct values of each label_k
  double gauge_ratio = 0.4;        // share of families that are gauges
  double histogram_ratio = 0.2;    // share of families that are classic histograms (`le`)
  int64_t histogram_buckets = 8;   // buckets per histogram, +Inf included
  int64_t interval_ms = 15000;     // sample interval
  int64_t samples = 240;           // samples per series slot (the time span / interval)
  int64_t start_ms = 0;            // first timestamp; 0 = now - samples * interval, aligned
  int64_t churn_interval_s = 0;  // every this many seconds of data time some series churn; 0 = off
  double churn_fraction = 0.1;   // share of series that get a new `cycle` value at each churn
  uint64_t seed = 1;             // same seed + options = same data, byte for byte
};

enum class RemoteWriteProtocol { kV1, kV2 };  // remote write 1.0 or 2.0

struct ModeOptions {
  std::string mode;  // remote-write | serve | openmetrics
  // remote-write
  std::string url;
  RemoteWriteProtocol protocol = RemoteWriteProtocol::kV1;
  int64_t connections = 4;
  int64_t series_per_request = 2000;
  int64_t steps_per_request = 1;  // consecutive samples of each series in one request
  double rate = 0;                // samples/s over all connections; 0 = as fast as possible
  int64_t retry_timeout_s = 30;
  int64_t max_lag_steps = 8;  // how far (in steps) a connection may run ahead of the slowest
  // serve
  std::string listen = "127.0.0.1:9101";
  int64_t serve_seconds = 0;  // 0 = until SIGTERM/SIGINT
  // openmetrics
  std::string out;  // file path; "-" = stdout
};

// Parses argv; on error or --help prints usage to stderr and returns false (`*exit_code` set).
bool parseArgs(int argc, char** argv, WorkloadOptions* w, ModeOptions* m, int* exit_code);

}  // namespace strata::avalanche
