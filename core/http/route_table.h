// The routes of one listening address, and the bookkeeping that lets removeRoute() and
// replaceHandler() promise that a handler is no longer running when they return: every call
// is counted while it runs, per route and per handler version.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>

#include "core/http/http_server.h"
#include "core/http/server_limits.h"

namespace strata::http {

// One version of a route's handler; replaceHandler() installs a new one.
struct HandlerSlot {
  Handler fn;
  int inflight = 0;  // guarded by Route::mu
};

struct Route {
  uint64_t id = 0;
  std::string address;
  std::string prefix;
  std::atomic<size_t> max_body_bytes{0};  // a reload may change it under traffic
  RouteClass route_class = RouteClass::kQuery;

  std::mutex mu;
  std::condition_variable idle;
  std::shared_ptr<HandlerSlot> slot;  // guarded by mu
  int inflight = 0;                   // guarded by mu
  bool removed = false;               // guarded by mu

  // Installs `fn`; returns once no call of the previous handler is running (a call on this
  // very thread, i.e. a handler replacing itself, is not waited for).
  void replace(Handler fn);
  // Marks the route removed (requests for it get 503 from now on) and waits until no call of
  // it is running (except this thread's).
  void retire();
  // True inside a call of this route's handler (on the listener's own thread).
  bool runningOnThisThread() const;
};

// A running call of a route's handler; counted from construction to destruction.
class RouteCall {
 public:
  RouteCall(std::shared_ptr<Route> route, std::shared_ptr<HandlerSlot> slot);
  RouteCall(const RouteCall&) = delete;
  RouteCall& operator=(const RouteCall&) = delete;
  ~RouteCall();
  const Handler& handler() const { return slot_->fn; }
  const Route& route() const { return *route_; }

 private:
  std::shared_ptr<Route> route_;
  std::shared_ptr<HandlerSlot> slot_;
  const Route* outer_route_;
  const HandlerSlot* outer_slot_;
};

// What the server needs to know about a path before it reads the body.
struct RouteMatch {
  size_t max_body_bytes = 0;
  RouteClass route_class = RouteClass::kQuery;
};

// Why acquire() found nothing to call.
enum class Miss {
  kNone,      // a call was acquired
  kNotFound,  // no route serves the path: 404
  kDraining,  // the route is being removed, or the node is stopping: 503, retry elsewhere
};

// THREAD: any; lookups take a shared lock, so requests never serialise on the table.
class RouteTable {
 public:
  // Throws std::runtime_error if `prefix` is already routed here.
  void add(std::shared_ptr<Route> route);
  // Returns the number of routes left.
  size_t erase(const std::string& prefix);
  size_t size() const;
  // The route that would serve `path`; nullopt with *miss set when none would.
  std::optional<RouteMatch> match(std::string_view path, Miss* miss) const;
  // Starts a call of the route with the longest prefix of `path`; null with *miss set when
  // there is no route or it is draining.
  std::unique_ptr<RouteCall> acquire(std::string_view path, Miss* miss) const;
  // While the node starts or stops, a path without a route is answered 503 (its route is not
  // added yet, or gone because its component stopped), never 404.
  std::atomic<bool> stopping{false};

  // HttpServer::RefusalHook for this listener's address; set before it serves, then only read.
  std::function<void(int status)> on_refusal;

 private:
  const std::shared_ptr<Route>* longestPrefix(std::string_view path) const;
  mutable std::shared_mutex mu_;
  std::map<std::string, std::shared_ptr<Route>, std::less<>> routes_;
};

}  // namespace strata::http
