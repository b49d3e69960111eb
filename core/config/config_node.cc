#include "core/config/config_node.h"

#include <yaml-cpp/yaml.h>

#include <fstream>
#include <set>
#include <sstream>

namespace strata::config {
namespace {

SourcePos posOf(const YAML::Mark& mark, const std::string& file) {
  if (mark.is_null()) return {file, 0, 0};
  return {file, mark.line + 1, mark.column + 1};
}

ConfigNode convert(const YAML::Node& node, const std::string& file, Diagnostics& diags) {
  ConfigNode out;
  out.pos = posOf(node.Mark(), file);
  switch (node.Type()) {
    case YAML::NodeType::Scalar:
      out.kind = ConfigNode::Kind::kScalar;
      out.scalar = node.Scalar();
      out.quoted = node.Tag() != "?";
      break;
    case YAML::NodeType::Sequence:
      out.kind = ConfigNode::Kind::kSequence;
      for (const auto& item : node) out.items.push_back(convert(item, file, diags));
      break;
    case YAML::NodeType::Map: {
      out.kind = ConfigNode::Kind::kMap;
      std::set<std::string> seen;
      for (auto it = node.begin(); it != node.end(); ++it) {
        ConfigNode key = convert(it->first, file, diags);
        ConfigNode value = convert(it->second, file, diags);
        // An implicit null (`key:` and nothing) carries the mark of the next token; point at
        // the key instead.
        if (value.isNull() && value.pos.line != key.pos.line) value.pos = key.pos;
        if (key.isScalar() && !seen.insert(key.scalar).second) {
          diags.error("duplicate-key", key.pos, "duplicate key '" + key.scalar + "'");
        }
        out.keys.push_back(std::move(key));
        out.items.push_back(std::move(value));
      }
      break;
    }
    default:
      out.kind = ConfigNode::Kind::kNull;
  }
  return out;
}

}  // namespace

const ConfigNode* ConfigNode::find(std::string_view key) const {
  if (!isMap()) return nullptr;
  for (size_t i = 0; i < keys.size(); ++i) {
    if (keys[i].isScalar() && keys[i].scalar == key) return &items[i];
  }
  return nullptr;
}

std::string ConfigNode::describe() const {
  switch (kind) {
    case Kind::kNull:
      return "null";
    case Kind::kScalar:
      return "\"" + scalar + "\"";
    case Kind::kSequence:
      return "a list";
    case Kind::kMap:
      return "a map";
  }
  return "?";
}

ConfigNode parseYaml(const std::string& text, const std::string& file, Diagnostics& diags) {
  try {
    ConfigNode root = convert(YAML::Load(text), file, diags);
    if (root.isNull()) root.pos = {file, 1, 1};
    return root;
  } catch (const YAML::ParserException& e) {
    diags.error("yaml-syntax", posOf(e.mark, file), e.msg);
  } catch (const YAML::Exception& e) {
    diags.error("yaml-syntax", posOf(e.mark, file), e.msg);
  }
  ConfigNode null;
  null.pos = {file, 1, 1};
  return null;
}

bool readFile(const std::string& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  out = ss.str();
  return true;
}

}  // namespace strata::config
