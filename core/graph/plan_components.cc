// Pass 2 and 3 of planning: component ids (`type[/name]`), their types in the registry and
// their options against the plugin's schema.
#include <regex>

#include "core/config/did_you_mean.h"
#include "core/graph/plan_internal.h"

namespace strata::graph::detail {
namespace {

constexpr strata_kind kKinds[] = {STRATA_KIND_RECEIVER, STRATA_KIND_PROCESSOR, STRATA_KIND_EXPORTER,
                                  STRATA_KIND_STORAGE, STRATA_KIND_SERVICE};

// OTel's identifiable rules, narrowed: the type is lower_snake_case, the name is free text
// without whitespace, control characters or '|' (node keys use it as a separator).
bool splitId(const std::string& id, std::string& type, std::string& error) {
  static const std::regex kType("^[a-z][a-z0-9_]{0,62}$");
  size_t slash = id.find('/');
  type = id.substr(0, slash);
  if (!std::regex_match(type, kType)) {
    error = "the type '" + type + "' must match ^[a-z][a-z0-9_]{0,62}$";
    return false;
  }
  if (slash == std::string::npos) return true;
  std::string name = id.substr(slash + 1);
  if (name.empty()) {
    error = "the name after '/' is empty";
    return false;
  }
  for (unsigned char c : name) {
    if (c <= ' ' || c == 0x7f || c == '|') {
      error = "the name '" + name + "' contains whitespace, a control character or '|'";
      return false;
    }
  }
  return true;
}

void unknownType(const PlanState& st, strata_kind kind, const std::string& type,
                 const config::SourcePos& pos) {
  std::string what = std::string(plugin::kindName(kind)) + " type '" + type + "'";
  for (strata_kind other : kKinds) {
    if (other == kind || !st.registry.find(other, type)) continue;
    st.diags.error(
        "unknown-type", pos,
        what + " is not registered; '" + type + "' is a " + std::string(plugin::kindName(other)),
        "move it under '" + std::string(plugin::kindSection(other)) + "'");
    return;
  }
  std::vector<std::string> known = st.registry.typesOf(kind);
  std::string hint = config::didYouMeanHint(type, known);
  if (hint.empty()) {
    hint = known.empty() ? "no " + std::string(plugin::kindName(kind)) +
                               " plugins are loaded; check --plugin-dir"
                         : "registered " + std::string(plugin::kindSection(kind)) + ": " +
                               config::joinNames(known);
  }
  st.diags.error("unknown-type", pos, what + " is not registered", hint);
}

void planComponent(PlanState& st, strata_kind kind, const config::ConfigNode& key,
                   const config::ConfigNode& value) {
  ComponentSpec spec;
  spec.id = key.scalar;
  spec.kind = kind;
  spec.pos = key.pos;
  if (auto it = st.plan.components.find(spec.id); it != st.plan.components.end()) {
    if (it->second.kind == kind) return;  // a duplicate YAML key: the parser reported it
    st.diags.error("duplicate-id", key.pos,
                   "component id '" + spec.id + "' is already used by the " + describe(it->second) +
                       " at " + posText(it->second.pos),
                   "ids must be unique across all sections");
    return;
  }
  std::string type, error;
  if (!splitId(spec.id, type, error)) {
    st.diags.error("bad-id", key.pos, "invalid component id '" + spec.id + "': " + error,
                   "ids are 'type' or 'type/name', e.g. 'remote_write/eu'");
    st.unresolved.insert(spec.id);
    st.plan.components.emplace(spec.id, spec);
    return;
  }
  spec.type = st.registry.find(kind, type);
  if (!spec.type) {
    unknownType(st, kind, type, key.pos);
    st.unresolved.insert(spec.id);
    st.plan.components.emplace(spec.id, spec);
    return;
  }
  config::SchemaResult checked =
      config::checkComponent(&value, *spec.type->def, describe(spec), key.pos, st.diags);
  spec.config = checked.tree;
  for (const config::OptionRef& r : checked.query_refs) spec.query_refs.push_back(r.value);
  for (const config::OptionRef& r : checked.listen_addresses)
    spec.listen_addresses.push_back(r.value);
  st.query_refs[spec.id] = checked.query_refs;
  st.listen_refs[spec.id] = checked.listen_addresses;
  st.plan.components.emplace(spec.id, std::move(spec));
}

}  // namespace

void planComponents(const config::ConfigNode& root, PlanState& st) {
  for (strata_kind kind : kKinds) {
    const config::ConfigNode* section = root.find(plugin::kindSection(kind));
    if (!section || section->isNull()) continue;
    if (!section->isMap()) {
      st.diags.error("wrong-type", section->pos,
                     "section '" + std::string(plugin::kindSection(kind)) +
                         "' must be a map of component ids, got " + section->describe());
      continue;
    }
    for (size_t i = 0; i < section->keys.size(); ++i) {
      planComponent(st, kind, section->keys[i], section->items[i]);
    }
  }
}

}  // namespace strata::graph::detail
