// The promql_api service component: the Prometheus HTTP API over the Queryables named in
// `sources`. start() looks the Queryables up and registers the routes on listen_address
// (which may be the server's own address: the host serves routes by path on one socket);
// drain() answers later requests 503; the routes go when the instance is destroyed.
#pragma once

#include <memory>
#include <strata/sdk.hpp>

#include "api_config.h"
#include "api_handler.h"

namespace strata::promql_api {

class PromqlApi : public sdk::Component {
 public:
  PromqlApi(sdk::Host host, sdk::ConfigView config);

  strata_status start() override;
  strata_status drain() override;
  void stop() override;

  static void validate(const sdk::ConfigView& config, strata_diag_sink* sink) {
    validateConfig(config, sink);
  }

 private:
  ApiConfig config_;
  std::unique_ptr<ApiHandler> handler_;
};

}  // namespace strata::promql_api
