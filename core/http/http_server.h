// The host's HTTP front: it owns every listening socket. Components register routes (path
// prefixes) on an address; the socket opens with the first route on that address and stays
// open while any route remains, so a reload that replaces a route's handler never refuses a
// connection.
//
// Each listener is one event-loop thread over epoll (core/http/event_loop.h): idle keep-alive
// connections cost memory, not threads. Handlers run on worker pools, one per route class
// (admin, write, query), each with a cap on requests in flight, so a flood of writes cannot
// starve /-/ready or /metrics. See server_limits.h for every bound.
#pragma once

#include <strata/plugin_abi.h>

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/http/server_limits.h"
#include "core/http/tls_settings.h"

namespace strata::http {

using Handler =
    std::function<void(const strata_http_request* request, strata_http_response* response)>;

class HttpServer {
 public:
  HttpServer();
  ~HttpServer();  // closes every listener

  // The bounds of listeners and worker pools; applies to listeners opened after the call
  // (the worker pools are made with the first listener): call it first.
  void setLimits(const ServerLimits& limits);
  const ServerLimits& limits() const;

  // Serves requests whose path starts with `prefix` (longest prefix wins) on `address`
  // ("host:port"; port 0 picks a free one). Bodies above max_body_bytes get 413 without
  // calling the handler. Throws std::runtime_error on bind failure, a malformed address, or a
  // prefix that is already routed on that address or does not start with '/'. Returns the
  // route id. Listeners: SO_REUSEADDR (never SO_REUSEPORT), keep-alive. The route's class
  // (its worker pool) follows from its prefix: classifyPrefix().
  //
  // With `tls` the address is served over TLS (one context per address, built by the first
  // route); a route whose TLS settings differ from the listener's already on that address
  // (including plain vs TLS) throws std::runtime_error naming both, as do unusable TLS files.
  uint64_t addRoute(const std::string& address, const std::string& prefix, size_t max_body_bytes,
                    Handler handler, const std::optional<TlsSettings>& tls = std::nullopt);
  // From the call on, requests for the route get 503 with Retry-After (never 404: a remote
  // write sender drops what got a 4xx); after it returns, the handler is not running and will
  // never be called again. The socket closes when its last route is gone.
  void removeRoute(uint64_t route_id);
  // Atomically replaces the handler of an existing route (used by reload): new requests get the
  // new handler at once; it returns when no call of the old handler is running any more, so the
  // caller may then destroy what the old handler used. Throws std::runtime_error for an
  // unknown id. (A handler replacing or removing its own route does not wait for itself.)
  // A given max_body_bytes replaces the route's body limit too.
  void replaceHandler(uint64_t route_id, Handler handler,
                      std::optional<size_t> max_body_bytes = std::nullopt);
  // The port actually bound for `address` (useful with port 0); 0 if not listening.
  int boundPort(const std::string& address) const;

  // While the node starts (its components add their routes after the admin routes opened the
  // shared port) and once it stops, a path without a route is answered 503 with Retry-After
  // instead of 404 — the route is not there *yet* or *any more* — and responses close their
  // connection. setStarting(false) ends the start; setStopping() is for good.
  void setStarting(bool starting);
  void setStopping();

  struct ListenerInfo {
    std::string address;
    int64_t open_connections = 0;
    uint64_t accepted = 0, refused_over_cap = 0, timed_out = 0, requests = 0;
  };
  std::vector<ListenerInfo> listenerInfo() const;
  // Requests running or waiting for a worker, per route class.
  std::array<size_t, kRouteClassCount> inFlight() const;

  // Called, on a listener's or worker's thread, for each request the server answers itself
  // before or instead of a handler: 400/408/413/417/431/501/505 (malformed, slow or too
  // large), 404 (no route), 503 (over a cap, draining, stopping), so the host can count them.
  // Applies to listeners opened after the call: set it first.
  using RefusalHook = std::function<void(const std::string& address, int status)>;
  void setRefusalHook(RefusalHook hook);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace strata::http
