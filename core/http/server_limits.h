// What one HTTP front may hold and for how long. Every limit answers instead of hanging: a
// connection over the cap gets a fast 503, a slow client is cut off by a read timeout, and a
// class of routes over its in-flight cap gets 503 with Retry-After while the other classes
// keep being served.
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <string_view>

namespace strata::http {

// Routes are pooled by what they cost, so a flood of one kind (remote write from hundreds of
// agents, say) cannot starve another (the load balancer's /-/ready, Prometheus' /metrics).
enum class RouteClass { kAdmin = 0, kWrite = 1, kQuery = 2 };
constexpr size_t kRouteClassCount = 3;

// "admin", "write", "query".
std::string_view routeClassName(RouteClass c);
// The class of a path prefix: /metrics and /-/... are admin; remote write, push and import
// endpoints are writes; everything else (the query API, remote read, federation) is a query.
RouteClass classifyPrefix(std::string_view prefix);

struct RouteClassLimits {
  size_t workers = 4;         // threads running handlers of this class
  size_t max_in_flight = 64;  // running + waiting for a worker; above it: 503 at once
};

struct ServerLimits {
  // Open connections per listener; one more is answered 503 (TLS: closed at accept).
  size_t max_connections = 10000;
  // From a request's first byte (or the TCP/TLS accept) to the end of its headers.
  std::chrono::milliseconds header_timeout{10000};
  // From the end of the headers to the end of the body.
  std::chrono::milliseconds body_timeout{60000};
  // A keep-alive connection with no request in progress is closed after this long.
  std::chrono::milliseconds idle_timeout{300000};
  // A response the client does not read is abandoned after this long.
  std::chrono::milliseconds write_timeout{60000};
  // Request line and headers together; more is answered 431.
  size_t max_header_bytes = 64 * 1024;
  // Requests of a listener that is closing get this long to finish and be written.
  std::chrono::milliseconds close_grace{10000};
  std::array<RouteClassLimits, kRouteClassCount> classes{{
      {4, 32},   // admin
      {8, 512},  // write
      {4, 64},   // query
  }};
};

}  // namespace strata::http
