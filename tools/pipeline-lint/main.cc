// pipeline-lint: checks pipeline files without running anything (planning never calls a
// plugin factory), or shows what a reload from one file to another would do (--diff).
#include <filesystem>
#include <iostream>
#include <memory>
#include <set>

#include "core/config/diag_printer.h"
#include "core/graph/plan.h"
#include "core/graph/plan_diff.h"
#include "core/plugin/loader.h"
#include "tools/pipeline-lint/lint_options.h"

namespace {

using strata::config::Diagnostic;
using strata::config::Severity;
using strata::graph::PlanResult;

// A registry per file: each file may name its own plugin directories. Refusals are warnings
// on stderr; lint fails only on problems in the file itself.
std::unique_ptr<strata::plugin::Registry> registryFor(const strata::lint::LintOptions& opts,
                                                      const std::string& file) {
  std::vector<std::string> dirs = opts.plugin_dirs;
  strata::config::Diagnostics ignored;  // planFile reports the same problems with the file
  for (const std::string& d : strata::graph::pluginDirsOf(file, ignored)) dirs.push_back(d);
  if (opts.default_plugin_dirs) {
    for (const std::string& d : strata::plugin::defaultPluginDirs()) {
      if (std::filesystem::is_directory(d)) dirs.push_back(d);
    }
  }
  auto registry = std::make_unique<strata::plugin::Registry>();
  strata::plugin::LoadReport report = strata::plugin::loadPluginDirs(dirs, *registry);
  for (const std::string& r : report.refusals) std::cerr << "pipeline-lint: warning: " << r << '\n';
  return registry;
}

std::string plural(size_t n, const char* word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

std::string summary(const std::string& file, const std::vector<Diagnostic>& diags) {
  size_t errors = 0, warnings = 0;
  for (const Diagnostic& d : diags) (d.severity == Severity::kError ? errors : warnings)++;
  if (!errors && !warnings) return file + ": ok";
  return file + ": " + plural(errors, "error") + ", " + plural(warnings, "warning");
}

int lintFiles(const strata::lint::LintOptions& opts) {
  std::vector<Diagnostic> all;
  std::vector<std::string> summaries;
  bool failed = false;
  for (const std::string& file : opts.files) {
    auto registry = registryFor(opts, file);
    PlanResult result = strata::graph::planFile(file, *registry);
    failed |= result.diagnostics.hasErrors();
    const auto& items = result.diagnostics.items();
    all.insert(all.end(), items.begin(), items.end());
    summaries.push_back(summary(file, items));
  }
  if (opts.json) {
    strata::config::printJson(std::cout, all);
  } else {
    strata::config::SourceCache sources;
    strata::config::printText(std::cout, all, sources);
    for (const std::string& s : summaries) std::cout << s << '\n';
  }
  return failed ? 1 : 0;
}

int diffFiles(const strata::lint::LintOptions& opts) {
  std::vector<PlanResult> results;
  std::vector<std::unique_ptr<strata::plugin::Registry>> registries;  // outlive the plans
  strata::config::SourceCache sources;
  bool failed = false;
  for (const std::string& file : opts.files) {
    registries.push_back(registryFor(opts, file));
    results.push_back(strata::graph::planFile(file, *registries.back()));
    strata::config::printText(std::cout, results.back().diagnostics.items(), sources);
    failed |= !results.back().plan;
  }
  if (failed) return 1;
  for (const auto& e : strata::graph::diffPlans(*results[0].plan, *results[1].plan)) {
    std::cout << strata::graph::actionName(e.action) << ' ' << e.id;
    if (!e.reason.empty()) std::cout << " (" << e.reason << ')';
    std::cout << '\n';
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  strata::lint::LintOptions opts;
  std::string error;
  if (!strata::lint::parseLintOptions(argc, argv, opts, error)) {
    if (!error.empty()) std::cerr << "pipeline-lint: " << error << '\n';
    std::cerr << strata::lint::kUsage;
    return error.empty() ? 0 : 2;
  }
  return opts.diff ? diffFiles(opts) : lintFiles(opts);
}
