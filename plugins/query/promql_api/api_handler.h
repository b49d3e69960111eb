// Routes one HTTP request to its endpoint: picks the tenant from the header, builds the
// union Storage over the configured Queryables, and turns failures into Prometheus' error
// envelope and status code.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "api_config.h"
#include "endpoints.h"

namespace strata::promql_api {

class ApiHandler {
 public:
  // Looks a source's Queryable up by component id (host().queryable); nullptr if none.
  using Resolver = std::function<const strata_queryable*(const std::string& id)>;

  // LIFETIME: resolved queryables outlive this handler (the host keeps them until the
  // instance is destroyed, and the instance owns the handler).
  ApiHandler(ApiConfig config, Resolver resolve);

  // Resolves every source now; false (and the missing id) if one is not available yet.
  // Requests retry the lookup, since the host may publish providers after start().
  bool resolveSources(std::string* missing) const;

  // The path prefixes to register; handle() rejects other paths under them with 404.
  static const std::vector<std::string>& routePrefixes();

  // `resp` (may be null) lets an endpoint stream its body; then the Reply says `streamed`.
  Reply handle(const strata_http_request& req, strata_http_response* resp = nullptr) const;
  static void callback(void* user, const strata_http_request* req, strata_http_response* resp);

  // Told, after a request, which sources it skipped by their advertised time range and
  // labels (a debug log line); set before serving.
  using SkipLogger =
      std::function<void(std::string_view path, const std::vector<std::string>& sources)>;
  void setSkipLogger(SkipLogger log) { skip_logger_ = std::move(log); }

  // After drain: every request is answered 503 (the successor takes the route over).
  void stopAccepting() { accepting_ = false; }
  const ApiConfig& config() const { return config_; }

 private:
  std::string tenantOf(const strata_http_request& req) const;
  Reply dispatch(const strata_http_request& req, std::string_view path,
                 strata_http_response* resp) const;

  // The Queryables of config_.sources; throws ApiError(unavailable) while one is missing.
  std::vector<const strata_queryable*> sources() const;

  ApiConfig config_;
  Resolver resolve_;
  mutable std::mutex mu_;
  mutable std::vector<const strata_queryable*> sources_;  // empty until all resolved
  std::atomic<bool> accepting_{true};
  SkipLogger skip_logger_;
};

}  // namespace strata::promql_api
