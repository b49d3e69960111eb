// Reads what the loader must know about a plugin file BEFORE dlopen() runs any of its code:
// that it is an ELF shared object for this machine, its DT_NEEDED libraries (a sanitizer
// runtime in there aborts the process inside dlopen) and its defined dynamic symbols (to name
// the strata_plugin_entry_v* a plugin does export when the expected one is missing).
#pragma once

#include <string>
#include <vector>

namespace strata::plugin {

struct ElfInfo {
  // Empty when the file is a loadable shared object; otherwise the refusal reason, already in
  // the "REASON (expected X, got Y)" shape.
  std::string error;
  std::vector<std::string> needed;           // DT_NEEDED entries, in file order
  std::vector<std::string> dynamic_symbols;  // defined .dynsym names
};

// Never throws and never trusts the file: every offset is bounds-checked.
ElfInfo readElf(const std::string& path);

// Sanitizer runtimes ("libasan", "libubsan", "libtsan") a DT_NEEDED list pulls in.
std::vector<std::string> sanitizerRuntimes(const std::vector<std::string>& needed);

// Sanitizer runtimes already mapped into this process (the host's own build).
std::vector<std::string> hostSanitizerRuntimes();

}  // namespace strata::plugin
