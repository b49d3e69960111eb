// The plugin's validate() hook: cross-field checks on a schema-valid config. The plugin
// reports dotted option paths; we turn them back into file positions (OTel's pathError idea,
// with positions).
#include <string>
#include <utility>
#include <vector>

#include "core/config/schema_check.h"

namespace strata::config {
namespace {

struct Reports {
  strata_diag_sink sink;
  std::vector<std::pair<std::string, std::string>> items;  // (path, message)
};

void report(strata_diag_sink* self, const char* path, const char* message) {
  auto* r = static_cast<Reports*>(self->private_data);
  r->items.emplace_back(path ? path : "", message ? message : "(no message)");
}

std::vector<std::string> splitPath(const std::string& path) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= path.size()) {
    size_t dot = path.find('.', start);
    if (dot == std::string::npos) dot = path.size();
    parts.push_back(path.substr(start, dot - start));
    start = dot + 1;
  }
  return parts;
}

bool isIndex(const std::string& s, size_t& index) {
  if (s.empty() || s.find_first_not_of("0123456789") != std::string::npos) return false;
  index = std::stoul(s);
  return true;
}

}  // namespace

SourcePos positionOfPath(const ConfigNode* root, const std::string& path,
                         const SourcePos& fallback) {
  if (!root || path.empty()) return fallback;
  std::vector<std::string> parts = splitPath(path);
  const ConfigNode* node = root;
  SourcePos pos = root->isNull() ? fallback : root->pos;
  size_t i = 0;
  while (i < parts.size()) {
    const ConfigNode* next = nullptr;
    size_t used = 1, index = 0;
    if (node->isSequence() && isIndex(parts[i], index) && index < node->items.size()) {
      next = &node->items[index];
      pos = next->pos;
    } else if (node->isMap()) {
      // A map key may itself contain dots (string maps): try the longest key first.
      for (size_t j = parts.size(); j > i && !next; --j) {
        std::string key = parts[i];
        for (size_t k = i + 1; k < j; ++k) key += "." + parts[k];
        for (size_t m = 0; m < node->keys.size() && !next; ++m) {
          if (node->keys[m].scalar != key) continue;
          next = &node->items[m];
          pos = next->isNull() ? node->keys[m].pos : next->pos;
          used = j - i;
        }
      }
    }
    if (!next) break;
    node = next;
    i += used;
  }
  return pos;
}

SchemaResult checkComponent(const ConfigNode* config, const strata_component_def& def,
                            const std::string& subject, const SourcePos& anchor,
                            Diagnostics& diags) {
  SchemaResult result = checkOptions(config, def.options, def.option_count, subject, anchor, diags);
  if (!result.tree || !def.vtable || !def.vtable->validate) return result;
  Reports reports{{&report, nullptr}, {}};
  reports.sink.private_data = &reports;
  def.vtable->validate(result.tree->root(), &reports.sink);
  for (const auto& [path, message] : reports.items) {
    std::string where = path.empty() ? "" : "option '" + path + "': ";
    diags.error("plugin-validate", positionOfPath(config, path, anchor),
                subject + ": " + where + message);
  }
  if (!reports.items.empty()) result.tree.reset();
  return result;
}

}  // namespace strata::config
