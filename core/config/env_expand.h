// ${NAME} and ${NAME:-default} in scalar values, expanded after parsing so every position
// stays the one in the file. Only names that look like environment variables are expanded,
// so relabel replacements such as ${1} pass through; `$${` writes a literal `${`.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "core/config/config_node.h"
#include "core/config/diagnostics.h"

namespace strata::config {

using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;

// The process environment.
std::optional<std::string> processEnv(const std::string& name);

// Expands one string. Returns false and sets `error` for an unset variable without default
// or an unterminated reference.
bool expandEnvString(const std::string& in, const EnvLookup& lookup, std::string& out,
                     std::string& error);

// Expands every scalar value (never keys) of the tree; problems are `env-unset` /
// `env-syntax` errors at the scalar.
void expandEnv(ConfigNode& root, Diagnostics& diags, const EnvLookup& lookup = processEnv);

}  // namespace strata::config
