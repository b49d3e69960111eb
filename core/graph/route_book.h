// Which instance owns which HTTP route. A rebuilt receiver asks for the route its predecessor
// holds; instead of a second bind (which would fail) the book keeps the new handler pending
// and swaps it in when the reload commits, so the socket never closes and no connection is
// refused.
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

#include "core/http/http_server.h"

namespace strata::graph {

class RouteBook {
 public:
  explicit RouteBook(http::HttpServer& server) : server_(server) {}

  // `owner` is the component id; `instance` identifies the instance asking. Throws
  // std::runtime_error when another component holds the route or the bind fails.
  // With `tls` the route is served over TLS; a successor asking for a route its predecessor
  // holds must ask for the same TLS settings (the socket is not reopened on reload).
  void add(const std::string& owner, const void* instance, const std::string& address,
           const std::string& prefix, size_t max_body, http::Handler handler,
           const std::optional<http::TlsSettings>& tls = std::nullopt);
  // Makes `instance`'s pending routes live (replacing its predecessor's handlers).
  void commit(const void* instance);
  // Gives up what `instance` holds: its pending routes are dropped; a live route it owns is
  // handed to the successor waiting for it (one that registered after commit, e.g. from
  // start()), or else removed.
  void release(const void* instance);

 private:
  struct Route {
    std::string owner;
    const void* instance;
    uint64_t id;
    const void* pending_instance = nullptr;
    http::Handler pending;
    size_t pending_max_body = 0;
    std::optional<http::TlsSettings> tls;
  };
  void promote(Route& r);  // the pending handler becomes the live one

  http::HttpServer& server_;
  std::mutex mu_;
  std::map<std::pair<std::string, std::string>, Route> routes_;
};

}  // namespace strata::graph
