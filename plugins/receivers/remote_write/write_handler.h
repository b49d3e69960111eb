// One remote write HTTP request: checks, decode, emit, and the status the sender sees.
//
//   missing or wrong credentials (when auth is configured) -> 401 + WWW-Authenticate;
//   non-POST -> 405; an unknown Content-Type `proto` or encoding -> 415;
//   bad body or labels -> 400 naming the problem; emit RETRY -> 503 + Retry-After: 1;
//   emit REJECT -> 400; emit FAILED -> 500 (both with the refusing component's text when the
//   host passes it on, emit_error); emit OK -> 204; draining -> 503.
//
// THREAD: handle() runs on any of the host's HTTP threads, concurrently.
#pragma once

#include <atomic>
#include <map>
#include <mutex>
#include <strata/sdk.hpp>
#include <string>
#include <string_view>

#include "auth.h"
#include "receiver_config.h"

namespace strata::remote_write {

class WriteHandler {
 public:
  WriteHandler(sdk::Host host, ReceiverConfig config);

  void handle(const strata_http_request* request, strata_http_response* response);

  // After this every request gets 503, so a sender retries against the next instance.
  void stopAccepting() { accepting_ = false; }

  // The C callback for host().route(); `user` is the WriteHandler.
  static void callback(void* user, const strata_http_request* request,
                       strata_http_response* response);

 private:
  struct Reply {
    int status;
    std::string body;
    std::string reason = "";  // why it was not accepted: strata_remote_write_requests_refused_total
    size_t written = 0;       // samples stored: 2.0's X-Prometheus-Remote-Write-*-Written
  };
  enum class Version { k1, k2, kUnsupported };
  static Version versionOf(std::string_view content_type);
  Reply process(const strata_http_request* request);
  Reply emitBatch(strata_metrics_batch* batch, size_t samples);
  void count(const char* name, const char* help, const char* label, const std::string& value,
             double delta);

  sdk::Host host_;
  ReceiverConfig config_;
  Authenticator auth_;
  std::atomic<bool> accepting_{true};
  sdk::Metric received_, metadata_received_;
  std::mutex mu_;  // guards metrics_
  std::map<std::string, sdk::Metric> metrics_;
};

}  // namespace strata::remote_write
