// What a reload has to do, per component id, going from a running plan to a new one: keep
// it (same kind, type, canonical config and wiring), rebuild it, add it or remove it. Pure;
// `pipeline-lint --diff` prints it and the host's reload acts on it.
#pragma once

#include <string>
#include <vector>

#include "core/graph/plan.h"

namespace strata::graph {

struct DiffEntry {
  enum Action { kKeep, kRebuild, kAdd, kRemove };
  std::string id;
  Action action = kKeep;
  std::string reason;  // for kRebuild: "config changed", "wiring changed", ...
};

const char* actionName(DiffEntry::Action action);  // "keep", "rebuild", "add", "remove"

// One entry per component id present in either plan, sorted by id.
std::vector<DiffEntry> diffPlans(const GraphPlan& old, const GraphPlan& neu);

}  // namespace strata::graph
