#include "resolution_plan.h"

#include <strata/plugin_abi.h>

#include <algorithm>
#include <utility>

namespace strata::store_gateway {
namespace {

using Interval = std::pair<int64_t, int64_t>;  // inclusive

// `set` minus [lo, hi].
std::vector<Interval> subtract(const std::vector<Interval>& set, int64_t lo, int64_t hi) {
  std::vector<Interval> out;
  for (const auto& [a, b] : set) {
    if (hi < a || lo > b) {
      out.push_back({a, b});
      continue;
    }
    if (a < lo) out.push_back({a, lo - 1});
    if (hi < b) out.push_back({hi + 1, b});
  }
  return out;
}

}  // namespace

int64_t effectiveMaxResolution(const ResolutionHints& h) {
  if (h.max_resolution_ms == STRATA_MAX_RESOLUTION_AUTO) return std::max<int64_t>(0, h.step_ms / 5);
  return std::max<int64_t>(0, h.max_resolution_ms);
}

std::vector<int64_t> resolutionPreference(std::vector<int64_t> present, int64_t max_res) {
  std::sort(present.begin(), present.end());
  present.erase(std::unique(present.begin(), present.end()), present.end());
  std::vector<int64_t> out;
  for (auto it = present.rbegin(); it != present.rend(); ++it)
    if (*it <= max_res) out.push_back(*it);  // usable: coarsest first
  for (int64_t r : present)
    if (r > max_res) out.push_back(r);  // fallback: finest first
  return out;
}

std::vector<PlanPart> planResolutions(const std::vector<PlanBlock>& blocks, int64_t min_t,
                                      int64_t max_t, int64_t max_res) {
  std::vector<int64_t> present;
  for (const auto& b : blocks) present.push_back(b.resolution_ms);
  std::vector<Interval> open{{min_t, max_t}};
  std::vector<PlanPart> parts;
  for (int64_t res : resolutionPreference(present, max_res)) {
    if (open.empty()) break;
    std::vector<Interval> left = open;
    for (size_t i = 0; i < blocks.size(); ++i) {
      const auto& b = blocks[i];
      if (b.resolution_ms != res || b.max_t <= b.min_t) continue;
      for (const auto& [a, z] : open) {
        int64_t lo = std::max(a, b.min_t), hi = std::min(z, b.max_t - 1);
        if (lo <= hi) parts.push_back({i, lo, hi});
      }
      left = subtract(left, b.min_t, b.max_t - 1);
    }
    open = std::move(left);
  }
  std::stable_sort(parts.begin(), parts.end(),
                   [](const PlanPart& x, const PlanPart& y) { return x.block < y.block; });
  return parts;
}

}  // namespace strata::store_gateway
