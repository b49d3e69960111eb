// The endpoints a Prometheus operator expects on every node: /metrics, /-/healthy, /-/ready
// and /-/reload (POST or PUT, like Prometheus with --web.enable-lifecycle).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/http/http_server.h"
#include "core/reload/reloader.h"
#include "core/telemetry/metrics_registry.h"

namespace strata::host {

struct AdminHandlers {
  telemetry::MetricsRegistry* metrics = nullptr;
  const std::atomic<bool>* ready = nullptr;
  std::function<reload::ReloadResult()> reload;
  std::function<void()> before_render;  // refreshes figures /metrics shows; may be empty
};

// Returns the route ids. Throws std::runtime_error when the address cannot be bound.
std::vector<uint64_t> addAdminRoutes(http::HttpServer& server, const std::string& address,
                                     AdminHandlers handlers);

}  // namespace strata::host
