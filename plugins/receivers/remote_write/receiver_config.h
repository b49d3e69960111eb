// Options of the remote_write receiver, parsed once from the validated config tree.
#pragma once

#include <cstdint>
#include <strata/sdk.hpp>
#include <string>

#include "prompb/write_request_decoder.h"

namespace strata::remote_write {

struct ReceiverConfig {
  std::string listen_address = "0.0.0.0:19291";
  std::string tenant_header = "THANOS-TENANT";
  std::string default_tenant = "default-tenant";
  prompb::DecodeLimits limits;   // max_body_bytes caps the body before and after snappy
  bool ack_on_delivery = false;  // ack: accepted (false) | delivered (true)

  // Throws std::invalid_argument "option: why" on a bad value.
  static ReceiverConfig parse(const sdk::ConfigView& config);
};

// Lint hook: reports each bad option at its path.
void validateConfig(const sdk::ConfigView& config, strata_diag_sink* sink);

}  // namespace strata::remote_write
