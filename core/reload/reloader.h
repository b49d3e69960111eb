// Reloads the pipeline on SIGHUP or POST /-/reload: re-read, lint and plan the file; if that
// fails, the running graph is untouched; if it passes, RuntimeGraph::apply() keeps what did
// not change and rebuilds the rest. Exposes strata_config_last_reload_successful and
// strata_config_last_reload_success_timestamp_seconds like Prometheus does.
#pragma once

#include <mutex>
#include <string>
#include <vector>

#include "core/graph/runtime_graph.h"
#include "core/plugin/registry.h"
#include "core/telemetry/metrics_registry.h"

namespace strata::reload {

// Where the pipeline comes from: a file, or embedded text (the all-in-one default).
struct PipelineSource {
  std::string path;           // empty for embedded
  std::string embedded_text;  // used when path is empty
  std::string embedded_name = "<embedded all-in-one>";
};

struct ReloadResult {
  bool ok = false;
  std::string message;  // diagnostics or the failure; a summary when ok
  graph::ApplySummary summary;
};

class Reloader {
 public:
  Reloader(PipelineSource source, std::vector<std::string> plugin_dirs, plugin::Registry& registry,
           graph::RuntimeGraph& graph, telemetry::MetricsRegistry& metrics);

  // Plans the source and applies it. THREAD: any; calls are serialised.
  ReloadResult reload();
  // Plans the source without touching the graph (for the first start, errors are fatal).
  std::unique_ptr<graph::GraphPlan> planOrExplain(std::string* message);

 private:
  PipelineSource source_;
  std::vector<std::string> plugin_dirs_;
  plugin::Registry& registry_;
  graph::RuntimeGraph& graph_;
  std::mutex mu_;
  telemetry::MetricSeries *m_success_, *m_timestamp_, *m_reloads_ok_, *m_reloads_failed_;
};

// The same text pipeline-lint prints: file:line:col, the source line and a caret.
std::string formatDiagnostics(const config::Diagnostics& diags, const PipelineSource& source);

}  // namespace strata::reload
