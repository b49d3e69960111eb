#include "yaml_config.h"

#include "core/config/config_node.h"
#include "core/config/env_expand.h"
#include "core/config/schema_check.h"

namespace strata::testing {

YamlConfig::YamlConfig(const std::string& yaml, const strata_option_def* defs, size_t n) {
  config::Diagnostics diags;
  config::ConfigNode node = config::parseYaml(yaml, "test.yaml", diags);
  config::expandEnv(node, diags);  // as the host does: `$${` is a literal `${`
  config::SchemaResult r =
      config::checkOptions(&node, defs, n, "test", config::SourcePos{"test.yaml", 1, 1}, diags);
  for (const auto& d : diags.items()) {
    if (d.severity == config::Severity::kError)
      errors_.push_back(std::to_string(d.pos.line) + ":" + d.message);
  }
  if (r.tree) {
    root_ = r.tree->root();
    tree_ = r.tree;
  }
}

YamlConfig::~YamlConfig() = default;

sdk::ConfigView YamlConfig::view() const { return sdk::ConfigView(root_); }

std::vector<std::string> runValidate(void (*fn)(const sdk::ConfigView&, strata_diag_sink*),
                                     const sdk::ConfigView& config) {
  struct Sink : strata_diag_sink {
    std::vector<std::string> out;
  } sink;
  sink.private_data = nullptr;
  sink.report = [](strata_diag_sink* self, const char* path, const char* msg) {
    static_cast<Sink*>(self)->out.push_back(std::string(path) + ": " + msg);
  };
  fn(config, &sink);
  return sink.out;
}

}  // namespace strata::testing
