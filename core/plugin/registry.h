// The registry of component types, filled only from loaded plugin descriptors (never by
// static initialisers), keyed by (kind, type).
#pragma once

#include <strata/plugin_abi.h>

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace strata::plugin {

// A dlopen()ed plugin file. Kept alive (and the .so mapped) while any ComponentType or instance
// refers to it.
class PluginHandle;

struct ComponentType {
  strata_kind kind;
  std::string type;
  const strata_component_def* def = nullptr;  // points into the plugin's static data
  std::shared_ptr<PluginHandle> plugin;       // pins the .so
  std::string path;                           // plugin file
  std::string plugin_name, plugin_version;
};

std::string_view kindName(strata_kind kind);     // "receiver", "processor", ...
std::string_view kindSection(strata_kind kind);  // "receivers", "processors", ...

class Registry {
 public:
  // Adds every component of a loaded plugin. A (kind, type) already present is refused with
  // a message naming both files; returns the refusals.
  std::vector<std::string> add(const std::vector<ComponentType>& components);
  const ComponentType* find(strata_kind kind, const std::string& type) const;
  std::vector<std::string> typesOf(strata_kind kind) const;
  const std::map<std::pair<int, std::string>, ComponentType>& all() const { return types_; }

 private:
  std::map<std::pair<int, std::string>, ComponentType> types_;
};

// "metrics,query" for an edge mask, "-" for none.
std::string edgeNames(uint32_t mask);

// The table `strata plugins` prints: kind, type, version, stability, inputs, outputs, provides
// and the plugin file, one component per line, sorted by kind then type.
std::string describeRegistry(const Registry& registry);

}  // namespace strata::plugin
