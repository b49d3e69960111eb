#include "core/graph/route_book.h"

#include <stdexcept>
#include <vector>

namespace strata::graph {

void RouteBook::add(const std::string& owner, const void* instance, const std::string& address,
                    const std::string& prefix, size_t max_body, http::Handler handler,
                    const std::optional<http::TlsSettings>& tls) {
  std::lock_guard lock(mu_);
  auto key = std::make_pair(address, prefix);
  auto it = routes_.find(key);
  if (it != routes_.end()) {
    if (it->second.owner != owner)
      throw std::runtime_error("route " + address + prefix + " is already served by " +
                               it->second.owner);
    // The live socket keeps its TLS context across a reload; a changed one cannot be swapped in
    // under the same listener, so say so instead of silently serving the old certificate.
    if (it->second.tls != tls)
      throw std::runtime_error("route " + address + prefix + " changes its TLS settings (" +
                               http::describe(it->second.tls ? &*it->second.tls : nullptr) +
                               " -> " + http::describe(tls ? &*tls : nullptr) +
                               "); this needs a restart");
    it->second.pending_instance = instance;
    it->second.pending = std::move(handler);
    it->second.pending_max_body = max_body;
    return;
  }
  uint64_t id = server_.addRoute(address, prefix, max_body, std::move(handler), tls);
  routes_.emplace(key, Route{owner, instance, id, nullptr, nullptr, 0, tls});
}

void RouteBook::commit(const void* instance) {
  std::lock_guard lock(mu_);
  for (auto& [key, r] : routes_) {
    if (r.pending_instance != instance) continue;
    promote(r);
  }
}

void RouteBook::promote(Route& r) {
  server_.replaceHandler(r.id, std::move(r.pending), r.pending_max_body);
  r.instance = r.pending_instance;
  r.pending_instance = nullptr;
  r.pending = nullptr;
}

void RouteBook::release(const void* instance) {
  std::vector<uint64_t> remove;
  {
    std::lock_guard lock(mu_);
    for (auto it = routes_.begin(); it != routes_.end();) {
      if (it->second.pending_instance == instance) {
        it->second.pending_instance = nullptr;
        it->second.pending = nullptr;
      }
      if (it->second.instance == instance && it->second.pending_instance) {
        promote(it->second);
        ++it;
      } else if (it->second.instance == instance) {
        remove.push_back(it->second.id);
        it = routes_.erase(it);
      } else {
        ++it;
      }
    }
  }
  // Outside the lock: removeRoute waits for in-flight requests of the route.
  for (auto id : remove) server_.removeRoute(id);
}

}  // namespace strata::graph
