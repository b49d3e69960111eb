// Pass 5a: pipelines. Each `metrics[/name]` or `blocks[/name]` lists receivers, processors
// and exporters; every reference must resolve to the right section, and every link must
// carry the pipeline's edge type (upstream outputs it, downstream accepts it).
#include <set>

#include "core/config/did_you_mean.h"
#include "core/graph/plan_internal.h"

namespace strata::graph::detail {
namespace {

using config::ConfigNode;

// The kinds allowed in each role. Storage is a connector: it may end one pipeline and start
// another; the edge type check decides where that makes sense.
const std::initializer_list<strata_kind> kReceiverKinds = {STRATA_KIND_RECEIVER,
                                                           STRATA_KIND_STORAGE};
const std::initializer_list<strata_kind> kProcessorKinds = {STRATA_KIND_PROCESSOR};
const std::initializer_list<strata_kind> kExporterKinds = {STRATA_KIND_EXPORTER,
                                                           STRATA_KIND_STORAGE};

bool pipelineEdge(const std::string& id, uint32_t& edge, std::string& error) {
  size_t slash = id.find('/');
  std::string prefix = id.substr(0, slash);
  if (prefix == "metrics") {
    edge = STRATA_EDGE_METRICS;
  } else if (prefix == "blocks") {
    edge = STRATA_EDGE_BLOCKS;
  } else {
    error = config::didYouMeanHint(prefix, {"metrics", "blocks"});
    return false;
  }
  if (slash != std::string::npos && slash + 1 == id.size()) return false;
  return true;
}

std::vector<RefSite> readList(PlanState& st, const PipelineSpec& p, const ConfigNode& key,
                              const ConfigNode& value) {
  std::vector<RefSite> out;
  if (value.isNull()) return out;
  if (!value.isSequence()) {
    st.diags.error("wrong-type", value.pos,
                   "pipeline '" + p.id + "': '" + key.scalar +
                       "' must be a list of component ids, got " + value.describe());
    return out;
  }
  std::set<std::string> seen;
  for (const ConfigNode& item : value.items) {
    if (!item.isScalar()) {
      st.diags.error("wrong-type", item.pos,
                     "pipeline '" + p.id + "': '" + key.scalar +
                         "' entries must be component ids, got " + item.describe());
      continue;
    }
    if (!seen.insert(item.scalar).second) {
      st.diags.error("duplicate-reference", item.pos,
                     "pipeline '" + p.id + "' lists '" + item.scalar + "' twice in " + key.scalar);
      continue;
    }
    out.push_back({item.scalar, item.pos});
  }
  return out;
}

// Reports a reference that does not resolve to one of `kinds`; true when it resolves.
bool resolve(PlanState& st, const PipelineSpec& p, const RefSite& ref, const char* role,
             std::initializer_list<strata_kind> kinds) {
  auto it = st.plan.components.find(ref.id);
  if (it == st.plan.components.end()) {
    std::vector<std::string> candidates;
    for (const auto& [id, c] : st.plan.components) {
      for (strata_kind k : kinds) {
        if (c.kind == k) candidates.push_back(id);
      }
    }
    std::string hint = config::didYouMeanHint(ref.id, candidates);
    st.diags.error(
        "dangling-reference", ref.pos,
        "pipeline '" + p.id + "' references " + role + " '" + ref.id + "', which is not defined",
        hint.empty() ? "define it under '" + std::string(plugin::kindSection(*kinds.begin())) + "'"
                     : hint);
    return false;
  }
  for (strata_kind k : kinds) {
    if (it->second.kind == k) return !st.unresolved.count(ref.id);
  }
  st.diags.error("wrong-kind", ref.pos,
                 "pipeline '" + p.id + "' lists '" + ref.id + "' among its " + role +
                     "s, but it is a " + std::string(plugin::kindName(it->second.kind)));
  return false;
}

std::vector<RefSite> resolved(PlanState& st, const PipelineSpec& p,
                              const std::vector<RefSite>& refs, const char* role,
                              std::initializer_list<strata_kind> kinds) {
  std::vector<RefSite> out;
  for (const RefSite& r : refs) {
    if (resolve(st, p, r, role, kinds)) out.push_back(r);
  }
  return out;
}

// Every link of stage i to stage i+1 must carry the pipeline's edge type.
void checkEdgeTypes(PlanState& st, const PipelineSpec& p,
                    const std::vector<std::vector<RefSite>>& stages) {
  std::set<std::string> reported;
  std::string t = edgeNames(p.edge);
  for (size_t i = 0; i + 1 < stages.size(); ++i) {
    for (const RefSite& u : stages[i]) {
      for (const RefSite& v : stages[i + 1]) {
        const ComponentSpec& up = st.plan.components.at(u.id);
        const ComponentSpec& down = st.plan.components.at(v.id);
        if (!(up.type->def->outputs & p.edge) && reported.insert("out " + u.id).second) {
          st.diags.error("type-mismatch", u.pos,
                         "pipeline '" + p.id + "' carries " + t + ", but " + describe(up) +
                             " outputs " + edgeNames(up.type->def->outputs) +
                             ", so it cannot feed " + describe(down));
        }
        if (!(down.type->def->inputs & p.edge) && reported.insert("in " + v.id).second) {
          st.diags.error("type-mismatch", v.pos,
                         "pipeline '" + p.id + "' carries " + t + ", but " + describe(down) +
                             " accepts " + edgeNames(down.type->def->inputs) +
                             ", so it cannot be fed by " + describe(up));
        }
      }
    }
  }
}

void planPipeline(PlanState& st, const ConfigNode& key, const ConfigNode& value) {
  PipelineSpec p;
  p.id = key.scalar;
  p.pos = key.pos;
  std::string hint;
  if (!pipelineEdge(p.id, p.edge, hint)) {
    st.diags.error("bad-pipeline-id", key.pos,
                   "invalid pipeline id '" + p.id +
                       "': it must be 'metrics[/name]' or "
                       "'blocks[/name]'",
                   hint);
    return;
  }
  if (!value.isMap() && !value.isNull()) {
    st.diags.error("wrong-type", value.pos,
                   "pipeline '" + p.id + "' must be a map, got " + value.describe());
    return;
  }
  PipelineRefs refs;
  for (size_t i = 0; i < value.keys.size(); ++i) {
    const ConfigNode& k = value.keys[i];
    if (k.scalar == "receivers") {
      refs.receivers = readList(st, p, k, value.items[i]);
    } else if (k.scalar == "processors") {
      refs.processors = readList(st, p, k, value.items[i]);
    } else if (k.scalar == "exporters") {
      refs.exporters = readList(st, p, k, value.items[i]);
    } else {
      std::string h = config::didYouMeanHint(k.scalar, {"receivers", "processors", "exporters"});
      st.diags.error("unknown-key", k.pos,
                     "pipeline '" + p.id + "': unknown key '" + k.scalar + "'",
                     h.empty() ? "allowed: receivers, processors, exporters" : h);
    }
  }
  for (const char* role : {"receivers", "exporters"}) {
    bool empty = std::string(role) == "receivers" ? refs.receivers.empty() : refs.exporters.empty();
    if (empty) {
      st.diags.error("empty-pipeline", key.pos, "pipeline '" + p.id + "' has no " + role);
    }
  }
  for (const RefSite& r : refs.receivers) p.receivers.push_back(r.id);
  for (const RefSite& r : refs.processors) p.processors.push_back(r.id);
  for (const RefSite& r : refs.exporters) p.exporters.push_back(r.id);

  // Only resolved references take part in the edge checks and the wiring.
  PipelineRefs ok;
  ok.receivers = resolved(st, p, refs.receivers, "receiver", kReceiverKinds);
  ok.processors = resolved(st, p, refs.processors, "processor", kProcessorKinds);
  ok.exporters = resolved(st, p, refs.exporters, "exporter", kExporterKinds);
  std::vector<std::vector<RefSite>> stages = {ok.receivers};
  for (const RefSite& r : ok.processors) stages.push_back({r});
  stages.push_back(ok.exporters);
  checkEdgeTypes(st, p, stages);
  st.plan.pipelines.push_back(std::move(p));
  st.pipeline_refs.push_back(std::move(ok));
}

}  // namespace

void planPipelines(const ConfigNode* section, PlanState& st) {
  if (!section || section->isNull()) return;
  if (!section->isMap()) {
    st.diags.error("wrong-type", section->pos,
                   "section 'pipelines' must be a map of pipeline ids, got " + section->describe());
    return;
  }
  for (size_t i = 0; i < section->keys.size(); ++i) {
    planPipeline(st, section->keys[i], section->items[i]);
  }
}

}  // namespace strata::graph::detail
