#include "tools/pipeline-lint/lint_options.h"

namespace strata::lint {

const char* const kUsage =
    "usage: pipeline-lint [--plugin-dir DIR]... [--no-default-plugin-dirs] [--format text|json] "
    "FILE...\n"
    "       pipeline-lint [--plugin-dir DIR]... --diff RUNNING.yaml NEW.yaml\n"
    "exit status: 0 clean (warnings allowed), 1 errors, 2 usage\n";

bool parseLintOptions(int argc, char** argv, LintOptions& out, std::string& error) {
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&](std::string& v) {
      if (i + 1 >= argc) {
        error = arg + " needs a value";
        return false;
      }
      v = argv[++i];
      return true;
    };
    std::string v;
    if (arg == "--plugin-dir") {
      if (!value(v)) return false;
      out.plugin_dirs.push_back(v);
    } else if (arg.rfind("--plugin-dir=", 0) == 0) {
      out.plugin_dirs.push_back(arg.substr(13));
    } else if (arg == "--format" || arg.rfind("--format=", 0) == 0) {
      if (arg == "--format") {
        if (!value(v)) return false;
      } else {
        v = arg.substr(9);
      }
      if (v != "text" && v != "json") {
        error = "--format must be text or json, got '" + v + "'";
        return false;
      }
      out.json = v == "json";
    } else if (arg == "--no-default-plugin-dirs") {
      out.default_plugin_dirs = false;
    } else if (arg == "--diff") {
      out.diff = true;
    } else if (arg == "-h" || arg == "--help") {
      error = "";
      return false;
    } else if (arg.size() > 1 && arg[0] == '-') {
      error = "unknown flag '" + arg + "'";
      return false;
    } else {
      out.files.push_back(arg);
    }
  }
  if (out.files.empty()) {
    error = "no pipeline file given";
    return false;
  }
  if (out.diff && out.files.size() != 2) {
    error = "--diff takes exactly two files: RUNNING.yaml NEW.yaml";
    return false;
  }
  return true;
}

}  // namespace strata::lint
