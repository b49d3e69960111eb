#include "core/config/env_expand.h"

#include <cctype>
#include <cstdlib>

namespace strata::config {
namespace {

bool isEnvName(const std::string& name) {
  if (name.empty()) return false;
  if (!(std::isalpha(static_cast<unsigned char>(name[0])) || name[0] == '_')) return false;
  for (char c : name) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) return false;
  }
  return true;
}

}  // namespace

std::optional<std::string> processEnv(const std::string& name) {
  const char* v = std::getenv(name.c_str());
  if (!v) return std::nullopt;
  return std::string(v);
}

bool expandEnvString(const std::string& in, const EnvLookup& lookup, std::string& out,
                     std::string& error) {
  out.clear();
  size_t i = 0;
  while (i < in.size()) {
    if (in.compare(i, 3, "$${") == 0) {
      out += "${";
      i += 3;
      continue;
    }
    if (in.compare(i, 2, "${") != 0) {
      out += in[i++];
      continue;
    }
    size_t close = in.find('}', i + 2);
    if (close == std::string::npos) {
      error = "unterminated '${' in \"" + in + "\"";
      return false;
    }
    std::string body = in.substr(i + 2, close - i - 2);
    size_t sep = body.find(":-");
    std::string name = sep == std::string::npos ? body : body.substr(0, sep);
    if (!isEnvName(name)) {  // not ours (e.g. a relabel ${1}): keep the text as written
      out += in.substr(i, close + 1 - i);
      i = close + 1;
      continue;
    }
    std::optional<std::string> value = lookup(name);
    if (sep != std::string::npos && (!value || value->empty())) {
      value = body.substr(sep + 2);  // shell semantics: the default also covers ""
    }
    if (!value) {
      error = "environment variable '" + name + "' is not set";
      return false;
    }
    out += *value;
    i = close + 1;
  }
  return true;
}

void expandEnv(ConfigNode& root, Diagnostics& diags, const EnvLookup& lookup) {
  if (root.isScalar()) {
    if (root.scalar.find("${") == std::string::npos) return;
    std::string out, error;
    if (expandEnvString(root.scalar, lookup, out, error)) {
      root.scalar = std::move(out);
    } else {
      bool unset = error.find("is not set") != std::string::npos;
      diags.error(unset ? "env-unset" : "env-syntax", root.pos, error,
                  unset ? "set it, or give a default: ${NAME:-value}" : "");
    }
    return;
  }
  for (ConfigNode& item : root.items) expandEnv(item, diags, lookup);
}

}  // namespace strata::config
