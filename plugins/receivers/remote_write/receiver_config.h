// Options of the remote_write receiver, parsed once from the validated config tree.
#pragma once

#include <cstdint>
#include <strata/sdk.hpp>
#include <string>

#include "auth.h"
#include "prompb/write_request_decoder.h"

namespace strata::remote_write {

struct ReceiverConfig {
  std::string listen_address = "0.0.0.0:19291";
  std::string tenant_header = "THANOS-TENANT";
  std::string default_tenant = "default-tenant";
  prompb::DecodeLimits limits;   // max_body_bytes caps the body before and after snappy
  bool ack_on_delivery = false;  // ack: accepted (false) | delivered (true)
  // tls_config: serve over TLS when cert_file is set; client_ca_file turns on mTLS.
  std::string tls_cert_file, tls_key_file, tls_client_ca_file;
  AuthConfig auth;  // basic_auth_users, bearer_token / bearer_token_file (read at parse)

  bool tls() const { return !tls_cert_file.empty(); }

  // Throws std::invalid_argument "option: why" on a bad value or an unreadable
  // bearer_token_file.
  static ReceiverConfig parse(const sdk::ConfigView& config);
};

// Lint hook: reports each bad option at its path.
void validateConfig(const sdk::ConfigView& config, strata_diag_sink* sink);

}  // namespace strata::remote_write
