// Loading plugin files into a Registry, refusing anything that does not speak our ABI with one
// line per reason: `PATH: refused: REASON (expected X, got Y)`. The host never crashes on a bad
// file and carries on with the next one.
//
// Check order (each step only runs once the previous ones passed):
//   1. the file exists and is readable;
//   2. it is an ELF shared object for this machine (read with <elf.h>, before dlopen);
//   3. its DT_NEEDED has no sanitizer runtime the host does not already have (such a runtime
//      aborts the process inside dlopen, before any descriptor could be checked);
//   4. dlopen(RTLD_NOW | RTLD_LOCAL) succeeds (dlerror() reported verbatim);
//   5. strata_plugin_entry_v1 exists (else: the strata_plugin_entry_v* it does export);
//   6. checkDescriptor(): magic, ABI major, minor, struct_size, build signature, components;
//   7. no (kind, type) already registered (the refusal names both files).
// LIFETIME: a refused file is dlclose()d. An accepted one gets RTLD_NODELETE and its handle
// lives in a PluginHandle that every registered ComponentType shares.
#pragma once

#include <string>
#include <vector>

#include "core/plugin/registry.h"

namespace strata::plugin {

struct LoadReport {
  std::vector<std::string> loaded, refusals;
};

LoadReport loadPluginFile(const std::string& path, Registry& registry);

// Every *.so in each dir, sorted by name; a missing dir is a refusal message. A directory or
// file reached twice (same canonical path) is loaded once.
LoadReport loadPluginDirs(const std::vector<std::string>& dirs, Registry& registry);

// STRATA_PLUGIN_PATH (colon-separated), then STRATA_BUILD_PLUGIN_DIR if it exists, else
// STRATA_DEFAULT_PLUGIN_DIR.
std::vector<std::string> defaultPluginDirs();

}  // namespace strata::plugin
