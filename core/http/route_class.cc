#include "core/http/server_limits.h"

namespace strata::http {

std::string_view routeClassName(RouteClass c) {
  switch (c) {
    case RouteClass::kAdmin:
      return "admin";
    case RouteClass::kWrite:
      return "write";
    case RouteClass::kQuery:
      return "query";
  }
  return "query";
}

RouteClass classifyPrefix(std::string_view prefix) {
  if (prefix == "/metrics" || prefix.starts_with("/-/")) return RouteClass::kAdmin;
  // Remote write (Prometheus, Thanos receive), and the push/import endpoints of the ecosystem.
  for (std::string_view w : {"/api/v1/write", "/api/v1/receive", "/api/v1/push", "/api/v1/import",
                             "/api/v1/otlp", "/otlp/"}) {
    if (prefix.starts_with(w)) return RouteClass::kWrite;
  }
  return RouteClass::kQuery;
}

}  // namespace strata::http
