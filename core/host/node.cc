#include "core/host/node.h"

#include "core/host/admin_routes.h"
#include "core/host/malloc_arenas.h"
#include "core/plugin/loader.h"
#include "core/telemetry/logger.h"

namespace strata::host {

Node::Node(NodeOptions options) : options_(std::move(options)) {
  // http_ is destroyed before metrics_ (declared after it), so the hook never outlives it.
  http_.setRefusalHook([this](const std::string& address, int status) {
    metrics_
        .counter("strata_http_requests_refused_total",
                 "Requests the host answered itself before any component saw them: 404 (no "
                 "route for the path), 413 (body over the route's limit).",
                 {{"listen_address", address}, {"code", std::to_string(status)}})
        ->add(1);
  });
  graph::HostServices services;
  services.metrics = &metrics_;
  services.routes = &routes_;
  graph_ = std::make_unique<graph::RuntimeGraph>(services);
}

Node::~Node() { shutdown(); }

bool Node::start(std::string* error) {
  auto dirs = options_.plugin_dirs;
  for (auto& d : plugin::defaultPluginDirs()) dirs.push_back(d);
  auto report = plugin::loadPluginDirs(dirs, registry_);
  for (const auto& r : report.refusals) telemetry::log(STRATA_LOG_WARN, "host", r);
  telemetry::log(STRATA_LOG_INFO, "host", "plugins loaded",
                 {{"count", std::to_string(report.loaded.size())}});

  reloader_ =
      std::make_unique<reload::Reloader>(options_.source, dirs, registry_, *graph_, metrics_);
  std::string message;
  auto plan = reloader_->planOrExplain(&message);
  if (!plan) {
    *error = message;
    return false;
  }
  if (!message.empty())
    telemetry::log(STRATA_LOG_WARN, "host", "pipeline warnings", {{"warnings", message}});
  std::string admin = plan->server.listen_address;
  strata_log_level level;
  if (telemetry::parseLogLevel(plan->server.log_level, &level)) telemetry::setLogLevel(level);
  limitMallocArenas(plan->server.malloc_arena_max);
  try {
    openAdmin(admin);
    graph_->apply(std::move(plan));
  } catch (const std::exception& e) {
    *error = e.what();
    return false;
  }
  metrics_
      .gauge("strata_config_last_reload_successful",
             "Whether the last configuration reload attempt was successful.")
      ->set(1);
  ready_ = true;
  trimmer_ = std::make_unique<MemoryTrimmer>();
  telemetry::log(STRATA_LOG_INFO, "host", "pipeline started",
                 {{"admin", admin}, {"admin_port", std::to_string(adminPort())}});
  return true;
}

void Node::openAdmin(const std::string& address) {
  admin_address_ = address;
  AdminHandlers handlers;
  handlers.metrics = &metrics_;
  handlers.ready = &ready_;
  handlers.reload = [this] { return reload(); };
  admin_routes_ = addAdminRoutes(http_, address, handlers);
}

reload::ReloadResult Node::reload() { return reloader_->reload(); }

void Node::shutdown() {
  if (!graph_) return;
  ready_ = false;
  trimmer_.reset();
  graph_->shutdown();
  for (auto id : admin_routes_) http_.removeRoute(id);
  admin_routes_.clear();
  graph_.reset();
}

int Node::adminPort() const { return http_.boundPort(admin_address_); }

}  // namespace strata::host
