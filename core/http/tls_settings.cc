#include "core/http/tls_settings.h"

#include <Poco/Exception.h>
#include <Poco/Net/NetSSL.h>

#include <mutex>
#include <stdexcept>

namespace strata::http {
namespace {

// OpenSSL's global state; Poco reference-counts it, one reference for the process is enough.
void initializeOnce() {
  static std::once_flag once;
  std::call_once(once, [] { Poco::Net::initializeSSL(); });
}

}  // namespace

Poco::Net::Context::Ptr makeServerContext(const TlsSettings& s) {
  if (s.cert_file.empty() || s.key_file.empty())
    throw std::runtime_error("TLS needs both a certificate file and a key file");
  initializeOnce();
  Poco::Net::Context::Params params;
  params.certificateFile = s.cert_file;
  params.privateKeyFile = s.key_file;
  params.caLocation = s.client_ca_file;
  // STRICT on a server: a client without a certificate fails the handshake.
  params.verificationMode = s.client_ca_file.empty() ? Poco::Net::Context::VERIFY_NONE
                                                     : Poco::Net::Context::VERIFY_STRICT;
  params.loadDefaultCAs = false;
  params.cipherList = "HIGH:!aNULL:!eNULL:!MD5:!RC4:!3DES";
  try {
    Poco::Net::Context::Ptr ctx =
        new Poco::Net::Context(Poco::Net::Context::TLS_SERVER_USE, params);
    ctx->requireMinimumProtocol(Poco::Net::Context::PROTO_TLSV1_2);
    // Poco's "extended" check matches the peer certificate's names against the peer's host
    // name: right for a client checking a server, wrong for client certificates, whose
    // identity is the CA's signature (checked by OpenSSL), not the client's address.
    ctx->enableExtendedCertificateVerification(false);
    // Without a session id context OpenSSL refuses resumed sessions when clients are verified.
    ctx->enableSessionCache(true, "strata");
    return ctx;
  } catch (const Poco::Exception& e) {
    throw std::runtime_error(
        "cannot load TLS files (cert_file=" + s.cert_file + ", key_file=" + s.key_file +
        (s.client_ca_file.empty() ? "" : ", client_ca_file=" + s.client_ca_file) +
        "): " + e.displayText());
  }
}

std::string describe(const TlsSettings* s) {
  if (!s) return "plain HTTP";
  std::string out = "TLS (cert_file=" + s->cert_file + ", key_file=" + s->key_file;
  if (!s->client_ca_file.empty()) out += ", client_ca_file=" + s->client_ca_file;
  return out + ")";
}

}  // namespace strata::http
