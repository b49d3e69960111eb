// Shared state of the planning passes (plan.cc, plan_components.cc, plan_pipelines.cc,
// plan_checks.cc, plan_wiring.cc). Internal to core/graph; the contract is plan.h.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/config/config_node.h"
#include "core/config/diagnostics.h"
#include "core/config/schema_check.h"
#include "core/graph/plan.h"
#include "core/plugin/registry.h"

namespace strata::graph::detail {

// A component id as written in a pipeline, with its position.
struct RefSite {
  std::string id;
  config::SourcePos pos;
};

struct PipelineRefs {
  std::vector<RefSite> receivers, processors, exporters;
};

struct PlanState {
  const plugin::Registry& registry;
  config::Diagnostics& diags;
  GraphPlan& plan;
  // Ids declared with a type we could not resolve: later passes stay quiet about them so one
  // mistake gives one error.
  std::set<std::string> unresolved;
  std::map<std::string, std::vector<config::OptionRef>> listen_refs, query_refs;
  std::vector<PipelineRefs> pipeline_refs;  // parallel to plan.pipelines
};

// "receiver 'generator/a'"
std::string describe(const ComponentSpec& c);
std::string posText(const config::SourcePos& pos);
// "metrics", "metrics, blocks", "nothing"
std::string edgeNames(uint32_t mask);

// Pass 2+3: ids, types, options (plan_components.cc).
void planComponents(const config::ConfigNode& root, PlanState& st);
// Pass 5a: pipelines, their references and edge types (plan_pipelines.cc).
void planPipelines(const config::ConfigNode* section, PlanState& st);
// Pass 5b: query references, unused components, listen address clashes (plan_checks.cc).
void checkCrossReferences(PlanState& st);
// Pass 5c: nodes, edges, topological order, cycles (plan_wiring.cc).
void wireNodes(PlanState& st);

}  // namespace strata::graph::detail
