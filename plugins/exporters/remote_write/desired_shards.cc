#include "desired_shards.h"

#include <algorithm>
#include <cmath>

namespace strata::rwexporter {

ShardDecision desiredShards(const ShardRates& r, uint32_t current, uint32_t min_shards,
                            uint32_t max_shards) {
  ShardDecision d{0, current};
  if (r.out <= 0) return d;
  double kept = r.out / (r.dropped + r.out);
  double pending = r.delay_seconds * r.in * kept;
  double time_per_sample = r.send_seconds / r.out;
  d.desired = time_per_sample * (r.in * kept + kBacklogCatchupFraction * pending);
  double lower = current * (1 - kShardToleranceFraction);
  double upper = current * (1 + kShardToleranceFraction);
  double wanted = std::ceil(d.desired);
  if (lower <= wanted && wanted <= upper) return d;
  if (wanted < current && r.delay_seconds > kMaxDelayToDownshardSeconds) return d;
  wanted = std::clamp(wanted, static_cast<double>(min_shards), static_cast<double>(max_shards));
  d.shards = static_cast<uint32_t>(wanted);
  return d;
}

bool shouldReshard(uint32_t desired, uint32_t current,
                   std::chrono::steady_clock::duration since_last_send,
                   std::chrono::milliseconds batch_send_deadline) {
  if (desired == current) return false;
  auto window = std::max<std::chrono::steady_clock::duration>(2 * batch_send_deadline,
                                                              std::chrono::seconds(1));
  return since_last_send <= window;
}

}  // namespace strata::rwexporter
