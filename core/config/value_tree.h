// A validated configuration subtree in the C ABI's shape (strata_value), owning its memory,
// with defaults from the option schema filled in. What create() receives.
#pragma once

#include <strata/plugin_abi.h>

#include <deque>
#include <memory>
#include <string>
#include <vector>

namespace strata::config {

// The mutable form the schema checker fills in before freezing it into a ValueTree.
struct ValueNode {
  strata_value_kind kind = STRATA_VALUE_NULL;
  int line = 0, column = 0;  // 1-based; 0 when defaulted
  int64_t int_value = 0;
  double float_value = 0;
  std::string text;               // the scalar's text
  std::vector<std::string> keys;  // MAP keys, parallel to items
  std::vector<ValueNode> items;   // LIST items, MAP values
};

class ValueTree {
 public:
  const strata_value* root() const;
  // Canonical text of the tree (keys sorted, defaults included): two configs that mean the
  // same thing have the same text. Reload fingerprints use it.
  const std::string& canonical() const;

  // Built by the schema checker (core/config/schema_check.*).
  struct Impl;
  explicit ValueTree(std::unique_ptr<Impl> impl);
  ~ValueTree();

  // Copies `root` into an arena of strata_values that owns every string and array.
  static std::shared_ptr<const ValueTree> build(const ValueNode& root);

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace strata::config
