// Human-readable listing of a registry, for `strata plugins`.
#include <algorithm>
#include <sstream>

#include "core/plugin/registry.h"

namespace strata::plugin {

std::string edgeNames(uint32_t mask) {
  static const std::pair<uint32_t, const char*> kEdges[] = {{STRATA_EDGE_METRICS, "metrics"},
                                                            {STRATA_EDGE_BLOCKS, "blocks"},
                                                            {STRATA_EDGE_QUERY, "query"}};
  std::string out;
  for (const auto& [bit, name] : kEdges) {
    if (!(mask & bit)) continue;
    if (!out.empty()) out += ',';
    out += name;
  }
  return out.empty() ? "-" : out;
}

namespace {

using Row = std::vector<std::string>;

Row rowOf(const ComponentType& c) {
  const strata_component_def* d = c.def;
  auto orDash = [](const char* s) { return std::string(s && *s ? s : "-"); };
  return {std::string(kindName(c.kind)),
          c.type,
          c.plugin_version.empty() ? "-" : c.plugin_version,
          orDash(d ? d->stability : nullptr),
          edgeNames(d ? d->inputs : 0),
          edgeNames(d ? d->outputs : 0),
          edgeNames(d ? d->provides : 0),
          c.path};
}

}  // namespace

std::string describeRegistry(const Registry& registry) {
  std::vector<Row> rows = {
      {"KIND", "TYPE", "VERSION", "STABILITY", "INPUTS", "OUTPUTS", "PROVIDES", "PLUGIN"}};
  for (const auto& [key, c] : registry.all()) rows.push_back(rowOf(c));
  std::vector<size_t> width(rows[0].size(), 0);
  for (const auto& r : rows)
    for (size_t i = 0; i < r.size(); ++i) width[i] = std::max(width[i], r[i].size());
  std::ostringstream out;
  for (const auto& r : rows) {
    std::string line;
    for (size_t i = 0; i < r.size(); ++i) {
      line += r[i];
      if (i + 1 < r.size()) line += std::string(width[i] - r[i].size() + 2, ' ');
    }
    out << line << '\n';
  }
  if (rows.size() == 1) out << "(no plugins loaded)\n";
  return out.str();
}

}  // namespace strata::plugin
