// One strata process: plugin registry, HTTP front, self-monitoring, the running graph and its
// reloader, and the admin endpoints every node serves (/metrics, /-/healthy, /-/ready,
// /-/reload).
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "core/graph/route_book.h"
#include "core/graph/runtime_graph.h"
#include "core/host/memory_trimmer.h"
#include "core/http/http_server.h"
#include "core/plugin/registry.h"
#include "core/reload/reloader.h"
#include "core/telemetry/metrics_registry.h"

namespace strata::host {

struct NodeOptions {
  reload::PipelineSource source;
  std::vector<std::string> plugin_dirs;  // from --plugin-dir, searched before the defaults
};

class Node {
 public:
  explicit Node(NodeOptions options);
  ~Node();

  // Loads plugins, plans and starts the graph, then opens the admin endpoints. Returns false
  // with the reason (diagnostics included) when the pipeline cannot start.
  bool start(std::string* error);
  reload::ReloadResult reload();
  // Drains upstream first and stops everything.
  void shutdown();
  // The admin port actually bound (useful with port 0).
  int adminPort() const;

 private:
  void openAdmin(const std::string& address);
  // The HTTP front's connection and request figures, onto /metrics.
  void publishHttpMetrics();

  NodeOptions options_;
  telemetry::MetricsRegistry metrics_;
  http::HttpServer http_;
  graph::RouteBook routes_{http_};
  plugin::Registry registry_;
  std::unique_ptr<graph::RuntimeGraph> graph_;
  std::unique_ptr<reload::Reloader> reloader_;
  std::string admin_address_;
  std::vector<uint64_t> admin_routes_;
  std::atomic<bool> ready_{false};
  std::chrono::milliseconds shutdown_delay_{0};
  std::unique_ptr<MemoryTrimmer> trimmer_;
};

}  // namespace strata::host
