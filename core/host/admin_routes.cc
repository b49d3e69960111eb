#include "core/host/admin_routes.h"

#include <strata/sdk/host.hpp>

#include "core/telemetry/process_metrics.h"

namespace strata::host {
namespace {

using sdk::respond;

bool isMethod(const strata_http_request* rq, std::string_view m) {
  return sdk::view(rq->method) == m;
}

}  // namespace

std::vector<uint64_t> addAdminRoutes(http::HttpServer& server, const std::string& address,
                                     AdminHandlers h) {
  std::vector<uint64_t> ids;
  ids.push_back(server.addRoute(address, "/metrics", 0,
                                [m = h.metrics, refresh = h.before_render](
                                    const strata_http_request*, strata_http_response* rs) {
                                  telemetry::updateProcessMetrics(*m);
                                  if (refresh) refresh();
                                  respond(rs, 200, m->render(),
                                          "text/plain; version=0.0.4; charset=utf-8");
                                }));
  ids.push_back(server.addRoute(address, "/-/healthy", 0,
                                [](const strata_http_request*, strata_http_response* rs) {
                                  respond(rs, 200, "Strata is Healthy.\n");
                                }));
  ids.push_back(server.addRoute(
      address, "/-/ready", 0, [r = h.ready](const strata_http_request*, strata_http_response* rs) {
        if (r->load())
          respond(rs, 200, "Strata is Ready.\n");
        else
          respond(rs, 503, "Service Unavailable\n");
      }));
  ids.push_back(
      server.addRoute(address, "/-/reload", 0,
                      [reload = h.reload](const strata_http_request* rq, strata_http_response* rs) {
                        if (!isMethod(rq, "POST") && !isMethod(rq, "PUT")) {
                          respond(rs, 405, "Only POST or PUT requests allowed\n");
                          return;
                        }
                        auto result = reload();
                        if (result.ok)
                          respond(rs, 200, "OK\n" + result.message);
                        else
                          respond(rs, 500, "failed to reload config: " + result.message + "\n");
                      }));
  return ids;
}

}  // namespace strata::host
