#include "core/http/http_server.h"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/ThreadPool.h>

#include <map>
#include <mutex>
#include <stdexcept>
#include <vector>

#include "core/http/listen_address.h"
#include "core/http/request_handler.h"
#include "core/http/route_table.h"

namespace strata::http {
namespace {

constexpr int kMaxThreads = 16;
constexpr int kMaxQueued = 64;

// One listening socket with its own Poco server and thread pool, so closing it can wait for
// exactly its own connection threads.
struct Listener {
  std::shared_ptr<RouteTable> table = std::make_shared<RouteTable>();
  std::unique_ptr<Poco::ThreadPool> pool;
  Poco::Net::ServerSocket socket;
  std::unique_ptr<Poco::Net::HTTPServer> server;
  int port = 0;
  std::optional<TlsSettings> tls;  // what every route on this address must ask for

  Listener(const std::string& address, const std::optional<TlsSettings>& tls_settings,
           const HttpServer::RefusalHook& hook)
      : tls(tls_settings) {
    if (hook) table->on_refusal = [hook, address](int status) { hook(address, status); };
    ListenAddress parsed = parseListenAddress(address);
    // A secure socket does the handshake lazily on the connection's own thread, so one slow
    // or hostile client never stalls the accept loop.
    if (tls) socket = Poco::Net::SecureServerSocket(makeServerContext(*tls));
    try {
      Poco::Net::SocketAddress where(parsed.host, parsed.port);
      // SO_REUSEADDR so a restart binds despite TIME_WAIT; never SO_REUSEPORT, which would let
      // a second listener silently share the port.
      if (where.family() == Poco::Net::SocketAddress::IPv6)
        socket.bind6(where, true, false, true);
      else
        socket.bind(where, true, false);
      socket.listen(kMaxQueued);
      port = socket.address().port();
    } catch (const Poco::Exception& e) {
      throw std::runtime_error("cannot listen on " + address + ": " + e.displayText());
    }
    pool = std::make_unique<Poco::ThreadPool>("http " + address, 1, kMaxThreads, 60);
    auto* params = new Poco::Net::HTTPServerParams;
    params->setMaxThreads(kMaxThreads);
    params->setMaxQueued(kMaxQueued);
    params->setKeepAlive(true);
    params->setMaxKeepAliveRequests(0);  // unlimited
    params->setKeepAliveTimeout(Poco::Timespan(15, 0));
    params->setTimeout(Poco::Timespan(60, 0));
    // Poco's dispatcher threads can miss the wake-up of stop() and then sleep for their idle
    // time; a short idle time bounds how long closing a listener can take.
    params->setThreadIdleTime(Poco::Timespan(1, 0));
    server = std::make_unique<Poco::Net::HTTPServer>(new RouteHandlerFactory(table), *pool, socket,
                                                     params);
    server->start();
  }

  // Stops accepting and closes the socket at once (a connect is refused from now on), aborts
  // idle keep-alive connections, and waits for connection threads unless `join` is false.
  void close(bool join) {
    server->stopAll(true);
    socket.close();
    if (join) pool->joinAll();
  }
};

}  // namespace

struct HttpServer::Impl {
  std::mutex mu;  // guards everything below; never held while waiting for a handler
  std::map<std::string, std::unique_ptr<Listener>> listeners;
  std::map<uint64_t, std::shared_ptr<Route>> routes;
  // Listeners closed from one of their own threads (a handler removing the last route of its
  // own address): their threads are joined when the server is destroyed.
  std::vector<std::unique_ptr<Listener>> closed_unjoined;
  uint64_t next_id = 1;
  RefusalHook refusal_hook;
};

HttpServer::HttpServer() : impl_(std::make_unique<Impl>()) {}

HttpServer::~HttpServer() {
  std::lock_guard lock(impl_->mu);
  for (auto& [address, listener] : impl_->listeners) listener->close(true);
  for (auto& listener : impl_->closed_unjoined) listener->pool->joinAll();
}

uint64_t HttpServer::addRoute(const std::string& address, const std::string& prefix,
                              size_t max_body_bytes, Handler handler,
                              const std::optional<TlsSettings>& tls) {
  if (prefix.empty() || prefix[0] != '/')
    throw std::runtime_error("path prefix \"" + prefix + "\" must start with '/'");
  auto route = std::make_shared<Route>();
  route->address = address;
  route->prefix = prefix;
  route->max_body_bytes = max_body_bytes;
  route->slot = std::make_shared<HandlerSlot>();
  route->slot->fn = std::move(handler);

  std::lock_guard lock(impl_->mu);
  route->id = impl_->next_id;
  auto& listener = impl_->listeners[address];
  bool opened = false;
  if (!listener) {
    try {
      listener = std::make_unique<Listener>(address, tls, impl_->refusal_hook);
    } catch (...) {
      impl_->listeners.erase(address);
      throw;
    }
    opened = true;
  } else if (listener->tls != tls) {
    throw std::runtime_error(
        "route " + address + prefix + " asks for " + describe(tls ? &*tls : nullptr) + " but " +
        address + " already serves " + describe(listener->tls ? &*listener->tls : nullptr));
  }
  try {
    listener->table->add(route);
  } catch (...) {
    if (opened) {
      listener->close(true);
      impl_->listeners.erase(address);
    }
    throw;
  }
  impl_->routes[route->id] = route;
  return impl_->next_id++;
}

void HttpServer::setRefusalHook(RefusalHook hook) {
  std::lock_guard lock(impl_->mu);
  impl_->refusal_hook = std::move(hook);
}

void HttpServer::removeRoute(uint64_t route_id) {
  std::shared_ptr<Route> route;
  {
    std::lock_guard lock(impl_->mu);
    auto it = impl_->routes.find(route_id);
    if (it == impl_->routes.end()) return;
    route = it->second;
    impl_->routes.erase(it);
    impl_->listeners.at(route->address)->table->erase(route->prefix);
  }
  // Outside the lock: other routes keep being added and removed while this one drains.
  route->retire();

  std::lock_guard lock(impl_->mu);
  auto it = impl_->listeners.find(route->address);
  // Re-checked: a route may have been added to the address while we waited.
  if (it == impl_->listeners.end() || it->second->table->size() > 0) return;
  std::unique_ptr<Listener> listener = std::move(it->second);
  impl_->listeners.erase(it);
  // A handler removing the last route of its own address runs on one of the pool's threads;
  // joining the pool from there would wait for itself.
  if (route->runningOnThisThread()) {
    listener->close(false);
    impl_->closed_unjoined.push_back(std::move(listener));
  } else {
    listener->close(true);
  }
}

void HttpServer::replaceHandler(uint64_t route_id, Handler handler,
                                std::optional<size_t> max_body_bytes) {
  std::shared_ptr<Route> route;
  {
    std::lock_guard lock(impl_->mu);
    auto it = impl_->routes.find(route_id);
    if (it == impl_->routes.end())
      throw std::runtime_error("no route with id " + std::to_string(route_id));
    route = it->second;
  }
  if (max_body_bytes) route->max_body_bytes = *max_body_bytes;
  route->replace(std::move(handler));
}

int HttpServer::boundPort(const std::string& address) const {
  std::lock_guard lock(impl_->mu);
  auto it = impl_->listeners.find(address);
  return it == impl_->listeners.end() ? 0 : it->second->port;
}

}  // namespace strata::http
