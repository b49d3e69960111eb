// The remote_write receiver component: registers the write routes on the host's HTTP server
// (the host owns the socket, so it survives reloads) and hands requests to WriteHandler.
//
// Lifecycle: start() registers POST /api/v1/receive and /api/v1/write; drain() makes every
// later request a 503 (senders retry against whatever serves the route next); the routes go
// away when the host destroys the instance.
#pragma once

#include <memory>
#include <strata/sdk.hpp>

#include "receiver_config.h"
#include "write_handler.h"

namespace strata::remote_write {

class RemoteWriteReceiver : public sdk::Component {
 public:
  RemoteWriteReceiver(sdk::Host host, sdk::ConfigView config);

  strata_status start() override;
  strata_status drain() override;
  void stop() override;

  static void validate(const sdk::ConfigView& config, strata_diag_sink* sink) {
    validateConfig(config, sink);
  }

 private:
  ReceiverConfig config_;
  std::unique_ptr<WriteHandler> handler_;
};

}  // namespace strata::remote_write
