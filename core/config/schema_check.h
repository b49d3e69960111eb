// A component's options checked against its C option table (strata_option_def[]): unknown
// options (with did-you-mean and the allowed list), wrong types, missing required ones, bad
// durations, nested objects and lists of objects. Defaults (YAML text in the table) are
// filled in and the result frozen into a ValueTree. Everything wrong is reported, not just
// the first problem.
#pragma once

#include <strata/plugin_abi.h>

#include <memory>
#include <string>
#include <vector>

#include "core/config/config_node.h"
#include "core/config/diagnostics.h"
#include "core/config/value_tree.h"

namespace strata::config {

// A value of a LISTEN_ADDRESS or QUERY_REF option, for the graph checks.
struct OptionRef {
  std::string option;  // dotted path
  std::string value;
  SourcePos pos;  // the value's, or the component's when defaulted
};

struct SchemaResult {
  std::shared_ptr<const ValueTree> tree;  // null when the options have errors
  std::vector<OptionRef> listen_addresses;
  std::vector<OptionRef> query_refs;
};

// `config`: the component's map (null or a null node: no options given). `subject` names the
// component in messages ("receiver 'generator/a'"); `anchor` is where problems without a
// position of their own (a missing option) point: the component's id key.
SchemaResult checkOptions(const ConfigNode* config, const strata_option_def* defs, size_t count,
                          const std::string& subject, const SourcePos& anchor, Diagnostics& diags);

// checkOptions() against def's table, then the plugin's side-effect-free validate() hook,
// whose dotted option paths are mapped back to positions in `config`.
SchemaResult checkComponent(const ConfigNode* config, const strata_component_def& def,
                            const std::string& subject, const SourcePos& anchor,
                            Diagnostics& diags);

// Position of a dotted path ("queue.capacity", "targets.0") in `root`; the deepest existing
// node's position when the path goes further than the file does, `fallback` for "".
SourcePos positionOfPath(const ConfigNode* root, const std::string& path,
                         const SourcePos& fallback);

}  // namespace strata::config
