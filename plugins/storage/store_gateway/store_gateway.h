// The store gateway component: provides the query edge over the blocks of a bucket
// (docs/plugins/store_gateway.md). No inputs, no outputs.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <strata/sdk.hpp>
#include <thread>

#include "gateway_core.h"

namespace strata::store_gateway {

class StoreGateway : public sdk::Component {
 public:
  static void validate(const sdk::ConfigView& config, strata_diag_sink* sink);
  StoreGateway(sdk::Host host, sdk::ConfigView config);
  ~StoreGateway() override;

  // Opens the bucket (a misconfiguration fails the start), syncs once, then every
  // sync_interval on a thread of its own.
  strata_status start() override;
  void stop() override;
  strata_status queryable(strata_queryable* out) override;

  GatewayCore* core() const { return core_.get(); }
  // One sync now (serialised with the periodic ones); the number of blocks loaded after it.
  // Throws what GatewayCore::sync throws.
  size_t syncNow();

 private:
  void run();
  static void serveSync(void* user, const strata_http_request* req, strata_http_response* resp);

  GatewayOptions options_;
  std::unique_ptr<GatewayCore> core_;
  std::mutex mu_;
  std::mutex sync_mu_;  // one sync at a time (periodic, on demand)
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread worker_;
};

}  // namespace strata::store_gateway
