#include "core/plugin/registry.h"

#include <set>

namespace strata::plugin {

std::string_view kindName(strata_kind kind) {
  switch (kind) {
    case STRATA_KIND_RECEIVER:
      return "receiver";
    case STRATA_KIND_PROCESSOR:
      return "processor";
    case STRATA_KIND_EXPORTER:
      return "exporter";
    case STRATA_KIND_STORAGE:
      return "storage";
    case STRATA_KIND_SERVICE:
      return "service";
  }
  return "unknown";
}

std::string_view kindSection(strata_kind kind) {
  switch (kind) {
    case STRATA_KIND_RECEIVER:
      return "receivers";
    case STRATA_KIND_PROCESSOR:
      return "processors";
    case STRATA_KIND_EXPORTER:
      return "exporters";
    case STRATA_KIND_STORAGE:
      return "storage";
    case STRATA_KIND_SERVICE:
      return "services";
  }
  return "unknown";
}

// All or nothing: a plugin with one clashing component is refused as a whole, so the loader
// can close it without leaving half of it registered.
std::vector<std::string> Registry::add(const std::vector<ComponentType>& components) {
  std::vector<std::string> refusals;
  std::set<std::pair<int, std::string>> seen;
  for (const auto& c : components) {
    auto key = std::make_pair(static_cast<int>(c.kind), c.type);
    std::string what = std::string(kindName(c.kind)) + " type '" + c.type + "'";
    if (auto it = types_.find(key); it != types_.end()) {
      refusals.push_back(c.path + ": refused: duplicate " + what + " (already loaded from " +
                         it->second.path + ", got it again from " + c.path + ")");
    } else if (!seen.insert(key).second) {
      refusals.push_back(c.path + ": refused: duplicate " + what + " (declared twice in " + c.path +
                         ")");
    }
  }
  if (!refusals.empty()) return refusals;
  for (const auto& c : components) types_[{static_cast<int>(c.kind), c.type}] = c;
  return refusals;
}

const ComponentType* Registry::find(strata_kind kind, const std::string& type) const {
  auto it = types_.find({static_cast<int>(kind), type});
  return it == types_.end() ? nullptr : &it->second;
}

std::vector<std::string> Registry::typesOf(strata_kind kind) const {
  std::vector<std::string> out;
  for (const auto& [key, c] : types_)
    if (key.first == static_cast<int>(kind)) out.push_back(c.type);
  return out;
}

}  // namespace strata::plugin
