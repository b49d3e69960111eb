// Pass 5c: the instance graph. Receivers, exporters, storage and services are one node per
// id; a processor is one node per (pipeline, id). Each receiver feeds the first processor of
// each of its pipelines (or all its exporters), processors form a chain, and the last one
// feeds every exporter. Nodes come out in topological order (Kahn); a leftover means a
// cycle, which is found by DFS and printed as a loop from a stable start (OTel's cycleErr).
#include <algorithm>
#include <functional>
#include <map>
#include <set>

#include "core/graph/plan_internal.h"

namespace strata::graph::detail {
namespace {

struct Wiring {
  std::map<std::string, NodeSpec> nodes;
  // Ordering-only dependencies: a QUERY_REF consumer comes before its provider, so building
  // in reverse order creates the provider first (the host hands its Queryable over).
  std::map<std::string, std::set<std::string>> after;

  NodeSpec& node(const std::string& key, const std::string& component,
                 const std::string& pipeline = "") {
    NodeSpec& n = nodes[key];
    n.key = key;
    n.component_id = component;
    n.pipeline = pipeline;
    return n;
  }
  void link(const std::string& from, const std::string& to, uint32_t edge) {
    auto& next = nodes.at(from).next;
    for (const NodeSpec::Edge& e : next) {
      if (e.to == to && e.edge == edge) return;
    }
    next.push_back({edge, to});
  }
  std::set<std::string> successors(const std::string& key) const {
    std::set<std::string> out;
    for (const NodeSpec::Edge& e : nodes.at(key).next) out.insert(e.to);
    if (auto it = after.find(key); it != after.end())
      out.insert(it->second.begin(), it->second.end());
    return out;
  }
};

void wirePipeline(Wiring& w, const PipelineSpec& p, const PipelineRefs& refs) {
  std::vector<std::string> stage;
  for (const RefSite& r : refs.receivers) stage.push_back(w.node(r.id, r.id).key);
  for (const RefSite& r : refs.processors) {
    std::string key = p.id + "|" + r.id;
    w.node(key, r.id, p.id);
    for (const std::string& from : stage) w.link(from, key, p.edge);
    stage = {key};
  }
  for (const RefSite& r : refs.exporters) {
    w.node(r.id, r.id);
    for (const std::string& from : stage) w.link(from, r.id, p.edge);
  }
}

std::string nodeName(const PlanState& st, const NodeSpec& n) {
  std::string s = describe(st.plan.components.at(n.component_id));
  return n.pipeline.empty() ? s : s + " (pipeline " + n.pipeline + ")";
}

// A loop among `left` (nodes Kahn could not order), rotated to start at its smallest key.
std::vector<std::string> findCycle(const Wiring& w, const std::set<std::string>& left) {
  std::map<std::string, int> state;  // 1 on the stack, 2 done
  std::vector<std::string> stack, cycle;
  std::function<bool(const std::string&)> dfs = [&](const std::string& k) {
    state[k] = 1;
    stack.push_back(k);
    for (const std::string& next : w.successors(k)) {
      if (!left.count(next)) continue;
      if (state[next] == 1) {
        cycle.assign(std::find(stack.begin(), stack.end(), next), stack.end());
        return true;
      }
      if (state[next] == 0 && dfs(next)) return true;
    }
    stack.pop_back();
    state[k] = 2;
    return false;
  };
  for (const std::string& k : left) {
    if (state[k] == 0 && dfs(k)) break;
  }
  std::rotate(cycle.begin(), std::min_element(cycle.begin(), cycle.end()), cycle.end());
  return cycle;
}

}  // namespace

void wireNodes(PlanState& st) {
  Wiring w;
  for (size_t i = 0; i < st.plan.pipelines.size(); ++i) {
    wirePipeline(w, st.plan.pipelines[i], st.pipeline_refs[i]);
  }
  for (const auto& [id, c] : st.plan.components) {
    if (c.kind == STRATA_KIND_SERVICE && !st.unresolved.count(id)) w.node(id, id);
  }
  for (const auto& [id, refs] : st.query_refs) {
    for (const config::OptionRef& r : refs) {
      auto it = st.plan.components.find(r.value);
      if (it == st.plan.components.end() || !it->second.type) continue;
      if (!(it->second.type->def->provides & STRATA_EDGE_QUERY)) continue;
      if (!w.nodes.count(id)) w.node(id, id);
      if (!w.nodes.count(r.value)) w.node(r.value, r.value);
      w.after[id].insert(r.value);
    }
  }
  std::map<std::string, int> indegree;
  for (const auto& [key, n] : w.nodes) {
    indegree[key];
    for (const std::string& to : w.successors(key)) ++indegree[to];
  }
  std::set<std::string> ready, left;
  for (const auto& [key, d] : indegree) (d == 0 ? ready : left).insert(key);
  while (!ready.empty()) {
    std::string key = *ready.begin();
    ready.erase(ready.begin());
    st.plan.nodes.push_back(w.nodes.at(key));
    for (const std::string& to : w.successors(key)) {
      if (--indegree[to] == 0) {
        left.erase(to);
        ready.insert(to);
      }
    }
  }
  if (left.empty()) return;
  std::vector<std::string> cycle = findCycle(w, left);
  if (cycle.empty()) return;
  std::string text;
  for (const std::string& k : cycle) text += nodeName(st, w.nodes.at(k)) + " -> ";
  text += nodeName(st, w.nodes.at(cycle.front()));
  const NodeSpec& first = w.nodes.at(cycle.front());
  st.diags.error("cycle", st.plan.components.at(first.component_id).pos,
                 "the pipelines form a cycle: " + text,
                 "a component must not feed itself, directly or through other pipelines");
}

}  // namespace strata::graph::detail
