#include "compact/stream.h"

#include <algorithm>

namespace strata::compact {

std::string StreamKey::str() const {
  std::string s = "{";
  for (const auto& [k, v] : labels) s += (s.size() > 1 ? "," : "") + k + "=\"" + v + "\"";
  return s + "}@" + std::to_string(resolution_ms);
}

StreamKey streamKeyOf(const tsdb::BlockMeta& meta, const std::vector<std::string>& replica_labels) {
  StreamKey k;
  k.labels = meta.thanos_labels;
  for (const auto& r : replica_labels) k.labels.erase(r);
  k.resolution_ms = meta.downsample_resolution_ms;
  return k;
}

std::map<StreamKey, std::vector<tsdb::BlockMeta>> groupByStream(
    const std::vector<tsdb::BlockMeta>& blocks, const std::vector<std::string>& replica_labels) {
  std::map<StreamKey, std::vector<tsdb::BlockMeta>> out;
  for (const auto& m : blocks) out[streamKeyOf(m, replica_labels)].push_back(m);
  for (auto& [key, metas] : out)
    std::sort(metas.begin(), metas.end(), [](const tsdb::BlockMeta& a, const tsdb::BlockMeta& b) {
      return a.min_time != b.min_time ? a.min_time < b.min_time : a.ulid < b.ulid;
    });
  return out;
}

}  // namespace strata::compact
