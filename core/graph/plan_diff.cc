#include "core/graph/plan_diff.h"

#include <set>

namespace strata::graph {
namespace {

// Every node edge that starts or ends at one of the component's nodes, as text, so two
// plans can be compared without caring about node order.
std::set<std::string> wiringOf(const GraphPlan& plan, const std::string& id) {
  std::set<std::string> mine, out;
  for (const NodeSpec& n : plan.nodes) {
    if (n.component_id == id) mine.insert(n.key);
  }
  for (const NodeSpec& n : plan.nodes) {
    for (const NodeSpec::Edge& e : n.next) {
      if (mine.count(n.key) || mine.count(e.to)) {
        out.insert(n.key + " -" + std::to_string(e.edge) + "-> " + e.to);
      }
    }
  }
  for (const std::string& k : mine) out.insert("node " + k);
  return out;
}

std::string rebuildReason(const GraphPlan& old, const GraphPlan& neu, const ComponentSpec& a,
                          const ComponentSpec& b) {
  if (a.kind != b.kind) return "kind changed";
  std::string ta = a.type ? a.type->type : "", tb = b.type ? b.type->type : "";
  if (ta != tb) return "type changed";
  std::string ca = a.config ? a.config->canonical() : "",
              cb = b.config ? b.config->canonical() : "";
  if (ca != cb) return "config changed";
  if (wiringOf(old, a.id) != wiringOf(neu, b.id)) return "wiring changed";
  return "";
}

}  // namespace

const char* actionName(DiffEntry::Action action) {
  switch (action) {
    case DiffEntry::kKeep:
      return "keep";
    case DiffEntry::kRebuild:
      return "rebuild";
    case DiffEntry::kAdd:
      return "add";
    case DiffEntry::kRemove:
      return "remove";
  }
  return "?";
}

std::vector<DiffEntry> diffPlans(const GraphPlan& old, const GraphPlan& neu) {
  std::set<std::string> ids;
  for (const auto& [id, c] : old.components) ids.insert(id);
  for (const auto& [id, c] : neu.components) ids.insert(id);
  std::vector<DiffEntry> out;
  for (const std::string& id : ids) {
    auto a = old.components.find(id);
    auto b = neu.components.find(id);
    if (a == old.components.end()) {
      out.push_back({id, DiffEntry::kAdd, ""});
    } else if (b == neu.components.end()) {
      out.push_back({id, DiffEntry::kRemove, ""});
    } else {
      std::string reason = rebuildReason(old, neu, a->second, b->second);
      out.push_back({id, reason.empty() ? DiffEntry::kKeep : DiffEntry::kRebuild, reason});
    }
  }
  return out;
}

}  // namespace strata::graph
