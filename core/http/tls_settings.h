// TLS of a host-owned listener: the PEM files it serves with and, for mutual TLS, the CA that
// client certificates must chain to. Every route on one address shares one listener, so they
// must all ask for the same settings (or all for none).
#pragma once

#include <Poco/Net/Context.h>

#include <string>

namespace strata::http {

struct TlsSettings {
  std::string cert_file;       // PEM certificate (chain) the server presents
  std::string key_file;        // PEM private key, unencrypted
  std::string client_ca_file;  // non-empty: client certificates are required and verified

  bool operator==(const TlsSettings&) const = default;
};

// A server context (TLS 1.2 or later) loaded from the files. Throws std::runtime_error naming
// the file that could not be used.
Poco::Net::Context::Ptr makeServerContext(const TlsSettings& settings);

// "plain HTTP" or "TLS (cert=..., key=..., client_ca=...)", for error messages.
std::string describe(const TlsSettings* settings);

}  // namespace strata::http
