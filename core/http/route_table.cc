#include "core/http/route_table.h"

#include <stdexcept>
#include <utility>

namespace strata::http {
namespace {

// The call running on this thread, so a handler that removes or replaces its own route does
// not wait for itself forever.
thread_local const Route* t_route = nullptr;
thread_local const HandlerSlot* t_slot = nullptr;

}  // namespace

void Route::replace(Handler fn) {
  auto fresh = std::make_shared<HandlerSlot>();
  fresh->fn = std::move(fn);
  std::unique_lock lock(mu);
  std::shared_ptr<HandlerSlot> old = std::exchange(slot, std::move(fresh));
  int self = t_slot == old.get() ? 1 : 0;
  idle.wait(lock, [&] { return old->inflight <= self; });
}

void Route::retire() {
  std::unique_lock lock(mu);
  removed = true;
  int self = t_route == this ? 1 : 0;
  idle.wait(lock, [&] { return inflight <= self; });
}

bool Route::runningOnThisThread() const { return t_route == this; }

RouteCall::RouteCall(std::shared_ptr<Route> route, std::shared_ptr<HandlerSlot> slot)
    : route_(std::move(route)), slot_(std::move(slot)), outer_route_(t_route), outer_slot_(t_slot) {
  t_route = route_.get();
  t_slot = slot_.get();
}

RouteCall::~RouteCall() {
  t_route = outer_route_;
  t_slot = outer_slot_;
  std::lock_guard lock(route_->mu);
  --route_->inflight;
  --slot_->inflight;
  route_->idle.notify_all();
}

void RouteTable::add(std::shared_ptr<Route> route) {
  std::unique_lock lock(mu_);
  if (routes_.count(route->prefix))
    throw std::runtime_error("path prefix \"" + route->prefix + "\" is already routed on " +
                             route->address);
  std::string prefix = route->prefix;
  routes_.emplace(std::move(prefix), std::move(route));
}

size_t RouteTable::erase(const std::string& prefix) {
  std::unique_lock lock(mu_);
  routes_.erase(prefix);
  return routes_.size();
}

size_t RouteTable::size() const {
  std::shared_lock lock(mu_);
  return routes_.size();
}

const std::shared_ptr<Route>* RouteTable::longestPrefix(std::string_view path) const {
  // Few routes per address (a handful of components), so a scan beats anything cleverer.
  const std::shared_ptr<Route>* best = nullptr;
  for (const auto& [prefix, route] : routes_)
    if (path.starts_with(prefix) && (!best || prefix.size() > (*best)->prefix.size()))
      best = &route;
  return best;
}

std::optional<RouteMatch> RouteTable::match(std::string_view path, Miss* miss) const {
  std::shared_lock lock(mu_);
  auto* route = longestPrefix(path);
  if (!route) {
    *miss = stopping ? Miss::kDraining : Miss::kNotFound;
    return std::nullopt;
  }
  {
    std::lock_guard route_lock((*route)->mu);
    if ((*route)->removed) {
      *miss = Miss::kDraining;
      return std::nullopt;
    }
  }
  *miss = Miss::kNone;
  return RouteMatch{(*route)->max_body_bytes, (*route)->route_class};
}

std::unique_ptr<RouteCall> RouteTable::acquire(std::string_view path, Miss* miss) const {
  // The count is taken under the route's lock, which retire() takes to mark the route
  // removed before it waits: no call can start once its wait began.
  std::shared_lock lock(mu_);
  auto* found = longestPrefix(path);
  if (!found) {
    *miss = stopping ? Miss::kDraining : Miss::kNotFound;
    return nullptr;
  }
  const std::shared_ptr<Route>& route = *found;
  std::shared_ptr<HandlerSlot> slot;
  {
    std::lock_guard route_lock(route->mu);
    if (route->removed) {
      *miss = Miss::kDraining;
      return nullptr;
    }
    *miss = Miss::kNone;
    ++route->inflight;
    ++route->slot->inflight;
    slot = route->slot;
  }
  return std::make_unique<RouteCall>(route, std::move(slot));
}

}  // namespace strata::http
