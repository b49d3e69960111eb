#include "remote_write_receiver.h"

namespace strata::remote_write {

RemoteWriteReceiver::RemoteWriteReceiver(sdk::Host host, sdk::ConfigView config)
    : sdk::Component(host),
      config_(ReceiverConfig::parse(config)),
      handler_(std::make_unique<WriteHandler>(host, config_)) {}

strata_status RemoteWriteReceiver::start() {
  // Snappy can make a body slightly larger than its content; the decoder enforces the exact
  // cap on the decompressed size, so let the host read a little more than the cap.
  size_t cap = config_.limits.max_uncompressed_bytes;
  size_t wire_cap = cap + cap / 6 + 64;
  for (const char* path : {"/api/v1/receive", "/api/v1/write"}) {
    strata_status st = config_.tls() ? host().routeTls(config_.listen_address, path, wire_cap,
                                                       config_.tls_cert_file, config_.tls_key_file,
                                                       config_.tls_client_ca_file,
                                                       &WriteHandler::callback, handler_.get())
                                     : host().route(config_.listen_address, path, wire_cap,
                                                    &WriteHandler::callback, handler_.get());
    // The host's error (bind failure, TLS files, a clash on the address) is kept as it is:
    // it says more than anything we could add here.
    if (st != STRATA_OK) {
      host().error("cannot serve remote write",
                   {{"path", path}, {"listen_address", config_.listen_address}});
      return st;
    }
  }
  host().info(
      "serving remote write",
      {{"listen_address", config_.listen_address},
       {"tls", config_.tls() ? (config_.tls_client_ca_file.empty() ? "on" : "mutual") : "off"},
       {"auth", config_.auth.enabled() ? "on" : "off"}});
  return STRATA_OK;
}

strata_status RemoteWriteReceiver::drain() {
  handler_->stopAccepting();
  return STRATA_OK;
}

void RemoteWriteReceiver::stop() { handler_->stopAccepting(); }

}  // namespace strata::remote_write
