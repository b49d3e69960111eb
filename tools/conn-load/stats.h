// What a run counts and times, shared by writers and probes, and the timeline that decides
// which latencies are in the measured window.
#pragma once

#include <cstdint>
#include <limits>
#include <map>
#include <string>
#include <vector>

namespace strata::connload {

// The measured window, in loop time (monotonic microseconds). Until the ramp is over the
// window is unknown and nothing is in it; once `stopping` is set no new request is issued.
struct Timeline {
  int64_t window_start_us = std::numeric_limits<int64_t>::max();
  int64_t window_end_us = std::numeric_limits<int64_t>::max();
  bool stopping = false;
  bool inWindow(int64_t t_us) const { return t_us >= window_start_us && t_us < window_end_us; }
};

struct WriteStats {
  uint64_t writes_sent = 0;  // requests issued (each retried until acked or rejected)
  uint64_t writes_acked = 0;
  uint64_t samples_acked = 0;
  uint64_t rejected = 0;
  uint64_t retried = 0;
  uint64_t timeouts = 0;
  uint64_t reconnects = 0;
  uint64_t connect_errors = 0;
  uint64_t ticks_skipped = 0;
  std::map<int, uint64_t> status_counts;
  std::vector<int64_t> latency_us;  // acknowledged writes sent in the window
  int64_t connected_now = 0;        // writers with an open connection
  int64_t ever_connected = 0;       // writers that connected at least once
  int64_t outstanding = 0;          // issued requests neither acknowledged nor rejected
};

struct ProbeStats {
  std::string url;
  uint64_t count = 0;  // probes started
  uint64_t errors = 0;
  uint64_t timeouts = 0;
  uint64_t skipped = 0;
  uint64_t not_2xx = 0;
  std::map<int, uint64_t> status_counts;
  std::vector<int64_t> latency_us;  // probes started in the window (timeouts as the timeout)
};

struct LatencySummary {
  size_t count = 0;
  double p50_ms = 0, p99_ms = 0, max_ms = 0;
};

// Nearest-rank percentiles of `micros` (reordered in place).
LatencySummary summarize(std::vector<int64_t>& micros);

}  // namespace strata::connload
