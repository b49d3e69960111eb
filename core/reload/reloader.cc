#include "core/reload/reloader.h"

#include <chrono>
#include <sstream>

#include "core/config/diag_printer.h"
#include "core/plugin/loader.h"
#include "core/telemetry/logger.h"

namespace strata::reload {

std::string formatDiagnostics(const config::Diagnostics& diags, const PipelineSource& source) {
  config::SourceCache sources;
  if (source.path.empty()) sources.add(source.embedded_name, source.embedded_text);
  std::ostringstream out;
  config::printText(out, diags.items(), sources);
  return out.str();
}

Reloader::Reloader(PipelineSource source, std::vector<std::string> plugin_dirs,
                   plugin::Registry& registry, graph::RuntimeGraph& graph,
                   telemetry::MetricsRegistry& metrics)
    : source_(std::move(source)),
      plugin_dirs_(std::move(plugin_dirs)),
      registry_(registry),
      graph_(graph) {
  m_success_ = metrics.gauge("strata_config_last_reload_successful",
                             "Whether the last configuration reload attempt was successful.");
  m_timestamp_ = metrics.gauge("strata_config_last_reload_success_timestamp_seconds",
                               "Timestamp of the last successful configuration reload.");
  m_reloads_ok_ = metrics.counter("strata_config_reloads_total", "Configuration reloads by result.",
                                  {{"result", "success"}});
  m_reloads_failed_ = metrics.counter("strata_config_reloads_total",
                                      "Configuration reloads by result.", {{"result", "failure"}});
}

std::unique_ptr<graph::GraphPlan> Reloader::planOrExplain(std::string* message) {
  graph::PlanResult result;
  if (!source_.path.empty()) {
    config::Diagnostics dir_diags;
    auto dirs = graph::pluginDirsOf(source_.path, dir_diags);
    // Plugins named by the file are loaded additively; a registry never forgets a type that
    // running instances may use.
    for (const auto& r : plugin::loadPluginDirs(dirs, registry_).refusals)
      telemetry::log(STRATA_LOG_WARN, "host", r);
    result = graph::planFile(source_.path, registry_);
  } else {
    result = graph::planText(source_.embedded_text, source_.embedded_name, registry_);
  }
  *message = formatDiagnostics(result.diagnostics, source_);
  return std::move(result.plan);
}

ReloadResult Reloader::reload() {
  std::lock_guard lock(mu_);
  ReloadResult out;
  auto plan = planOrExplain(&out.message);
  if (plan) {
    try {
      out.summary = graph_.apply(std::move(plan));
      out.ok = true;
    } catch (const std::exception& e) {
      out.message += e.what();
    }
  }
  if (out.ok) {
    m_success_->set(1);
    m_timestamp_->set(
        std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count());
    m_reloads_ok_->add(1);
    const auto& s = out.summary;
    telemetry::log(STRATA_LOG_INFO, "host", "pipeline applied",
                   {{"kept", std::to_string(s.kept.size())},
                    {"rebuilt", std::to_string(s.rebuilt.size())},
                    {"added", std::to_string(s.added.size())},
                    {"removed", std::to_string(s.removed.size())}});
  } else {
    m_success_->set(0);
    m_reloads_failed_->add(1);
    telemetry::log(STRATA_LOG_ERROR, "host", "reload failed; the running pipeline is unchanged",
                   {{"err", out.message}});
  }
  return out;
}

}  // namespace strata::reload
