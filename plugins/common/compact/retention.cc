#include "compact/retention.h"

#include <algorithm>

#include "compact/downsample.h"
#include "compact/downsample_block.h"
#include "compact/stream.h"

namespace strata::compact {

int64_t ResolutionPolicy::retentionOf(int64_t resolution_ms) const {
  if (resolution_ms == 0) return retention_raw_ms;
  if (resolution_ms == kRes5m) return retention_5m_ms;
  if (resolution_ms == kRes1h) return retention_1h_ms;
  return 0;
}

namespace {

bool pastRetention(const tsdb::BlockMeta& m, int64_t resolution, const ResolutionPolicy& p,
                   int64_t now_ms) {
  int64_t r = p.retentionOf(resolution);
  return r > 0 && m.max_time < now_ms - r;
}

std::vector<std::string> sourcesOf(const tsdb::BlockMeta& m) {
  if (m.compaction_sources.empty()) return {m.ulid};
  return m.compaction_sources;
}

}  // namespace

std::vector<tsdb::BlockMeta> downsampleCandidates(const std::vector<tsdb::BlockMeta>& blocks,
                                                  const std::set<std::string>& no_downsample,
                                                  const ResolutionPolicy& policy, int64_t now_ms,
                                                  const std::vector<std::string>& replica_labels) {
  // Sources already covered, per (external labels, resolution).
  std::map<StreamKey, std::set<std::string>> covered;
  for (const auto& m : blocks)
    for (const auto& s : sourcesOf(m)) covered[streamKeyOf(m, replica_labels)].insert(s);
  std::vector<tsdb::BlockMeta> out;
  for (const auto& m : blocks) {
    if (no_downsample.count(m.ulid)) continue;
    const int64_t next = nextResolution(m.downsample_resolution_ms);
    if (next == 0) continue;
    const int64_t after = m.downsample_resolution_ms == 0 ? policy.downsample_raw_after_ms
                                                          : policy.downsample_5m_after_ms;
    if (m.max_time - m.min_time < after) continue;
    if (pastRetention(m, next, policy, now_ms)) continue;
    StreamKey target = streamKeyOf(m, replica_labels);
    target.resolution_ms = next;
    auto it = covered.find(target);
    const auto srcs = sourcesOf(m);
    bool done = it != covered.end() && std::all_of(srcs.begin(), srcs.end(), [&](const auto& s) {
                  return it->second.count(s) > 0;
                });
    if (!done) out.push_back(m);
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return a.min_time != b.min_time ? a.min_time < b.min_time : a.ulid < b.ulid;
  });
  return out;
}

std::vector<std::string> pastRetention(const std::vector<tsdb::BlockMeta>& blocks,
                                       const ResolutionPolicy& policy, int64_t now_ms) {
  std::vector<std::string> out;
  for (const auto& m : blocks)
    if (pastRetention(m, m.downsample_resolution_ms, policy, now_ms)) out.push_back(m.ulid);
  return out;
}

}  // namespace strata::compact
