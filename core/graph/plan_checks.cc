// Pass 5b: checks across components. QUERY_REF options must name Queryables, every component
// outside `services` should be used somewhere, and no two components may listen on the same
// address (the node's own server.listen_address is shared by path, so it is exempt).
#include <algorithm>
#include <set>
#include <tuple>

#include "core/config/did_you_mean.h"
#include "core/graph/plan_internal.h"

namespace strata::graph::detail {
namespace {

void checkQueryRefs(PlanState& st, std::set<std::string>& used) {
  for (const auto& [id, refs] : st.query_refs) {
    const ComponentSpec& from = st.plan.components.at(id);
    for (const config::OptionRef& ref : refs) {
      used.insert(ref.value);
      auto it = st.plan.components.find(ref.value);
      std::vector<std::string> providers;
      for (const auto& [pid, c] : st.plan.components) {
        if (c.type && (c.type->def->provides & STRATA_EDGE_QUERY)) providers.push_back(pid);
      }
      std::string list = providers.empty()
                             ? "no configured component provides the query edge"
                             : "components that provide query: " + config::joinNames(providers);
      if (it == st.plan.components.end()) {
        std::string hint = config::didYouMeanHint(ref.value, providers);
        st.diags.error("dangling-reference", ref.pos,
                       describe(from) + ": option '" + ref.option + "' names '" + ref.value +
                           "', which is not defined",
                       hint.empty() ? list : hint);
      } else if (it->second.type && !(it->second.type->def->provides & STRATA_EDGE_QUERY)) {
        st.diags.error("not-queryable", ref.pos,
                       describe(from) + ": option '" + ref.option + "' names " +
                           describe(it->second) + ", which does not provide the query edge",
                       list);
      }
    }
  }
}

void checkUnused(PlanState& st, std::set<std::string>& used) {
  for (const PipelineSpec& p : st.plan.pipelines) {
    for (const auto* list : {&p.receivers, &p.processors, &p.exporters}) {
      used.insert(list->begin(), list->end());
    }
  }
  for (const auto& [id, c] : st.plan.components) {
    if (c.kind == STRATA_KIND_SERVICE || used.count(id) || st.unresolved.count(id)) continue;
    st.diags.warning("unused-component", c.pos,
                     describe(c) + " is not used by any pipeline or query reference",
                     "add it to a pipeline, or remove it");
  }
}

bool splitHostPort(const std::string& addr, std::string& host, std::string& port) {
  size_t colon = addr.rfind(':');
  if (colon == std::string::npos) return false;
  host = addr.substr(0, colon);
  port = addr.substr(colon + 1);
  if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos)
    return false;
  return std::stoi(port) <= 65535;
}

bool isWildcard(const std::string& host) {
  return host.empty() || host == "0.0.0.0" || host == "::" || host == "[::]";
}

// Same port, and the same host or a wildcard on either side.
bool clashes(const std::string& a, const std::string& b) {
  std::string ha, pa, hb, pb;
  if (!splitHostPort(a, ha, pa) || !splitHostPort(b, hb, pb)) return a == b;
  if (pa != pb || pa == "0") return false;
  return ha == hb || isWildcard(ha) || isWildcard(hb);
}

void checkListenAddresses(PlanState& st) {
  struct Seen {
    std::string id;
    config::OptionRef ref;
  };
  // In file order, so the second of two clashing components is the one reported.
  std::vector<Seen> all;
  for (const auto& [id, refs] : st.listen_refs) {
    for (const config::OptionRef& ref : refs) all.push_back({id, ref});
  }
  std::stable_sort(all.begin(), all.end(), [](const Seen& a, const Seen& b) {
    return std::tie(a.ref.pos.line, a.ref.pos.column) < std::tie(b.ref.pos.line, b.ref.pos.column);
  });
  std::vector<Seen> seen;
  for (const auto& [id, ref] : all) {
    const ComponentSpec& c = st.plan.components.at(id);
    {
      std::string host, port;
      if (!splitHostPort(ref.value, host, port)) {
        st.diags.error(
            "bad-listen-address", ref.pos,
            describe(c) + ": option '" + ref.option + "': '" + ref.value + "' is not host:port",
            "e.g. 127.0.0.1:9090 or :9090");
        continue;
      }
      if (ref.value == st.plan.server.listen_address) continue;
      for (const Seen& s : seen) {
        if (s.id == id || !clashes(s.ref.value, ref.value)) continue;
        st.diags.error("duplicate-listen-address", ref.pos,
                       describe(c) + " listens on '" + ref.value + "', which clashes with " +
                           describe(st.plan.components.at(s.id)) + " on '" + s.ref.value + "' at " +
                           posText(s.ref.pos),
                       "give each component its own port, or use server.listen_address (" +
                           st.plan.server.listen_address + ") which components share by path");
        break;
      }
      seen.push_back({id, ref});
    }
  }
}

}  // namespace

void checkCrossReferences(PlanState& st) {
  std::set<std::string> used;
  checkQueryRefs(st, used);
  checkUnused(st, used);
  checkListenAddresses(st);
}

}  // namespace strata::graph::detail
