// Which blocks answer which part of a select's time range, by downsampling resolution, as
// Thanos' store does (bucketBlockSet.getFor): the query's max_source_resolution (auto: step
// / 5) orders the resolutions present: first those <= it, coarsest first (Thanos' choice),
// then the coarser ones, finest first (beyond Thanos: a range kept only at 5m or 1h still
// answers a raw query instead of coming back empty). Each resolution in turn takes the parts
// of the range that no earlier one covered, so one resolution answers each instant and raw
// and 5m blocks of the same time are never both read (no double counting).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace strata::store_gateway {

// What a select's hints say about resolution (strata_select_hints).
struct ResolutionHints {
  int64_t max_resolution_ms = 0;  // 0 raw; > 0 ms; STRATA_MAX_RESOLUTION_AUTO: step / 5
  int64_t step_ms = 0;            // 0 for an instant query
  std::string function;           // the PromQL function over the selector, "" for none
};

// The max_source_resolution in ms (auto resolved against the step; never negative).
int64_t effectiveMaxResolution(const ResolutionHints& h);

// `present` resolutions in the order they are asked (see above), duplicates removed.
std::vector<int64_t> resolutionPreference(std::vector<int64_t> present, int64_t max_res);

struct PlanBlock {
  int64_t min_t = 0, max_t = 0;  // meta.json's: max_t exclusive
  int64_t resolution_ms = 0;
};

// One block's share of the range: [min_t, max_t] inclusive.
struct PlanPart {
  size_t block = 0;  // index into the blocks given
  int64_t min_t = 0, max_t = 0;
};

// The parts of [min_t, max_t] (inclusive) each block answers, in block order (a block may
// have several parts). Blocks of one resolution that overlap each other all answer their
// common time (the select merges them as before).
std::vector<PlanPart> planResolutions(const std::vector<PlanBlock>& blocks, int64_t min_t,
                                      int64_t max_t, int64_t max_res);

}  // namespace strata::store_gateway
