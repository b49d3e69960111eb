#include "core/plugin/loader.h"

#include <dlfcn.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <set>
#include <system_error>

#include "core/plugin/abi_check.h"
#include "core/plugin/elf_check.h"
#include "core/plugin/plugin_handle.h"

namespace strata::plugin {
namespace fs = std::filesystem;
namespace {

std::string join(const std::vector<std::string>& v, const char* sep) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : sep) + s;
  return out;
}

// Steps 1-3: everything decided from the file alone, without running any of its code.
std::vector<std::string> checkFile(const std::string& path, ElfInfo& elf) {
  std::error_code ec;
  auto status = fs::status(path, ec);
  if (ec) return {"cannot read file (" + ec.message() + ")"};
  if (!fs::is_regular_file(status)) return {"cannot read file (not a regular file)"};
  elf = readElf(path);
  if (!elf.error.empty()) return {elf.error};
  auto host = hostSanitizerRuntimes();
  std::vector<std::string> out;
  for (const auto& rt : sanitizerRuntimes(elf.needed)) {
    bool present = std::any_of(host.begin(), host.end(),
                               [&](const std::string& h) { return rt.rfind(h + ".", 0) == 0; });
    if (!present)
      out.push_back("sanitizer runtime the host does not have (expected " +
                    (host.empty() ? std::string("none") : join(host, ",")) + ", got DT_NEEDED " +
                    rt + ")");
  }
  return out;
}

std::string missingEntry(const ElfInfo& elf) {
  std::vector<std::string> found;
  for (const auto& s : elf.dynamic_symbols)
    if (s.rfind("strata_plugin_entry_v", 0) == 0) found.push_back(s);
  std::sort(found.begin(), found.end());
  return std::string("no entry symbol (expected ") + STRATA_PLUGIN_ENTRY_SYMBOL + ", got " +
         (found.empty() ? std::string("no strata_plugin_entry_v* symbol") : join(found, ", ")) +
         ")";
}

std::vector<ComponentType> componentsOf(const strata_plugin_descriptor* d,
                                        const std::shared_ptr<PluginHandle>& handle) {
  std::vector<ComponentType> out;
  for (size_t i = 0; i < d->component_count; ++i) {
    const strata_component_def* c = d->components[i];
    ComponentType t;
    t.kind = static_cast<strata_kind>(c->kind);
    t.type = c->type;
    t.def = c;
    t.plugin = handle;
    t.path = handle->path();
    t.plugin_name = d->name ? d->name : "";
    t.plugin_version = d->version ? d->version : "";
    out.push_back(std::move(t));
  }
  return out;
}

bool alreadyLoaded(const Registry& registry, const std::string& canonical) {
  for (const auto& [key, c] : registry.all()) {
    std::error_code ec;
    if (fs::weakly_canonical(c.path, ec).string() == canonical) return true;
  }
  return false;
}

}  // namespace

LoadReport loadPluginFile(const std::string& path, Registry& registry) {
  LoadReport report;
  auto refuse = [&](const std::vector<std::string>& reasons) {
    for (const auto& r : reasons) report.refusals.push_back(path + ": refused: " + r);
    return report;
  };
  ElfInfo elf;
  if (auto reasons = checkFile(path, elf); !reasons.empty()) return refuse(reasons);

  dlerror();
  void* raw = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!raw) {
    const char* err = dlerror();
    return refuse({std::string("dlopen failed: ") + (err ? err : "unknown error")});
  }
  // From here the handle closes itself on every refusal path.
  auto handle = std::make_shared<PluginHandle>(path, raw);
  auto entry = reinterpret_cast<strata_plugin_entry_fn>(dlsym(raw, STRATA_PLUGIN_ENTRY_SYMBOL));
  if (!entry) return refuse({missingEntry(elf)});
  const strata_plugin_descriptor* d = entry();
  if (auto reasons = checkDescriptor(d, STRATA_ABI_MINOR, hostBuild()); !reasons.empty())
    return refuse(reasons);
  if (auto dups = registry.add(componentsOf(d, handle)); !dups.empty()) {
    report.refusals = std::move(dups);  // Registry words these itself, naming both files
    return report;
  }
  // Accepted: pin the code for the life of the process (see PluginHandle).
  if (void* pin = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL | RTLD_NOLOAD | RTLD_NODELETE))
    dlclose(pin);
  report.loaded.push_back(path);
  return report;
}

LoadReport loadPluginDirs(const std::vector<std::string>& dirs, Registry& registry) {
  LoadReport report;
  std::set<std::string> seen_dirs;
  for (const auto& dir : dirs) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) {
      report.refusals.push_back(dir + ": refused: plugin directory not found (expected a " +
                                "directory, got " + (fs::exists(dir, ec) ? "a file" : "nothing") +
                                ")");
      continue;
    }
    if (!seen_dirs.insert(fs::weakly_canonical(dir, ec).string()).second) continue;
    std::vector<std::string> files;
    for (const auto& entry : fs::directory_iterator(dir, ec))
      if (entry.path().extension() == ".so") files.push_back(entry.path().string());
    std::sort(files.begin(), files.end());
    for (const auto& f : files) {
      if (alreadyLoaded(registry, fs::weakly_canonical(f, ec).string())) continue;
      auto r = loadPluginFile(f, registry);
      report.loaded.insert(report.loaded.end(), r.loaded.begin(), r.loaded.end());
      report.refusals.insert(report.refusals.end(), r.refusals.begin(), r.refusals.end());
    }
  }
  return report;
}

std::vector<std::string> defaultPluginDirs() {
  std::vector<std::string> dirs;
  if (const char* env = std::getenv("STRATA_PLUGIN_PATH")) {
    std::string s = env;
    size_t start = 0;
    while (start <= s.size()) {
      size_t end = s.find(':', start);
      if (end == std::string::npos) end = s.size();
      if (end > start) dirs.push_back(s.substr(start, end - start));
      start = end + 1;
    }
  }
  std::error_code ec;
  if (fs::is_directory(STRATA_BUILD_PLUGIN_DIR, ec))
    dirs.push_back(STRATA_BUILD_PLUGIN_DIR);
  else
    dirs.push_back(STRATA_DEFAULT_PLUGIN_DIR);
  return dirs;
}

}  // namespace strata::plugin
