// How many shards the exporter should run: Prometheus 2.42's calculateDesiredShards and
// shouldReshard (storage/remote/queue_manager.go), as pure functions of the measured rates.
//
// desired = time spent sending per sample x (incoming rate x kept ratio + 5% of the backlog),
// where time per sample = send seconds per second / samples sent per second, and the backlog
// is (newest sample received - newest sample sent, in seconds) x incoming rate x kept ratio.
// The result is rounded up; within +-30% of the current count nothing changes; it is never
// lowered while more than 10 s behind; it is clamped to [min_shards, max_shards]. Without
// any sends in the last interval there is nothing to measure and the count stays.
#pragma once

#include <chrono>
#include <cstdint>

namespace strata::rwexporter {

inline constexpr double kShardToleranceFraction = 0.3;
inline constexpr double kBacklogCatchupFraction = 0.05;
inline constexpr double kMaxDelayToDownshardSeconds = 10.0;

struct ShardRates {
  double in = 0;             // samples per second accepted (before write relabeling)
  double dropped = 0;        // samples per second dropped by write relabeling
  double out = 0;            // samples per second whose send finished
  double send_seconds = 0;   // seconds spent sending (retries included) per second
  double delay_seconds = 0;  // newest received sample timestamp - newest sent one
};

struct ShardDecision {
  double desired = 0;   // unrounded, unclamped (the _shards_desired gauge); 0 when unmeasured
  uint32_t shards = 0;  // the count to run next
};

ShardDecision desiredShards(const ShardRates& rates, uint32_t current, uint32_t min_shards,
                            uint32_t max_shards);

// False when `desired` is the current count, or when no send finished within
// 2 x batch_send_deadline (the remote end is failing: resharding would not help). Prometheus
// compares whole Unix seconds, so the window is at least 1 s here too.
bool shouldReshard(uint32_t desired, uint32_t current,
                   std::chrono::steady_clock::duration since_last_send,
                   std::chrono::milliseconds batch_send_deadline);

}  // namespace strata::rwexporter
