// Command line of pipeline-lint:
//   pipeline-lint [--plugin-dir DIR]... [--format text|json] FILE...
//   pipeline-lint [--plugin-dir DIR]... --diff RUNNING.yaml NEW.yaml
// --no-default-plugin-dirs leaves out STRATA_PLUGIN_PATH and the built-in plugin dir, so a
// test sees exactly the plugins it names.
#pragma once

#include <string>
#include <vector>

namespace strata::lint {

struct LintOptions {
  std::vector<std::string> plugin_dirs;
  bool default_plugin_dirs = true;
  bool json = false;
  bool diff = false;
  std::vector<std::string> files;
};

// False (with `error` set) on a usage error.
bool parseLintOptions(int argc, char** argv, LintOptions& out, std::string& error);

extern const char* const kUsage;

}  // namespace strata::lint
