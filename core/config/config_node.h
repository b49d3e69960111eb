// Strata's own YAML tree. yaml-cpp nodes lose their marks on Clone(), give implicit nulls the
// mark of the *next* token, and count from 0; this tree owns plain values and carries a 1-based
// file:line:col on every key and value, which every later diagnostic points at.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/config/diagnostics.h"

namespace strata::config {

struct ConfigNode {
  enum class Kind { kNull, kScalar, kSequence, kMap };
  Kind kind = Kind::kNull;
  SourcePos pos;
  std::string scalar;   // kScalar: the text (after ${ENV} expansion)
  bool quoted = false;  // kScalar: quoted, block or explicitly tagged: never a number or bool
  std::vector<ConfigNode> items;  // kSequence items; kMap values
  std::vector<ConfigNode> keys;   // kMap keys (scalars), parallel to items

  bool isNull() const { return kind == Kind::kNull; }
  bool isScalar() const { return kind == Kind::kScalar; }
  bool isSequence() const { return kind == Kind::kSequence; }
  bool isMap() const { return kind == Kind::kMap; }
  // Map value by key; nullptr when absent or not a map.
  const ConfigNode* find(std::string_view key) const;
  // "null", "scalar \"x\"", "list", "map": how a message names what was found.
  std::string describe() const;
};

// Parses one YAML document. A syntax error is reported as `yaml-syntax` at its position and
// yields a null node; duplicate map keys are reported as `duplicate-key`.
ConfigNode parseYaml(const std::string& text, const std::string& file, Diagnostics& diags);

// Reads a whole file; false when it cannot be read.
bool readFile(const std::string& path, std::string& out);

}  // namespace strata::config
