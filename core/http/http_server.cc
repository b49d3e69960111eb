#include "core/http/http_server.h"

#include <netdb.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <mutex>
#include <stdexcept>
#include <vector>

#include "core/http/event_loop.h"
#include "core/http/listen_address.h"
#include "core/http/route_table.h"

namespace strata::http {
namespace {

constexpr int kBacklog = 4096;

// A bound, listening, non-blocking socket for `address`; throws naming the address.
int openListeningSocket(const std::string& address) {
  ListenAddress parsed = parseListenAddress(address);
  addrinfo hints{};
  hints.ai_family = parsed.ipv6 ? AF_INET6 : AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  std::string port = std::to_string(parsed.port);
  int rc = getaddrinfo(parsed.host.c_str(), port.c_str(), &hints, &found);
  if (rc != 0) throw std::runtime_error("cannot listen on " + address + ": " + gai_strerror(rc));
  // Prefer IPv4 for a name like "localhost" that resolves to both, as before.
  addrinfo* chosen = found;
  for (addrinfo* a = found; a; a = a->ai_next)
    if (!parsed.ipv6 && a->ai_family == AF_INET) {
      chosen = a;
      break;
    }
  int fd = ::socket(chosen->ai_family, chosen->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  std::string error;
  if (fd < 0) {
    error = std::strerror(errno);
  } else {
    // SO_REUSEADDR so a restart binds despite TIME_WAIT; never SO_REUSEPORT, which would let
    // a second listener silently share the port.
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (chosen->ai_family == AF_INET6) setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
    if (::bind(fd, chosen->ai_addr, chosen->ai_addrlen) != 0 || ::listen(fd, kBacklog) != 0) {
      error = std::strerror(errno);
      ::close(fd);
      fd = -1;
    }
  }
  freeaddrinfo(found);
  if (fd < 0) throw std::runtime_error("cannot listen on " + address + ": " + error);
  return fd;
}

int boundPortOf(int fd) {
  sockaddr_storage ss{};
  socklen_t len = sizeof ss;
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len) != 0) return 0;
  if (ss.ss_family == AF_INET6) return ntohs(reinterpret_cast<sockaddr_in6*>(&ss)->sin6_port);
  return ntohs(reinterpret_cast<sockaddr_in*>(&ss)->sin_port);
}

// One listening socket with its event loop.
struct Listener {
  std::string address;
  std::shared_ptr<RouteTable> table = std::make_shared<RouteTable>();
  std::optional<TlsSettings> tls;   // what every route on this address must ask for
  Poco::Net::Context::Ptr context;  // keeps the SSL_CTX the loop's connections use
  int port = 0;
  std::unique_ptr<ListenerLoop> loop;

  Listener(const std::string& addr, const std::optional<TlsSettings>& tls_settings,
           const HttpServer::RefusalHook& hook, bool stopping, const ServerLimits& limits,
           WorkerPools& pools)
      : address(addr), tls(tls_settings) {
    if (hook) table->on_refusal = [hook, addr](int status) { hook(addr, status); };
    table->stopping = stopping;
    if (tls) context = makeServerContext(*tls);
    int fd = openListeningSocket(address);
    port = boundPortOf(fd);
    loop = std::make_unique<ListenerLoop>(address, fd, context ? context->sslContext() : nullptr,
                                          table, limits, pools);
  }
};

}  // namespace

struct HttpServer::Impl {
  mutable std::mutex mu;  // guards everything below; never held while waiting for a handler
  ServerLimits limits;
  WorkerPools pools;  // made with the first listener; outlive every loop
  std::map<std::string, std::unique_ptr<Listener>> listeners;
  std::map<uint64_t, std::shared_ptr<Route>> routes;
  // Listeners closed from a handler of their own (a handler removing the last route of its
  // own address): their loops wait for that very request, so they are joined later.
  std::vector<std::unique_ptr<Listener>> closed_unjoined;
  uint64_t next_id = 1;
  RefusalHook refusal_hook;
  bool stopping = false;
  bool starting = false;

  void ensurePools() {
    if (pools[0]) return;
    for (size_t i = 0; i < kRouteClassCount; ++i) {
      const auto& c = limits.classes[i];
      pools[i] = std::make_unique<WorkerPool>(
          "http-" + std::string(routeClassName(static_cast<RouteClass>(i))), c.workers,
          c.max_in_flight);
    }
  }
};

HttpServer::HttpServer() : impl_(std::make_unique<Impl>()) {
  // TLS writes go through write(2), which raises SIGPIPE on a peer that went away; the host
  // ignores it too, this covers embedders and tests.
  struct sigaction old {};
  if (sigaction(SIGPIPE, nullptr, &old) == 0 && old.sa_handler == SIG_DFL) signal(SIGPIPE, SIG_IGN);
}

HttpServer::~HttpServer() {
  std::vector<std::unique_ptr<Listener>> listeners;
  {
    std::lock_guard lock(impl_->mu);
    for (auto& [address, listener] : impl_->listeners) listeners.push_back(std::move(listener));
    impl_->listeners.clear();
    for (auto& l : impl_->closed_unjoined) listeners.push_back(std::move(l));
    impl_->closed_unjoined.clear();
  }
  listeners.clear();                             // each loop closes and joins
  for (auto& pool : impl_->pools) pool.reset();  // runs what is queued, then joins
}

void HttpServer::setLimits(const ServerLimits& limits) {
  std::lock_guard lock(impl_->mu);
  impl_->limits = limits;
}

const ServerLimits& HttpServer::limits() const { return impl_->limits; }

uint64_t HttpServer::addRoute(const std::string& address, const std::string& prefix,
                              size_t max_body_bytes, Handler handler,
                              const std::optional<TlsSettings>& tls) {
  if (prefix.empty() || prefix[0] != '/')
    throw std::runtime_error("path prefix \"" + prefix + "\" must start with '/'");
  auto route = std::make_shared<Route>();
  route->address = address;
  route->prefix = prefix;
  route->max_body_bytes = max_body_bytes;
  route->route_class = classifyPrefix(prefix);
  route->slot = std::make_shared<HandlerSlot>();
  route->slot->fn = std::move(handler);

  std::lock_guard lock(impl_->mu);
  route->id = impl_->next_id;
  auto it = impl_->listeners.find(address);
  std::unique_ptr<Listener> opened;
  Listener* listener = nullptr;
  if (it == impl_->listeners.end()) {
    impl_->ensurePools();
    opened =
        std::make_unique<Listener>(address, tls, impl_->refusal_hook,
                                   impl_->stopping || impl_->starting, impl_->limits, impl_->pools);
    listener = opened.get();
  } else {
    listener = it->second.get();
    if (listener->tls != tls)
      throw std::runtime_error(
          "route " + address + prefix + " asks for " + describe(tls ? &*tls : nullptr) + " but " +
          address + " already serves " + describe(listener->tls ? &*listener->tls : nullptr));
  }
  listener->table->add(route);  // on a clash, `opened` closes again as it goes out of scope
  if (opened) impl_->listeners[address] = std::move(opened);
  impl_->routes[route->id] = route;
  return impl_->next_id++;
}

void HttpServer::setRefusalHook(RefusalHook hook) {
  std::lock_guard lock(impl_->mu);
  impl_->refusal_hook = std::move(hook);
}

void HttpServer::setStarting(bool starting) {
  std::lock_guard lock(impl_->mu);
  impl_->starting = starting;
  for (auto& [address, listener] : impl_->listeners)
    listener->table->stopping = impl_->starting || impl_->stopping;
}

void HttpServer::setStopping() {
  std::lock_guard lock(impl_->mu);
  impl_->stopping = true;
  for (auto& [address, listener] : impl_->listeners) listener->table->stopping = true;
}

void HttpServer::removeRoute(uint64_t route_id) {
  std::shared_ptr<Route> route;
  {
    std::lock_guard lock(impl_->mu);
    auto it = impl_->routes.find(route_id);
    if (it == impl_->routes.end()) return;
    route = it->second;
    impl_->routes.erase(it);
  }
  // Outside the lock: other routes keep being added and removed while this one drains. The
  // route stays in its table meanwhile, answering 503, so no request sees a 404 for it.
  route->retire();

  std::unique_ptr<Listener> closing;
  {
    std::lock_guard lock(impl_->mu);
    auto it = impl_->listeners.find(route->address);
    if (it == impl_->listeners.end()) return;
    if (it->second->table->erase(route->prefix) > 0) return;
    closing = std::move(it->second);
    impl_->listeners.erase(it);
  }
  closing->loop->close();
  // A handler removing the last route of its own address runs while its loop waits for it.
  if (route->runningOnThisThread()) {
    std::lock_guard lock(impl_->mu);
    impl_->closed_unjoined.push_back(std::move(closing));
    return;
  }
  closing.reset();  // joins the loop: the requests it still had in flight are answered
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

std::vector<HttpServer::ListenerInfo> HttpServer::listenerInfo() const {
  std::lock_guard lock(impl_->mu);
  std::vector<ListenerInfo> out;
  for (const auto& [address, listener] : impl_->listeners) {
    const ListenerStats& s = listener->loop->stats();
    out.push_back({address, s.open_connections.load(), s.accepted.load(), s.refused_over_cap.load(),
                   s.timed_out.load(), s.requests.load()});
  }
  return out;
}

std::array<size_t, kRouteClassCount> HttpServer::inFlight() const {
  std::lock_guard lock(impl_->mu);
  std::array<size_t, kRouteClassCount> out{};
  for (size_t i = 0; i < kRouteClassCount; ++i)
    out[i] = impl_->pools[i] ? impl_->pools[i]->inFlight() : 0;
  return out;
}

}  // namespace strata::http
