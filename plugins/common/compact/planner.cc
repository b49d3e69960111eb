#include "compact/planner.h"

#include <algorithm>

namespace strata::compact {
namespace {

using Metas = std::vector<tsdb::BlockMeta>;

// Aligned windows of `range`, each with the consecutive blocks that fit in it.
std::vector<Metas> splitByRange(const Metas& ds, int64_t range) {
  std::vector<Metas> out;
  for (size_t i = 0; i < ds.size();) {
    int64_t mint = ds[i].min_time;
    int64_t t0 = mint >= 0 ? range * (mint / range) : range * ((mint - range + 1) / range);
    if (ds[i].max_time > t0 + range) {  // crosses the window: not at this level
      ++i;
      continue;
    }
    Metas group;
    for (; i < ds.size() && ds[i].max_time <= t0 + range; ++i) group.push_back(ds[i]);
    out.push_back(std::move(group));
  }
  return out;
}

Metas selectByLevels(const std::vector<int64_t>& ranges, const Metas& ds) {
  if (ds.empty()) return {};
  int64_t high = ds.back().min_time;
  for (size_t r = 1; r < ranges.size(); ++r) {
    for (Metas& part : splitByRange(ds, ranges[r])) {
      if (part.size() < 2) continue;
      int64_t mint = part.front().min_time, maxt = part.back().max_time;
      if (maxt - mint == ranges[r] || maxt <= high) return part;
    }
  }
  return {};
}

}  // namespace

Metas firstOverlap(const Metas& sorted) {
  Metas out;
  if (sorted.size() < 2) return out;
  int64_t global_max = sorted[0].max_time;
  for (size_t i = 1; i < sorted.size(); ++i) {
    const auto& m = sorted[i];
    if (m.min_time < global_max) {
      if (out.empty()) out.push_back(sorted[i - 1]);
      out.push_back(m);
    } else if (!out.empty()) {
      break;
    }
    global_max = std::max(global_max, m.max_time);
  }
  return out;
}

Plan planStream(const Metas& blocks, const std::set<std::string>& no_compact,
                const PlannerOptions& options) {
  Plan plan;
  Metas candidates;
  for (const auto& m : blocks)
    if (!no_compact.count(m.ulid)) candidates.push_back(m);

  for (Metas overlap = firstOverlap(candidates); !overlap.empty();
       overlap = firstOverlap(candidates)) {
    if (options.vertical_compaction) {
      plan.group = std::move(overlap);
      plan.vertical = true;
      return plan;
    }
    std::erase_if(candidates, [&](const tsdb::BlockMeta& m) {
      return std::any_of(overlap.begin(), overlap.end(),
                         [&](const tsdb::BlockMeta& o) { return o.ulid == m.ulid; });
    });
    plan.overlaps.push_back(std::move(overlap));
  }
  if (candidates.size() < 2) return plan;
  candidates.pop_back();  // the newest block waits for the next one
  plan.group = selectByLevels(options.ranges, candidates);
  return plan;
}

std::string checkRanges(const std::vector<int64_t>& ranges) {
  if (ranges.empty()) return "must not be empty";
  for (size_t i = 0; i < ranges.size(); ++i) {
    if (ranges[i] <= 0) return "ranges must be positive";
    if (i > 0 && (ranges[i] <= ranges[i - 1] || ranges[i] % ranges[i - 1] != 0))
      return "each range must be a larger multiple of the one before";
  }
  return "";
}

}  // namespace strata::compact
