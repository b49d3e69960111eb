#include "core/host/node.h"

#include <thread>

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
                 "Requests the host answered itself instead of a component: 400/431 (malformed), "
                 "404 (no route for the path), 408 (too slow), 413 (body over the route's "
                 "limit), 503 (over a connection or concurrency cap, draining, stopping).",
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
  http_.setLimits(plan->server.http);
  shutdown_delay_ = plan->server.shutdown_delay;
  // Until every component has added its routes, a request for a route not there yet is
  // "retry" (503), not "never" (404): a remote write sender drops what got a 4xx.
  http_.setStarting(true);
  try {
    openAdmin(admin);
    graph_->apply(std::move(plan));
  } catch (const std::exception& e) {
    *error = e.what();
    return false;
  }
  http_.setStarting(false);
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
  handlers.before_render = [this] { publishHttpMetrics(); };
  admin_routes_ = addAdminRoutes(http_, address, handlers);
}

reload::ReloadResult Node::reload() { return reloader_->reload(); }

void Node::publishHttpMetrics() {
  for (const auto& l : http_.listenerInfo()) {
    telemetry::LabelPairs labels = {{"listen_address", l.address}};
    metrics_
        .gauge("strata_http_open_connections", "Open client connections of a listener.", labels)
        ->set(static_cast<double>(l.open_connections));
    metrics_
        .counter("strata_http_connections_accepted_total",
                 "Connections a listener accepted (under its max_connections).", labels)
        ->set(static_cast<double>(l.accepted));
    metrics_
        .counter("strata_http_connections_refused_total",
                 "Connections answered 503 (or closed, TLS) at accept: over max_connections.",
                 labels)
        ->set(static_cast<double>(l.refused_over_cap));
    metrics_
        .counter("strata_http_connections_timed_out_total",
                 "Connections closed by a read, idle or write timeout.", labels)
        ->set(static_cast<double>(l.timed_out));
    metrics_.counter("strata_http_requests_total", "Complete requests a listener read.", labels)
        ->set(static_cast<double>(l.requests));
  }
  auto in_flight = http_.inFlight();
  for (size_t i = 0; i < in_flight.size(); ++i)
    metrics_
        .gauge("strata_http_requests_in_flight",
               "Requests running or waiting for a worker, by route class.",
               {{"class", std::string(http::routeClassName(static_cast<http::RouteClass>(i)))}})
        ->set(static_cast<double>(in_flight[i]));
}

void Node::shutdown() {
  if (!graph_) return;
  // Unready first, so a load balancer stops sending; requests are still served meanwhile.
  ready_ = false;
  if (shutdown_delay_.count() > 0) {
    telemetry::log(STRATA_LOG_INFO, "host", "unready; waiting before stopping",
                   {{"shutdown_delay_ms", std::to_string(shutdown_delay_.count())}});
    std::this_thread::sleep_for(shutdown_delay_);
  }
  // From here a route that goes away answers 503 (retry elsewhere), never 404.
  http_.setStopping();
  trimmer_.reset();
  graph_->shutdown();
  for (auto id : admin_routes_) http_.removeRoute(id);
  admin_routes_.clear();
  graph_.reset();
}

int Node::adminPort() const { return http_.boundPort(admin_address_); }

}  // namespace strata::host
