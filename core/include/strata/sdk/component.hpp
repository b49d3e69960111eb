// Base class for components and the C trampolines that turn it into a strata_component_vtable.
// Every trampoline is an exception barrier: nothing thrown in a plugin ever reaches the host.
#pragma once

#include <strata/plugin_abi.h>

#include <exception>
#include <strata/sdk/batch.hpp>
#include <strata/sdk/config.hpp>
#include <strata/sdk/host.hpp>
#include <string>

namespace strata::sdk {

// Subclass this, give it a constructor (Host, ConfigView) and override what the kind needs.
// The constructor may throw to refuse a config; the message becomes the create() error.
class Component {
 public:
  explicit Component(Host host) : host_(host) {}
  virtual ~Component() = default;
  virtual strata_status start() { return STRATA_OK; }
  // OWNERSHIP: `batch` is yours; wrap it in OwnedBatch or pass it on with host().emit().
  virtual strata_status consume(strata_metrics_batch* batch) {
    OwnedBatch owned(batch);
    return STRATA_REJECT;
  }
  virtual strata_status consume(strata_block_ref* block) {
    if (block->release) block->release(block);
    return STRATA_REJECT;
  }
  virtual strata_status queryable(strata_queryable* /*out*/) { return STRATA_FAILED; }
  virtual strata_status drain() { return STRATA_OK; }
  virtual void stop() {}
  // Take over durable state from the previous instance of the same type on reload.
  virtual strata_status adopt(Component& /*previous*/) { return STRATA_OK; }
  const Host& host() const { return host_; }

 private:
  Host host_;
};

// Cross-field checks for lint: report(path, message). Default: nothing to check.
using ValidateFn = void (*)(const ConfigView& config, strata_diag_sink* sink);

namespace detail {

template <typename F>
strata_status guard(strata_host_ctx* ctx, const strata_host_api* api, F&& f) {
  try {
    return f();
  } catch (const std::exception& e) {
    if (api && ctx) api->set_error(ctx, str(e.what()));
  } catch (...) {
    if (api && ctx) api->set_error(ctx, str("unknown exception in plugin"));
  }
  return STRATA_FAILED;
}

template <typename T>
struct Trampolines {
  static Component* self(void* p) { return static_cast<Component*>(p); }
  static strata_status create(const strata_host_api* api, strata_host_ctx* ctx,
                              const strata_value* config, void** out) {
    return guard(ctx, api, [&] {
      *out = static_cast<Component*>(new T(Host(api, ctx), ConfigView(config)));
      return STRATA_OK;
    });
  }
  static strata_status start(void* p) {
    auto* c = self(p);
    return guard(c->host().ctx(), c->host().api(), [&] { return c->start(); });
  }
  static strata_status consumeMetrics(void* p, strata_metrics_batch* b) {
    auto* c = self(p);
    return guard(c->host().ctx(), c->host().api(), [&] { return c->consume(b); });
  }
  static strata_status consumeBlocks(void* p, strata_block_ref* b) {
    auto* c = self(p);
    return guard(c->host().ctx(), c->host().api(), [&] { return c->consume(b); });
  }
  static strata_status queryable(void* p, strata_queryable* out) {
    auto* c = self(p);
    return guard(c->host().ctx(), c->host().api(), [&] { return c->queryable(out); });
  }
  static strata_status drain(void* p) {
    auto* c = self(p);
    return guard(c->host().ctx(), c->host().api(), [&] { return c->drain(); });
  }
  static void stop(void* p) {
    auto* c = self(p);
    guard(c->host().ctx(), c->host().api(), [&] {
      c->stop();
      return STRATA_OK;
    });
  }
  static void destroy(void* p) {
    try {
      delete self(p);
    } catch (...) {
    }
  }
  static strata_status adopt(void* p, void* prev) {
    auto* c = self(p);
    return guard(c->host().ctx(), c->host().api(), [&] { return c->adopt(*self(prev)); });
  }
};

// The C validate slot for V: a specialisation, not `V ? ... : nullptr`, because GCC's -Waddress
// (an error under -Werror) flags testing a known function's address against null.
template <ValidateFn V>
struct ValidateHook {
  static void call(const strata_value* cfg, strata_diag_sink* sink) {
    try {
      V(ConfigView(cfg), sink);
    } catch (const std::exception& e) {
      sink->report(sink, "", e.what());
    } catch (...) {
      sink->report(sink, "", "validate threw");
    }
  }
  static constexpr void (*fn)(const strata_value*, strata_diag_sink*) = &call;
};
template <>
struct ValidateHook<nullptr> {
  static constexpr void (*fn)(const strata_value*, strata_diag_sink*) = nullptr;
};

}  // namespace detail

// The vtable for component class T, with an optional validate function.
template <typename T, ValidateFn V = nullptr>
const strata_component_vtable* vtableFor() {
  static const strata_component_vtable vt = {
      sizeof(strata_component_vtable),         detail::ValidateHook<V>::fn,
      &detail::Trampolines<T>::create,         &detail::Trampolines<T>::start,
      &detail::Trampolines<T>::consumeMetrics, &detail::Trampolines<T>::consumeBlocks,
      &detail::Trampolines<T>::queryable,      &detail::Trampolines<T>::drain,
      &detail::Trampolines<T>::stop,           &detail::Trampolines<T>::destroy,
      &detail::Trampolines<T>::adopt,
  };
  return &vt;
}

}  // namespace strata::sdk
