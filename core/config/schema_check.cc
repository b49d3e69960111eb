#include "core/config/schema_check.h"

#include <charconv>
#include <cmath>
#include <cstdlib>

#include "core/config/did_you_mean.h"
#include "core/config/duration.h"

namespace strata::config {
namespace {

bool parseInt(const std::string& s, int64_t& v) {
  const char* b = s.data() + (s.size() > 1 && s[0] == '+' ? 1 : 0);
  auto [p, ec] = std::from_chars(b, s.data() + s.size(), v);
  return ec == std::errc() && p == s.data() + s.size() && b != p;
}

bool parseFloat(const std::string& s, double& v) {
  if (s == ".inf" || s == "+.inf" || s == ".Inf") return v = HUGE_VAL, true;
  if (s == "-.inf" || s == "-.Inf") return v = -HUGE_VAL, true;
  if (s == ".nan" || s == ".NaN") return v = std::strtod("nan", nullptr), true;
  if (s.empty()) return false;
  char* end = nullptr;
  v = std::strtod(s.c_str(), &end);
  return end == s.c_str() + s.size();
}

bool parseBool(const std::string& s, bool& v) {
  if (s == "true" || s == "True" || s == "TRUE") return v = true, true;
  if (s == "false" || s == "False" || s == "FALSE") return v = false, true;
  return false;
}

void clearPositions(ValueNode& v) {
  v.line = v.column = 0;
  for (ValueNode& item : v.items) clearPositions(item);
}

// ANY: the YAML as written, typed the way YAML's core schema would.
ValueNode anyValue(const ConfigNode& n) {
  ValueNode v;
  v.line = n.pos.line;
  v.column = n.pos.column;
  v.text = n.scalar;
  bool b = false;
  if (n.isScalar()) {
    if (!n.quoted && parseBool(n.scalar, b)) {
      v.kind = STRATA_VALUE_BOOL;
      v.int_value = b;
    } else if (!n.quoted && parseInt(n.scalar, v.int_value)) {
      v.kind = STRATA_VALUE_INT;
      v.float_value = static_cast<double>(v.int_value);
    } else if (!n.quoted && parseFloat(n.scalar, v.float_value)) {
      v.kind = STRATA_VALUE_FLOAT;
    } else {
      v.kind = STRATA_VALUE_STRING;
    }
  } else if (n.isSequence() || n.isMap()) {
    v.kind = n.isMap() ? STRATA_VALUE_MAP : STRATA_VALUE_LIST;
    for (const ConfigNode& k : n.keys) v.keys.push_back(k.scalar);
    for (const ConfigNode& item : n.items) v.items.push_back(anyValue(item));
  }
  return v;
}

class Checker {
 public:
  Checker(const std::string& subject, Diagnostics& diags) : subject_(subject), diags_(diags) {}

  void checkMap(const ConfigNode* node, const strata_option_def* defs, size_t count,
                const std::string& prefix, const SourcePos& anchor, ValueNode& out);

 private:
  void checkOption(const ConfigNode& node, const strata_option_def& def, const std::string& path,
                   ValueNode& out);
  void absent(const strata_option_def& def, const std::string& path, const SourcePos& anchor,
              ValueNode& out);
  void wrongType(const ConfigNode& node, const std::string& path, const std::string& expected) {
    diags_.error(
        "wrong-type", node.pos,
        subject_ + ": option '" + path + "' must be " + expected + ", got " + node.describe());
  }
  void scalarOption(const ConfigNode& node, const strata_option_def& def, const std::string& path,
                    ValueNode& out);

  const std::string& subject_;
  Diagnostics& diags_;
};

void Checker::checkMap(const ConfigNode* node, const strata_option_def* defs, size_t count,
                       const std::string& prefix, const SourcePos& anchor, ValueNode& out) {
  out.kind = STRATA_VALUE_MAP;
  if (node && !node->isNull() && !node->isMap()) {
    diags_.error("wrong-type", node->pos,
                 subject_ + ": " + (prefix.empty() ? "options" : "option '" + prefix + "'") +
                     " must be a map, got " + node->describe());
    return;
  }
  if (node && node->isMap()) {
    out.line = node->pos.line;
    out.column = node->pos.column;
    std::vector<std::string> allowed;
    for (size_t i = 0; i < count; ++i) allowed.push_back(defs[i].name);
    for (const ConfigNode& key : node->keys) {
      bool known = false;
      for (size_t i = 0; i < count && !known; ++i) known = key.scalar == defs[i].name;
      if (known) continue;
      std::string hint = didYouMeanHint(key.scalar, allowed);
      std::string list = allowed.empty() ? "it takes no options" : "allowed: " + joinNames(allowed);
      diags_.error("unknown-option", key.pos,
                   subject_ + ": unknown option '" + prefix + key.scalar + "'",
                   hint.empty() ? list : hint + " (" + list + ")");
    }
  }
  for (size_t i = 0; i < count; ++i) {
    const strata_option_def& def = defs[i];
    const ConfigNode* value = node ? node->find(def.name) : nullptr;
    out.keys.push_back(def.name);
    out.items.emplace_back();
    if (!value || value->isNull()) {
      absent(def, prefix + def.name, anchor, out.items.back());
    } else {
      checkOption(*value, def, prefix + def.name, out.items.back());
    }
  }
}

void Checker::absent(const strata_option_def& def, const std::string& path, const SourcePos& anchor,
                     ValueNode& out) {
  if (def.default_value) {
    Diagnostics local;
    ConfigNode parsed = parseYaml(def.default_value, "<default>", local);
    Checker inner(subject_, local);
    if (!parsed.isNull()) inner.checkOption(parsed, def, path, out);
    if (local.hasErrors()) {
      diags_.error("bad-default", anchor,
                   subject_ + ": the plugin's default for option '" + path + "' (\"" +
                       def.default_value + "\") is invalid: " + local.items().front().message);
    }
    clearPositions(out);
    return;
  }
  if (def.flags & STRATA_OPTF_REQUIRED) {
    diags_.error("missing-required", anchor, subject_ + ": missing required option '" + path + "'",
                 def.doc && *def.doc ? std::string(def.name) + ": " + def.doc : "");
    return;
  }
  switch (def.type) {
    case STRATA_OPT_OBJECT:
      checkMap(nullptr, def.children, def.children_count, path + ".", anchor, out);
      clearPositions(out);
      break;
    case STRATA_OPT_STRING_LIST:
    case STRATA_OPT_OBJECT_LIST:
      out.kind = STRATA_VALUE_LIST;
      break;
    case STRATA_OPT_STRING_MAP:
      out.kind = STRATA_VALUE_MAP;
      break;
    default:
      out.kind = STRATA_VALUE_NULL;
  }
}

void Checker::scalarOption(const ConfigNode& node, const strata_option_def& def,
                           const std::string& path, ValueNode& out) {
  bool b = false;
  switch (def.type) {
    case STRATA_OPT_STRING:
      out.kind = STRATA_VALUE_STRING;
      return;
    case STRATA_OPT_INT:
      if (node.quoted || !parseInt(node.scalar, out.int_value)) break;
      out.kind = STRATA_VALUE_INT;
      out.float_value = static_cast<double>(out.int_value);
      return;
    case STRATA_OPT_FLOAT:
      if (node.quoted || !parseFloat(node.scalar, out.float_value)) break;
      out.kind = STRATA_VALUE_FLOAT;
      return;
    case STRATA_OPT_BOOL:
      if (node.quoted || !parseBool(node.scalar, b)) break;
      out.kind = STRATA_VALUE_BOOL;
      out.int_value = b;
      return;
    case STRATA_OPT_DURATION:
      if (!parseDuration(node.scalar, out.int_value)) {
        diags_.error("bad-duration", node.pos,
                     subject_ + ": option '" + path + "': invalid duration " + node.describe(),
                     "use Prometheus duration syntax, e.g. 500ms, 15s, 1h30m");
        return;
      }
      out.kind = STRATA_VALUE_INT;
      out.float_value = static_cast<double>(out.int_value);
      return;
  }
  static const char* const kExpected[] = {"",         "a string",  "an integer",
                                          "a number", "a boolean", "a duration"};
  wrongType(node, path, kExpected[def.type]);
}

void Checker::checkOption(const ConfigNode& node, const strata_option_def& def,
                          const std::string& path, ValueNode& out) {
  out.line = node.pos.line;
  out.column = node.pos.column;
  out.text = node.scalar;
  switch (def.type) {
    case STRATA_OPT_STRING:
    case STRATA_OPT_INT:
    case STRATA_OPT_FLOAT:
    case STRATA_OPT_BOOL:
    case STRATA_OPT_DURATION:
      if (node.isScalar()) return scalarOption(node, def, path, out);
      return wrongType(node, path,
                       def.type == STRATA_OPT_DURATION ? "a duration" : "a scalar value");
    case STRATA_OPT_STRING_LIST:
      if (!node.isSequence()) return wrongType(node, path, "a list of strings");
      out.kind = STRATA_VALUE_LIST;
      for (size_t i = 0; i < node.items.size(); ++i) {
        const ConfigNode& item = node.items[i];
        if (!item.isScalar()) wrongType(item, path + "." + std::to_string(i), "a string");
        out.items.push_back(anyValue(item));
        out.items.back().kind = STRATA_VALUE_STRING;
      }
      return;
    case STRATA_OPT_STRING_MAP:
      if (!node.isMap()) return wrongType(node, path, "a map of strings");
      out = anyValue(node);
      for (size_t i = 0; i < node.items.size(); ++i) {
        if (!node.items[i].isScalar()) {
          wrongType(node.items[i], path + "." + node.keys[i].scalar, "a string");
        }
        out.items[i].kind = STRATA_VALUE_STRING;
      }
      return;
    case STRATA_OPT_OBJECT:
      if (!node.isMap()) return wrongType(node, path, "a map");
      return checkMap(&node, def.children, def.children_count, path + ".", node.pos, out);
    case STRATA_OPT_OBJECT_LIST:
      if (!node.isSequence()) return wrongType(node, path, "a list of maps");
      out.kind = STRATA_VALUE_LIST;
      for (size_t i = 0; i < node.items.size(); ++i) {
        std::string item_path = path + "." + std::to_string(i);
        out.items.emplace_back();
        if (!node.items[i].isMap()) {
          wrongType(node.items[i], item_path, "a map");
          continue;
        }
        checkMap(&node.items[i], def.children, def.children_count, item_path + ".",
                 node.items[i].pos, out.items.back());
      }
      return;
    default:  // STRATA_OPT_ANY and types newer than this host: the plugin's validate() checks
      out = anyValue(node);
  }
}

void collectRefs(const strata_option_def* defs, size_t count, const ValueNode& map,
                 const std::string& prefix, const SourcePos& anchor, SchemaResult& out) {
  for (size_t i = 0; i < count && i < map.items.size(); ++i) {
    const strata_option_def& def = defs[i];
    const ValueNode& v = map.items[i];
    std::string path = prefix + def.name;
    auto add = [&](const ValueNode& s) {
      SourcePos pos = s.line ? SourcePos{anchor.file, s.line, s.column} : anchor;
      // An empty listen address means "off" (e.g. an optional debug endpoint).
      if ((def.flags & STRATA_OPTF_LISTEN_ADDRESS) && !s.text.empty())
        out.listen_addresses.push_back({path, s.text, pos});
      if (def.flags & STRATA_OPTF_QUERY_REF) out.query_refs.push_back({path, s.text, pos});
    };
    if (v.kind == STRATA_VALUE_STRING) add(v);
    if (v.kind == STRATA_VALUE_LIST && def.type == STRATA_OPT_STRING_LIST) {
      for (const ValueNode& item : v.items) add(item);
    }
    if (def.type == STRATA_OPT_OBJECT && v.kind == STRATA_VALUE_MAP) {
      collectRefs(def.children, def.children_count, v, path + ".", anchor, out);
    }
    if (def.type == STRATA_OPT_OBJECT_LIST) {
      for (size_t j = 0; j < v.items.size(); ++j) {
        collectRefs(def.children, def.children_count, v.items[j],
                    path + "." + std::to_string(j) + ".", anchor, out);
      }
    }
  }
}

}  // namespace

SchemaResult checkOptions(const ConfigNode* config, const strata_option_def* defs, size_t count,
                          const std::string& subject, const SourcePos& anchor, Diagnostics& diags) {
  Diagnostics local;
  Checker checker(subject, local);
  ValueNode root;
  checker.checkMap(config, defs, count, "", anchor, root);
  SchemaResult result;
  if (!local.hasErrors()) {
    collectRefs(defs, count, root, "", anchor, result);
    result.tree = ValueTree::build(root);
  }
  diags.append(local);
  return result;
}

}  // namespace strata::config
