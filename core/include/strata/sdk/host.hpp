// C++ comfort over the host function table: logging, emitting, metrics, HTTP routes.
#pragma once

#include <strata/plugin_abi.h>

#include <cstddef>
#include <initializer_list>
#include <strata/sdk/config.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace strata::sdk {

class Metric {
 public:
  Metric() = default;
  Metric(const strata_host_api* api, strata_metric* m) : api_(api), m_(m) {}
  void add(double d = 1) const {
    if (m_) api_->metric_add(m_, d);
  }
  void set(double v) const {
    if (m_) api_->metric_set(m_, v);
  }

 private:
  const strata_host_api* api_ = nullptr;
  strata_metric* m_ = nullptr;
};

using Labels = std::initializer_list<std::pair<std::string_view, std::string_view>>;

class Host {
 public:
  Host(const strata_host_api* api, strata_host_ctx* ctx) : api_(api), ctx_(ctx) {}

  void log(strata_log_level level, std::string_view msg, Labels kv = {}) const {
    std::vector<strata_str> flat;
    for (auto& [k, v] : kv) {
      flat.push_back(str(k));
      flat.push_back(str(v));
    }
    api_->log(ctx_, level, str(msg), flat.data(), kv.size());
  }
  void debug(std::string_view msg, Labels kv = {}) const { log(STRATA_LOG_DEBUG, msg, kv); }
  void info(std::string_view msg, Labels kv = {}) const { log(STRATA_LOG_INFO, msg, kv); }
  void warn(std::string_view msg, Labels kv = {}) const { log(STRATA_LOG_WARN, msg, kv); }
  void error(std::string_view msg, Labels kv = {}) const { log(STRATA_LOG_ERROR, msg, kv); }
  void setError(std::string_view msg) const { api_->set_error(ctx_, str(msg)); }

  // OWNERSHIP: the batch is transferred whatever comes back.
  strata_status emit(strata_metrics_batch* b) const { return api_->emit_metrics(ctx_, b); }
  strata_status emit(strata_block_ref* b) const { return api_->emit_blocks(ctx_, b); }

  Metric counter(std::string_view name, std::string_view help, Labels labels = {}) const {
    return metric(STRATA_METRIC_COUNTER, name, help, labels);
  }
  Metric gauge(std::string_view name, std::string_view help, Labels labels = {}) const {
    return metric(STRATA_METRIC_GAUGE, name, help, labels);
  }

  strata_status route(std::string_view listen, std::string_view prefix, size_t max_body,
                      strata_http_handler handler, void* user) const {
    return api_->http_route(ctx_, str(listen), str(prefix), max_body, handler, user);
  }
  // Like route(), over TLS (https_route). client_ca_file non-empty requires client
  // certificates signed by that CA (mTLS). A host built before the slot existed gets
  // STRATA_FAILED with an error set, never a call through a missing pointer.
  strata_status routeTls(std::string_view listen, std::string_view prefix, size_t max_body,
                         std::string_view cert_file, std::string_view key_file,
                         std::string_view client_ca_file, strata_http_handler handler,
                         void* user) const {
    if (api_->struct_size < offsetof(strata_host_api, https_route) + sizeof(api_->https_route) ||
        !api_->https_route) {
      setError("host too old for TLS routes");
      return STRATA_FAILED;
    }
    return api_->https_route(ctx_, str(listen), str(prefix), max_body, str(cert_file),
                             str(key_file), str(client_ca_file), handler, user);
  }
  // Why this thread's last emit() did not return OK, as the refusing component said it
  // ("block_store: ..."); empty if it did, or if the host is older than the emit_error slot.
  std::string emitError() const {
    if (api_->struct_size < offsetof(strata_host_api, emit_error) + sizeof(api_->emit_error) ||
        !api_->emit_error)
      return {};
    return std::string(view(api_->emit_error(ctx_)));
  }
  const strata_queryable* queryable(std::string_view component_id) const {
    return api_->queryable(ctx_, str(component_id));
  }
  std::string componentId() const { return std::string(view(api_->component_id(ctx_))); }
  std::string dataDir() const { return std::string(view(api_->data_dir(ctx_))); }
  const strata_host_api* api() const { return api_; }
  strata_host_ctx* ctx() const { return ctx_; }

 private:
  Metric metric(uint32_t type, std::string_view name, std::string_view help, Labels labels) const {
    std::vector<strata_str> flat;
    for (auto& [k, v] : labels) {
      flat.push_back(str(k));
      flat.push_back(str(v));
    }
    return Metric(api_, api_->metric(ctx_, type, str(name), str(help), flat.data(), labels.size()));
  }
  const strata_host_api* api_;
  strata_host_ctx* ctx_;
};

// Convenience for HTTP handlers.
inline void respond(strata_http_response* r, int status, std::string_view body,
                    std::string_view content_type = "text/plain; charset=utf-8") {
  r->send(r, status, str(content_type), body.data(), body.size());
}
inline std::string_view header(const strata_http_request* req, std::string_view name) {
  for (size_t i = 0; i < req->header_count; ++i) {
    auto n = view(req->headers[i].name);
    if (n.size() != name.size()) continue;
    bool eq = true;
    for (size_t j = 0; j < n.size() && eq; ++j) eq = (n[j] | 0x20) == (name[j] | 0x20);
    if (eq) return view(req->headers[i].value);
  }
  return {};
}

}  // namespace strata::sdk
